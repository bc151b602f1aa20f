/**
 * Offer grammar of TextArena's SimpleNegotiation (and SPIRAL's v1): `[Offer: <list> -> <list>]`
 * anywhere in a reply, case-insensitive, an optional "I give"/"I offer", a list being
 * `<quantity> <resource>` items separated by commas or "and". Names are title-cased (as
 * Python's str.title), a plural alias is accepted, repeated names add up, and quantities
 * must be positive. Anything else inside an `[Offer: ...]` token is an incorrect format.
 */
export type Bundle = ReadonlyMap<string, number>;

export interface Offer {
  readonly give: Bundle;
  readonly take: Bundle;
}

const OFFER = /\[Offer:\s*(?:I\s+(?:give|offer)\s+)?([^[\]]+?)\s*\.*\]/is;
export const ACCEPT = /\[Accept\]/i;
export const DENY = /\[Deny\]/i;

/** Python's str.title() on one name: a letter after a non-letter is upper-cased, others lower-cased. */
export function pyTitle(text: string): string {
  let out = '';
  let prevLetter = false;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const isLetter = lower !== upper;
    out += isLetter ? (prevLetter ? lower : upper) : ch;
    prevLetter = isLetter;
  }
  return out;
}

function parseList(text: string, names: readonly string[], aliases: Readonly<Record<string, string>>): Map<string, number> | undefined {
  const bundle = new Map<string, number>();
  for (const raw of text.split(/,\s*|\s+and\s+/i)) {
    const item = raw.trim();
    if (!item) continue;
    const m = /^(\d+)\s+(.+)$/.exec(item);
    if (!m) return undefined;
    const qty = Number(m[1]);
    let name = pyTitle(m[2]!.trim());
    name = aliases[name] ?? name;
    if (!names.includes(name) || qty <= 0) return undefined;
    bundle.set(name, (bundle.get(name) ?? 0) + qty);
  }
  return bundle;
}

/** The body of the first `[Offer: ...]` token, or undefined when the reply has none. */
export function offerBody(reply: string): string | undefined {
  const m = OFFER.exec(reply);
  return m ? m[1]!.trim() : undefined;
}

/** Parses an offer body; undefined means "incorrect format". */
export function parseOffer(body: string, names: readonly string[], aliases: Readonly<Record<string, string>>): Offer | undefined {
  let text = body
    .split(/\s+/)
    .filter((w) => w !== '')
    .join(' ');
  text = text.replace(/[.,!?]+$/, '').replace(/^(I\s+(?:give|offer)\s+)/i, '');
  const parts = text.split(/\s*->\s*/);
  if (parts.length !== 2) return undefined;
  const give = parseList(parts[0]!.trim(), names, aliases);
  const take = parseList(parts[1]!.trim(), names, aliases);
  if (!give || !take || give.size === 0 || take.size === 0) return undefined;
  return { give, take };
}

const listText = (bundle: Bundle): string => [...bundle].map(([name, qty]) => `${qty} ${name}`).join(', ');

export const offerText = (offer: Offer): string => `Offered items: ${listText(offer.give)} -> Requested items: ${listText(offer.take)}`;

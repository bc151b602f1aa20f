/**
 * Which extracted replies SPIRAL accepts in SimpleNegotiation-v1, read from the observation as
 * SPIRAL's action parser reads it: [Accept]/[Deny] (and two phrasings) while the last offer
 * shown is addressed to this player and not yet answered, three fixed chat lines, and offers
 * `[Offer: a X -> b Y]` (X != Y, 1 <= a <= min(3, the quantity of X in the prompt), 1 <= b <= 3).
 * SPIRAL lists three offers sampled at random from that set; Ludus accepts the whole set, so
 * the verdict is deterministic (documented as the one deviation).
 */
const CHAT = ['Let me think about what would be a fair trade.', 'What are you looking to trade?', "I'm open to negotiation."];
const ANSWERS = ['[Accept]', '[Deny]', 'That sounds good to me. [Accept]', "I'll pass on this offer. [Deny]"];

export interface SpiralMenu {
  readonly fixed: readonly string[];
  readonly resources: ReadonlyMap<string, number>;
}

export function spiralMenu(observation: string): SpiralMenu {
  const me = /You are Player (\d+)/.exec(observation);
  if (!me) return { fixed: ["I'll think about my strategy."], resources: new Map() };
  const seat = Number(me[1]);
  const resources = new Map<string, number>();
  for (const m of observation.matchAll(/\[(\w+)\]\s+Qty:\s+(\d+)/g)) resources.set(m[1]!, Number(m[2]));
  const fixed: string[] = [];
  const offers = [...observation.matchAll(/Player (\d+) made the following offer to Player (\d+):/g)];
  const last = offers[offers.length - 1];
  if (last && Number(last[2]) === seat) {
    const rest = observation.slice(last.index! + last[0].length);
    if (!/(accepted|denied|implicitly denied)/.test(rest)) fixed.push(...ANSWERS);
  }
  fixed.push(...CHAT);
  return { fixed, resources };
}

export function isSpiralAction(menu: SpiralMenu, action: string): boolean {
  if (menu.fixed.includes(action)) return true;
  if (menu.resources.size < 2) return false;
  const m = /^\[Offer: (\d+) (\w+) -> (\d+) (\w+)\]$/.exec(action);
  if (!m) return false;
  const [give, from, take, to] = [Number(m[1]), m[2]!, Number(m[3]), m[4]!];
  const have = menu.resources.get(from);
  return (
    have !== undefined &&
    menu.resources.has(to) &&
    from !== to &&
    String(give) === m[1] &&
    String(take) === m[3] &&
    give >= 1 &&
    give <= Math.min(3, have) &&
    take >= 1 &&
    take <= 3
  );
}

/** Every listed action, offers enumerated; random agents and tests pick from it. */
export function spiralActionList(menu: SpiralMenu): string[] {
  const out = [...menu.fixed];
  if (menu.resources.size < 2) return out;
  for (const [from, have] of menu.resources) {
    for (const to of menu.resources.keys()) {
      if (to === from) continue;
      for (let give = 1; give <= Math.min(3, have); give++) for (let take = 1; take <= 3; take++) out.push(`[Offer: ${give} ${from} -> ${take} ${to}]`);
    }
  }
  return out;
}

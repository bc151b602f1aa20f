/**
 * SimpleNegotiation rules, replayed from the reply log: SPIRAL's SimpleNegotiation-v1 (Wood
 * and Gold, 10 of each, values 5/15 and 15/5) and TextArena 0.6.4's SimpleNegotiation-v0 (five
 * resources, random inventories and values). A turn, in order: answer the open offer
 * ([Accept] / [Deny]), then read a new [Offer: ...]; after the last turn the larger gain in
 * inventory value wins (+1/-1), equal gains draw. TextArena's turn counter, error allowance
 * and messages are reproduced, including its quirks (see the variant notes below).
 */
import { z } from 'zod';
import type { Seat } from '../../core/env.ts';
import { GAME, broadcast, emptyInbox, send, type Inbox } from '../../textarena/messages.ts';
import { ForfeitSchema, drawMessage, invalidMove, textArenaParams, winMessage, type Forfeit } from '../../textarena/rules.ts';
import { ACCEPT, DENY, offerBody, offerText, parseOffer, type Bundle, type Offer } from './offers.ts';

export const V1_NAMES = ['Wood', 'Gold'] as const;
export const V0_NAMES = ['Wheat', 'Wood', 'Sheep', 'Brick', 'Ore'] as const;
export const V0_BASE: Readonly<Record<string, number>> = { Wheat: 5, Wood: 10, Sheep: 15, Brick: 25, Ore: 40 };
const ALIASES = {
  'spiral-v1': { Woods: 'Wood', Golds: 'Gold' },
  'textarena-v0': { Sheeps: 'Sheep', Woods: 'Wood' },
} as const;

const AmountsSchema = z.record(z.string(), z.number().int().min(0).max(1_000_000));

export const ParamsSchema = z
  .strictObject({
    /** 'spiral-v1': SPIRAL's SimpleNegotiation-v1; 'textarena-v0': TextArena's SimpleNegotiation-v0. */
    variant: z.enum(['spiral-v1', 'textarena-v0']).default('spiral-v1'),
    /** Replies in total (both players); TextArena's -short is 6 and -long 30. */
    maxTurns: z.number().int().min(2).max(100).default(10),
    /** v0: fixed starting inventories and values per player instead of random ones. */
    inventories: z.tuple([AmountsSchema, AmountsSchema]).optional(),
    values: z.tuple([AmountsSchema, AmountsSchema]).optional(),
    textWrapper: z.enum(['llm', 'firstlast']).default('llm'),
    errorAllowance: textArenaParams.errorAllowance,
    invalidRewards: textArenaParams.invalidRewards,
    parse: textArenaParams.parse,
  })
  .refine((p) => (p.inventories === undefined) === (p.values === undefined), { message: 'give both inventories and values, or neither', path: ['values'] });
export type NegotiationParams = z.infer<typeof ParamsSchema>;

export const StateSchema = z.object({
  params: ParamsSchema,
  /** Starting inventories and values, per player, in resource order. */
  inventories: z.tuple([z.array(z.number().int().min(0)), z.array(z.number().int().min(0))]),
  values: z.tuple([z.array(z.number().int().min(0)), z.array(z.number().int().min(0))]),
  /** Every reply as the game received it. */
  log: z.array(z.object({ seat: z.number().int().min(0).max(1), text: z.string(), spiral: z.literal(true).optional() })),
});
export type NegotiationState = z.infer<typeof StateSchema>;

export const namesOf = (p: NegotiationParams): readonly string[] => (p.variant === 'spiral-v1' ? V1_NAMES : V0_NAMES);

export type Outcome =
  | { readonly kind: 'win'; readonly seat: Seat; readonly reason: string }
  | { readonly kind: 'draw'; readonly reason: string }
  | { readonly kind: 'forfeit'; readonly forfeit: Forfeit };

export interface OpenOffer extends Offer {
  readonly from: Seat;
  readonly to: Seat;
}

/** The game after replaying the log: TextArena's State fields plus the messages. */
export interface Game {
  readonly resources: number[][];
  offer: OpenOffer | null;
  turn: number;
  current: Seat;
  errors: number;
  prevent: boolean;
  outcome: Outcome | null;
  readonly inbox: Inbox;
  /** Per reply: whether the game judged it invalid. */
  readonly invalid: boolean[];
}

export const holdingValue = (s: NegotiationState, resources: readonly number[], seat: Seat): number =>
  resources.reduce((sum, qty, i) => sum + qty * s.values[seat]![i]!, 0);

export function prompt(s: NegotiationState, seat: Seat): string {
  const names = namesOf(s.params);
  const lines = names.map((name, i) => `${`[${name}]`.padEnd(8)}  Qty: ${String(s.inventories[seat]![i]).padEnd(2)}   Value: ${s.values[seat]![i]}`);
  const v1 = s.params.variant === 'spiral-v1';
  return (
    `You are Player ${seat} in the Negotiation Game.\n` +
    'You have some resources, and your task is to trade such that the total value of your resources increases.\n' +
    `The resources and associated values you currently have are:\n\t+ ${lines.join('\n\t+ ')}\n` +
    'At each turn, you can talk to your opponent or make a trade offer.\n' +
    'Use the following special tokens for actions:\n' +
    '  - [Offer]: To make a trade offer.\n' +
    '    Format: [Offer: Offered Resources -> Requested Resources]\n' +
    `    Example: ${v1 ? '[Offer: 3 Wood -> 2 Gold]' : '[Offer: 3 Sheep, 2 Ore -> 5 Brick, 2 Sheep]'}\n` +
    '  - [Accept]: To accept an incoming offer.\n' +
    '  - [Deny]: To deny an incoming offer (default).\n' +
    (v1
      ? 'YOU CAN INCLUDE ADDITIONAL TEXT BEFORE AND/OR AFTER THESE TOKENS.\n    Example: "I\'m open to negotiation."\n'
      : 'You can include additional text before and/or after these tokens.\n') +
    `The game lasts for ${s.params.maxTurns} turns in total.\n`
  );
}

const has = (names: readonly string[], resources: readonly number[], bundle: Bundle): boolean =>
  [...bundle].every(([name, qty]) => (resources[names.indexOf(name)] ?? 0) >= qty);

function move(names: readonly string[], from: number[], to: number[], bundle: Bundle): void {
  for (const [name, qty] of bundle) {
    const i = names.indexOf(name);
    from[i]! -= qty;
    to[i]! += qty;
  }
}

function invalid(g: Game, s: NegotiationState, seat: Seat, reason: string): void {
  const next = invalidMove(g.inbox, seat, reason, g.errors, s.params.errorAllowance);
  if (next === 'forfeit') g.outcome = { kind: 'forfeit', forfeit: { seat, reason } };
  else {
    g.errors = next;
    g.prevent = true;
  }
  g.invalid[g.invalid.length - 1] = true;
}

function trade(g: Game, s: NegotiationState, seat: Seat): void {
  const names = namesOf(s.params);
  const offer = g.offer!;
  const proposerHas = has(names, g.resources[offer.from]!, offer.give);
  const acceptorHas = has(names, g.resources[seat]!, offer.take);
  const v1 = s.params.variant === 'spiral-v1';
  if (acceptorHas && (proposerHas || !v1)) {
    move(names, g.resources[offer.from]!, g.resources[seat]!, offer.give);
    move(names, g.resources[seat]!, g.resources[offer.from]!, offer.take);
    broadcast(g.inbox, GAME, `Player ${seat} accepted the trade offer from Player ${offer.from}.`);
    g.offer = null;
  } else if (v1 && !acceptorHas && !proposerHas) {
    broadcast(g.inbox, GAME, 'Trade cancelled: Neither player has sufficient resources for the trade.');
    g.offer = null;
  } else if (!acceptorHas) {
    invalid(g, s, seat, `Player ${seat} tried accepting a trade without having the necessary resources.`);
  } else {
    broadcast(g.inbox, GAME, `Trade cancelled: Player ${offer.from} no longer has the resources they offered.`);
    g.offer = null;
  }
}

/** v1 answers only offers addressed to the replier; v0 clears the offer on any reply without [Accept]. */
function answerOffer(g: Game, s: NegotiationState, seat: Seat, text: string): void {
  const offer = g.offer;
  if (s.params.variant === 'textarena-v0') {
    if (offer && ACCEPT.test(text)) trade(g, s, seat);
    else g.offer = null;
    return;
  }
  if (!offer) return;
  if (seat !== offer.to) {
    if (ACCEPT.test(text)) invalid(g, s, seat, `Player ${seat} tried to accept an offer that was not made to them.`);
    return;
  }
  if (ACCEPT.test(text)) trade(g, s, seat);
  else if (DENY.test(text)) {
    broadcast(g.inbox, GAME, `Player ${seat} denied the trade offer from Player ${offer.from}.`);
    g.offer = null;
  }
}

function newOffer(g: Game, s: NegotiationState, seat: Seat, text: string): void {
  if (g.outcome) return;
  const body = offerBody(text);
  if (body === undefined) return;
  const names = namesOf(s.params);
  const offer = parseOffer(body, names, ALIASES[s.params.variant]);
  if (!offer) {
    invalid(g, s, seat, `Player ${seat} made a trade offer in an incorrect format.`);
    return;
  }
  if (!has(names, g.resources[seat]!, offer.give)) {
    invalid(g, s, seat, `Player ${seat} tried to make a trade offer without having the necessary resources.`);
    return;
  }
  if (s.params.variant === 'spiral-v1' && g.offer?.to === seat) {
    broadcast(g.inbox, GAME, `Player ${seat} implicitly denied the previous offer by making a counter-offer.`);
  }
  g.offer = { ...offer, from: seat, to: 1 - seat };
  broadcast(g.inbox, GAME, `Player ${seat} made the following offer to Player ${1 - seat}: ${offerText(offer)}`);
}

function decide(g: Game, s: NegotiationState): void {
  const change = [0, 1].map((seat) => holdingValue(s, g.resources[seat]!, seat) - holdingValue(s, s.inventories[seat]!, seat));
  if (change[0] === change[1]) {
    const reason = 'Same change in inventory value for all players. Draw.';
    broadcast(g.inbox, GAME, drawMessage(reason));
    g.outcome = { kind: 'draw', reason };
  } else {
    const seat = change[0]! > change[1]! ? 0 : 1;
    const reason = `Player ${seat} won by having a larger gain in inventory value.`;
    broadcast(g.inbox, GAME, winMessage(seat, reason));
    g.outcome = { kind: 'win', seat, reason };
  }
}

/** TextArena's State.step(): count the turn and pass it, unless an invalid move holds it. */
function endStep(g: Game, s: NegotiationState): void {
  if (g.outcome) return;
  if (!g.prevent) g.turn++;
  if (g.turn >= s.params.maxTurns) g.outcome = { kind: 'draw', reason: 'Turn limit reached' }; // logged, not shown
  if (!g.prevent) {
    g.current = 1 - g.current;
    g.errors = 0;
  }
  g.prevent = false;
}

export function step(g: Game, s: NegotiationState, seat: Seat, text: string): void {
  g.invalid.push(false);
  broadcast(g.inbox, seat, text);
  answerOffer(g, s, seat, text);
  newOffer(g, s, seat, text);
  const last = s.params.variant === 'spiral-v1' ? g.turn + 1 >= s.params.maxTurns : g.turn === s.params.maxTurns - 1;
  if (last && !g.outcome) decide(g, s);
  endStep(g, s);
}

export function start(s: NegotiationState): Game {
  const inbox = emptyInbox(2);
  for (const seat of [0, 1]) send(inbox, seat, GAME, prompt(s, seat));
  return {
    resources: s.inventories.map((r) => r.slice()),
    offer: null,
    turn: 0,
    current: 0,
    errors: 0,
    prevent: false,
    outcome: null,
    inbox,
    invalid: [],
  };
}

const cache = new WeakMap<object, Game>();

/** The game replayed from the state's log (cached per state object; states are immutable). */
export function gameOf(s: NegotiationState): Game {
  let g = cache.get(s);
  if (!g) {
    g = start(s);
    for (const { seat, text, spiral } of s.log) {
      step(g, s, seat, text);
      // SPIRAL's loop ends the game on its own extraction failure, whatever the game made of it.
      if (spiral) {
        g.outcome = { kind: 'forfeit', forfeit: { seat, reason: 'SPIRAL could not extract a listed action', spiral: true } };
        g.invalid[g.invalid.length - 1] = true;
      }
    }
    cache.set(s, g);
  }
  return g;
}

export { ForfeitSchema };

/**
 * Random replies for simple-negotiation (random text agents, the conformance suite): valid ones
 * are talk, affordable offers and answers to the open offer; invalid ones are malformed offers,
 * offers of resources the player lacks, and accepting what cannot be accepted. Under SPIRAL
 * parsing, valid replies come from the action menu SPIRAL would list.
 */
import type { Seat } from '../../core/env.ts';
import type { Rng } from '../../core/rng.ts';
import { spiralFormat } from '../../textarena/spiral.ts';
import { gameOf, namesOf, type NegotiationState } from './rules.ts';
import { isSpiralAction, spiralActionList, spiralMenu } from './spiral-actions.ts';

const TALK = ['Let me think about what would be a fair trade.', 'What are you looking to trade?', 'I value Gold a lot, what about you?'];

function offer(rng: Rng, names: readonly string[], have: readonly number[], tooMuch: boolean): string | undefined {
  const from = names.flatMap((_, i) => (tooMuch || have[i]! > 0 ? [i] : []));
  if (from.length === 0) return undefined;
  const a = rng.pick(from);
  const b = rng.pick(names.map((_, i) => i).filter((i) => i !== a));
  const give = tooMuch ? have[a]! + 1 + rng.int(5) : 1 + rng.int(Math.min(4, have[a]!));
  return `[Offer: ${give} ${names[a]} -> ${1 + rng.int(4)} ${names[b]}]`;
}

function spiralReply(s: NegotiationState, seat: Seat, rng: Rng, valid: boolean, observation: string): string | undefined {
  const menu = spiralMenu(observation);
  if (!valid) return rng.pick(["\\boxed{I'm open to negotiation.}", '\\boxed{[Offer: 9 Wood -> 1 Gold]}', 'nothing boxed here at all, sorry']);
  const have = gameOf(s).resources[seat]!;
  const names = namesOf(s.params);
  // Offers SPIRAL lists are sized by the prompt; keep to what the player still holds, or the game rejects them.
  const listed = spiralActionList(menu).filter((a) => isSpiralAction(menu, spiralFormat(`\\boxed{${a}}`)) && affordable(a, names, have));
  const pickable = listed.filter((a) => !/Accept/.test(a) || gameOf(s).offer?.to === seat);
  return pickable.length ? `\\boxed{${rng.pick(pickable)}}` : undefined;
}

function affordable(action: string, names: readonly string[], have: readonly number[]): boolean {
  const m = /^\[Offer: (\d+) (\w+) ->/.exec(action);
  return !m || Number(m[1]) <= (have[names.indexOf(m[2]!)] ?? 0);
}

export function sampleReply(s: NegotiationState, seat: Seat, rng: Rng, valid: boolean, observation: string): string | undefined {
  if (s.params.parse === 'spiral') return spiralReply(s, seat, rng, valid, observation);
  const g = gameOf(s);
  const names = namesOf(s.params);
  const have = g.resources[seat]!;
  const v1 = s.params.variant === 'spiral-v1';
  const open = g.offer;
  if (valid) {
    const kinds: string[] = [rng.pick(TALK)];
    const o = offer(rng, names, have, false);
    if (o) kinds.push(`How about this: ${o}`);
    if (open && (!v1 || open.to === seat)) {
      const need = [...open.take].every(([n, q]) => have[names.indexOf(n)]! >= q);
      const theirs = g.resources[open.from]!;
      const gives = [...open.give].every(([n, q]) => theirs[names.indexOf(n)]! >= q);
      if (need || (v1 && !gives)) kinds.push('[Accept]');
      if (v1) kinds.push('No thanks. [Deny]');
    }
    return rng.pick(kinds);
  }
  const kinds: string[] = ['[Offer: 3 Bananas -> 2 Gold]', '[Offer: 2 Wood]', '[Offer: 0 Wood -> 1 Gold]'];
  const greedy = offer(rng, names, have, true);
  if (greedy && (!open || (v1 ? open.to !== seat : false))) kinds.push(greedy);
  if (open && v1 && open.to !== seat) kinds.push('I accept. [Accept]');
  return rng.pick(kinds);
}

/**
 * simple-negotiation: a two-player trading game in free text, SPIRAL's SimpleNegotiation-v1 by
 * default and TextArena 0.6.4's SimpleNegotiation-v0 through `variant: 'textarena-v0'`
 * (rules.ts). Replies are free text with optional [Offer: ...], [Accept] and [Deny] tokens;
 * the text each player sees is TextArena's message history under its LLM wrapper, byte for
 * byte. A text env: no action ids, `applyText` judges every reply.
 * Version history: v1 initial.
 */
import { z } from 'zod';
import type { JsonValue, Seat, Viewer } from '../../core/env.ts';
import { defineEnv } from '../../core/define-env.ts';
import { Rng } from '../../core/rng.ts';
import { zeros } from '../../core/tensor.ts';
import { TERMINAL, decision } from '../../core/turns.ts';
import { llmWrapper, wrap } from '../../textarena/messages.ts';
import { forfeitOutcome, forfeitRange } from '../../textarena/rules.ts';
import { SPIRAL_INVALID_ACTION, spiralFormat } from '../../textarena/spiral.ts';
import { offerBody } from './offers.ts';
import { ParamsSchema, StateSchema, V0_BASE, gameOf, namesOf, prompt, holdingValue, type NegotiationParams, type NegotiationState } from './rules.ts';
import { sampleReply } from './sample.ts';
import { isSpiralAction, spiralMenu } from './spiral-actions.ts';

export type { NegotiationParams, NegotiationState } from './rules.ts';

const MAX_CHARS = 4096;

const RULES_TEXT =
  'Simple negotiation, a two-player trading game played in free text. Each player holds resources (Wood and Gold, ' +
  '10 of each, by default) and values each resource differently; the values are private. Players speak in turn, ' +
  'one reply each, for a fixed number of replies in total (10 by default). A reply may contain a trade offer ' +
  '[Offer: 3 Wood -> 2 Gold] (what you give -> what you want; several items separated by commas or "and"), ' +
  '[Accept] to accept the offer made to you, or [Deny] to refuse it; any other text is talk. An offer of resources ' +
  'you do not have, a malformed offer, or accepting a trade you cannot pay for is an invalid move, and an invalid ' +
  'move loses the game (-1; the other player gets 0) unless the game allows retries. At the end, the player whose ' +
  'inventory value grew more wins (+1, the other -1); equal gains are a draw (0 each).';

/** Uniform integer in [lo, hi], as Python's random.randint. */
const randint = (rng: Rng, lo: number, hi: number): number => lo + rng.int(hi - lo + 1);

function setup(p: NegotiationParams, seed: number): Pick<NegotiationState, 'inventories' | 'values'> {
  const names = namesOf(p);
  if (p.inventories && p.values) {
    const pick = (r: Record<string, number>): number[] => names.map((n) => r[n] ?? 0);
    return { inventories: [pick(p.inventories[0]), pick(p.inventories[1])], values: [pick(p.values[0]), pick(p.values[1])] };
  }
  if (p.variant === 'spiral-v1')
    return {
      inventories: [
        [10, 10],
        [10, 10],
      ],
      values: [
        [5, 15],
        [15, 5],
      ],
    };
  // Seeded, so the seed stays secret and the draw is reproducible (TextArena draws from Python's global RNG).
  const rng = new Rng(seed);
  const inventories: [number[], number[]] = [names.map(() => randint(rng, 5, 25)), names.map(() => randint(rng, 5, 25))];
  const valueRow = (): number[] =>
    names.map((n) => {
      const base = V0_BASE[n]!;
      const spread = Math.floor(0.2 * base);
      return randint(rng, Math.max(base - spread, 5), Math.min(base + spread, 40));
    });
  return { inventories, values: [valueRow(), valueRow()] };
}

function receive(s: NegotiationState, seat: Seat, reply: string): { text: string; spiral: boolean } {
  if (s.params.parse !== 'spiral' || reply === '') return { text: reply, spiral: false };
  const formatted = spiralFormat(reply);
  const menu = spiralMenu(observation(s, seat));
  return isSpiralAction(menu, formatted) ? { text: formatted, spiral: false } : { text: SPIRAL_INVALID_ACTION, spiral: true };
}

function observation(s: NegotiationState, viewer: Viewer): string {
  const inbox = gameOf(s).inbox;
  if (viewer === 'spectator') {
    // Everything but the private prompts (values are secret): the broadcast messages.
    return `Simple negotiation, watched: ${s.log.length} replies so far, ${s.params.maxTurns} turns in total.${llmWrapper(inbox[0]!.slice(1))}`;
  }
  return wrap(s.params.textWrapper, inbox[viewer]!);
}

function returnsOf(s: NegotiationState): readonly number[] {
  const outcome = gameOf(s).outcome;
  if (!outcome || outcome.kind === 'draw') return [0, 0];
  if (outcome.kind === 'win') return outcome.seat === 0 ? [1, -1] : [-1, 1];
  return forfeitOutcome(s.params, outcome.forfeit, 2);
}

export const simpleNegotiation = defineEnv<NegotiationState, string, NegotiationParams>({
  spec: {
    id: 'simple-negotiation',
    version: 1,
    title: 'Simple negotiation',
    dynamics: 'sequential',
    chance: 'sampled',
    information: 'imperfect',
    utility: 'general-sum',
    rewardModel: 'terminal',
    players: { min: 2, max: 2 },
    paramsSchema: ParamsSchema,
    actionSchema: z.string().max(MAX_CHARS),
    rulesText: RULES_TEXT,
  },
  stateSchema: StateSchema,
  dims: (p) => {
    const r = namesOf(p).length;
    const range = forfeitRange(p.invalidRewards);
    return {
      numPlayers: 2,
      numDistinctActions: 0,
      maxChanceOutcomes: 0,
      observationShape: [4 * r + 2],
      maxGameLength: p.maxTurns * (p.errorAllowance + 1),
      minUtility: range.min,
      maxUtility: range.max,
      textActions: { maxChars: MAX_CHARS },
    };
  },
  init: (params, seed) => ({ params, ...setup(params, seed), log: [] }),
  turn: (s) => {
    const g = gameOf(s);
    return g.outcome ? TERMINAL : decision(g.current);
  },
  legal: () => [],
  apply: (s) => s, // never called: a text env has no legal ids
  applyText(s, seat, reply) {
    const { text, spiral } = receive(s, seat, reply);
    const state: NegotiationState = { ...s, log: [...s.log, spiral ? { seat, text, spiral: true } : { seat, text }] };
    const g = gameOf(state);
    if (!g.invalid[g.invalid.length - 1]) return { state, verdict: { kind: 'move', summary: summarize(text) } };
    const reason = g.outcome?.kind === 'forfeit' ? g.outcome.forfeit.reason : lastInvalidReason(g.inbox[seat]!);
    return { state, verdict: { kind: 'invalid', code: spiral ? 'spiral-invalid-action' : 'textarena-invalid-move', reason, final: g.outcome !== null } };
  },
  rolePrompt: prompt,
  sampleText: (s, seat, rng, valid) => sampleReply(s, seat, rng, valid, observation(s, seat)),
  returns: returnsOf,
  observationTensor(s, viewer) {
    const names = namesOf(s.params);
    const r = names.length;
    const t = zeros(4 * r + 2);
    if (viewer === 'spectator') return t;
    const g = gameOf(s);
    names.forEach((_, i) => {
      t[i] = g.resources[viewer]![i]! / 25;
      t[r + i] = s.values[viewer]![i]! / 40;
      if (g.offer) {
        const sign = g.offer.to === viewer ? 1 : -1;
        t[2 * r + i] = (sign * (g.offer.give.get(names[i]!) ?? 0)) / 25;
        t[3 * r + i] = (sign * (g.offer.take.get(names[i]!) ?? 0)) / 25;
      }
    });
    t[4 * r] = g.turn / s.params.maxTurns;
    t[4 * r + 1] = g.offer?.to === viewer ? 1 : 0;
    return t;
  },
  observationText: observation,
  view(s, viewer) {
    const g = gameOf(s);
    const names = namesOf(s.params);
    const own =
      viewer === 'spectator'
        ? null
        : {
            resources: Object.fromEntries(names.map((n, i) => [n, g.resources[viewer]![i]!])),
            values: Object.fromEntries(names.map((n, i) => [n, s.values[viewer]![i]!])),
            gain: holdingValue(s, g.resources[viewer]!, viewer) - holdingValue(s, s.inventories[viewer]!, viewer),
          };
    return {
      turn: g.turn,
      maxTurns: s.params.maxTurns,
      toAct: g.outcome ? null : g.current,
      offer: g.offer ? { from: g.offer.from, to: g.offer.to, give: Object.fromEntries(g.offer.give), take: Object.fromEntries(g.offer.take) } : null,
      replies: s.log.map((e) => ({ seat: e.seat, text: e.text })),
      own,
      result: resultOf(g.outcome),
    };
  },
  actionText: (_s, actor, action) => `action ${action} of ${String(actor)}`,
  encodeAction: () => undefined,
  decodeAction: () => '',
  clone: (s) => structuredClone(s),
  resampleHidden(s, seat, rng) {
    // Before the end only the opponent's random values are hidden, and nothing shown depends on them.
    if (s.params.variant !== 'textarena-v0' || s.params.values || gameOf(s).outcome) return s;
    const names = namesOf(s.params);
    const other = 1 - seat;
    const row = names.map((n) => {
      const base = V0_BASE[n]!;
      const spread = Math.floor(0.2 * base);
      return randint(rng, Math.max(base - spread, 5), Math.min(base + spread, 40));
    });
    const values = (other === 0 ? [row, s.values[1]] : [s.values[0], row]) as NegotiationState['values'];
    return { ...s, values };
  },
});

function resultOf(outcome: ReturnType<typeof gameOf>['outcome']): JsonValue {
  if (!outcome) return null;
  if (outcome.kind === 'forfeit') return { kind: 'forfeit', seat: outcome.forfeit.seat };
  return outcome.kind === 'win' ? { kind: 'win', seat: outcome.seat } : { kind: 'draw', seat: null };
}

function summarize(text: string): string {
  const body = offerBody(text);
  if (body !== undefined) return `offer: ${body}`;
  if (/\[Accept\]/i.test(text)) return 'accept';
  if (/\[Deny\]/i.test(text)) return 'deny';
  return 'talk';
}

function lastInvalidReason(messages: readonly (readonly [number, string])[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = /attempted an invalid move\. Reason: (.*) Please resubmit/s.exec(messages[i]![1]);
    if (m) return m[1]!;
  }
  return 'invalid move';
}

/** Shared test fixtures: members, hand-set win rates, and a frequency check with 4-sigma cells. */
import { expect } from 'chai';
import { Rng } from '../../../envs/index.ts';
import type { MatchmakingContext, Matchmaker, Pairing } from '../../../league/matchmaking/index.ts';
import { PayoffTable } from '../../../league/matchmaking/payoff-table.ts';
import type { MemberInput, MemberKind, MemberRole } from '../../../league/population/member.ts';
import { Population } from '../../../league/population/population.ts';

export const ENV = 'tic-tac-toe-v1';

export function member(agentId: string, kind: MemberKind, extra: Partial<MemberInput> = {}): MemberInput {
  const frozen = kind === 'snapshot' || kind === 'scripted';
  return { agentId, kind, env: ENV, agent: { kind: 'random', options: {} }, createdAt: 0, frozen, ...extra };
}

export const learner = (agentId: string, role?: MemberRole): MemberInput => member(agentId, 'learner', role ? { role } : {});
export const snapshot = (agentId: string, parentId: string, createdAt: number, role?: MemberRole): MemberInput =>
  member(agentId, 'snapshot', { parentId, createdAt, ...(role ? { role } : {}) });

/** A payoff table where `a` beats `b` with exactly rate x (100 decayed games, above minGames). */
export function payoffWith(rates: ReadonlyArray<readonly [string, string, number]>): PayoffTable {
  return PayoffTable.fromJSON({ decay: 0.99, minGames: 8, pairs: rates.map(([a, b, x]) => ({ a, b, games: 100, score: 100 * x })) });
}

export function context(population: Population, payoff: PayoffTable, seed: number, extra: Partial<MatchmakingContext> = {}): MatchmakingContext {
  return { population, payoff, elo: () => 1500, rng: new Rng(seed), numPlayers: 2, ...extra };
}

/** Runs `pick` n times on one context and tallies key(pairing). */
export function tally(matchmaker: Matchmaker, ctx: MatchmakingContext, n: number, key: (p: Pairing) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = key(matchmaker.pick(ctx));
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/**
 * Every cell within 4 binomial standard errors of n * p; cells with p = 0 must be empty and
 * no unexpected key may appear. Probabilities must sum to 1.
 */
export function expectFrequencies(counts: ReadonlyMap<string, number>, expected: Readonly<Record<string, number>>, n: number): void {
  const total = Object.values(expected).reduce((s, p) => s + p, 0);
  expect(total, 'expected probabilities sum to 1').to.be.closeTo(1, 1e-9);
  for (const key of counts.keys()) expect(expected, `unexpected outcome ${key}`).to.have.property(key);
  for (const [key, p] of Object.entries(expected)) {
    const observed = counts.get(key) ?? 0;
    if (p === 0) {
      expect(observed, `${key} must never occur`).to.equal(0);
      continue;
    }
    const se = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(observed - n * p), `${key}: observed ${observed}, expected ${(n * p).toFixed(1)} ± ${(4 * se).toFixed(1)}`).to.be.below(4 * se + 1e-9);
  }
}

/** Normalises a weight map into probabilities. */
export function normalise(weights: Readonly<Record<string, number>>): Record<string, number> {
  const sum = Object.values(weights).reduce((s, w) => s + w, 0);
  return Object.fromEntries(Object.entries(weights).map(([k, w]) => [k, w / sum]));
}

export function populationOf(...members: MemberInput[]): Population {
  return new Population(members);
}

/** Test helper: agent A against agent B over seeded games with alternating seats, via playMatch. */
import type { Agent } from '../../agents/agent.ts';
import { deriveSeed } from '../../envs/index.ts';
import type { AnyEnv } from '../../envs/index.ts';
import { playMatch } from '../../league/play-match.ts';

export interface HeadToHead {
  /** A's return in each game. */
  readonly returns: number[];
  wins: number;
  draws: number;
  losses: number;
  faults: number;
}

/** Game g seats A at seat g % 2 (A opens the even games); fresh agents every game. */
export async function headToHead(env: AnyEnv, makeA: () => Agent, makeB: () => Agent, games: number, seed: number, params?: unknown): Promise<HeadToHead> {
  const out: HeadToHead = { returns: [], wins: 0, draws: 0, losses: 0, faults: 0 };
  for (let game = 0; game < games; game++) {
    const seatA = game % 2;
    const agents = seatA === 0 ? [makeA(), makeB()] : [makeB(), makeA()];
    const result = await playMatch({ env, params, seed: deriveSeed(seed, game), agents });
    if (result.fault) out.faults++;
    const mine = result.returns[seatA]!;
    const theirs = result.returns[1 - seatA]!;
    out.returns.push(mine);
    if (mine > theirs) out.wins++;
    else if (mine < theirs) out.losses++;
    else out.draws++;
  }
  return out;
}

export function meanAndStandardError(xs: readonly number[]): { mean: number; se: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, se: Math.sqrt(variance / xs.length) };
}

/**
 * Returns. Classic: the winning team +1 each, the other -1 (eliminated players keep their
 * team's result). Vision-Zero (N players, recv[i] = votes for i, each reward clipped to [-1, 1]):
 * a civilian gets +1 for naming the spy and -1 otherwise (N/A and invalid votes included),
 * minus alpha * recv[i] / (N - 1); the spy gets 1 - recv[spy] / (N - 1) plus
 * beta * mislead / (N - 1), where mislead counts 1 per vote for a non-spy and 0.5 per N/A
 * (the spy's own vote included, as in Vision-Zero's code), minus 1 for voting for itself.
 */
import { isSpy, type SpyState } from './rules.ts';

const clip = (x: number): number => Math.max(-1, Math.min(1, x)) + 0; // + 0: never -0

export function returnsOf(s: SpyState): readonly number[] {
  const n = s.alive.length;
  if (s.phase !== 'over') return new Array<number>(n).fill(0);
  if (s.params.mode === 'classic') {
    return Array.from({ length: n }, (_, seat) => ((isSpy(s, seat) ? s.winner === 'spies' : s.winner === 'civilians') ? 1 : -1));
  }
  const votes = s.results[s.results.length - 1]?.votes ?? [];
  const recv = new Array<number>(n).fill(0);
  for (const v of votes) if (typeof v === 'number') recv[v]!++;
  let mislead = 0;
  for (const v of votes) {
    if (v === 'na') mislead += 0.5;
    else if (typeof v === 'number' && !isSpy(s, v)) mislead += 1;
  }
  const { alpha, beta } = s.params;
  return Array.from({ length: n }, (_, seat) => {
    const vote = votes[seat];
    if (isSpy(s, seat)) return clip(1 - recv[seat]! / (n - 1) + (beta * mislead) / (n - 1) - (vote === seat ? 1 : 0));
    const named = typeof vote === 'number' && isSpy(s, vote) ? 1 : -1;
    return clip(named - (alpha * recv[seat]!) / (n - 1));
  });
}

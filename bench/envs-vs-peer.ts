/**
 * `npm run bench:envs -- --peer <benchmark_game>`: Ludus and OpenSpiel's C++ `benchmark_game`
 * on the same games in one interleaved run (Ludus, peer, Ludus, peer, ...), so both see the
 * same load on a shared machine. Each rotation times Ludus for `seconds` in this process,
 * then the peer binary for about as long (its --sims calibrated from a first short attempt).
 * Prints one JSON line per game with both medians and their ratio (Ludus ÷ peer).
 */
import { spawnSync } from 'node:child_process';
import { statistics } from './bench-median.ts';
import type { AnyEnv } from '../envs/index.ts';
import { run } from './env-random-play.ts';

/** Ludus env id -> OpenSpiel game name. */
export const OPENSPIEL_NAMES: Readonly<Record<string, string>> = {
  'tic-tac-toe': 'tic_tac_toe',
  'connect-four': 'connect_four',
  'kuhn-poker': 'kuhn_poker',
  'leduc-poker': 'leduc_poker',
};

const FINISHED = /Finished (\d+) moves in ([\d.]+) ms: ([\d.]+) sim\/s, ([\d.]+) moves\/s/;

interface PeerRun {
  readonly steps: number;
  readonly seconds: number;
  readonly games: number;
}

/** One attempt of `sims` games of `game` with the peer binary. */
function peerRun(bin: string, game: string, sims: number): PeerRun {
  const out = spawnSync(bin, [`--game=${game}`, `--sims=${sims}`, '--attempts=1'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.error) throw out.error;
  const m = FINISHED.exec(out.stdout ?? '');
  if (out.status !== 0 || !m) throw new Error(`${bin} --game=${game} failed (status ${out.status}): ${(out.stderr ?? '').slice(0, 400)}`);
  return { steps: Number(m[1]), seconds: Number(m[2]) / 1000, games: sims };
}

export interface PeerOptions {
  readonly bin: string;
  readonly seconds: number;
  readonly rotations: number;
}

/** Interleaved rotations for one env; undefined if OpenSpiel has no such game. */
export function runAgainstPeer(env: AnyEnv, options: PeerOptions): Record<string, unknown> | undefined {
  const game = OPENSPIEL_NAMES[env.spec.id];
  if (!game) return undefined;
  run(env, Math.min(options.seconds, 0.3), 999); // warm up the JIT
  const probe = peerRun(options.bin, game, 2000);
  const sims = Math.max(1000, Math.round((probe.games / Math.max(probe.seconds, 1e-6)) * options.seconds));
  const ludus: number[] = [];
  const peer: number[] = [];
  let ludusLen = 0;
  let peerLen = 0;
  for (let i = 0; i < options.rotations; i++) {
    const r = run(env, options.seconds, i + 1);
    ludus.push(r.steps / r.seconds);
    ludusLen = r.steps / r.games;
    const p = peerRun(options.bin, game, sims);
    peer.push(p.steps / p.seconds);
    peerLen = p.steps / p.games;
  }
  const l = statistics(ludus);
  const p = statistics(peer);
  return {
    env: env.key,
    peer: `open_spiel C++ benchmark_game ${game}`,
    rotations: options.rotations,
    ludusStepsPerSec: Math.round(l.median),
    peerStepsPerSec: Math.round(p.median),
    ratio: Number((l.median / p.median).toFixed(3)),
    ratioRange: [Number((l.min / p.max).toFixed(3)), Number((l.max / p.min).toFixed(3))],
    ludusRuns: ludus.map(Math.round),
    peerRuns: peer.map(Math.round),
    meanGameLength: { ludus: Number(ludusLen.toFixed(3)), peer: Number(peerLen.toFixed(3)) },
    secondsPerRun: options.seconds,
    peerGamesPerRun: sims,
  };
}

/**
 * `npm run bench:realtime [-- --json] [--matches M] [--tick-hz H] [--seconds S]`: real-time
 * matches under load. A forked child runs the arena (bench/arena-server.ts); this process
 * creates M slime-volleyball matches over HTTP and plays 2M external agents (seat 0 over
 * socket.io, seat 1 over Colyseus, one connection each) that answer every tick with a
 * seeded-random input, plus one Colyseus spectator per match that receives the state patches.
 * After --warmup seconds the server's tick counters restart; --seconds later they are read.
 * Definitions (server side, arena/match/tick-stats.ts):
 *  - ticksPerSecTarget: matches × tick rate; ticksPerSecAchieved: ticks applied / window.
 *  - onTimeRatio: ticks that started less than one tick period after their slot.
 *  - lateP99Ms: 99th percentile of how late a tick started after its slot.
 *  - inputToApplyP50Ms / P99Ms: server receipt of an input -> the tick that applied it.
 *  - inputsDropped: inputs the server refused (order, rate limit, validation) plus the
 *    errors agents were told of.
 *  - serverCpuPerTickMs: server CPU in the window / ticks (all the work of a tick: the env step,
 *    the messages to agents, the spectator patches, the inputs in between).
 * Flags: --matches 64, --tick-hz 50 (the env's rate when 0), --seconds 20, --warmup 3,
 * --seed 1, --env slime-volleyball-v1, --json (one line).
 */
import { Client, type Room } from '@colyseus/sdk';
import { setMaxListeners } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ColyseusAgentClient } from '../agents/remote/colyseus-agent-client.ts';
import { LudusAgentClient } from '../agents/remote/ludus-agent-client.ts';
import { deriveSeed, Rng } from '../envs/index.ts';
import { flag } from './flags.ts';
import type { DecisionMessage } from '../protocol/index.ts';
import { ServerProcess } from './arena-server-process.ts';

export interface RealtimeBenchOptions {
  readonly matches: number;
  /** 0: the env's own tick rate. */
  readonly tickHz: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly seed: number;
  readonly env: string;
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Lane {
  readonly matchId: string;
  readonly socket: LudusAgentClient;
  colyseus: Promise<unknown>;
  readonly spectator: Room;
  patches: number;
}

async function createMatch(url: string, adminToken: string, options: RealtimeBenchOptions, index: number): Promise<{ matchId: string; seatTokens: string[] }> {
  const body = {
    env: options.env,
    seed: deriveSeed(options.seed, index),
    league: 'bench-realtime',
    // Long enough never to end inside the window: every match ticks for all of it.
    params: options.env.startsWith('slime-volleyball') ? { maxSteps: 1_000_000, lives: 1_000 } : {},
    seats: [
      { kind: 'remote', agentId: `bench-sio-${index}` },
      { kind: 'remote', agentId: `bench-col-${index}` },
    ],
    settings: { reconnectWindowMs: 600_000, ...(options.tickHz > 0 ? { realtime: { tickHz: options.tickHz } } : {}) },
  };
  const response = await fetch(`${url}/api/matches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`bench: POST /api/matches answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { matchId: string; seatTokens: string[] };
}

/** A seeded-random input for every tick. */
const randomDecider =
  (rng: Rng) =>
  (request: DecisionMessage): number =>
    request.legalActions[rng.int(request.legalActions.length)]!.id;

export async function runRealtimeBench(options: RealtimeBenchOptions): Promise<Record<string, unknown>> {
  const { server, url } = await ServerProcess.start('default', []);
  const lanes: Lane[] = [];
  let clientErrors = 0;
  const onError = (): void => {
    clientErrors++;
  };
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // one signal for every Colyseus seat of the run
  try {
    const colyseus = new ColyseusAgentClient(url);
    const spectators = new Client(`${url}/colyseus`);
    for (let i = 0; i < options.matches; i++) {
      const { matchId, seatTokens } = await createMatch(url, server.adminToken, options, i);
      const socket = await LudusAgentClient.connect(url);
      socket.onDecision(randomDecider(new Rng(deriveSeed(options.seed, i, 0)))).onError(onError);
      const spectator = await spectators.joinOrCreate('match', { matchId, spectate: true });
      const lane: Lane = { matchId, socket, spectator, patches: 0, colyseus: Promise.resolve() };
      spectator.onStateChange(() => {
        lane.patches++;
      });
      spectator.onMessage('*', () => {});
      await socket.join(matchId, seatTokens[0]!);
      const played = colyseus.playMatch({ matchId, seatToken: seatTokens[1]! }, randomDecider(new Rng(deriveSeed(options.seed, i, 1))), {
        onError,
        signal: stop.signal,
      });
      played.catch(() => undefined);
      lane.colyseus = played;
      lanes.push(lane);
    }
    await sleep(options.warmupSeconds * 1000);
    server.resetTicks();
    const before = await server.sample();
    const patchesBefore = lanes.reduce((sum, lane) => sum + lane.patches, 0);
    const errorsBefore = clientErrors;
    const benchCpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    await sleep(options.seconds * 1000);
    const after = await server.sample();
    const windowSec = (performance.now() - startedAt) / 1000;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const ticks = after.ticks;
    const tickHz = options.tickHz > 0 ? options.tickHz : 50;
    const cpuMs = after.cpuMs - before.cpuMs;
    return {
      env: options.env,
      matches: options.matches,
      tickHz,
      ticksPerSecTarget: options.matches * tickHz,
      ticksPerSecAchieved: round(ticks.ticks / windowSec, 1),
      onTimeRatio: round(ticks.onTimeRatio, 4),
      lateP99Ms: round(ticks.lateP99Ms, 2),
      inputToApplyP50Ms: round(ticks.inputToApplyP50Ms, 2),
      inputToApplyP99Ms: round(ticks.inputToApplyP99Ms, 2),
      inputsDropped: ticks.inputsDropped + (clientErrors - errorsBefore),
      serverCpuPerTickMs: ticks.ticks > 0 ? round(cpuMs / ticks.ticks, 4) : null,
      serverRssMb: round(after.rssMb, 1),
      inputsReceived: ticks.inputsReceived,
      inputsApplied: ticks.inputsApplied,
      inputsSuperseded: ticks.inputsSuperseded,
      slotsSkipped: ticks.slotsSkipped,
      tickComputeMeanMs: round(ticks.tickComputeMeanMs, 4),
      spectatorPatchesPerSec: round((lanes.reduce((sum, lane) => sum + lane.patches, 0) - patchesBefore) / windowSec, 1),
      serverCpuPct: Math.round((100 * cpuMs) / (windowSec * 1000)),
      benchCpuPct: Math.round((100 * (benchCpu.user + benchCpu.system)) / 1000 / (windowSec * 1000)),
      loadAverage: loadavg().map((x) => round(x)),
      durationSec: round(windowSec),
    };
  } finally {
    stop.abort();
    for (const lane of lanes) {
      lane.socket.close();
      await lane.spectator.leave(true).catch(() => undefined);
    }
    await server.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      matches: { type: 'string', default: '64' },
      'tick-hz': { type: 'string', default: '50' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
      env: { type: 'string', default: 'slime-volleyball-v1' },
    },
  });
  const result = await runRealtimeBench({
    matches: flag('matches', values.matches, true),
    tickHz: flag('tick-hz', values['tick-hz']),
    seconds: flag('seconds', values.seconds),
    warmupSeconds: flag('warmup', values.warmup),
    seed: flag('seed', values.seed, true),
    env: values.env,
  });
  console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
  process.exit(0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

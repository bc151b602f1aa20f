/**
 * `ludus play`: a series of local matches between agents (scripted, neural, language models), with a results table
 * (or --json) and a progress bar.
 */
import { createAgent, formatAgentSpec, paramsOfModels, parseAgentSpecs } from '../../agents/index.ts';
import { formatNoteTotals, type NoteTotals } from '../../agents/move-note.ts';
import { getEnv } from '../../envs/index.ts';
import { playSeries, type SeriesStats } from '../../league/play-series.ts';
import { intFlag, parseFlags } from '../args.ts';
import { UsageError } from '../cli-error.ts';
import { createProgress } from '../progress.ts';
import { fixed, formatTable } from '../table.ts';

export const PLAY_HELP = `Usage: ludus play --env KEY --agents SPECS [--games N] [--seed N] [--params JSON] [--rotate] [--json]

Plays N matches between agents (one per seat, in seat order) and prints wins, draws and losses
per agent and seat, the mean return, the game length and the speed.

  --env KEY        environment key, e.g. connect-four-v1 (see \`ludus envs\`)
  --agents SPECS   comma-separated agent specs, e.g. mcts:sims=200,random
                   (options follow a colon: mcts:sims=200,c=2 sets two options)
  --games N        number of matches (default 100)
  --seed N         base seed (default 0); game g uses a seed derived from (seed, g)
  --params JSON    environment parameters as JSON, e.g. '{"rows":6}'; default: the params
                   the neural models among the agents were trained with, else the env's
  --rotate         rotate seats every game, so every agent plays every seat
  --json           print one JSON object instead of the table`;

export async function playCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      env: { type: 'string' },
      agents: { type: 'string' },
      games: { type: 'string' },
      seed: { type: 'string' },
      params: { type: 'string' },
      rotate: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    'play',
  );
  if (values.help) {
    console.log(PLAY_HELP);
    return 0;
  }
  if (!values.env) throw new UsageError('ludus play needs --env', 'e.g. --env connect-four-v1; `ludus envs` lists them');
  if (!values.agents) throw new UsageError('ludus play needs --agents', 'e.g. --agents mcts:sims=200,random');
  const env = getEnv(values.env);
  const specs = parseAgentSpecs(values.agents);
  // Without --params, saved models are played with the params they were trained with.
  const given = values.params === undefined ? undefined : parseJsonFlag(values.params, 'params');
  const params = env.parseParams(given ?? paramsOfModels(specs, env) ?? {});
  const numPlayers = env.dims(params).numPlayers;
  if (specs.length !== numPlayers) {
    throw new UsageError(
      `${env.key} has ${numPlayers} seats but --agents names ${specs.length} agent(s)`,
      `give exactly ${numPlayers} comma-separated agent specs`,
    );
  }
  const games = intFlag(values.games, 'games', 1, 100_000_000) ?? 100;
  const seed = intFlag(values.seed, 'seed', 0, 2 ** 32 - 1) ?? 0;
  specs.forEach((spec) => createAgent(spec, env, params)); // fail fast on bad specs, before the bar starts

  const progress = createProgress({ total: games, label: 'games', quiet: values.json === true });
  let firstFault: string | undefined;
  const stats = await playSeries({
    env,
    params,
    games,
    seed,
    rotate: values.rotate === true,
    makeAgents: () => specs.map((spec) => createAgent(spec, env, params)),
    onGame: (game, result) => {
      firstFault ??= result.fault && `game ${game}: ${result.fault.message}`;
      progress.update(game + 1);
    },
  });
  progress.stop();
  // Faults are counted in the table; the first one's reason (a model server down, a bad reply) goes to stderr.
  if (firstFault) console.error(`first faulted ${firstFault}`);
  const names = specs.map(formatAgentSpec);
  const report = seriesReport(env.key, params, names, seed, stats);
  console.log(values.json ? JSON.stringify(report) : formatReport(report));
  return 0;
}

export function parseJsonFlag(text: string | undefined, name: string): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--${name} is not valid JSON: ${text}`, `quote it for the shell, e.g. --${name} '{"rows":6}'`);
  }
}

interface SeriesReport {
  env: string;
  params: unknown;
  games: number;
  seed: number;
  agents: { agent: string; seat: number; games: number; wins: number; draws: number; losses: number; faults: number; meanReturn: number }[];
  meanLength: number;
  steps: number;
  seconds: number;
  stepsPerSec: number;
  gamesPerSec: number;
  /** Language-model agents: tokens, latency, re-prompts and retries over the series. */
  usage?: { agent: string; totals: NoteTotals }[];
}

function seriesReport(env: string, params: unknown, names: string[], seed: number, s: SeriesStats): SeriesReport {
  const agents = s.stats.flatMap((bySeat, i) =>
    bySeat
      .map((st, seat) => ({
        agent: names[i]!,
        seat,
        games: st.games,
        wins: st.wins,
        draws: st.draws,
        losses: st.losses,
        faults: st.faults,
        meanReturn: st.games ? st.returnSum / st.games : 0,
      }))
      .filter((row) => row.games > 0),
  );
  const seconds = Math.max(s.seconds, 1e-9);
  const usage = s.usage.flatMap((totals, i) => (totals ? [{ agent: names[i]!, totals }] : []));
  return {
    env,
    params,
    games: s.games,
    seed,
    agents,
    meanLength: s.lengthSum / s.games,
    steps: s.steps,
    seconds: s.seconds,
    stepsPerSec: s.steps / seconds,
    gamesPerSec: s.games / seconds,
    ...(usage.length ? { usage } : {}),
  };
}

function formatReport(r: SeriesReport): string {
  const pct = (k: number, n: number) => `${fixed((100 * k) / Math.max(n, 1), 1)}%`;
  const table = formatTable(
    ['agent', 'seat', 'games', 'wins', 'draws', 'losses', 'win%', 'mean return'],
    r.agents.map((a) => [a.agent, a.seat, a.games, a.wins, a.draws, a.losses, pct(a.wins, a.games), fixed(a.meanReturn)]),
  );
  const faults = r.agents.reduce((k, a) => k + a.faults, 0);
  return [
    `${r.env} ${JSON.stringify(r.params)}: ${r.games} games, seed ${r.seed}`,
    table,
    `mean game length ${fixed(r.meanLength, 2)} | ${Math.round(r.stepsPerSec).toLocaleString('en-US')} steps/s | ${fixed(r.gamesPerSec, 1)} games/s | ${fixed(r.seconds, 2)} s${faults ? ` | ${faults} faulted games (illegal move or agent error)` : ''}`,
    ...(r.usage ?? []).map((u) => `${u.agent}: ${formatNoteTotals(u.totals)}`),
  ].join('\n');
}

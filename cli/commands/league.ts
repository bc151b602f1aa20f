/**
 * `ludus league run|standings|matches|export`: the headless league on the embedded store.
 */
import { writeFileSync } from 'node:fs';
import { loadLeagueConfig } from '../../league/config/league-config.ts';
import { runLeague, type RunLeagueResult } from '../../league/runner/league-runner.ts';
import { computeStandings, type Standing } from '../../league/standings.ts';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { exportMatches } from '../../league/export-matches.ts';
import { trajectoryLines } from '../../league/export-trajectories.ts';
import { checkCooperative, printCrossplay } from './league-crossplay.ts';
import { EVALUATION_FLAGS, EVALUATION_HELP, evaluationFromFlags } from './league-evaluation.ts';
import { printPayoff } from './league-payoff.ts';
import { DEFAULT_QUEUE_PREFIX } from '../../league/queue/queue-target.ts';
import type { MatchPlayer } from '../../league/runner/match-player.ts';
import { openSharedStore } from '../shared-store.ts';
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import { DATABASE_HELP, openLeagueStore, storeLocation } from '../../league/storage/open-league-store.ts';
import { intFlag, parseFlags } from '../args.ts';
import { UsageError } from '../cli-error.ts';
import { createProgress } from '../progress.ts';
import { fixed, formatTable } from '../table.ts';
import { LeagueError } from '../../league/league-error.ts';

export const LEAGUE_HELP = `Usage: ludus league <run|standings|matches|payoff|crossplay|export> [flags]

  ludus league run --config FILE [--store DIR] [--seed N] [--max-matches N] [--json]
                   [--queue redis://… --database postgres://… [--queue-prefix P]]
      Plays the league in FILE (YAML or JSON) until its stopping rule, resuming where an
      earlier run on the same store stopped. --max-matches replaces the stopping rule with a
      total match count; --seed replaces the config's seed. With --queue the matches are
      played by \`ludus worker\` processes (any number, any machine, the same --queue and
      --database; queue key prefix --queue-prefix, default ${DEFAULT_QUEUE_PREFIX}); the results and
      ratings are those of a run in one process.
  ludus league standings [--store DIR] [--league NAME] [--json]
      Leaderboard: Elo, Bradley–Terry rating with a 95% bootstrap CI, games.
  ludus league matches [--store DIR] [--league NAME] [--agent ID] [--limit N] [--json]
      The most recent matches (newest first).
  ludus league payoff [--store DIR] [--league NAME] [--json] [--games N [--queue …]]
      Payoff matrix between members (score with game counts) and, for two-player zero-sum
      games, the Nash mixture over the members.
  ludus league crossplay [--store DIR] [--league NAME] [--json] [--games N [--queue …]]
      Cooperative two-seat leagues (overcooked): mean team return of every member with
      every other in both seats (± standard error, games), and each member's mean with
      itself and with held-out partners (zero-shot coordination).
${EVALUATION_HELP}
  ludus league export --format csv|json [--store DIR] [--league NAME] [--out FILE] [--replays]
      Every match of the league, for analysis elsewhere.
  ludus league export --format trajectories [--store DIR] [--league NAME] [--out FILE]
                      [--agent ID] [--baseline rae] [--baseline-decay 0.95]
      JSONL for RL trainers, one line per (match, seat, turn) of matches with replays:
      observation text, raw reply (language models), action, step reward, final return;
      --baseline rae adds SPIRAL's role-conditioned EMA baseline and the advantage.

--store defaults to ./data. --league defaults to the only league in the store, or the most
recently created one. Every command takes
${DATABASE_HELP}`;

export async function leagueCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'run':
      return leagueRun(rest);
    case 'standings':
      return withLeague(rest, 'standings', { json: { type: 'boolean' } }, (store, league, v) => printStandings(store, league, v.json === true));
    case 'matches':
      return withLeague(rest, 'matches', { json: { type: 'boolean' }, agent: { type: 'string' }, limit: { type: 'string' } }, (store, league, v) =>
        printMatches(store, league, v),
      );
    case 'crossplay':
      return withLeague(rest, 'crossplay', { json: { type: 'boolean' }, ...EVALUATION_FLAGS }, async (store, league, v) => {
        checkCooperative(league);
        return printCrossplay(store, league, v.json === true, await evaluationFromFlags(store, league, v, true));
      });
    case 'payoff':
      return withLeague(rest, 'payoff', { json: { type: 'boolean' }, ...EVALUATION_FLAGS }, async (store, league, v) =>
        printPayoff(store, league, v.json === true, await evaluationFromFlags(store, league, v, false)),
      );
    case 'export':
      return withLeague(
        rest,
        'export',
        {
          format: { type: 'string' },
          out: { type: 'string' },
          replays: { type: 'boolean' },
          agent: { type: 'string' },
          baseline: { type: 'string' },
          'baseline-decay': { type: 'string' },
        },
        (store, league, v) => runExport(store, league, v),
      );
    case undefined:
    case '--help':
    case 'help':
      console.log(LEAGUE_HELP);
      return sub ? 0 : 2;
    default:
      throw new UsageError(`unknown league command "${sub}"`, 'use run, standings, matches, payoff, crossplay or export');
  }
}

async function leagueRun(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      config: { type: 'string' },
      store: { type: 'string' },
      database: { type: 'string' },
      seed: { type: 'string' },
      'max-matches': { type: 'string' },
      json: { type: 'boolean' },
      queue: { type: 'string' },
      'queue-prefix': { type: 'string' },
      help: { type: 'boolean' },
    },
    'league run',
  );
  if (values.help) {
    console.log(LEAGUE_HELP);
    return 0;
  }
  if (!values.config) throw new UsageError('ludus league run needs --config FILE', 'e.g. --config examples/leagues/tic-tac-toe-mcts.yaml');
  let config = loadLeagueConfig(values.config);
  const seed = intFlag(values.seed, 'seed', 0, 2 ** 32 - 1);
  if (seed !== undefined) config = { ...config, seed };
  const maxMatches = intFlag(values['max-matches'], 'max-matches', 1);
  const target = maxMatches ?? config.stop.matches;
  if (values['queue-prefix'] !== undefined && values.queue === undefined) throw new UsageError('--queue-prefix goes with --queue');
  const store =
    values.queue === undefined
      ? await openLeagueStore(storeLocation({ database: values.database, storeDir: values.store ?? './data' }))
      : await openSharedStore(values.database, 'ludus league run --queue');
  let player: MatchPlayer | undefined;
  try {
    player = values.queue === undefined ? undefined : await openQueuePlayer(values.queue, values['queue-prefix'], store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130); // a second Ctrl-C: everything finished is already stored
    abort.abort();
    process.stderr.write('\nstopping after the current wave (Ctrl-C again to quit now); finished matches are saved\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = createProgress({ total: target ?? 0, label: config.name, fields: ['leader'], quiet: values.json === true || target === undefined });
  try {
    const result = await runLeague({
      store,
      config,
      maxMatches,
      ...(player ? { player } : {}),
      signal: abort.signal,
      onProgress: (p) =>
        progress.update(p.done, {
          leader:
            p.leaderOrdinal !== undefined
              ? `${p.leader} (ordinal ${p.leaderOrdinal.toFixed(2)})`
              : p.leaderChipsPerGame === undefined
                ? `${p.leader} (${Math.round(p.leaderElo)})`
                : `${p.leader} (${p.leaderChipsPerGame >= 0 ? '+' : ''}${p.leaderChipsPerGame.toFixed(2)} chips/game)`,
        }),
    });
    progress.stop();
    const league = (await store.getLeague(config.name))!;
    const standings = await computeStandings(store, league);
    if (values.json) console.log(JSON.stringify({ ...runSummary(result), standings }));
    else console.log(`${runLine(result)}\n\n${standingsTable(standings)}`);
    return result.stoppedBy === 'interrupted' ? 130 : 0;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await player?.close();
    await store.close();
  }
}

/** The queue player is loaded only for --queue: a local run never loads BullMQ. */
async function openQueuePlayer(url: string, prefix: string | undefined, store: LeagueStore): Promise<MatchPlayer> {
  const [{ QueueMatchPlayer }, { parseQueueTarget }] = await Promise.all([
    import('../../league/queue/queue-match-player.ts'),
    import('../../league/queue/queue-target.ts'),
  ]);
  return QueueMatchPlayer.open({ target: parseQueueTarget(url, prefix), store });
}

function runSummary(r: RunLeagueResult) {
  return {
    league: r.league.name,
    env: r.league.env,
    resumedFrom: r.resumedFrom,
    played: r.played,
    total: r.total,
    stoppedBy: r.stoppedBy,
    seconds: r.seconds,
    matchesPerSec: r.played / Math.max(r.seconds, 1e-9),
  };
}

function runLine(r: RunLeagueResult): string {
  const resumed = r.resumedFrom > 0 ? `resumed at ${r.resumedFrom}, ` : '';
  return `league ${r.league.name} (${r.league.env}): ${resumed}played ${r.played} matches in ${fixed(r.seconds, 1)} s (${Math.round(r.played / Math.max(r.seconds, 1e-9))}/s); ${r.total} in total; stopped by ${r.stoppedBy}`;
}

type Flags = Record<string, string | boolean | undefined>;

async function withLeague(
  argv: string[],
  name: string,
  options: Parameters<typeof parseFlags>[1],
  body: (store: LeagueStore, league: LeagueRow, values: Flags) => number | Promise<number>,
): Promise<number> {
  const { values } = parseFlags(
    argv,
    { ...options, store: { type: 'string' }, database: { type: 'string' }, league: { type: 'string' }, help: { type: 'boolean' } },
    `league ${name}`,
  );
  if (values.help) {
    console.log(LEAGUE_HELP);
    return 0;
  }
  const location = storeLocation({ database: values.database as string | undefined, storeDir: (values.store as string | undefined) ?? './data' });
  const store = await openLeagueStore(location, { readonly: true });
  try {
    return await body(store, await pickLeague(store, values.league as string | undefined), values as Flags);
  } finally {
    await store.close();
  }
}

async function pickLeague(store: LeagueStore, name: string | undefined): Promise<LeagueRow> {
  const leagues = await store.listLeagues();
  const league = name === undefined ? leagues[leagues.length - 1] : await store.getLeague(name);
  if (!league) {
    throw new LeagueError(
      'unknown-league',
      name === undefined ? 'this store has no league yet' : `no league named "${name}" in this store`,
      leagues.length ? `leagues here: ${leagues.map((l) => l.name).join(', ')}` : 'run one with `ludus league run --config FILE` (or pass --store DIR)',
    );
  }
  return league;
}

async function printStandings(store: LeagueStore, league: LeagueRow, json: boolean): Promise<number> {
  const standings = await computeStandings(store, league);
  console.log(json ? JSON.stringify(standings) : `league ${league.name} (${league.env})\n${standingsTable(standings)}`);
  return 0;
}

function standingsTable(standings: readonly Standing[]): string {
  if (standings[0]?.rankedBy === 'openskill') {
    const table = formatTable(
      ['rank', 'agent', 'ordinal', 'mu', 'sigma', 'elo', 'bt rating', 'games'],
      standings.map((s, i) => [
        i + 1,
        s.agentId,
        s.openskill ? fixed(s.openskill.ordinal, 2) : '-',
        s.openskill ? fixed(s.openskill.mu, 2) : '-',
        s.openskill ? fixed(s.openskill.sigma, 2) : '-',
        Math.round(s.elo),
        Math.round(s.rating),
        s.games,
      ]),
    );
    return (
      `${table}\nranked by ordinal = mu - 3 sigma: the OpenSkill (Weng–Lin) rating of each member from its teams' results (read this one).\n` +
      "elo rates teams at their members' mean; bt rating counts each member against every opposing member."
    );
  }
  if (standings[0]?.rankedBy === 'margin') {
    const chips = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
    const table = formatTable(
      ['rank', 'agent', 'chips/game', '95% CI', 'rank UB', 'elo', 'bt rating', 'games'],
      standings.map((s, i) => [
        i + 1,
        s.agentId,
        s.margin ? chips(s.margin.perGame) : '-',
        s.margin ? `${chips(s.margin.ci[0])}..${chips(s.margin.ci[1])}` : '-',
        s.margin?.rankUpper ?? '-',
        Math.round(s.elo),
        Math.round(s.rating),
        s.games,
      ]),
    );
    return (
      `${table}\nranked by chips/game: expected chips won per game against an average member (margin rating, read this one).\n` +
      'elo and bt rating count wins and losses only; in a chip game they ignore how much is won and can rank a losing player first.'
    );
  }
  const table = formatTable(
    ['rank', 'agent', 'elo', 'rating', '95% CI', 'rank UB', 'games'],
    standings.map((s, i) => [
      i + 1,
      s.agentId,
      Math.round(s.elo),
      Math.round(s.rating),
      `${Math.round(s.ci[0])}..${Math.round(s.ci[1])}`,
      s.rankUpper,
      s.games,
    ]),
  );
  return standings.length === 0
    ? table
    : `${table}\nranked by rating: the Bradley–Terry fit over all results (order-free); elo is the online rating, which depends on match order.`;
}

async function printMatches(store: LeagueStore, league: LeagueRow, values: Flags): Promise<number> {
  const limit = intFlag(values.limit as string | undefined, 'limit', 1) ?? 20;
  const agent = values.agent as string | undefined;
  const all = await store.matchSummaries(league.id);
  const picked = all
    .filter((m) => agent === undefined || m.seats.includes(agent))
    .slice(-limit)
    .reverse();
  if (values.json) {
    console.log(JSON.stringify(picked));
    return 0;
  }
  console.log(
    formatTable(
      ['match', 'seats', 'returns', 'length', 'status'],
      picked.map((m) => [
        m.index,
        m.seats.join(' vs '),
        m.returns.map((r) => fixed(r, 2)).join(' / '),
        m.length,
        m.fault ? `${m.status}: ${m.fault.code} (seat ${m.fault.seat})` : m.status,
      ]),
    ),
  );
  return 0;
}

async function runExport(store: LeagueStore, league: LeagueRow, values: Flags): Promise<number> {
  const format = values.format;
  if (format === 'trajectories') return exportTrajectories(store, league, values);
  if (format !== 'csv' && format !== 'json') throw new UsageError('ludus league export needs --format csv, json or trajectories');
  const text = await exportMatches(store, league, format, values.replays === true);
  if (typeof values.out === 'string') writeFileSync(values.out, text);
  else process.stdout.write(text);
  return 0;
}

async function exportTrajectories(store: LeagueStore, league: LeagueRow, values: Flags): Promise<number> {
  if (values.baseline !== undefined && values.baseline !== 'rae')
    throw new UsageError(`unknown --baseline "${String(values.baseline)}"`, "the one baseline is rae (SPIRAL's role-conditioned EMA)");
  const decay = values['baseline-decay'] === undefined ? 0.95 : Number(values['baseline-decay']);
  if (!(decay >= 0 && decay < 1)) throw new UsageError('--baseline-decay must be a number in [0, 1)', 'SPIRAL uses 0.95');
  if (values['baseline-decay'] !== undefined && values.baseline === undefined) throw new UsageError('--baseline-decay needs --baseline rae');
  const out = typeof values.out === 'string' ? createWriteStream(values.out) : process.stdout;
  const lines = trajectoryLines(store, league, {
    ...(values.baseline === 'rae' ? { baselineDecay: decay } : {}),
    ...(typeof values.agent === 'string' ? { agent: values.agent } : {}),
  });
  for await (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain'); // stream a large league instead of buffering it
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  return 0;
}

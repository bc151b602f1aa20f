/**
 * `npm run bench:cluster [-- --json]`: Ludus on more than one process, with Redis and
 * PostgreSQL (see each part's file for what it measures and which services it needs):
 *  - arena: decisions/s of the arena load with 1 and 2 server processes
 *    (`{"arena":{"1":…,"2":…}}`);
 *  - league: matches/s of a headless league with 1 and 2 queue workers
 *    (`{"league":{"1":…,"2":…}}`, bench/cluster-league.ts).
 * Flags: --processes 1,2, --arena-matches 64, --arena-seconds 15 (bench/cluster-arena.ts);
 * --league-matches 128, --league-concurrency 64, --workers 1,2, --runs 1 (N: medians of N
 * interleaved runs); --league-only, --arena-only, --json (one line).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/cli-error.ts';
import { runClusterArenaBench } from './cluster-arena.ts';
import { benchLeagueCluster } from './cluster-league.ts';
import { flag } from './flags.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    'league-only': { type: 'boolean' },
    'arena-only': { type: 'boolean' },
    'league-matches': { type: 'string', default: '128' },
    'league-concurrency': { type: 'string', default: '64' },
    workers: { type: 'string', default: '1,2' },
    processes: { type: 'string', default: '1,2' },
    'arena-matches': { type: 'string', default: '64' },
    'arena-seconds': { type: 'string', default: '15' },
    runs: { type: 'string', default: '1' },
  },
});

const workers = values.workers.split(',').map((n) => flag('workers', n, true));
if (workers.length === 0 || workers.some((n) => n < 1)) throw new UsageError('--workers lists worker counts of 1 or more, e.g. 1,2');

const arenaProcesses = values.processes.split(',').map((n) => flag('processes', n, true));
if (arenaProcesses.length === 0 || arenaProcesses.some((n) => n < 1)) throw new UsageError('--processes lists process counts of 1 or more, e.g. 1,2');

const result: Record<string, unknown> = {};

if (!values['league-only']) {
  result['arena'] = await runClusterArenaBench({
    processes: arenaProcesses,
    matches: flag('arena-matches', values['arena-matches'], true),
    seconds: flag('arena-seconds', values['arena-seconds']),
  });
}

if (!values['arena-only']) {
  Object.assign(
    result,
    await benchLeagueCluster({
      workers,
      matches: flag('league-matches', values['league-matches'], true),
      concurrency: flag('league-concurrency', values['league-concurrency'], true),
      runs: Math.max(1, flag('runs', values.runs, true)),
    }),
  );
}

console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
process.exit(0);

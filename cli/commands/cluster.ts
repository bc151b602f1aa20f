/**
 * `ludus cluster`: N arena processes on this machine sharing one Redis and one PostgreSQL
 * store, each a `ludus serve` on its own port and public address. For trying a cluster and
 * for the tests; across machines, run `ludus serve --redis ... --database ... --public-address
 * ...` on each (README: Running on several machines).
 */
import { newSecret } from '../../arena/http/admin-auth.ts';
import { packagePath } from '../../arena/package-path.ts';
import { AgentSupervisor, type SupervisedProcess } from '../agent-supervisor.ts';
import { intFlag, parseFlags } from '../args.ts';
import { UsageError } from '../cli-error.ts';
import { buildViewerOrWarn } from '../viewer-build.ts';

const LUDUS_BIN = packagePath('bin', 'ludus.js');
const DEFAULT_BASE_PORT = 2567;
const MAX_PROCESSES = 64;

export const CLUSTER_HELP = `Usage: ludus cluster --redis URL --database URL [--processes N] [--port BASE] [--host ADDR]
                     [--public-host HOST] [--league FILE] [--redis-prefix P]

Runs N arena processes on this machine as one cluster: process i is \`ludus serve\` on port
BASE+i with the public address HOST:BASE+i, all on the same Redis (rooms, online agents, the
env queue) and the same PostgreSQL store (leagues, matches, ratings). Connect clients and
agents to any of them: a match runs on one process, and agents are told which. A process
that dies is started again (its interrupted matches are marked aborted, the others play on).
Stop with Ctrl-C or SIGTERM: each process is stopped in turn as \`ludus serve\` is.

Flags:
  --redis URL        Redis (default LUDUS_REDIS_URL), e.g. redis://127.0.0.1:6379
  --database URL     PostgreSQL store (default LUDUS_DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/ludus
  --processes N      how many processes (default 2)
  --port BASE        port of the first process (default ${DEFAULT_BASE_PORT}); the others follow
  --host ADDR        address each process binds (default 127.0.0.1)
  --public-host HOST host clients reach the processes at (default --host; 127.0.0.1 for 0.0.0.0)
  --league FILE      serve this league live (one scheduler for the whole cluster)
  --redis-prefix P   prefix of the cluster's Redis keys and channels (default ludus:)

The admin token is LUDUS_ADMIN_TOKEN (shared by every process); without it one is generated
and printed once.`;

export async function clusterCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      redis: { type: 'string' },
      database: { type: 'string' },
      processes: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'public-host': { type: 'string' },
      league: { type: 'string' },
      'redis-prefix': { type: 'string' },
      help: { type: 'boolean' },
    },
    'cluster',
  );
  if (values.help) {
    console.log(CLUSTER_HELP);
    return 0;
  }
  const redis = values.redis ?? process.env['LUDUS_REDIS_URL'];
  const database = values.database ?? process.env['LUDUS_DATABASE_URL'];
  if (redis === undefined || redis === '') throw new UsageError('ludus cluster needs --redis (or LUDUS_REDIS_URL)', 'e.g. --redis redis://127.0.0.1:6379');
  if (database === undefined || database === '') {
    throw new UsageError('ludus cluster needs --database (or LUDUS_DATABASE_URL)', 'e.g. --database postgres://postgres@127.0.0.1:5432/ludus');
  }
  const count = intFlag(values.processes, 'processes', 1, MAX_PROCESSES) ?? 2;
  const base = intFlag(values.port, 'port', 1, 65_535 - count + 1) ?? DEFAULT_BASE_PORT;
  const host = values.host ?? '127.0.0.1';
  const publicHost = values['public-host'] ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const given = process.env['LUDUS_ADMIN_TOKEN'];
  const adminToken = given !== undefined && given !== '' ? given : newSecret('ladm');

  const processes = Array.from({ length: count }, (_, i): SupervisedProcess => {
    const port = base + i;
    const args = [LUDUS_BIN, 'serve', '--port', String(port), '--host', host, '--redis', redis, '--database', database];
    args.push('--public-address', `${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`);
    if (values.league !== undefined) args.push('--league', values.league);
    if (values['redis-prefix'] !== undefined) args.push('--redis-prefix', values['redis-prefix']);
    return { name: `node ${i}`, command: process.execPath, args, env: { LUDUS_ADMIN_TOKEN: adminToken }, detached: true };
  });
  // Once here, before the processes start: each would otherwise build it at the same time.
  await buildViewerOrWarn((line) => console.log(line));
  const supervisor = new AgentSupervisor(processes, { stopGraceMs: 20_000 });
  supervisor.start();
  const urls = processes.map((_, i) => `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${base + i}`);
  console.log(`ludus cluster: ${count} arena process(es) on ${redis.replace(/\/\/([^@/]*)@/, '//***@')}`);
  for (const url of urls) console.log(`  ${url}   (web viewer: ${url}/, API: ${url}/api, agents: ludus agent --server ${url})`);
  if (adminToken !== given) console.log(`admin token (set LUDUS_ADMIN_TOKEN to choose your own): ${adminToken}`);
  const signal = await untilSignal();
  console.log(`${signal}: stopping the ${count} process(es) (their running matches are stored as aborted)...`);
  await supervisor.stop();
  return 0;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

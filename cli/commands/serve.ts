/** `ludus serve`: the arena (HTTP API, socket.io agents, Colyseus rooms) on one port. */
import { DEFAULT_PORT, DEFAULT_STORE_DIR, startArenaServer } from '../../arena/main.ts';
import { loadLeagueConfig } from '../../league/config/league-config.ts';
import type { ClusterOptions } from '../../arena/cluster/cluster-options.ts';
import { DATABASE_HELP, databaseOption } from '../../league/storage/open-league-store.ts';
import { intFlag, numberFlag, parseFlags } from '../args.ts';
import { UsageError } from '../cli-error.ts';
import { buildViewerOrWarn } from '../viewer-build.ts';
import { followLiveLeague } from './serve-league-log.ts';

export const SERVE_HELP = `Usage: ludus serve [--port N] [--host ADDR] [--store DIR] [--database URL] [--league FILE]
                   [--redis URL --public-address HOST:PORT]

Runs the arena on one port: the web viewer (/, built first when missing or stale), the
HTTP API (/api, OpenAPI at /docs/json, /healthz),
external agents over socket.io (/socket.io, namespace /agents) and Colyseus rooms
(/colyseus). Finished matches are stored in the league store; matches a crash
interrupted are marked aborted at the next start.

Flags:
  --port N      port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDR   address to bind (default 127.0.0.1; 0.0.0.0 for the network)
  --store DIR   league store directory (default ${DEFAULT_STORE_DIR})
${DATABASE_HELP}
  --league FILE serve a league live (YAML/JSON league config): keeps schedule.concurrency
                matches running; scripted members play in-process, external members are
                the registered agents of that agentId (\`ludus agent\`), scheduled while
                connected. Results and Elo are stored as matches finish; a restart carries on.
  --progress-every SECONDS
                league progress line interval (default 10)
  --move-delay-ms N
                the server's own agents move no sooner than this (default 0)

One process of a cluster (README: Running on several machines; \`ludus cluster\` runs one on
this machine):
  --redis URL   Redis shared by the processes (rooms, online agents, the env queue)
  --public-address HOST:PORT
                where clients and the other processes reach this one (https://HOST:PORT
                behind TLS); required with --redis
  (and --database URL: the processes share one PostgreSQL store)
  --node-id ID  this process's owner id in the store (default the public address)
  --redis-prefix P
                prefix of the cluster's Redis keys and channels (default ludus:)
  --heartbeat-ms N, --node-timeout-ms N
                heartbeat period (default 1000) and the silence after which a process is
                dead: its live matches aborted, its agents offline (default 10000)

The admin token (creating matches, registering agents, full replays) is LUDUS_ADMIN_TOKEN
(at least 16 characters); without it a token is generated and printed once. One server per
SQLite store: a second one on the same --store exits 3. Stop with Ctrl-C (SIGINT) or SIGTERM:
running matches are stored as aborted before the process exits.`;

/** The cluster flags as ClusterOptions; undefined without --redis (a single process). */
function clusterFlags(values: Record<string, string | boolean | undefined>): ClusterOptions | undefined {
  const redis = values['redis'];
  const clusterOnly = ['public-address', 'node-id', 'redis-prefix', 'heartbeat-ms', 'node-timeout-ms'].filter((name) => values[name] !== undefined);
  if (typeof redis !== 'string') {
    if (clusterOnly.length > 0)
      throw new UsageError(`--${clusterOnly[0]} is a cluster flag`, 'add --redis URL (and --database URL) to run a process of a cluster');
    return undefined;
  }
  const publicAddress = values['public-address'];
  if (typeof publicAddress !== 'string') {
    throw new UsageError(
      '--redis needs --public-address HOST:PORT',
      'the address clients and the other processes reach this process at (without it, cross-process joins fail with "seat reservation expired")',
    );
  }
  const heartbeatMs = intFlag(values['heartbeat-ms'], 'heartbeat-ms', 50, 60_000);
  const nodeTimeoutMs = intFlag(values['node-timeout-ms'], 'node-timeout-ms', 150, 3_600_000);
  return {
    redisUrl: redis,
    publicAddress,
    ...(typeof values['node-id'] === 'string' ? { nodeId: values['node-id'] } : {}),
    ...(typeof values['redis-prefix'] === 'string' ? { keyPrefix: values['redis-prefix'] } : {}),
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    ...(nodeTimeoutMs === undefined ? {} : { nodeTimeoutMs }),
  };
}

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      store: { type: 'string' },
      database: { type: 'string' },
      help: { type: 'boolean' },
      league: { type: 'string' },
      'progress-every': { type: 'string' },
      'move-delay-ms': { type: 'string' },
      redis: { type: 'string' },
      'public-address': { type: 'string' },
      'node-id': { type: 'string' },
      'redis-prefix': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'node-timeout-ms': { type: 'string' },
    },
    'serve',
  );
  if (values.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const league = values.league === undefined ? undefined : loadLeagueConfig(values.league);
  const progressEvery = numberFlag(values['progress-every'], 'progress-every') ?? 10;
  const port = intFlag(values.port, 'port', 0, 65_535) ?? DEFAULT_PORT;
  const moveDelayMs = intFlag(values['move-delay-ms'], 'move-delay-ms', 0, 60_000);
  const cluster = clusterFlags(values);
  await buildViewerOrWarn((line) => console.log(line)); // after the flags: a bad flag fails at once
  const server = await startArenaServer({
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    storeDir: values.store ?? DEFAULT_STORE_DIR,
    ...databaseOption(values.database),
    ...(league === undefined ? {} : { league }),
    ...(moveDelayMs === undefined ? {} : { defaultSettings: { agentMoveDelayMs: moveDelayMs } }),
    ...(cluster === undefined ? {} : { cluster }),
  });
  console.log(`ludus arena listening on ${server.url} (web viewer: ${server.url}/, API docs: ${server.url}/docs)`);
  if (server.arena.cluster !== undefined) {
    const { config } = server.arena.cluster.node;
    console.log(`cluster node ${config.nodeId}: public address ${config.publicUrl}, ${server.arena.cluster.node.nodes().length} process(es) live`);
  }
  if (server.generatedToken) console.log(`admin token (set LUDUS_ADMIN_TOKEN to choose your own): ${server.adminToken}`);
  if (server.recoveredAborted.length > 0) console.log(`marked ${server.recoveredAborted.length} match(es) interrupted by the last shutdown as aborted`);
  const live = server.arena.league;
  if (live !== undefined) {
    console.log(`serving league ${live.config.name} (${live.config.env}): ${live.progress().done} matches stored`);
    followLiveLeague(live, (line) => console.log(line), Math.max(progressEvery, 0.1) * 1000);
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      console.log(`${signal}: closing (running matches are stored as aborted)...`);
      server.close().then(resolve, (error: unknown) => {
        console.error(`ludus serve: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

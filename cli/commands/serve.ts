/** `ludus serve`: the arena (HTTP API, socket.io agents, Colyseus rooms) on one port. */
import { DEFAULT_PORT, DEFAULT_STORE_DIR, startArenaServer } from '../../arena/main.ts';
import { loadLeagueConfig } from '../../league/config/league-config.ts';
import { DATABASE_HELP, databaseOption } from '../../league/storage/open-league-store.ts';
import { intFlag, numberFlag, parseFlags } from '../args.ts';
import { buildViewerOrWarn } from '../viewer-build.ts';
import { followLiveLeague } from './serve-league-log.ts';

export const SERVE_HELP = `Usage: ludus serve [--port N] [--host ADDR] [--store DIR] [--database URL] [--league FILE]

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

The admin token (creating matches, registering agents, full replays) is LUDUS_ADMIN_TOKEN
(at least 16 characters); without it a token is generated and printed once. One server per
SQLite store: a second one on the same --store exits 3. Stop with Ctrl-C (SIGINT) or SIGTERM:
running matches are stored as aborted before the process exits.`;

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
  await buildViewerOrWarn((line) => console.log(line)); // after the flags: a bad flag fails at once
  const server = await startArenaServer({
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    storeDir: values.store ?? DEFAULT_STORE_DIR,
    ...databaseOption(values.database),
    ...(league === undefined ? {} : { league }),
  });
  console.log(`ludus arena listening on ${server.url} (web viewer: ${server.url}/, API docs: ${server.url}/docs)`);
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

/**
 * `ludus start` (`npm start`): the main job on the embedded defaults. One command runs the
 * arena server with a live league (SQLite store in ./data) and starts one `ludus agent`
 * process per external member of that league, each with a fresh agent token, so the league's
 * neural members play their matches as real remote players over Colyseus. Ctrl-C stops the
 * agents, then the server; running it again resumes the league.
 */
import { DEFAULT_PORT, DEFAULT_STORE_DIR, startArenaServer, type ArenaServer } from '../../arena/main.ts';
import { newSecret } from '../../arena/http/admin-auth.ts';
import { loadLeagueConfig, type LeagueConfig } from '../../league/config/league-config.ts';
import { DATABASE_HELP, databaseOption } from '../../league/storage/open-league-store.ts';
import { AgentSupervisor, type SupervisedProcess } from '../agent-supervisor.ts';
import { intFlag, parseFlags } from '../args.ts';
import { buildViewerOrWarn } from '../viewer-build.ts';
import { packagePath } from '../../arena/package-path.ts';
import { followLiveLeague } from './serve-league-log.ts';

export const DEFAULT_START_CONFIG = packagePath('examples', 'leagues', 'connect-four-arena.yaml');
const LUDUS_BIN = packagePath('bin', 'ludus.js');

const DEFAULT_MOVE_DELAY_MS = 250;

export const START_HELP = `Usage: ludus start [--config FILE] [--port N] [--host ADDR] [--store DIR] [--database URL] [--move-delay-ms N] [--no-agents]

The main job: the arena server (HTTP API, socket.io, Colyseus on one port) serving a live
league, plus one agent process (\`ludus agent\`) per external member of the league. The
default league is examples/leagues/connect-four-arena.yaml: scripted members (random, UCT
search) played by the server, and a PPO-trained neural member played by an agent process.
Results, Elo and replays go to the league store (SQLite in --store, or --database); Ctrl-C stops everything, and running the
command again resumes the league where it stopped.

Flags:
  --config FILE   league config (default: the connect-four arena league)
  --port N        port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDR     address to bind (default 127.0.0.1)
  --store DIR     league store directory (default ${DEFAULT_STORE_DIR})
${DATABASE_HELP}
  --move-delay-ms N  the server's own agents move no sooner than this, so matches can be
                  watched (default ${DEFAULT_MOVE_DELAY_MS}; 0 plays at full speed)
  --no-agents     start no agent processes (connect your own: ludus agent --help)`;

export async function startCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      store: { type: 'string' },
      database: { type: 'string' },
      'move-delay-ms': { type: 'string' },
      'no-agents': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    'start',
  );
  if (values.help) {
    console.log(START_HELP);
    return 0;
  }
  const config = loadLeagueConfig(values.config ?? DEFAULT_START_CONFIG);
  const port = intFlag(values.port, 'port', 0, 65_535) ?? DEFAULT_PORT;
  const moveDelayMs = intFlag(values['move-delay-ms'], 'move-delay-ms', 0, 60_000) ?? DEFAULT_MOVE_DELAY_MS;
  await buildViewerOrWarn((line) => console.log(line)); // after the flags: a bad flag fails at once
  const server = await startArenaServer({
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    storeDir: values.store ?? DEFAULT_STORE_DIR,
    ...databaseOption(values.database),
    league: config,
    defaultSettings: { agentMoveDelayMs: moveDelayMs },
  });
  printBanner(server, config);
  const stopLog = followLiveLeague(server.arena.league!, (line) => console.log(line));
  const supervisor = new AgentSupervisor(values['no-agents'] ? [] : await agentProcesses(server, config));
  supervisor.start();
  await untilSignal();
  console.log('stopping: agent processes first, then the server (running matches are stored as aborted)...');
  await supervisor.stop();
  stopLog();
  await server.close();
  return 0;
}

/** One `ludus agent` per external member; each gets a fresh token (the previous run's stops working). */
async function agentProcesses(server: ArenaServer, config: LeagueConfig): Promise<SupervisedProcess[]> {
  const processes: SupervisedProcess[] = [];
  for (const member of config.members.filter((m) => m.kind === 'external')) {
    const token = newSecret('lagt');
    await server.store.issueAgentToken(member.agentId, token);
    processes.push({
      name: member.agentId,
      command: process.execPath,
      args: [LUDUS_BIN, 'agent', '--policy', member.agentId, '--league', config.name, '--server', server.url],
      env: { LUDUS_AGENT_TOKEN: token },
    });
  }
  return processes;
}

function printBanner(server: ArenaServer, config: LeagueConfig): void {
  const external = config.members.filter((m) => m.kind === 'external').map((m) => m.agentId);
  console.log(`ludus arena listening on ${server.url} (API docs: ${server.url}/docs)`);
  console.log(`  watch, replay and play in the browser: ${server.url}/`);
  if (server.generatedToken) console.log(`admin token (set LUDUS_ADMIN_TOKEN to choose your own): ${server.adminToken}`);
  console.log(
    `live league "${config.name}" (${config.env}): ${config.members.length} members, ${config.schedule.concurrency} matches at a time` +
      (external.length > 0 ? `; agent processes for ${external.join(', ')}` : ''),
  );
  console.log(`  live matches:  curl '${server.url}/api/matches?status=live'`);
  console.log(`  standings:     curl '${server.url}/api/league/standings?league=${config.name}'`);
  console.log(`  the league:    ${server.url}/league/${config.name}`);
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

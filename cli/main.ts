/**
 * The `ludus` command: dispatches to one module per subcommand and turns typed errors into
 * a one-line message and an exit code (2 for bad input), never a stack trace.
 */
import { LudusError } from '../envs/core/errors.ts'; // not envs/index.ts: `--help` loads no env and no zod
import { exitCodeFor, UsageError } from './cli-error.ts';

const HELP = `Usage: ludus <command> [flags]

Commands:
  start     the main job: arena server + live league + agent processes  (ludus start --help)
  play      play matches between agents and print the results       (ludus play --help)
  league    run a league; show standings, matches; export results   (ludus league --help)
  serve     the arena server: HTTP API, socket.io agents, Colyseus rooms on one port (ludus serve --help)
  cluster   several arena processes on this machine sharing Redis and PostgreSQL (ludus cluster --help)
  agent     an agent process: plays the matches an arena assigns it         (ludus agent --help)
  worker    plays the matches of leagues run on a queue (league run --queue)  (ludus worker --help)
  agents    agent accounts of an arena: register, rotate or revoke tokens, list (ludus agents --help)
  train     train a neural policy by PPO self-play against the league (ludus train --help)
  policy    print a policy's action probabilities at every decision point (ludus policy --help)
  envs      list the registered environments
  doctor    which tfjs backends can load here, and which one Ludus picks  (ludus doctor --json)
  help      this text`;

type Command = (argv: string[]) => number | Promise<number>;

/**
 * Each command's module is loaded when it runs: `ludus envs` or `--help` never load the
 * arena, tfjs or SQLite (start-up time, issue #17).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  play: async () => (await import('./commands/play.ts')).playCommand,
  league: async () => (await import('./commands/league.ts')).leagueCommand,
  start: async () => (await import('./commands/start.ts')).startCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  cluster: async () => (await import('./commands/cluster.ts')).clusterCommand,
  agent: async () => (await import('./commands/agent.ts')).agentCommand,
  agents: async () => (await import('./commands/agents.ts')).agentsCommand,
  worker: async () => (await import('./commands/worker.ts')).workerCommand,
  train: async () => (await import('./commands/train.ts')).trainCommand,
  policy: async () => (await import('./commands/policy.ts')).policyCommand,
  envs: async () => (await import('./commands/envs.ts')).envsCommand,
  doctor: async () => (await import('./commands/doctor.ts')).doctorCommand,
  help: async () => () => {
    console.log(HELP);
    return 0;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      console.log(HELP);
      return name ? 0 : 2;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) throw new UsageError(`unknown command "${name}"`, `commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await (await load())(rest);
  } catch (error) {
    if (error instanceof LudusError) {
      console.error(`ludus: ${error.message}`);
      return exitCodeFor(error);
    }
    throw error;
  }
}

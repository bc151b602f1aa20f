/**
 * The `ludus` command: dispatches to one module per subcommand and turns typed errors into
 * a one-line message and an exit code (2 for bad input), never a stack trace.
 */
import { LudusError } from '../envs/index.ts';
import { exitCodeFor, UsageError } from './cli-error.ts';
import { agentCommand } from './commands/agent.ts';
import { agentsCommand } from './commands/agents.ts';
import { doctorCommand } from './commands/doctor.ts';
import { envsCommand } from './commands/envs.ts';
import { leagueCommand } from './commands/league.ts';
import { playCommand } from './commands/play.ts';
import { policyCommand } from './commands/policy.ts';
import { serveCommand } from './commands/serve.ts';
import { startCommand } from './commands/start.ts';
import { trainCommand } from './commands/train.ts';

const HELP = `Usage: ludus <command> [flags]

Commands:
  start     the main job: arena server + live league + agent processes  (ludus start --help)
  play      play matches between agents and print the results       (ludus play --help)
  league    run a league; show standings, matches; export results   (ludus league --help)
  serve     the arena server: HTTP API, socket.io agents, Colyseus rooms on one port (ludus serve --help)
  agent     an agent process: plays the matches an arena assigns it         (ludus agent --help)
  agents    agent accounts of an arena: register, rotate or revoke tokens, list (ludus agents --help)
  train     train a neural policy by PPO self-play against the league (ludus train --help)
  policy    print a policy's action probabilities at every decision point (ludus policy --help)
  envs      list the registered environments
  doctor    which tfjs backends can load here, and which one Ludus picks  (ludus doctor --json)
  help      this text`;

type Command = (argv: string[]) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  play: playCommand,
  league: leagueCommand,
  start: startCommand,
  serve: serveCommand,
  agent: agentCommand,
  agents: agentsCommand,
  train: trainCommand,
  policy: policyCommand,
  envs: envsCommand,
  doctor: doctorCommand,
  help: () => { console.log(HELP); return 0; },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') { console.log(HELP); return name ? 0 : 2; }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}"`, `commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await command(rest);
  } catch (error) {
    if (error instanceof LudusError) {
      console.error(`ludus: ${error.message}`);
      return exitCodeFor(error);
    }
    throw error;
  }
}

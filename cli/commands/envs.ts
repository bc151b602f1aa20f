/** `ludus envs`: the registered environments, their kinds and sizes. */
import { listEnvs } from '../../envs/index.ts';
import { parseFlags } from '../args.ts';
import { formatTable } from '../table.ts';

export const ENVS_HELP = `Usage: ludus envs [--json]

Lists the registered environments with their default sizes.`;

export function envsCommand(argv: string[]): number {
  const { values } = parseFlags(argv, { json: { type: 'boolean' }, help: { type: 'boolean' } }, 'envs');
  if (values.help) {
    console.log(ENVS_HELP);
    return 0;
  }
  const rows = listEnvs().map((env) => {
    const dims = env.dims(env.parseParams({}));
    const { spec } = env;
    return {
      key: env.key,
      title: spec.title,
      players: dims.numPlayers,
      actions: dims.numDistinctActions,
      observationShape: dims.observationShape,
      dynamics: spec.dynamics,
      chance: spec.chance,
      information: spec.information,
      utility: spec.utility,
    };
  });
  if (values.json) {
    console.log(JSON.stringify(rows));
    return 0;
  }
  console.log(
    formatTable(
      ['key', 'title', 'players', 'actions', 'observation', 'dynamics', 'chance', 'information', 'utility'],
      rows.map((r) => [r.key, r.title, r.players, r.actions, `[${r.observationShape.join(',')}]`, r.dynamics, r.chance, r.information, r.utility]),
    ),
  );
  return 0;
}

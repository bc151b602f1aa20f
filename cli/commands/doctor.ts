/** `ludus doctor`: which tfjs backends load on this host, and which one the runtime picks. */
import { cpus } from 'node:os';
import { BACKEND_NAMES, isBackendName, resetBackendSelection, selectBackend, type BackendName } from '../../agents/runtime/backend.ts';
import { parseFlags } from '../args.ts';
import { UsageError } from '../cli-error.ts';
import { formatTable } from '../table.ts';

export const DOCTOR_HELP = `Usage: ludus doctor [--backend NAME] [--json]

Probes the tfjs backends of the policy runtime in preference order (tfjs-node-gpu, tfjs-node,
wasm, cpu), says why each one is or is not available, and which one is chosen.

  --backend NAME   require this backend (${BACKEND_NAMES.join(', ')}); fails if it cannot load
  --json           print {"backends": {name: {available, reason}}, "chosen": name}`;

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      backend: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    'doctor',
  );
  if (values.help) {
    console.log(DOCTOR_HELP);
    return 0;
  }
  let force: BackendName | undefined;
  if (values.backend !== undefined) {
    if (!isBackendName(values.backend)) {
      throw new UsageError(`unknown backend "${values.backend}"`, `backends: ${BACKEND_NAMES.join(', ')}`);
    }
    force = values.backend;
  }
  resetBackendSelection(); // probe afresh, even in a process that selected before
  const { backends, chosen } = await selectBackend({ force, log: () => {} });
  if (values.json) {
    console.log(JSON.stringify({ backends, chosen }));
    return 0;
  }
  console.log(
    formatTable(
      ['backend', 'available', 'reason'],
      BACKEND_NAMES.map((name) => [name === chosen ? `${name} *` : name, backends[name].available ? 'yes' : 'no', backends[name].reason]),
    ),
  );
  const cores = cpus();
  console.log(
    `\nchosen: ${chosen}   node ${process.version}   ${cores.length} CPU${cores.length === 1 ? '' : 's'}${cores[0] ? ` (${cores[0].model.trim()})` : ''}`,
  );
  return 0;
}

/** `ludus worker`: plays the match jobs of headless leagues and evaluations run with `--queue`. */
import { DEFAULT_LOCK_MS, MatchWorker, type WorkerJobEvent } from '../../league/queue/match-worker.ts';
import { checkQueueReachable, DEFAULT_QUEUE_PREFIX, describeQueue, parseQueueTarget } from '../../league/queue/queue-target.ts';
import { intFlag, parseFlags } from '../args.ts';
import { UsageError } from '../cli-error.ts';
import { openSharedStore } from '../shared-store.ts';

export const WORKER_HELP = `Usage: ludus worker --queue redis://HOST:PORT --database postgres://… [flags]

Plays the matches of leagues and evaluations run with --queue (\`ludus league run|payoff|crossplay
--queue …\`), any number of workers on any machines: each takes one match job at a time from
the queue, plays it exactly as \`ludus league run\` would in one process (the members' agents,
the match's seed), and stores a league match in the league's store. A worker that dies
mid-match loses nothing: its job goes back to the queue when its lock expires and another
worker plays it; a match is stored once, whoever played it.

Flags:
  --queue URL          the queue's Redis server (redis:// or rediss://)
  --queue-prefix P     key prefix of the queue (default ${DEFAULT_QUEUE_PREFIX}); the coordinator's
  --database URL       the league store, as the coordinator's --database (default LUDUS_DATABASE_URL)
  --concurrency N      jobs played at once (default 1: a match of search agents uses a whole core;
                       raise it for agents that wait, such as language models)
  --lock-ms N          a job's lock without renewal, in ms (default ${DEFAULT_LOCK_MS}): a dead worker's job
                       is played again one to two of these later
  --quiet              print only errors, not a line per match

Agents load their files (neural models) from paths relative to the working directory, as in
\`ludus league run\`: run workers from a checkout with the same files. Stop with Ctrl-C or SIGTERM:
the running match is finished and stored first; a second Ctrl-C quits at once (the match is
then played again by another worker).`;

export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      queue: { type: 'string' },
      'queue-prefix': { type: 'string' },
      database: { type: 'string' },
      concurrency: { type: 'string' },
      'lock-ms': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    'worker',
  );
  if (values.help) {
    console.log(WORKER_HELP);
    return 0;
  }
  if (!values.queue) throw new UsageError('ludus worker needs --queue redis://HOST:PORT', 'the Redis server of the coordinator (ludus league run --queue)');
  const target = parseQueueTarget(values.queue, values['queue-prefix']);
  const concurrency = intFlag(values.concurrency, 'concurrency', 1, 256) ?? 1;
  const lockMs = intFlag(values['lock-ms'], 'lock-ms', 1000, 3_600_000);
  await checkQueueReachable(target);
  const store = await openSharedStore(values.database, 'ludus worker');
  const log = values.quiet ? undefined : (event: WorkerJobEvent) => console.log(jobLine(event));
  let worker: MatchWorker;
  try {
    worker = await MatchWorker.start({ target, store, concurrency, ...(lockMs === undefined ? {} : { lockMs }), ...(log ? { onJob: log } : {}) });
  } catch (error) {
    await store.close();
    throw error;
  }
  console.log(`ludus worker ${worker.name} ready: queue ${describeQueue(target)}, ${concurrency} job(s) at a time`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.once('SIGINT', () => process.exit(130)); // a second Ctrl-C: the running job goes back to the queue
      console.log(`${signal}: finishing the running match, then stopping (Ctrl-C again to quit now)`);
      worker
        .close()
        .catch((error: unknown) => console.error(`ludus worker: ${error instanceof Error ? error.message : String(error)}`))
        .finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await store.close();
  return 0;
}

function jobLine(e: WorkerJobEvent): string {
  const what = `league ${e.league} ${e.index === undefined ? 'evaluation match' : `match ${e.index}`} (${e.seats.join(' vs ')})`;
  if (e.phase === 'start') return `${what}: started`;
  if (e.phase === 'failed') return `${what}: failed: ${e.error}`;
  return `${what}: ${e.played === false ? 'stored already' : 'played'} in ${e.seconds!.toFixed(2)} s`;
}

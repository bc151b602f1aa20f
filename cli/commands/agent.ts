/**
 * `ludus agent`: an agent process for an arena. It connects with its agent token, plays every
 * match the server assigns it (many at once, neural decisions batched through one inference
 * server) and prints a line per finished match; Ctrl-C drains and prints a summary.
 */
import { runAgentProcess, type AgentProcessEvent, type AgentProcessSummary, type InferenceView } from '../../agents/remote/agent-process.ts';
import type { QueueRequest } from '../../agents/remote/colyseus-agent-client.ts';
import { RemoteAgentError } from '../../agents/remote/ludus-agent-client.ts';
import { closeSharedRuntime } from '../../agents/runtime/shared-runtime.ts';
import type { TallySnapshot } from '../../agents/remote/match-tally.ts';
import { formatNoteTotals } from '../../agents/move-note.ts';
import { DEFAULT_PORT } from '../../arena/main.ts';
import { LudusError } from '../../envs/index.ts';
import { intFlag, numberFlag, parseFlags } from '../args.ts';
import { exitCodeFor, UsageError } from '../cli-error.ts';
import { fixed } from '../table.ts';

const DEFAULT_SERVER = `http://127.0.0.1:${DEFAULT_PORT}`;

export const AGENT_HELP = `Usage: ludus agent --policy P [--server URL] [--token T] [--queue ENV] [--max-matches N] [--json]

Connects to an arena as a registered agent and plays every match the server assigns it,
many at once, until stopped. With --queue it also waits in the server's queue for ENV,
plays each pairing and queues again when it ends. Neural policies share one batching inference server, so the
decisions of concurrent matches are answered together.

  --policy P          a model folder (neural), an agent spec (random, cfr:iterations=500),
                      or a league member's agentId (its spec is read from the server)
  --server URL        the arena (default ${DEFAULT_SERVER})
  --token T           the agent token from POST /api/agents (default: LUDUS_AGENT_TOKEN)
  --league NAME       where to look up a member agentId (default: every league)
  --queue ENV         queue for matches of ENV (e.g. kuhn-poker-v1) against other queued agents
  --queue-params JSON the env params to queue with (default the env's defaults)
  --move-time-ms N    the time per move to ask the queue for (the server's bounds: 1000 to
                      600000; default the server's, 30000); language models need more
  --max-matches N     stop taking assignments after N, exit once they are played
  --backend NAME      tfjs backend for neural policies: tfjs-node-gpu, tfjs-node, wasm, cpu
  --seed N            seed of the agents' own randomness (default 1)
  --batch-wait-ms N   how long the inference server waits to fill a batch (default 2)
  --drain-seconds N   on stop, how long running matches may take to finish (default 30)
  --status-seconds N  print a status line this often (default 30; 0: never)
  --json              one JSON line per finished match, and the summary as JSON

Ctrl-C or SIGTERM stops taking matches and lets running ones finish (a second Ctrl-C leaves
them), then prints a summary and exits 0. A refused token exits 2; an unreachable server is
retried with backoff, then exits 1.`;

/** SDK chatter (reconnection progress, closed sockets) that would break the one-line-per-event output. */
const SDK_NOISE = /^(\[Colyseus reconnection\]|Room connection was closed unexpectedly|@colyseus\/sdk)/;

export async function agentCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      policy: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      league: { type: 'string' },
      'max-matches': { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      'batch-wait-ms': { type: 'string' },
      'drain-seconds': { type: 'string' },
      'status-seconds': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
      queue: { type: 'string' },
      'queue-params': { type: 'string' },
      'move-time-ms': { type: 'string' },
    },
    'agent',
  );
  if (values.help) {
    console.log(AGENT_HELP);
    return 0;
  }
  if (!values.policy) throw new UsageError('ludus agent needs --policy P', 'a model folder, an agent spec or a league member agentId');
  const token = values.token ?? process.env['LUDUS_AGENT_TOKEN'];
  if (!token) throw new UsageError('ludus agent needs an agent token', 'pass --token or set LUDUS_AGENT_TOKEN (register the agent with POST /api/agents)');
  const maxMatches = intFlag(values['max-matches'], 'max-matches', 1);
  const queue = queueRequest(values.queue, values['queue-params'], values['move-time-ms']);
  const statusSeconds = values['status-seconds'] === '0' ? 0 : (numberFlag(values['status-seconds'], 'status-seconds') ?? 30);
  if (values.backend !== undefined) await forceBackend(values.backend);
  const json = values.json === true;
  const stop = new AbortController();
  const leave = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) leave.abort();
    else stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  quietSdk();
  try {
    const summary = await runAgentProcess({
      serverUrl: values.server ?? DEFAULT_SERVER,
      token,
      policy: values.policy,
      ...(values.league === undefined ? {} : { league: values.league }),
      ...(maxMatches === undefined ? {} : { maxMatches }),
      ...(queue === undefined ? {} : { queue }),
      seed: intFlag(values.seed, 'seed', 0, 2 ** 32 - 1) ?? 1,
      batchWaitMs: intFlag(values['batch-wait-ms'], 'batch-wait-ms', 0, 1000) ?? 2,
      drainMs: (numberFlag(values['drain-seconds'], 'drain-seconds') ?? 30) * 1000,
      ...(statusSeconds > 0 ? { statusEveryMs: statusSeconds * 1000 } : {}),
      signal: stop.signal,
      leaveSignal: leave.signal,
      onEvent: (event) => printEvent(event, json),
    });
    printSummary(summary, json);
    return summary.stopReason === 'server-lost' ? 1 : 0;
  } catch (error) {
    return failure(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await closeSharedRuntime(); // models and the inference server: nothing may keep the process alive
  }
}

/** --queue, --queue-params and --move-time-ms as one queue request; the latter two need the first. */
function queueRequest(env: string | undefined, paramsJson: string | undefined, moveTime: string | undefined): QueueRequest | undefined {
  if (env === undefined) {
    if (paramsJson !== undefined || moveTime !== undefined)
      throw new UsageError('--queue-params and --move-time-ms need --queue ENV', 'e.g. --queue kuhn-poker-v1 --move-time-ms 120000');
    return undefined;
  }
  let params: unknown;
  try {
    params = paramsJson === undefined ? undefined : JSON.parse(paramsJson);
  } catch {
    throw new UsageError(`--queue-params is not JSON: ${paramsJson}`, 'e.g. --queue-params \'{"rows": 6}\'');
  }
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    throw new UsageError('--queue-params must be a JSON object', 'e.g. --queue-params \'{"rows": 6}\'');
  }
  const moveTimeMs = intFlag(moveTime, 'move-time-ms', 1);
  return { env, ...(params === undefined ? {} : { params: params as Record<string, unknown> }), ...(moveTimeMs === undefined ? {} : { moveTimeMs }) };
}

async function forceBackend(name: string): Promise<void> {
  const { BACKEND_NAMES, isBackendName, selectBackend } = await import('../../agents/runtime/backend.ts');
  if (!isBackendName(name)) throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, got "${name}"`);
  await selectBackend({ force: name });
}

/** Exit codes from the error catalogs: a refused token, a bad policy or queue request are bad input (2); the rest exits 1. */
function failure(error: unknown): number {
  if (!(error instanceof LudusError)) throw error;
  if (error instanceof RemoteAgentError && error.code === 'unauthorized') {
    console.error(`ludus agent: the server refused the agent token (${error.message})`);
    return 2;
  }
  console.error(`ludus agent: ${error.message}`);
  return exitCodeFor(error);
}

let quieted = false;

/** Drops the SDK's lines from console.warn/info for the rest of the process (some come after a join already failed). */
function quietSdk(): void {
  if (quieted) return;
  quieted = true;
  const filter =
    (original: (...args: unknown[]) => void) =>
    (...args: unknown[]): void => {
      if (typeof args[0] === 'string' && SDK_NOISE.test(args[0])) return;
      original.apply(console, args);
    };
  console.warn = filter(console.warn);
  console.info = filter(console.info);
}

const record = (t: TallySnapshot): string => `${t.wins}W ${t.draws}D ${t.losses}L`;
const batch = (inference: InferenceView | null): string => (inference ? `, mean batch ${fixed(inference.meanBatch, 2)}` : '');

/** The seat's rating change, when the server sends one. */
function elo(event: { readonly seat: number; readonly ratingChange?: readonly unknown[] }): string {
  const mine = (event.ratingChange as { seat: number; before: number; after: number }[] | undefined)?.find((r) => r.seat === event.seat);
  if (!mine) return '';
  const delta = mine.after - mine.before;
  return ` elo ${Math.round(mine.after)} (${delta >= 0 ? '+' : ''}${fixed(delta, 1)})`;
}

function printEvent(event: AgentProcessEvent, json: boolean): void {
  switch (event.kind) {
    case 'connected':
      if (!json) console.log(`ludus agent: connected to ${event.endpoint}, playing ${event.spec} (${event.source}); waiting for assignments`);
      break;
    case 'retrying':
      console.error(`ludus agent: ${event.message}; retrying in ${fixed(event.delayMs / 1000, 1)} s (attempt ${event.attempt} of ${event.attempts})`);
      break;
    case 'match':
      if (json) console.log(JSON.stringify({ event: 'match', ...event, kind: undefined }));
      else
        console.log(
          `${event.matchId.slice(0, 8)} ${event.env} seat ${event.seat}: ${event.outcome} ${JSON.stringify(event.returns)} (${event.reason})${elo(event)} | ${event.tally.matches} played: ${record(event.tally)}, ${fixed(event.tally.decisionsPerSec, 1)} decisions/s${batch(event.inference)}${event.usage ? ` | ${formatNoteTotals(event.usage)}` : ''}`,
        );
      break;
    case 'status':
      if (!json)
        console.log(
          `status: ${event.tally.playing} playing, ${event.tally.matches} played: ${record(event.tally)}, ${fixed(event.tally.decisionsPerSec, 1)} decisions/s${batch(event.inference)}`,
        );
      break;
    case 'error':
      console.error(`ludus agent: ${event.matchId === undefined ? '' : `match ${event.matchId.slice(0, 8)}: `}${event.code}: ${event.message}`);
      break;
    case 'stopping':
      if (!json) console.log(`ludus agent: stopping (${event.reason}); ${event.playing} match(es) still running`);
      break;
    case 'assigned':
      break;
  }
}

function printSummary(summary: AgentProcessSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ event: 'summary', ...summary }));
    return;
  }
  console.log(
    `summary: ${summary.matches} matches (${record(summary)}, ${summary.aborted} aborted, ${summary.failed} failed), ${summary.decisions} decisions, ${fixed(summary.decisionsPerSec, 1)} decisions/s${batch(summary.inference)}, stopped: ${summary.stopReason}`,
  );
}

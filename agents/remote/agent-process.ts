/**
 * The core of `ludus agent`: one process playing one policy in every match the arena assigns
 * it. It joins the Colyseus `agents` lobby with its agent token, plays each `match:assigned`
 * in its own match room (many at once), and builds a fresh agent per match from one spec.
 * Neural agents of the process share one InferenceServer (shared-runtime.ts) that waits
 * `batchWaitMs` for more requests, so decisions arriving from concurrent matches within that
 * window share a forward pass. Stopping (signal, --max-matches, lost server) first leaves
 * the lobby, then lets running matches finish for up to `drainMs` before leaving them.
 */
import { getEnv } from '../../envs/index.ts';
import type { NoteTotals } from '../move-note.ts';
import { formatAgentSpec, createAgent, type AgentSpec } from '../registry.ts';
import { sharedInferenceServer } from '../runtime/shared-runtime.ts';
import { ColyseusAgentClient, type AgentLobby, type QueueRequest } from './colyseus-agent-client.ts';
import { RemoteAgentError } from './ludus-agent-client.ts';
import { MatchTally, outcomeOf, type SeatOutcome, type TallySnapshot } from './match-tally.ts';
import { RemoteSeat } from './remote-seat.ts';
import { resolvePolicy, type ResolvedPolicy } from './resolve-policy.ts';
import type { MatchAssignedMessage } from '../../protocol/index.ts';

export interface AgentProcessOptions {
  /** The arena, e.g. http://localhost:2567. */
  readonly serverUrl: string;
  /** A registered agent token; the server plays this process as the token's agentId. */
  readonly token: string;
  /** A model folder, an agent spec, or a league member's agentId (resolve-policy.ts). */
  readonly policy: string;
  /** League to look a member up in; default every league. */
  readonly league?: string;
  /**
   * Also queue for this env (and params, at this time per move): the process waits in the
   * server's queue, plays the pairing, and queues again when it ends, one queued match at a time.
   */
  readonly queue?: QueueRequest;
  /** Stop taking assignments after this many, and stop once they are played. */
  readonly maxMatches?: number;
  /** Seeds the agents (each match gets one derived from it and the matchId). Default 1. */
  readonly seed?: number;
  /** How long the shared inference server waits to fill a batch. Default 2 ms. */
  readonly batchWaitMs?: number;
  /** Attempts to reach the lobby (at start and after losing it) before giving up. Default 6. */
  readonly connectAttempts?: number;
  /** First retry delay; doubles up to 8 s. Default 500 ms. */
  readonly retryDelayMs?: number;
  /** After stopping, how long running matches may take to finish before they are left. Default 30 s. */
  readonly drainMs?: number;
  /** Abort: stop taking assignments and drain. */
  readonly signal?: AbortSignal;
  /** Abort: leave running matches now (a second Ctrl-C). */
  readonly leaveSignal?: AbortSignal;
  /** Emit a 'status' event this often while running; default never. */
  readonly statusEveryMs?: number;
  readonly onEvent?: (event: AgentProcessEvent) => void;
}

export interface InferenceView {
  readonly requests: number;
  readonly meanBatch: number;
}

export type StopReason = 'signal' | 'max-matches' | 'server-lost' | 'fatal';

export type AgentProcessEvent =
  | { readonly kind: 'connected'; readonly endpoint: string; readonly sessionId: string; readonly spec: string; readonly source: ResolvedPolicy['source'] }
  | { readonly kind: 'retrying'; readonly attempt: number; readonly attempts: number; readonly delayMs: number; readonly message: string }
  | { readonly kind: 'assigned'; readonly matchId: string; readonly env: string; readonly seat: number; readonly league: string }
  | {
      readonly kind: 'match';
      readonly matchId: string;
      readonly env: string;
      readonly seat: number;
      readonly agentId: string;
      readonly outcome: SeatOutcome;
      readonly returns: readonly number[];
      readonly reason: string;
      readonly ratingChange?: readonly unknown[];
      readonly decisions: number;
      readonly tally: TallySnapshot;
      readonly inference: InferenceView | null;
      /** Language-model usage of this match (tokens, latency), when the agent noted any. */
      readonly usage?: NoteTotals;
    }
  | { readonly kind: 'status'; readonly tally: TallySnapshot; readonly inference: InferenceView | null }
  | { readonly kind: 'error'; readonly matchId?: string; readonly code: string; readonly message: string }
  | { readonly kind: 'stopping'; readonly reason: StopReason; readonly playing: number };

export interface AgentProcessSummary extends TallySnapshot {
  readonly spec: string;
  readonly stopReason: StopReason;
  /** Shared inference server totals when the policy is neural. */
  readonly inference: InferenceView | null;
}

const MAX_RETRY_DELAY_MS = 8000;
const LEAVE_GRACE_MS = 5000;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Runs until stopped; rejects only when it cannot start (bad policy, refused token, server unreachable). */
export async function runAgentProcess(options: AgentProcessOptions): Promise<AgentProcessSummary> {
  const resolved = await resolvePolicy(options.policy, {
    serverUrl: options.serverUrl,
    ...(options.league === undefined ? {} : { league: options.league }),
  });
  const run = new AgentProcess(options, resolved.spec);
  return run.run(resolved.source);
}

class AgentProcess {
  private readonly options: AgentProcessOptions;
  private readonly spec: AgentSpec;
  private readonly client: ColyseusAgentClient;
  private readonly tally = new MatchTally();
  private readonly inflight = new Set<Promise<void>>();
  private readonly leave = new AbortController();
  private lobby: AgentLobby | undefined;
  private taken = 0;
  private stopReason: StopReason | undefined;
  private fatal: Error | undefined;
  private wake: () => void = () => {};

  constructor(options: AgentProcessOptions, spec: AgentSpec) {
    this.options = options;
    this.spec = spec;
    this.client = new ColyseusAgentClient(options.serverUrl);
    options.leaveSignal?.addEventListener('abort', () => this.leave.abort(), { once: true });
  }

  async run(source: ResolvedPolicy['source']): Promise<AgentProcessSummary> {
    // Before any neural agent exists: the options of the shared server apply at its creation only.
    if (this.spec.kind === 'neural') sharedInferenceServer({ flushWhenIdle: false, maxWaitMs: this.options.batchWaitMs ?? 2 });
    const lobby = await this.connect();
    if (lobby === undefined) return this.summary('signal');
    this.emit({ kind: 'connected', endpoint: this.client.endpoint, sessionId: lobby.sessionId, spec: formatAgentSpec(this.spec), source });
    if (this.options.signal?.aborted) this.stop('signal');
    else this.options.signal?.addEventListener('abort', () => this.stop('signal'), { once: true });
    this.watch(lobby);
    const every = this.options.statusEveryMs;
    const timer =
      every === undefined ? undefined : setInterval(() => this.emit({ kind: 'status', tally: this.tally.snapshot(), inference: this.inference() }), every);
    while (this.stopReason === undefined)
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    clearInterval(timer);
    this.emit({ kind: 'stopping', reason: this.stopReason, playing: this.inflight.size });
    await this.lobby?.close().catch(() => undefined);
    await this.drain();
    if (this.fatal) throw this.fatal;
    return this.summary(this.stopReason);
  }

  /** Joins the lobby, retrying while the server cannot be reached; undefined when stopped meanwhile. */
  private async connect(): Promise<AgentLobby | undefined> {
    const attempts = this.options.connectAttempts ?? 6;
    let delayMs = this.options.retryDelayMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.connectLobby(this.options.token);
      } catch (error) {
        const remote = error instanceof RemoteAgentError ? error : undefined;
        if (remote?.code !== 'client-connect' || attempt >= attempts) throw error;
        this.emit({ kind: 'retrying', attempt, attempts, delayMs, message: bareMessage(remote) });
        await sleep(delayMs, this.options.signal);
        if (this.options.signal?.aborted) return undefined;
        delayMs = Math.min(MAX_RETRY_DELAY_MS, delayMs * 2);
      }
    }
  }

  private watch(lobby: AgentLobby): void {
    this.lobby = lobby;
    lobby.onAssignment((assignment) => this.take(assignment));
    this.requeue();
    lobby.onClose(() => {
      if (this.lobby !== lobby || this.stopReason !== undefined || this.isFull()) return;
      this.lobby = undefined;
      this.reconnect();
    });
  }

  private reconnect(): void {
    this.connect().then(
      (lobby) => {
        if (lobby === undefined) return;
        if (this.stopReason !== undefined) lobby.close().catch(() => undefined);
        else this.watch(lobby);
      },
      (error: unknown) => {
        this.emit({ kind: 'error', code: (error as RemoteAgentError).code ?? 'client-connect', message: errorMessage(error) });
        this.stop('server-lost');
      },
    );
  }

  /** Enters the env queue (idempotent on the server); a refusal (unknown env, bad params) is fatal. */
  private requeue(): void {
    const request = this.options.queue;
    const lobby = this.lobby;
    if (request === undefined || lobby === undefined || this.stopReason !== undefined || this.isFull()) return;
    lobby.queue(request).catch((error: unknown) => {
      if (this.lobby !== lobby || this.stopReason !== undefined) return; // the lobby went away meanwhile
      this.emit({ kind: 'error', code: String((error as { code?: unknown }).code ?? 'client-handler'), message: errorMessage(error) });
      if (error instanceof RemoteAgentError && error.code !== 'client-connect') this.stop('fatal', error);
    });
  }

  private isQueuedEnv(env: string): boolean {
    const queued = this.options.queue?.env;
    if (queued === undefined) return false;
    try {
      return getEnv(env).key === getEnv(queued).key;
    } catch {
      return false; // an env this build does not know: the server refused that queue already
    }
  }

  private isFull(): boolean {
    return this.options.maxMatches !== undefined && this.taken >= this.options.maxMatches;
  }

  private take(assignment: MatchAssignedMessage): void {
    if (this.stopReason !== undefined || this.isFull()) return;
    this.taken++;
    if (this.isFull()) this.lobby?.close().catch(() => undefined); // no more assignments to this connection
    this.emit({ kind: 'assigned', matchId: assignment.matchId, env: assignment.env, seat: assignment.seat, league: assignment.league });
    const task = this.play(assignment).finally(() => {
      this.inflight.delete(task);
      if (this.isFull() && this.inflight.size === 0) this.stop('max-matches');
      else if (this.isQueuedEnv(assignment.env)) this.requeue();
    });
    this.inflight.add(task);
  }

  private async play(assignment: MatchAssignedMessage): Promise<void> {
    let seat: RemoteSeat;
    try {
      const env = getEnv(assignment.env);
      const params = env.parseParams(assignment.params ?? {});
      const seed = RemoteSeat.seedFor(this.options.seed ?? 1, assignment.matchId, assignment.seat);
      seat = new RemoteSeat({ agent: createAgent(this.spec, env, params), env, params, seat: assignment.seat, seed });
    } catch (error) {
      this.tally.failed(false);
      this.report(error, assignment.matchId);
      // Every later match would fail the same way.
      if ((error as { code?: unknown }).code === 'agent-needs-state') this.stop('fatal', error as Error);
      return;
    }
    this.tally.started();
    try {
      const end = await this.client.playMatch(
        assignment,
        async (request) => {
          const action = await seat.decide(request);
          this.tally.decided();
          return action;
        },
        { onError: (error) => this.emit({ kind: 'error', matchId: assignment.matchId, code: error.code, message: error.message }), signal: this.leave.signal },
      );
      seat.end(end.returns);
      const outcome = outcomeOf(end, assignment.seat);
      this.tally.ended(outcome);
      this.emit({
        kind: 'match',
        matchId: assignment.matchId,
        env: assignment.env,
        seat: assignment.seat,
        agentId: assignment.agentId,
        outcome,
        returns: end.returns,
        reason: end.reason,
        ...(end.ratingChange ? { ratingChange: end.ratingChange } : {}),
        decisions: seat.decisions,
        tally: this.tally.snapshot(),
        inference: this.inference(),
        ...(seat.notes.moves > 0 ? { usage: { ...seat.notes } } : {}),
      });
    } catch (error) {
      this.tally.failed(true);
      this.report(error, assignment.matchId);
    }
  }

  private stop(reason: StopReason, fatal?: Error): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.fatal = fatal;
    this.wake();
  }

  private async drain(): Promise<void> {
    if (this.inflight.size === 0) return;
    const settled = Promise.allSettled([...this.inflight]).then(() => undefined);
    await Promise.race([settled, sleep(this.options.drainMs ?? 30_000, this.leave.signal)]);
    this.leave.abort(); // matches still running are left: the server's timeout policy plays on
    await Promise.race([settled, sleep(LEAVE_GRACE_MS)]); // a leave on a dead socket may never be confirmed
  }

  private inference(): InferenceView | null {
    if (this.spec.kind !== 'neural') return null;
    const stats = sharedInferenceServer().stats();
    return { requests: stats.requests, meanBatch: stats.meanBatch };
  }

  private summary(stopReason: StopReason): AgentProcessSummary {
    return { ...this.tally.snapshot(), spec: formatAgentSpec(this.spec), stopReason, inference: this.inference() };
  }

  private report(error: unknown, matchId: string): void {
    this.emit({ kind: 'error', matchId, code: String((error as { code?: unknown }).code ?? 'client-handler'), message: errorMessage(error) });
  }

  private emit(event: AgentProcessEvent): void {
    this.options.onEvent?.(event);
  }
}

/** LudusError appends its hint to the message; a retry line needs only the message. */
function bareMessage(error: RemoteAgentError): string {
  const suffix = error.hint ? ` (${error.hint})` : '';
  return suffix && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

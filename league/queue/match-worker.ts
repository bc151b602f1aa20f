/**
 * A worker process's side of the match queue (`ludus worker`): takes match jobs from BullMQ,
 * plays each exactly as the local runner would (`playLeagueMatch`: the job's agent specs and
 * seed, the league's env and params from the store) and stores a league match's row itself.
 *
 * Crash safety is BullMQ's: a job's lock expires when its worker dies, another worker's
 * stalled-job check puts the job back, and it is played again. Storing is idempotent by the
 * match's index: a job finds its match already stored (the dead worker got that far) and
 * stops, and of two workers that played one match (a lock lost to a blocked event loop) the
 * second insert fails on the index and finds the first one's row. So nothing is lost and
 * nothing is counted twice.
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { formatZodError, getEnv } from '../../envs/index.ts';
import { LeagueConfigSchema } from '../config/league-config.ts';
import { playEvaluationMatch, playLeagueMatch, type PlayContext } from '../runner/match-player.ts';
import type { LeagueStore } from '../storage/league-store.ts';
import { MatchJobSchema, type EvaluationDone, type LeagueMatchDone, type LeagueMatchJob, type LeagueRef, type MatchJob } from './match-jobs.ts';
import { QueueError } from './queue-error.ts';
import { checkQueueReachable, connectionOf, MATCH_QUEUE, type QueueTarget } from './queue-target.ts';

/** Synchronous agents give the event loop a turn this often, so the job lock keeps being renewed. */
const YIELD_EVERY_MS = 50;
/** Leagues whose config a worker keeps (a worker serves any number of leagues, one after another). */
const CACHED_LEAGUES = 32;
/** A job put back after its worker died this many times fails (something in it kills workers). */
const MAX_STALLS = 5;
export const DEFAULT_LOCK_MS = 30_000;

export interface WorkerJobEvent {
  readonly phase: 'start' | 'done' | 'failed';
  readonly jobId: string;
  readonly league: string;
  /** League matches: the index; evaluation matches: undefined. */
  readonly index: number | undefined;
  readonly seats: readonly string[];
  readonly seconds?: number;
  /** A league match: false when an earlier attempt had stored it already. */
  readonly played?: boolean;
  readonly error?: string;
}

export interface MatchWorkerOptions {
  readonly target: QueueTarget;
  readonly store: LeagueStore;
  /** Jobs played at once; default 1 (matches of synchronous agents use the whole thread). */
  readonly concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (ms): a dead worker's job is taken up again
   * between one and two of these after it died. Default 30 s.
   */
  readonly lockMs?: number;
  readonly name?: string;
  readonly onJob?: (event: WorkerJobEvent) => void;
}

export class MatchWorker {
  readonly name: string;
  private readonly worker: Worker;
  private readonly store: LeagueStore;
  private readonly contexts = new Map<string, Promise<PlayContext>>();
  private readonly onJob: ((event: WorkerJobEvent) => void) | undefined;

  private constructor(options: MatchWorkerOptions) {
    this.store = options.store;
    this.onJob = options.onJob;
    this.name = options.name ?? `${hostname()}:${process.pid}`;
    const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
    this.worker = new Worker(MATCH_QUEUE, (job) => this.process(job), {
      connection: connectionOf(options.target),
      prefix: options.target.prefix,
      name: this.name,
      concurrency: options.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: MAX_STALLS,
      autorun: false,
    });
    this.worker.on('error', (error) => this.onError(error));
  }

  /** Connects (failing fast when Redis does not answer) and starts taking jobs. */
  static async start(options: MatchWorkerOptions): Promise<MatchWorker> {
    await checkQueueReachable(options.target);
    const worker = new MatchWorker(options);
    void worker.worker.run().catch((error: unknown) => worker.onError(error));
    await worker.worker.waitUntilReady();
    return worker;
  }

  /** Stops taking jobs; waits for the running ones unless `force` (they then go back to the queue when their lock expires). */
  async close(force = false): Promise<void> {
    await this.worker.close(force);
  }

  private onError(error: unknown): void {
    process.stderr.write(`ludus worker ${this.name}: ${error instanceof Error ? error.message : String(error)}\n`);
  }

  private async process(job: Job): Promise<LeagueMatchDone | EvaluationDone> {
    const parsed = MatchJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`job ${job.id}: ${formatZodError(parsed.error)}`); // retrying cannot help
    const data = parsed.data;
    const event = { jobId: job.id ?? '?', league: data.league.name, index: data.kind === 'league-match' ? data.index : undefined, seats: data.seats };
    const started = performance.now();
    this.onJob?.({ ...event, phase: 'start' });
    try {
      const done = await this.play(data);
      const seconds = (performance.now() - started) / 1000;
      this.onJob?.({ ...event, phase: 'done', seconds, ...('played' in done ? { played: done.played } : {}) });
      return done;
    } catch (error) {
      this.onJob?.({ ...event, phase: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  private async play(job: MatchJob): Promise<LeagueMatchDone | EvaluationDone> {
    const context = await this.context(job.league);
    if (job.kind === 'evaluation-match') {
      const result = await playEvaluationMatch(context, job, YIELD_EVERY_MS);
      return { ...result, seats: [...result.seats], returns: [...result.returns] };
    }
    return this.playLeagueJob(context, job);
  }

  private async playLeagueJob(context: PlayContext, job: LeagueMatchJob): Promise<LeagueMatchDone> {
    const leagueId = context.league.id;
    if (await this.isStored(leagueId, job.index)) return { index: job.index, played: false };
    const row = await playLeagueMatch(context, job, YIELD_EVERY_MS);
    try {
      await this.store.commit(leagueId, [row], []);
    } catch (error) {
      // Another attempt of this job stored the match first (same index, same result): done.
      if (await this.isStored(leagueId, job.index)) return { index: job.index, played: false };
      throw error;
    }
    return { index: job.index, played: true };
  }

  private async isStored(leagueId: number, index: number): Promise<boolean> {
    return (await this.store.matchSummaries(leagueId, index, index + 1)).length > 0;
  }

  /** The league's env, params and replay setting, read from the store once per league. */
  private context(ref: LeagueRef): Promise<PlayContext> {
    const key = `${ref.id}\u0000${ref.createdAt}`;
    let context = this.contexts.get(key);
    if (!context) {
      context = this.loadContext(ref);
      context.catch(() => this.contexts.delete(key)); // not cached: the league may appear, or the database come back
      if (this.contexts.size >= CACHED_LEAGUES) this.contexts.delete(this.contexts.keys().next().value!);
      this.contexts.set(key, context);
    }
    return context;
  }

  private async loadContext(ref: LeagueRef): Promise<PlayContext> {
    const league = await this.store.getLeague(ref.name);
    if (!league || league.id !== ref.id || league.createdAt !== ref.createdAt) {
      throw new QueueError(
        'league-not-in-store',
        `league "${ref.name}" (id ${ref.id}, created ${ref.createdAt}) is not in this worker's store`,
        "start the worker with the coordinator's --database",
      );
    }
    const config = LeagueConfigSchema.parse(league.config);
    const env = getEnv(league.env);
    return { league, env, params: env.parseParams(config.params), recordReplays: config.schedule.recordReplays };
  }
}

/**
 * The coordinator's side of the match queue: a `MatchPlayer` that puts a wave's matches on a
 * BullMQ queue as jobs, waits until workers (`ludus worker`, any number, any machine) have
 * finished them, and hands the results back to the league runner, which folds them in
 * schedule order exactly as after a local wave.
 *
 * League matches are stored by the workers, so the results are read back from the store;
 * evaluation matches are stored nowhere, so they come back as job return values. Job ids are
 * deterministic (league and index, or the match's content): enqueuing a match again (a
 * coordinator restarted mid-wave) finds its job instead of adding a second one. A job that
 * failed for good in an earlier run is retried when it is asked for again.
 */
import { Queue, QueueEvents, type Job, type JobsOptions } from 'bullmq';
import { formatZodError } from '../../envs/index.ts';
import type { EvaluationMatch, EvaluationResult, LeagueMatch, MatchPlayer, PlayContext } from '../runner/match-player.ts';
import type { LeagueStore, MatchSummary } from '../storage/league-store.ts';
import {
  EvaluationDoneSchema,
  evaluationJobId,
  leagueMatchJobId,
  leagueRef,
  type EvaluationMatchJob,
  type LeagueMatchJob,
  type MatchJob,
} from './match-jobs.ts';
import { QueueError } from './queue-error.ts';
import { checkQueueReachable, connectionOf, describeQueue, MATCH_QUEUE, type QueueTarget } from './queue-target.ts';

const JOB_OPTIONS: JobsOptions = {
  attempts: 5, // a store or connection hiccup on a worker; an agent's own failure is a faulted match, not a failed job
  backoff: { type: 'exponential', delay: 1000 },
  // Finished jobs stay a while: a coordinator restarted mid-wave finds them, and an evaluation asked for again is answered at once.
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
/** How often a coordinator waiting on a wave checks that some worker is connected. */
const WORKER_CHECK_MS = 15_000;

export interface QueueMatchPlayerOptions {
  readonly target: QueueTarget;
  /** The store the workers write league matches to (the coordinator's own). */
  readonly store: LeagueStore;
  /** Notices for the person waiting (no worker connected); default: stderr. */
  readonly notice?: (message: string) => void;
  /** Tries of a job before it fails for good (default 5, a second apart, then 2, 4, 8 s). */
  readonly attempts?: number;
}

interface JobSpec {
  readonly name: MatchJob['kind'];
  readonly data: MatchJob;
  readonly opts: JobsOptions & { jobId: string };
}

export class QueueMatchPlayer implements MatchPlayer {
  private readonly target: QueueTarget;
  private readonly store: LeagueStore;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly notice: (message: string) => void;

  private constructor(options: QueueMatchPlayerOptions, queue: Queue, events: QueueEvents) {
    this.target = options.target;
    this.store = options.store;
    this.queue = queue;
    this.events = events;
    this.notice = options.notice ?? ((message) => process.stderr.write(`${message}\n`));
  }

  /** Connects to the queue (failing fast when Redis does not answer). */
  static async open(options: QueueMatchPlayerOptions): Promise<QueueMatchPlayer> {
    await checkQueueReachable(options.target);
    const connection = connectionOf(options.target);
    const defaultJobOptions = { ...JOB_OPTIONS, ...(options.attempts === undefined ? {} : { attempts: options.attempts }) };
    const queue = new Queue(MATCH_QUEUE, { connection, prefix: options.target.prefix, defaultJobOptions });
    queue.setMaxListeners(0); // each job waited on listens for the queue closing
    const events = new QueueEvents(MATCH_QUEUE, { connection, prefix: options.target.prefix });
    events.setMaxListeners(0);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueMatchPlayer(options, queue, events);
  }

  async playLeagueMatches(context: PlayContext, matches: readonly LeagueMatch[]): Promise<MatchSummary[]> {
    if (matches.length === 0) return [];
    const league = leagueRef(context.league);
    await this.runJobs(
      matches.map((m) => {
        const data: LeagueMatchJob = { kind: 'league-match', league, index: m.index, seed: m.seed, seats: [...m.seats], agents: [...m.agents] };
        return { name: data.kind, data, opts: { jobId: leagueMatchJobId(league, m.index) } };
      }),
    );
    const indexes = matches.map((m) => m.index);
    const stored = await this.store.matchSummaries(context.league.id, Math.min(...indexes), Math.max(...indexes) + 1);
    const byIndex = new Map(stored.map((m) => [m.index, m]));
    return indexes.map((index) => {
      const match = byIndex.get(index);
      if (!match) {
        throw new QueueError(
          'match-job-failed',
          `the job of match ${index} of league ${context.league.name} finished, but the match is not in the store`,
          'workers must use the same --database as the coordinator; a queue kept from another database needs another --queue-prefix',
        );
      }
      return match;
    });
  }

  async playEvaluationMatches(context: PlayContext, matches: readonly EvaluationMatch[]): Promise<EvaluationResult[]> {
    const league = leagueRef(context.league);
    const values = await this.runJobs(
      matches.map((m) => {
        const data: EvaluationMatchJob = { kind: 'evaluation-match', league, seed: m.seed, seats: [...m.seats], agents: [...m.agents] };
        return { name: data.kind, data, opts: { jobId: evaluationJobId(data) } };
      }),
    );
    return values.map((value, i) => {
      const parsed = EvaluationDoneSchema.safeParse(value);
      if (!parsed.success)
        throw new QueueError('bad-job', `evaluation match ${i} came back as ${formatZodError(parsed.error)}`, 'run workers of this Ludus version');
      return parsed.data;
    });
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
  }

  /** Adds the jobs (or finds them), retries those an earlier run left failed, and waits for all; resolves with their return values. */
  private async runJobs(specs: readonly JobSpec[]): Promise<unknown[]> {
    const jobs = await this.queue.addBulk(specs.map((s) => ({ ...s })));
    await this.retryFailed(jobs);
    const watch = setInterval(() => void this.checkWorkers(), WORKER_CHECK_MS);
    try {
      return await Promise.all(jobs.map((job, i) => job.waitUntilFinished(this.events).catch((error: unknown) => this.failed(specs[i]!, error))));
    } finally {
      clearInterval(watch);
    }
  }

  private async retryFailed(jobs: readonly Job[]): Promise<void> {
    const states = await Promise.all(jobs.map((job) => this.queue.getJobState(job.id!)));
    await Promise.all(
      jobs.map(async (job, i) => {
        if (states[i] !== 'failed') return;
        const stored = await this.queue.getJob(job.id!);
        await stored?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      }),
    );
  }

  private failed(spec: JobSpec, error: unknown): never {
    const what =
      spec.data.kind === 'league-match'
        ? `match ${spec.data.index} of league ${spec.data.league.name}`
        : `an evaluation match of ${spec.data.seats.join(' vs ')}`;
    throw new QueueError(
      'match-job-failed',
      `${what} (job ${spec.opts.jobId}) failed on the workers: ${error instanceof Error ? error.message : String(error)}`,
      'see the worker logs; running the same command again retries it',
    );
  }

  private async checkWorkers(): Promise<void> {
    try {
      if ((await this.queue.getWorkersCount()) === 0) {
        this.notice(`waiting for workers: none is connected to ${describeQueue(this.target)}; start one with \`ludus worker --queue URL --database URL\``);
      }
    } catch {
      // CLIENT LIST may be refused (managed Redis): then say nothing
    }
  }
}

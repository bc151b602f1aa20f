/**
 * `ludus train`: a PPO or AlphaZero learner (agents/learn) trained against itself, its snapshots and the
 * anchors (matchmaking, episode-planner.ts), snapshotted into the run's league, evaluated
 * against the anchors (and exactly, in small poker games), checkpointed so that a killed run
 * continues with --resume, and written out as metrics, a learning curve and a final model.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { loadCheckpoint, saveCheckpoint } from '../../agents/learn/checkpoint.ts';
import { PpoTrainer, type UpdateStats } from '../../agents/learn/ppo-trainer.ts';
import { AlphaZeroTrainer, type AlphaZeroStats } from '../../agents/learn/alphazero-trainer.ts';
import { searchEvaluation } from './search-evaluation.ts';
import { selectBackend, type BackendName } from '../../agents/runtime/backend.ts';
import { saveModel } from '../../agents/runtime/model-io.ts';
import { createPolicyModel, type PolicyModel } from '../../agents/runtime/policy-model.ts';
import { getEnv } from '../../envs/index.ts';
import type { RolloutResult } from '../../agents/learn/rollout.ts';
import type { AnyEnv, JsonValue } from '../../envs/index.ts';
import { PayoffTable } from '../matchmaking/index.ts';
import type { Member } from '../population/member.ts';
import { snapshotId } from '../population/member.ts';
import type { LeagueStore } from '../storage/league-store.ts';
import { openLeagueStore } from '../storage/open-league-store.ts';
import { EpisodePlanner } from './episode-planner.ts';
import { learningCurveSvg } from './learning-curve-svg.ts';
import { appendMetrics, readMetrics, truncateMetrics, type EvalLine } from './metrics-log.ts';
import { OpponentPool } from './opponent-pool.ts';
import { runLayout, snapshotDir, type RunLayout } from './run-layout.ts';
import { shapingFactor, trainConfigHash, type TrainConfig } from './train-config.ts';
import { evaluationStep, ExactTracker, targetReached } from './train-evaluation.ts';
import { TrainingLeague } from './training-league.ts';
import { LearnError } from '../../agents/learn/learn-error.ts';
import { LeagueError } from '../league-error.ts';

export type TrainStopReason = 'updates' | 'minutes' | 'target' | 'interrupted';

export interface TrainOptions {
  readonly config: TrainConfig;
  readonly storeDir: string;
  /** Replaces the config's stop.minutes (total training time, over resumed sessions too). */
  readonly minutes?: number;
  readonly resume?: boolean;
  /** Force this tfjs backend (default: the best available). */
  readonly backend?: BackendName;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** A postgres:// URL for the league store (model folders stay in `storeDir`). */
  readonly database?: string;
  /** Use this store instead of opening `storeDir` (tests). */
  readonly store?: LeagueStore;
  readonly now?: () => number;
}

export interface TrainProgress {
  readonly update: number;
  readonly seconds: number;
  readonly episodes: number;
  readonly episodesPerSec: number;
  readonly stats: UpdateStats | AlphaZeroStats;
  readonly lastEval?: EvalLine;
}

export interface TrainResult {
  readonly run: string;
  readonly runDir: string;
  readonly finalModel: string;
  readonly snapshots: string[];
  readonly updates: number;
  readonly episodes: number;
  readonly seconds: number;
  readonly stoppedBy: TrainStopReason;
  readonly resumedFrom: number | null;
  readonly target: { readonly reached: boolean; readonly update?: number; readonly seconds?: number } | null;
  readonly lastEval: EvalLine | null;
  readonly metricsFile: string;
  readonly curveFile: string;
}

/** What the checkpoint keeps besides the trainer: the run's own counters. */
const RunCountersSchema = z.object({
  seconds: z.number(),
  episodes: z.number().int(),
  snapshots: z.array(z.object({ agentId: z.string(), update: z.number().int(), path: z.string() })),
  payoff: z.unknown(),
  lastEvalUpdate: z.number().int(),
  target: z.object({ update: z.number().int(), seconds: z.number() }).nullable(),
});
type RunCounters = z.infer<typeof RunCountersSchema>;

export async function runTraining(options: TrainOptions): Promise<TrainResult> {
  const { config } = options;
  const env = getEnv(config.env);
  const params = env.parseParams(config.params);
  const layout = runLayout(options.storeDir, config.name);
  prepareRunDir(layout, config, options.resume === true);
  await selectBackend(options.backend === undefined ? {} : { force: options.backend });
  const restored = options.resume ? await loadCheckpoint(layout.checkpointDir) : undefined;
  const model = restored?.model ?? createPolicyModel(env, params, { arch: config.model.arch, seed: config.seed });
  const numPlayers = env.dims(params).numPlayers;
  const trainer =
    config.algorithm === 'alphazero'
      ? new AlphaZeroTrainer({ model, env, params, config: config.alphazero ?? {}, seed: config.seed })
      : new PpoTrainer({ model, config: config.ppo, seed: config.seed, numPlayers });
  const store = options.store ?? (await openLeagueStore(options.database ?? options.storeDir));
  const pool = new OpponentPool(env, params);
  try {
    if (restored) await trainer.importState(restored.state, restored.files);
    const counters = restored ? parseCounters(restored.extra) : freshCounters();
    if (restored) truncateMetrics(layout.metricsFile, trainer.updates);
    else rmSync(layout.metricsFile, { force: true });
    const league = await TrainingLeague.open(store, config, env, layout.finalDir);
    const snapshots: Member[] = [];
    for (const s of counters.snapshots) snapshots.push(await league.snapshotMember(s.agentId, s.path, s.update));
    const run = new TrainingRun({ options, env, params, layout, trainer, store, pool, counters, numPlayers, league, snapshots });
    return await run.loop(restored ? trainer.updates : null);
  } finally {
    await trainer.dispose();
    model.dispose();
    await pool.close();
    if (!options.store) await store.close();
  }
}

function prepareRunDir(layout: RunLayout, config: TrainConfig, resume: boolean): void {
  const hash = trainConfigHash(config);
  if (existsSync(layout.configFile)) {
    if (!resume) {
      throw new LeagueError(
        'run-exists',
        `run "${config.name}" already exists in ${layout.runDir}`,
        'pass --resume to continue it, or give the run another name',
      );
    }
    const saved = JSON.parse(readFileSync(layout.configFile, 'utf8')) as { hash?: string };
    if (saved.hash !== hash) {
      throw new LeagueError(
        'league-config-changed',
        `run "${config.name}" was started with a different config (only stop may change on --resume)`,
        'restore the config, or give the run another name',
      );
    }
  }
  mkdirSync(layout.snapshotsDir, { recursive: true });
  writeFileSync(layout.configFile, `${JSON.stringify({ hash, config }, null, 2)}\n`);
}

const freshCounters = (): RunCounters => ({ seconds: 0, episodes: 0, snapshots: [], payoff: null, lastEvalUpdate: -1, target: null });

function parseCounters(extra: unknown): RunCounters {
  const parsed = RunCountersSchema.safeParse(extra);
  if (!parsed.success) throw new LearnError('bad-checkpoint', "the checkpoint does not hold the run's counters", 'delete the run folder to start over');
  return parsed.data;
}

interface RunParts {
  readonly options: TrainOptions;
  readonly env: AnyEnv;
  readonly params: unknown;
  readonly layout: RunLayout;
  readonly trainer: PpoTrainer | AlphaZeroTrainer;
  readonly store: LeagueStore;
  readonly pool: OpponentPool;
  readonly counters: RunCounters;
  readonly numPlayers: number;
  readonly league: TrainingLeague;
  /** The snapshots a resumed run had taken, as members. */
  readonly snapshots: Member[];
}

class TrainingRun {
  readonly p: RunParts;
  readonly config: TrainConfig;
  readonly league: TrainingLeague;
  readonly planner: EpisodePlanner;
  readonly snapshots: Member[];
  readonly now: () => number;
  readonly exact: ExactTracker | undefined;
  counters: RunCounters;
  lastEval: EvalLine | undefined;

  constructor(parts: RunParts) {
    this.p = parts;
    this.config = parts.options.config;
    this.counters = parts.counters;
    this.now = parts.options.now ?? (() => performance.now());
    this.league = parts.league;
    this.snapshots = parts.snapshots;
    this.planner = new EpisodePlanner({
      config: this.config,
      numPlayers: parts.numPlayers,
      learner: this.league.learner,
      anchors: this.league.anchors,
      pool: parts.pool,
      dims: parts.env.dims(parts.params),
      payoff: parts.counters.payoff ? PayoffTable.fromJSON(parts.counters.payoff) : undefined,
    });
    this.planner.setSnapshots(this.snapshots);
    this.exact = ExactTracker.create(parts.env, parts.params, this.config);
    this.lastEval = readMetrics(parts.layout.metricsFile)
      .filter((l): l is EvalLine => l.type === 'eval')
      .at(-1);
  }

  get model(): PolicyModel {
    return this.p.trainer.model;
  }

  async loop(resumedFrom: number | null): Promise<TrainResult> {
    const { trainer, options } = this.p;
    let stoppedBy: TrainStopReason | undefined;
    while (!(stoppedBy = this.stopReason())) {
      const started = this.now();
      const update = trainer.updates;
      this.p.pool.retain(this.planner.neuralModels());
      const { rollout, stats, selfPlayShare } = await this.step(update);
      const rolloutSeconds = (this.now() - started) / 1000;
      this.counters.episodes += rollout.episodes.length;
      const meanReturn =
        rollout.episodes.reduce((s, e) => s + e.learnerSeats.reduce((t, seat) => t + e.returns[seat]!, 0) / e.learnerSeats.length, 0) /
        Math.max(1, rollout.episodes.length);
      const episodesPerSec = rollout.episodes.length / Math.max(rolloutSeconds, 1e-9);
      appendMetrics(this.p.layout.metricsFile, {
        type: 'update',
        update: trainer.updates,
        seconds: this.counters.seconds + rolloutSeconds,
        episodes: this.counters.episodes,
        decisions: rollout.decisions,
        episodesPerSec,
        selfPlayShare,
        ...(this.planner.stage ? { stage: this.planner.stage.name } : {}),
        meanReturn,
        shaping: shapingFactor(this.config, update),
        ...('replaySize' in stats ? azStats(stats) : pickStats(stats)),
      });
      await this.afterUpdate(started);
      options.onProgress?.({
        update: trainer.updates,
        seconds: this.counters.seconds,
        episodes: this.counters.episodes,
        episodesPerSec,
        stats,
        lastEval: this.lastEval,
      });
      await new Promise((resolve) => setImmediate(resolve)); // let signals and the progress bar run
    }
    return this.finish(stoppedBy, resumedFrom);
  }

  /** One update of the learner: PPO against the planner's opponents, or AlphaZero self-play. */
  private async step(update: number): Promise<{ rollout: RolloutResult; stats: UpdateStats | AlphaZeroStats; selfPlayShare: number }> {
    const { trainer } = this.p;
    if (trainer instanceof AlphaZeroTrainer) return { ...(await trainer.step()), selfPlayShare: 1 };
    this.planner.beginUpdate(update);
    const { rollout, stats } = await trainer.step({
      env: this.p.env,
      params: this.p.params,
      episodes: this.config.rollout.episodesPerUpdate,
      concurrency: this.config.rollout.concurrency,
      setup: (i, seed) => this.planner.setup(i, seed),
      shaping: shapingFactor(this.config, update),
    });
    return { rollout, stats, selfPlayShare: this.planner.finishUpdate(rollout.episodes).selfPlayShare };
  }

  /** Snapshot, evaluation and checkpoint, as their schedules say; adds the update's time. */
  private async afterUpdate(started: number): Promise<void> {
    const u = this.p.trainer.updates;
    const snapshot = u % this.config.snapshots.every === 0 ? await this.takeSnapshot() : undefined;
    if (u % this.config.evaluation.every === 0) await this.evaluate(snapshot, started);
    this.counters.seconds += (this.now() - started) / 1000;
    if (u % this.config.checkpoints.every === 0) await this.checkpoint();
  }

  private stopReason(): TrainStopReason | undefined {
    const { stop } = this.config;
    const minutes = this.p.options.minutes ?? stop.minutes;
    if (stop.updates !== undefined && this.p.trainer.updates >= stop.updates) return 'updates';
    if (minutes !== undefined && this.counters.seconds >= minutes * 60) return 'minutes';
    if (this.counters.target && stop.target?.stopWhenReached) return 'target';
    if (this.p.options.signal?.aborted) return 'interrupted';
    return undefined;
  }

  private async takeSnapshot(): Promise<Member> {
    const u = this.p.trainer.updates;
    const agentId = snapshotId(this.league.learner.agentId, u);
    const dir = snapshotDir(this.p.layout, agentId);
    await saveModel(this.model, dir, { parent: this.p.layout.finalDir, extra: { update: u, run: this.config.name } });
    const member = await this.league.snapshotMember(agentId, dir, u);
    this.exact?.remember(agentId, this.model);
    const existing = this.snapshots.findIndex((s) => s.agentId === agentId);
    if (existing >= 0) this.snapshots.splice(existing, 1);
    this.snapshots.push(member);
    this.counters.snapshots = this.snapshots.map((s) => ({ agentId: s.agentId, update: s.createdAt, path: String(s.agent.options.model) }));
    this.planner.setSnapshots(this.snapshots);
    appendMetrics(this.p.layout.metricsFile, { type: 'snapshot', update: u, seconds: this.counters.seconds, agentId, path: dir });
    return member;
  }

  private async evaluate(snapshot: Member | undefined, started: number): Promise<void> {
    const u = this.p.trainer.updates;
    const line = await evaluationStep({
      config: this.config,
      env: this.p.env,
      params: this.p.params,
      model: this.model,
      pool: this.p.pool,
      league: this.league,
      exact: this.exact,
      agentId: snapshot?.agentId ?? this.league.learner.agentId,
      snapshots: this.snapshots,
      update: u,
      seconds: this.counters.seconds + (this.now() - started) / 1000,
      ...(this.p.trainer instanceof AlphaZeroTrainer ? { play: searchEvaluation(this.p.trainer) } : {}),
    });
    appendMetrics(this.p.layout.metricsFile, line);
    this.lastEval = line;
    this.counters.lastEvalUpdate = u;
    if (!this.counters.target && this.config.stop.target && targetReached(this.config.stop.target, line)) {
      this.counters.target = { update: u, seconds: line.seconds };
    }
    writeFileSync(this.p.layout.curveFile, learningCurveSvg(readMetrics(this.p.layout.metricsFile), `${this.config.name} (${this.p.env.key})`));
  }

  private async checkpoint(): Promise<void> {
    this.counters.payoff = this.planner.payoff.toJSON();
    const { trainer } = this.p;
    const files = trainer instanceof AlphaZeroTrainer ? trainer.exportFiles() : {};
    await saveCheckpoint(this.p.layout.checkpointDir, trainer, this.counters as unknown as JsonValue, files);
  }

  private async finish(stoppedBy: TrainStopReason, resumedFrom: number | null): Promise<TrainResult> {
    const { layout, trainer } = this.p;
    const u = trainer.updates;
    const started = this.now();
    const last = this.snapshots.at(-1);
    const snapshot = last && last.createdAt === u ? last : await this.takeSnapshot();
    if (this.counters.lastEvalUpdate !== u) await this.evaluate(snapshot, started);
    this.counters.seconds += (this.now() - started) / 1000;
    await saveModel(this.model, layout.finalDir, { extra: { updates: u, run: this.config.name, snapshot: snapshot.agentId } });
    await this.checkpoint();
    writeFileSync(layout.curveFile, learningCurveSvg(readMetrics(layout.metricsFile), `${this.config.name} (${this.p.env.key})`));
    const target = this.config.stop.target ? { reached: this.counters.target !== null, ...(this.counters.target ?? {}) } : null;
    const result: TrainResult = {
      run: this.config.name,
      runDir: layout.runDir,
      finalModel: layout.finalDir,
      snapshots: this.snapshots.map((s) => String(s.agent.options.model)),
      updates: u,
      episodes: this.counters.episodes,
      seconds: this.counters.seconds,
      stoppedBy,
      resumedFrom,
      target,
      lastEval: this.lastEval ?? null,
      metricsFile: layout.metricsFile,
      curveFile: layout.curveFile,
    };
    writeFileSync(layout.summaryFile, `${JSON.stringify(result, null, 2)}\n`);
    return result;
  }
}

function pickStats(s: UpdateStats) {
  return { policyLoss: s.policyLoss, valueLoss: s.valueLoss, entropy: s.entropy, approxKl: s.approxKl, clipFraction: s.clipFraction, gradNorm: s.gradNorm };
}

function azStats(s: AlphaZeroStats) {
  return { policyLoss: s.policyLoss, valueLoss: s.valueLoss, entropy: s.entropy, replaySize: s.replaySize, positions: s.positions };
}

/**
 * A training run as a league in the store, named after the run: the learner (its final model),
 * the anchors and every snapshot are members, and evaluation games are stored as rated
 * matches, so `ludus league standings --league <run>` ranks the snapshots against the anchors.
 */
import { LeagueConfigSchema, leagueConfigHash, type LeagueConfig } from '../config/league-config.ts';
import type { AnyEnv } from '../../envs/index.ts';
import { parseMember, type Member } from '../population/member.ts';
import { LeagueState } from '../runner/league-state.ts';
import type { LeagueRow, LeagueStore, MatchRow } from '../storage/league-store.ts';
import { anchorSpec, type TrainConfig } from './train-config.ts';
import { parseAlphaZeroConfig } from '../../agents/learn/alphazero-config.ts';
import { LeagueError } from '../league-error.ts';

/** A league needs two members; a run without anchors gets this reference member in its league. */
const REFERENCE_ID = 'random';

export class TrainingLeague {
  readonly store: LeagueStore;
  readonly league: LeagueRow;
  readonly state: LeagueState;
  readonly learner: Member;
  readonly anchors: readonly Member[];
  readonly env: AnyEnv;
  readonly config: TrainConfig;

  /** Opens (or creates) the run's league and folds its stored matches; throws 'league-config-changed'. */
  static async open(store: LeagueStore, config: TrainConfig, env: AnyEnv, finalModelDir: string): Promise<TrainingLeague> {
    const leagueConfig = leagueConfigOf(config, env, finalModelDir);
    const configHash = leagueConfigHash(leagueConfig);
    const league = await store.openLeague({ name: config.name, env: env.key, config: leagueConfig, configHash, seed: config.seed });
    if (league.configHash !== configHash) {
      throw new LeagueError(
        'league-config-changed',
        `the store already has a league "${config.name}" with other members or settings`,
        'give the run another name, or use another --store',
      );
    }
    const training = new TrainingLeague(store, config, env, finalModelDir, league, leagueConfig);
    await store.upsertMembers(league.id, [training.learner, ...training.anchors]);
    for (const m of await store.matchSummaries(league.id)) training.state.apply(m);
    return training;
  }

  private constructor(store: LeagueStore, config: TrainConfig, env: AnyEnv, finalModelDir: string, league: LeagueRow, leagueConfig: LeagueConfig) {
    this.store = store;
    this.env = env;
    this.config = config;
    this.league = league;
    this.learner = parseMember({ agentId: config.name, kind: 'learner', env: env.key, agent: memberAgent(config, finalModelDir), createdAt: 0 });
    this.anchors = config.opponents.anchors.map((a) =>
      parseMember({
        agentId: a.agentId,
        kind: 'scripted',
        env: env.key,
        agent: anchorSpec(a),
        createdAt: 0,
        frozen: true,
        anchor: true,
      }),
    );
    this.state = new LeagueState(
      leagueConfig.ratings.elo,
      leagueConfig.ratings.faults,
      env.spec.utility,
      undefined,
      env.dims(env.parseParams(leagueConfig.params)),
    );
  }

  /** A frozen member for the snapshot saved in `dir` at update `update`. */
  async snapshotMember(agentId: string, dir: string, update: number): Promise<Member> {
    const member = parseMember({
      agentId,
      kind: 'snapshot',
      env: this.env.key,
      agent: memberAgent(this.config, dir),
      parentId: this.learner.agentId,
      createdAt: update,
      frozen: true,
    });
    await this.store.upsertMembers(this.league.id, [member]);
    return member;
  }

  /** Stores evaluation games as rated matches; returns `agentId`'s Elo after them. */
  async recordMatches(rows: readonly Omit<MatchRow, 'index'>[], agentId: string): Promise<number> {
    const start = this.state.folded;
    const matches = rows.map((row, i) => ({ ...row, index: start + i }));
    const ratings = matches.flatMap((m) => this.state.apply(m));
    await this.store.commit(this.league.id, matches, ratings, start + matches.length);
    return this.state.elo.rating(agentId);
  }
}

/** How the run's models play as league members: the network alone (PPO), or with search (AlphaZero, as it is evaluated). */
function memberAgent(config: TrainConfig, dir: string) {
  if (config.algorithm !== 'alphazero') return { kind: 'neural', options: { model: dir } };
  const sims = config.alphazero?.evalSimulations ?? config.alphazero?.simulations ?? parseAlphaZeroConfig({}).simulations;
  return { kind: 'alphazero', options: { model: dir, sims } };
}

function leagueConfigOf(config: TrainConfig, env: AnyEnv, finalModelDir: string): LeagueConfig {
  const members: unknown[] = [
    { agentId: config.name, agent: memberAgent(config, finalModelDir), kind: 'learner' },
    ...config.opponents.anchors.map((a) => ({ agentId: a.agentId, agent: anchorSpec(a), kind: 'scripted', anchor: true })),
  ];
  if (members.length < 2)
    members.push({ agentId: config.name === REFERENCE_ID ? `${REFERENCE_ID}-agent` : REFERENCE_ID, agent: { kind: 'random' }, kind: 'scripted', anchor: true });
  return LeagueConfigSchema.parse({
    name: config.name,
    env: env.key,
    params: config.params,
    seed: config.seed,
    members,
    matchmaking: config.opponents.matchmaking,
    stop: { matches: 1 },
  });
}

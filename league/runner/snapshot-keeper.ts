/**
 * Snapshot self-play inside `league run`: at every wave boundary each learner may take a
 * training step (the learner hook) and, when the snapshot rule says so, is frozen into a new
 * population member (then possibly reset, per its role). Every decision depends only on the
 * league state at that boundary, so a resumed league replays them identically.
 */
import { deriveSeed, Rng } from '../../envs/index.ts';
import type { LeagueConfig } from '../config/league-config.ts';
import { memberAgentSpec } from '../config/league-config.ts';
import { parseMember, type Member, type MemberAgent } from '../population/member.ts';
import type { Population } from '../population/population.ts';
import { snapshotReason, takeSnapshot } from '../population/snapshot-schedule.ts';
import type { LeagueStore } from '../storage/league-store.ts';
import type { LeagueState } from './league-state.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

/**
 * A learner's training step between waves: returns its new agent config, or undefined to keep
 * it. Issue-4 learners plug in here; tests use scripted stand-ins (e.g. growing MCTS sims).
 */
export type LearnerHook = (learner: Member, context: { readonly matchIndex: number; readonly state: LeagueState }) => MemberAgent | undefined;

/** The config's members as population members, created at match 0. */
export function configMembers(config: LeagueConfig, envKey: string): Member[] {
  return config.members.map((m) =>
    parseMember({
      agentId: m.agentId,
      kind: m.kind,
      env: envKey,
      agent: memberAgentSpec(m),
      parentId: null,
      createdAt: 0,
      frozen: m.kind === 'scripted',
      anchor: m.anchor,
      ...(m.role ? { role: m.role } : {}),
    }),
  );
}

export class SnapshotKeeper {
  private readonly config: LeagueConfig;
  private readonly store: LeagueStore;
  private readonly leagueId: number;
  private readonly population: Population;
  private readonly hook: LearnerHook | undefined;
  private readonly initialAgents = new Map<string, MemberAgent>();
  /** Learner games at its last snapshot. */
  private readonly gamesAtSnapshot = new Map<string, number>();

  constructor(config: LeagueConfig, store: LeagueStore, leagueId: number, population: Population, hook?: LearnerHook) {
    this.config = config;
    this.store = store;
    this.leagueId = leagueId;
    this.population = population;
    this.hook = hook;
    for (const learner of population.learners()) this.initialAgents.set(learner.agentId, learner.agent);
  }

  /** Runs the training hook and the snapshot rule for every learner at wave start `matchIndex`. */
  async atWaveStart(matchIndex: number, state: LeagueState): Promise<void> {
    const changed: Member[] = [];
    for (const learner of this.population.learners()) {
      const id = learner.agentId;
      const agent = this.hook?.(learner, { matchIndex, state });
      if (agent) changed.push(this.population.updateAgent(id, agent));
      const rule = this.config.snapshots;
      if (!rule) continue;
      const played = state.games.get(id) ?? 0;
      const reason = snapshotReason(rule, {
        learnerId: id,
        population: this.population,
        payoff: state.payoff,
        matchesSinceSnapshot: played - (this.gamesAtSnapshot.get(id) ?? 0),
      });
      if (!reason) continue;
      const taken = takeSnapshot(this.population, id, {
        createdAt: matchIndex,
        initialAgent: this.initialAgents.get(id)!,
        reset: rule.reset,
        rng: new Rng(deriveSeed(this.config.seed, SEED_STREAMS.snapshotReset, matchIndex)),
      });
      this.gamesAtSnapshot.set(id, played);
      changed.push(taken.snapshot, taken.learner);
    }
    if (changed.length > 0) await this.store.upsertMembers(this.leagueId, changed);
  }
}

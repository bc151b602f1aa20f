/**
 * AlphaStar league matchmaking (Vinyals et al. 2019, Methods, and the official pseudocode).
 * Each match first picks the focal learner's role from `roleMix` (renormalised over the
 * roles present), then a learner of that role uniformly, then its opponents:
 *
 * - main agent: coin c ~ U[0,1). c < pfsp: PFSP `hard` over all past players. Otherwise an
 *   opponent main agent M is drawn uniformly (the focal one included). If c falls in the
 *   verification share: first past exploiters the focal agent beats less than
 *   `exploitationThreshold` of the time (PFSP hard over them), else M's snapshots after
 *   `remove_monotonic_suffix` if the focal agent beats one of them less than
 *   `forgettingThreshold` (PFSP hard). Everything else, and a verification with nothing
 *   to verify, is self-play against M, unless the focal agent wins at most
 *   `selfPlayThreshold` against M: then PFSP `variance` over M's snapshots.
 * - main exploiter: a main agent M uniformly. If its win rate against M is below
 *   `threshold` (paper 0.2, pseudocode 0.1), with probability `curriculum` (paper "half of
 *   the time") it plays PFSP `variance` over M's snapshots; otherwise M.
 * - league exploiter: PFSP (`linear_capped` as in the pseudocode) over all past players.
 *
 * "Past players" are the frozen members other than the focal one: snapshots and frozen
 * baselines. Simplifications: a learner without role counts as a main agent; when a branch
 * has no candidate it falls back to the next sensible one (no past players: self-play for
 * main agents, uniform over everyone for league exploiters; no main agents: main
 * exploiters act as league exploiters). With more than two seats the branch is chosen once
 * and each opponent seat is drawn independently from it.
 */
import { z } from 'zod';
import type { Member, MemberRole } from '../population/member.ts';
import { drawOpponents, matchmakerFrom, requireMembers, type Matchmaker, type MatchmakingContext, type Pairing } from './matchmaker.ts';
import { MatchmakingError } from './matchmaking-error.ts';
import { monotonicPrefixLength, PfspWeightingSchema, samplePfsp, type PfspWeighting } from './pfsp-weights.ts';

const Share = z.number().min(0).max(1);

const MainSchema = z
  .object({
    pfsp: Share.default(0.5),
    verification: Share.default(0.15),
    selfPlay: Share.default(0.35),
    /** Exponent of the hard weighting (1 - x)^p; AlphaStar's `squared` is p = 2. */
    p: z.number().positive().max(64).default(2),
    selfPlayThreshold: Share.default(0.3),
    exploitationThreshold: Share.default(0.3),
    forgettingThreshold: Share.default(0.7),
    /** Whose snapshots the verification branch checks (paper and pseudocode: main exploiters only). */
    verificationRoles: z.array(z.enum(['main-exploiter', 'league-exploiter'])).default(['main-exploiter', 'league-exploiter']),
  })
  .strict()
  .refine((m) => Math.abs(m.pfsp + m.verification + m.selfPlay - 1) < 1e-9, {
    message: 'pfsp + verification + selfPlay must sum to 1',
    path: ['selfPlay'],
  });

export const AlphaStarConfigSchema = z
  .object({
    strategy: z.literal('alphastar'),
    /** Share of matches whose focal player has each role. Default: AlphaStar's 3/3/6 learners with equal compute. */
    roleMix: z
      .object({
        main: z.number().min(0).default(0.25),
        mainExploiter: z.number().min(0).default(0.25),
        leagueExploiter: z.number().min(0).default(0.5),
      })
      .strict()
      .refine((r) => r.main + r.mainExploiter + r.leagueExploiter > 0, { message: 'at least one role needs a positive share' })
      .prefault({}),
    main: MainSchema.prefault({}),
    mainExploiter: z
      .object({
        threshold: Share.default(0.2),
        curriculum: Share.default(0.5),
      })
      .strict()
      .prefault({}),
    leagueExploiter: z
      .object({
        weighting: PfspWeightingSchema.default('linear_capped'),
        p: z.number().positive().max(64).default(2),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type AlphaStarConfig = z.infer<typeof AlphaStarConfigSchema>;

interface Choice {
  readonly branch: string;
  readonly draw: () => string;
}

const ROLES: readonly MemberRole[] = ['main', 'main-exploiter', 'league-exploiter'];

export function createAlphaStarMatchmaker(config: AlphaStarConfig): Matchmaker {
  return matchmakerFrom((ctx: MatchmakingContext): Pairing => {
    const { role, focal } = pickFocalByRole(ctx, config);
    const choice =
      role === 'main'
        ? mainChoice(ctx, config, focal)
        : role === 'main-exploiter'
          ? mainExploiterChoice(ctx, config, focal)
          : leagueExploiterChoice(ctx, config, focal);
    return { focal, opponents: drawOpponents(ctx, choice.draw), branch: choice.branch };
  });
}

/** A learner's role; learners without one are main agents. */
function roleOf(member: Member): MemberRole {
  return member.role ?? 'main';
}

function pickFocalByRole(ctx: MatchmakingContext, config: AlphaStarConfig): { role: MemberRole; focal: string } {
  requireMembers(ctx);
  const byRole = new Map<MemberRole, Member[]>();
  for (const m of ctx.population.learners()) byRole.set(roleOf(m), [...(byRole.get(roleOf(m)) ?? []), m]);
  const share = { main: config.roleMix.main, 'main-exploiter': config.roleMix.mainExploiter, 'league-exploiter': config.roleMix.leagueExploiter };
  const roles = ROLES.filter((r) => byRole.has(r) && share[r] > 0);
  if (roles.length === 0) {
    throw new MatchmakingError(
      'no-learners',
      'alphastar matchmaking found no non-frozen learner in a role with a positive roleMix share',
      'add learner members with role main, main-exploiter or league-exploiter, or adjust roleMix',
    );
  }
  const role = roles[ctx.rng.weighted(roles.map((r) => share[r]))]!;
  return { role, focal: ctx.rng.pick(byRole.get(role)!).agentId };
}

function mainAgents(ctx: MatchmakingContext): string[] {
  return ctx.population
    .learners()
    .filter((m) => roleOf(m) === 'main')
    .map((m) => m.agentId);
}

/** Frozen members other than the focal one: AlphaStar's Historical players. */
function pastPlayers(ctx: MatchmakingContext, focal: string): string[] {
  return ctx.population
    .activeOpponents(focal)
    .filter((m) => m.frozen)
    .map((m) => m.agentId);
}

function pfspChoice(ctx: MatchmakingContext, branch: string, focal: string, ids: readonly string[], weighting: PfspWeighting, p: number): Choice {
  const rates = ctx.payoff.winRates(focal, ids);
  return { branch, draw: () => samplePfsp(ctx.rng, ids, rates, weighting, p) };
}

const fixed = (branch: string, id: string): Choice => ({ branch, draw: () => id });

function mainChoice(ctx: MatchmakingContext, config: AlphaStarConfig, focal: string): Choice {
  const cfg = config.main;
  const c = ctx.rng.float();
  const past = pastPlayers(ctx, focal);
  if (c < cfg.pfsp && past.length > 0) return pfspChoice(ctx, 'pfsp', focal, past, 'hard', cfg.p);
  const opponent = ctx.rng.pick(mainAgents(ctx)); // the focal agent is a main agent, so never empty
  if (c >= cfg.pfsp && c < cfg.pfsp + cfg.verification) {
    const verified = verificationChoice(ctx, config, focal, opponent);
    if (verified) return verified;
  }
  return selfPlayChoice(ctx, config, focal, opponent);
}

function selfPlayChoice(ctx: MatchmakingContext, config: AlphaStarConfig, focal: string, opponent: string): Choice {
  if (ctx.payoff.winRate(focal, opponent) > config.main.selfPlayThreshold) return fixed('self-play', opponent);
  const snaps = ctx.population.snapshotsOf(opponent).map((m) => m.agentId);
  if (snaps.length === 0) return fixed('self-play', opponent);
  return pfspChoice(ctx, 'self-play-curriculum', focal, snaps, 'variance', 2);
}

function verificationChoice(ctx: MatchmakingContext, config: AlphaStarConfig, focal: string, opponent: string): Choice | undefined {
  const cfg = config.main;
  const roles = new Set<MemberRole>(cfg.verificationRoles);
  const exploiters = ctx.population
    .activeOpponents(focal)
    .filter((m) => m.kind === 'snapshot' && roles.has(snapshotRole(ctx, m)))
    .map((m) => m.agentId);
  const exploiterRates = ctx.payoff.winRates(focal, exploiters);
  if (exploiters.length > 0 && Math.min(...exploiterRates) < cfg.exploitationThreshold) {
    return pfspChoice(ctx, 'verification-exploiters', focal, exploiters, 'hard', cfg.p);
  }
  const snaps = ctx.population.snapshotsOf(opponent).map((m) => m.agentId);
  const kept = snaps.slice(0, monotonicPrefixLength(ctx.payoff.winRates(focal, snaps)));
  if (kept.length > 0 && Math.min(...ctx.payoff.winRates(focal, kept)) < cfg.forgettingThreshold) {
    return pfspChoice(ctx, 'verification-forgetting', focal, kept, 'hard', cfg.p);
  }
  return undefined;
}

/** A snapshot's role, or its parent's when the snapshot record carries none. */
function snapshotRole(ctx: MatchmakingContext, snapshot: Member): MemberRole {
  if (snapshot.role) return snapshot.role;
  const parent = snapshot.parentId === null ? undefined : ctx.population.find(snapshot.parentId);
  return parent ? roleOf(parent) : 'main';
}

function mainExploiterChoice(ctx: MatchmakingContext, config: AlphaStarConfig, focal: string): Choice {
  const mains = mainAgents(ctx);
  if (mains.length === 0) return leagueExploiterChoice(ctx, config, focal);
  const opponent = ctx.rng.pick(mains);
  if (ctx.payoff.winRate(focal, opponent) >= config.mainExploiter.threshold) return fixed('exploit-main', opponent);
  if (ctx.rng.float() < config.mainExploiter.curriculum) {
    const snaps = ctx.population.snapshotsOf(opponent).map((m) => m.agentId);
    if (snaps.length > 0) return pfspChoice(ctx, 'exploit-curriculum', focal, snaps, 'variance', 2);
  }
  return fixed('exploit-main', opponent);
}

function leagueExploiterChoice(ctx: MatchmakingContext, config: AlphaStarConfig, focal: string): Choice {
  const past = pastPlayers(ctx, focal);
  if (past.length > 0) return pfspChoice(ctx, 'league-pfsp', focal, past, config.leagueExploiter.weighting, config.leagueExploiter.p);
  const others = ctx.population.activeOpponents(focal).map((m) => m.agentId);
  if (others.length === 0) return fixed('self-play', focal);
  return { branch: 'fallback-uniform', draw: () => ctx.rng.pick(others) };
}

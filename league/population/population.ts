/**
 * The members of one league, in insertion order (which matchmaking relies on for
 * determinism). Stored members are validated, copied and deep-frozen: a caller can never
 * change a member in place; learners change only through `updateAgent`, which replaces the
 * record, and frozen members (snapshots) never change at all.
 */
import { z } from 'zod';
import { formatZodError } from '../../envs/index.ts';
import {
  copyAgent,
  deepFreeze,
  MemberSchema,
  parseMember,
  type Member,
  type MemberAgent,
  type MemberInput,
  type MemberKind,
  type MemberRole,
} from './member.ts';
import { PopulationError } from './population-error.ts';

export const PopulationJsonSchema = z.object({ members: z.array(MemberSchema) });
export type PopulationJson = z.infer<typeof PopulationJsonSchema>;

export interface MemberFilter {
  readonly kind?: MemberKind | readonly MemberKind[];
  /** Members without a role match only when `role` is not given. */
  readonly role?: MemberRole | readonly MemberRole[];
  readonly frozen?: boolean;
  readonly anchor?: boolean;
}

export class Population {
  private readonly members = new Map<string, Member>();
  /**
   * Views matchmaking asks for on every match, kept until the population changes, so a
   * pairing costs no O(population) allocation (bench:league scaling).
   */
  #all: readonly Member[] | undefined;
  #learners: readonly Member[] | undefined;
  readonly #opponentIds = new Map<string, readonly string[]>();
  readonly #frozenOpponentIds = new Map<string, readonly string[]>();

  constructor(members: readonly MemberInput[] = []) {
    for (const member of members) this.add(member);
  }

  get size(): number {
    return this.members.size;
  }

  /** Validates, copies and freezes `member`, then adds it. Returns the stored record. */
  add(member: MemberInput): Member {
    const parsed = deepFreeze(parseMember(structuredClone(member)));
    if (this.members.has(parsed.agentId)) {
      throw new PopulationError('duplicate-member', `a member "${parsed.agentId}" is already in the population`, 'give every member its own agentId');
    }
    this.members.set(parsed.agentId, parsed);
    this.#changed();
    return parsed;
  }

  has(agentId: string): boolean {
    return this.members.has(agentId);
  }

  find(agentId: string): Member | undefined {
    return this.members.get(agentId);
  }

  get(agentId: string): Member {
    const member = this.members.get(agentId);
    if (!member) {
      throw new PopulationError('unknown-member', `no member "${agentId}" in the population`, `known: ${[...this.members.keys()].join(', ') || '(none)'}`);
    }
    return member;
  }

  /** Members in insertion order, optionally filtered. */
  list(filter: MemberFilter = {}): Member[] {
    const kinds = toSet(filter.kind);
    const roles = toSet(filter.role);
    const out: Member[] = [];
    for (const m of this.members.values()) {
      if (kinds && !kinds.has(m.kind)) continue;
      if (roles && (m.role === undefined || !roles.has(m.role))) continue;
      if (filter.frozen !== undefined && m.frozen !== filter.frozen) continue;
      if (filter.anchor !== undefined && m.anchor !== filter.anchor) continue;
      out.push(m);
    }
    return out;
  }

  /** Every member in insertion order: one shared array until the population changes. */
  all(): readonly Member[] {
    this.#all ??= Object.freeze(this.list());
    return this.#all;
  }

  /** Learners that are still learning (kind learner, not frozen); shared until a change. */
  learners(): readonly Member[] {
    this.#learners ??= Object.freeze(this.list({ kind: 'learner', frozen: false }));
    return this.#learners;
  }

  /**
   * Everyone `focalId` can be matched against: every other member playing the same env.
   * Nothing is retired in this model, so "active" excludes only the focal member itself.
   */
  activeOpponents(focalId: string): Member[] {
    const focal = this.get(focalId);
    return this.all().filter((m) => m.agentId !== focalId && m.env === focal.env);
  }

  /**
   * The agentIds of `activeOpponents(focalId)` (only the frozen ones with `frozenOnly`), as
   * one array that stays the same object until the population changes: callers may key
   * caches on it (PayoffTable.winRateRow).
   */
  opponentIds(focalId: string, frozenOnly = false): readonly string[] {
    const cache = frozenOnly ? this.#frozenOpponentIds : this.#opponentIds;
    let ids = cache.get(focalId);
    if (!ids) {
      ids = Object.freeze(
        this.activeOpponents(focalId)
          .filter((m) => !frozenOnly || m.frozen)
          .map((m) => m.agentId),
      );
      cache.set(focalId, ids);
    }
    return ids;
  }

  /** Snapshots taken from `learnerId`, oldest first (by createdAt, then insertion order). */
  snapshotsOf(learnerId: string): Member[] {
    const snaps = this.list({ kind: 'snapshot' }).filter((m) => m.parentId === learnerId);
    return snaps.sort((a, b) => a.createdAt - b.createdAt); // stable: ties keep insertion order
  }

  latestSnapshot(learnerId: string): Member | undefined {
    return this.snapshotsOf(learnerId).at(-1);
  }

  /** Replaces a non-frozen member's agent config (a training step or a reset). */
  updateAgent(agentId: string, agent: MemberAgent): Member {
    const current = this.get(agentId);
    if (current.frozen) {
      throw new PopulationError(
        'frozen-member',
        `member "${agentId}" is frozen; its agent config cannot change`,
        'snapshots are immutable: change the learner they came from',
      );
    }
    const next = deepFreeze(parseMember({ ...current, agent: copyAgent(agent) }));
    this.members.set(agentId, next);
    this.#changed();
    return next;
  }

  #changed(): void {
    this.#all = undefined;
    this.#learners = undefined;
    this.#opponentIds.clear();
    this.#frozenOpponentIds.clear();
  }

  toJSON(): PopulationJson {
    return { members: structuredClone(this.list()) };
  }

  static fromJSON(json: unknown): Population {
    const parsed = PopulationJsonSchema.safeParse(json);
    if (!parsed.success) {
      throw new PopulationError(
        'bad-population',
        `bad population: ${formatZodError(parsed.error)}`,
        'the JSON must be {members: Member[]} as written by Population.toJSON',
      );
    }
    return new Population(parsed.data.members);
  }
}

function toSet<T>(value: T | readonly T[] | undefined): Set<T> | undefined {
  if (value === undefined) return undefined;
  return new Set(Array.isArray(value) ? (value as readonly T[]) : [value as T]);
}

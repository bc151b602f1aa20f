/**
 * Trajectories for trainers (`ludus league export --format trajectories`): JSONL, one line per
 * (match, seat, turn) of every match with a replay record, in match order. Each stored record
 * is replayed to recover what the seat saw (its observation text), the action and its text,
 * and the reward that seat received from its move until its next one; text agents add the
 * raw reply from the match's move notes. Optionally SPIRAL's role-conditioned advantage
 * estimation: one EMA baseline of the final return per (env, role), read before it is
 * updated with each match, so `advantage = return - baseline`.
 */
import { notesOfMoves } from '../agents/move-note.ts';
import { Episode, getEnv, type AnyEnv, type EpisodeRecord, type Seat } from '../envs/index.ts';
import type { LeagueRow, LeagueStore, MatchRow } from './storage/league-store.ts';

export interface TrajectoryOptions {
  /** Role-conditioned EMA baseline (SPIRAL's RAE) with this decay, e.g. 0.95; none when unset. */
  readonly baselineDecay?: number;
  /** Only the seats this agentId played. */
  readonly agent?: string;
}

export interface TrajectoryStep {
  readonly league: string;
  readonly match: number;
  readonly env: string;
  readonly seed: number;
  readonly seat: number;
  readonly role: string;
  readonly agent: string;
  /** This seat's turn number in the match: 0, 1, 2, ... */
  readonly turn: number;
  /** Index of the move in the replay record's history. */
  readonly step: number;
  readonly observation: string;
  /** The raw text of a text agent (language model); null for other agents. */
  readonly reply: string | null;
  /** The action id; null in text-only envs, whose moves are the reply itself. */
  readonly action: number | null;
  readonly actionText: string;
  /** What the seat received from this move until its next move (or the end). */
  readonly reward: number;
  /** The seat's final return in the match. */
  readonly return: number;
  /** Last turn of this seat in the match. */
  readonly done: boolean;
  readonly status: MatchRow['status'];
  /** Set on every line of a faulted match: the seat at fault (an invalid move or a failed agent). */
  readonly faultSeat: number | null;
  readonly baseline?: number;
  readonly advantage?: number;
}

/** The role of a seat in trajectories: envs have numbered seats, named as TextArena does. */
export const roleOf = (seat: Seat): string => `player-${seat}`;

/** Lines in match order; a generator, so a large league streams instead of filling memory. */
export async function* trajectoryLines(store: LeagueStore, league: LeagueRow, options: TrajectoryOptions = {}): AsyncGenerator<string> {
  const env = getEnv(league.env);
  const baselines = new Map<string, number>();
  for (const summary of await store.matchSummaries(league.id)) {
    const match = await store.getMatch(league.id, summary.index);
    if (!match?.record) continue;
    const steps = matchSteps(env, league, match, match.record).filter((s) => options.agent === undefined || s.agent === options.agent);
    if (options.baselineDecay === undefined) {
      for (const s of steps) yield JSON.stringify(s);
      continue;
    }
    const before = new Map<string, number>();
    for (const s of steps) {
      const key = `${s.env}\u0000${s.role}`;
      if (!before.has(key)) before.set(key, baselines.get(key) ?? 0);
      const baseline = before.get(key)!;
      yield JSON.stringify({ ...s, baseline, advantage: s.return - baseline });
    }
    // One update per (match, role) with its final return, after the match's lines used the old value.
    for (const s of steps) {
      if (!s.done) continue;
      const key = `${s.env}\u0000${s.role}`;
      baselines.set(key, options.baselineDecay * (baselines.get(key) ?? 0) + (1 - options.baselineDecay) * s.return);
    }
  }
}

/** Replays one match record into per-seat steps. */
export function matchSteps(env: AnyEnv, league: LeagueRow, match: MatchRow, record: EpisodeRecord): TrajectoryStep[] {
  const episode = new Episode(env, record.params, record.seed);
  const replies = new Map(notesOfMoves(record.history, match.notes).map((n) => [`${n.step}:${n.seat}`, n.note.reply]));
  const steps: (Omit<TrajectoryStep, 'reward' | 'done'> & { reward: number; done: boolean })[] = [];
  const open = new Map<Seat, number>(); // seat -> index in steps of its latest move
  const turns = new Map<Seat, number>();
  const faultSeat = match.fault?.seat ?? null;
  record.history.forEach((entry, i) => {
    if (entry.kind === 'chance') {
      episode.resolveChance(entry.action);
    } else if (entry.kind === 'text') {
      // A text env's move is the text itself; the env's verdict says what it did.
      const turn = turns.get(entry.seat) ?? 0;
      turns.set(entry.seat, turn + 1);
      open.set(entry.seat, steps.length);
      const observation = episode.observe(entry.seat).text;
      const verdict = episode.stepText(entry.seat, entry.text);
      steps.push({
        league: league.name,
        match: match.index,
        env: env.key,
        seed: match.seed,
        seat: entry.seat,
        role: roleOf(entry.seat),
        agent: match.seats[entry.seat] ?? '',
        turn,
        step: i,
        observation,
        reply: replies.get(`${i}:${entry.seat}`) ?? entry.text,
        action: verdict.kind === 'move' ? (verdict.action ?? null) : null,
        actionText: verdict.kind === 'move' ? verdict.summary : `invalid: ${verdict.reason}`,
        reward: 0,
        return: match.returns[entry.seat] ?? 0,
        done: false,
        status: match.status,
        faultSeat,
      });
    } else {
      const moves =
        entry.kind === 'decision' ? [[entry.seat, entry.action] as const] : entry.actions.flatMap((a, seat) => (a === null ? [] : [[seat, a] as const]));
      for (const [seat, action] of moves) {
        const turn = turns.get(seat) ?? 0;
        turns.set(seat, turn + 1);
        open.set(seat, steps.length);
        steps.push({
          league: league.name,
          match: match.index,
          env: env.key,
          seed: match.seed,
          seat,
          role: roleOf(seat),
          agent: match.seats[seat] ?? '',
          turn,
          step: i,
          observation: episode.observe(seat).text,
          reply: replies.get(`${i}:${seat}`) ?? null,
          action,
          actionText: env.actionText(episode.state, seat, action),
          reward: 0,
          return: match.returns[seat] ?? 0,
          done: false,
          status: match.status,
          faultSeat,
        });
      }
      if (entry.kind === 'decision') episode.step(entry.seat, entry.action);
      else episode.stepJoint(entry.actions);
    }
    // Rewards go to each seat's latest move (rewards before a seat's first move have no move to go to).
    episode.rewards.forEach((r, seat) => {
      const at = open.get(seat);
      if (at !== undefined && r !== 0) steps[at]!.reward += r;
    });
  });
  for (const at of open.values()) steps[at]!.done = true;
  return steps;
}

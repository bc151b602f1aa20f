/** The seats of a match: who plays (agentId and kind), whose turn, clocks, connection, result and rating change. */
import type { MatchEndMessage, MatchStartMessage, StateMessage } from '../../../protocol/messages.ts';
import { getEnv } from '../../../envs/index.ts';
import { palette, seatColor } from '../theme.ts';

/** The team of each seat when the env has teams (team volley): players are coloured by team. */
function teamsOf(start: MatchStartMessage | undefined): readonly number[] | undefined {
  if (!start) return undefined;
  try {
    const env = getEnv(start.env);
    return env.dims(env.parseParams((start.params ?? {}) as Record<string, unknown>)).teams;
  } catch {
    return undefined;
  }
}

export interface SeatInfo {
  readonly seat: number;
  readonly agentId: string | null;
  /** anchor / learner / snapshot / external / human / agent ... */
  readonly kind?: string | undefined;
}

export interface PlayersProps {
  readonly seats: readonly SeatInfo[];
  readonly start?: MatchStartMessage | undefined;
  readonly state?: StateMessage | undefined;
  readonly end?: MatchEndMessage | undefined;
  /** Final returns when there is no match:end message (replays). */
  readonly returns?: readonly number[] | null | undefined;
  readonly now?: number;
  /** The seat this page plays (Play page). */
  readonly me?: number | undefined;
}

const seconds = (ms: number): string =>
  ms >= 60_000 ? `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

export function playerName(seats: readonly SeatInfo[], start: MatchStartMessage | undefined, seat: number): string {
  return seats.find((s) => s.seat === seat)?.agentId ?? start?.players.find((p) => p.seat === seat)?.name ?? `seat ${seat}`;
}

export function Players({ seats, start, state, end, returns, now, me }: PlayersProps) {
  const count = Math.max(seats.length, start?.numPlayers ?? 0, state?.connected.length ?? 0);
  const finalReturns = end?.returns ?? returns ?? null;
  const p = palette();
  const teams = teamsOf(start);
  return (
    <div class="players">
      {Array.from({ length: count }, (_, seat) => {
        const info = seats.find((s) => s.seat === seat);
        const toAct = state?.turn.seats.includes(seat) ?? false;
        const deadline = state?.deadlines[seat] ?? null;
        const bank = state?.timeBanks[seat] ?? null;
        const change = end?.ratingChange?.find((r) => r.seat === seat);
        const delta = change ? change.after - change.before : undefined;
        const connected = state?.connected[seat];
        return (
          <div key={seat} class={toAct && !end ? 'player to-act' : 'player'} data-seat={seat}>
            <div class="row">
              <span class="dot" style={{ background: seatColor(p, teams?.[seat] ?? seat) }} title={teams ? `team ${teams[seat]}` : undefined} />
              <strong>{playerName(seats, start, seat)}</strong>
              {me === seat ? <span class="badge live">you</span> : null}
              {info?.kind ? <span class="badge">{info.kind}</span> : null}
              {connected === false ? (
                <span class="badge aborted" title="disconnected">
                  offline
                </span>
              ) : null}
            </div>
            <div class="row small">
              {toAct && !end && deadline !== null && now !== undefined ? (
                <span class="mono clock" title="time left for this move">
                  {seconds(Math.max(0, deadline - now))} left
                </span>
              ) : null}
              {bank !== null ? (
                <span class="mono muted" title="time bank">
                  {seconds(bank)}
                </span>
              ) : null}
              {finalReturns ? (
                <span class="mono result" data-return={finalReturns[seat]}>
                  {fmt(finalReturns[seat] ?? 0)}
                </span>
              ) : null}
              {change && delta !== undefined ? (
                <span class={`mono ${delta >= 0 ? 'up' : 'down'}`} title={`Elo ${change.before.toFixed(0)} → ${change.after.toFixed(0)}`}>
                  {change.after.toFixed(0)} ({delta >= 0 ? '+' : ''}
                  {delta.toFixed(1)})
                </span>
              ) : null}
            </div>
          </div>
        );
      })}
    </div>
  );
}

const fmt = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** "seat 0 wins" / "draw" / "aborted" from the returns. */
export function resultText(returns: readonly number[] | null | undefined, names: (seat: number) => string, reason?: string): string {
  if (reason === 'aborted') return 'aborted';
  if (!returns || returns.length === 0) return '';
  const best = Math.max(...returns);
  const winners = returns.map((r, i) => (r === best ? i : -1)).filter((i) => i >= 0);
  const how = reason === 'forfeit' ? ' (forfeit)' : '';
  if (winners.length === returns.length) return `draw${how}`;
  return `${winners.map(names).join(' and ')} win${winners.length === 1 ? 's' : ''}${how}`;
}

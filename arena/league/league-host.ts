/**
 * Where a live league's matches run. On one process that is its MatchManager
 * (`LocalLeagueHost`); in a cluster the league's scheduler places each match on a chosen
 * process (arena/cluster/cluster-league-host.ts), and it only hears how the match ends. A
 * HostedMatch is the scheduler's handle either way: its seat tokens, the server its players
 * join it on, how to abort it, and its end.
 */
import type { RatingChange } from '../../protocol/messages.ts';
import type { CreateMatchInput, MatchManagerApi } from '../lobby/match-manager-api.ts';
import type { FinishedMatch } from '../match/match-log.ts';
import type { MatchRunner } from '../match/match-runner.ts';
import type { LeagueRow } from '../../league/storage/league-store.ts';

export interface HostedMatchEnd {
  readonly matchId: string;
  readonly returns: readonly number[];
  readonly reason: FinishedMatch['reason'];
  readonly ratingChange: readonly RatingChange[] | undefined;
  /** False for a match that died with its process (aborted by the survivors, never stored as a league match). */
  readonly stored: boolean;
}

export interface HostedMatch {
  readonly matchId: string;
  readonly seatTokens: readonly (string | null)[];
  /** The process its players join it on (`http://host:port`); undefined: this one. */
  readonly server: string | undefined;
  /** Ended, as far as this process knows. */
  readonly isOver: boolean;
  /** Ends the match now (stored as aborted); with `unstarted`, only if no seat has joined it all the way yet. */
  abort(options?: { readonly unstarted?: boolean }): void;
  /** Calls `listener` once, when the match ends (at once if it has). */
  onEnded(listener: (end: HostedMatchEnd) => void): void;
}

export interface LeagueMatchHost {
  create(input: CreateMatchInput): Promise<HostedMatch>;
  /** The league's matches still running that an earlier scheduler started, with their seats (a new cluster leader takes them over). */
  adopt(league: LeagueRow): Promise<{ readonly match: HostedMatch; readonly seats: readonly string[] }[]>;
  /** Forgets the matches it follows (a scheduler that stops leading); the matches themselves play on. */
  forget(): void;
}

/** A match of this process, through its runner. */
export function localHostedMatch(runner: MatchRunner, seatTokens: readonly (string | null)[], server?: string): HostedMatch {
  return {
    matchId: runner.matchId,
    seatTokens,
    server,
    get isOver() {
      return runner.isOver;
    },
    abort(options = {}) {
      if (runner.isOver || (options.unstarted === true && runner.isStarted)) return;
      runner.abort();
    },
    onEnded(listener) {
      const ended = (result: FinishedMatch): void =>
        listener({ matchId: result.matchId, returns: result.returns, reason: result.reason, ratingChange: result.ratingChange, stored: true });
      if (runner.result !== undefined) {
        ended(runner.result);
        return;
      }
      const unsubscribe = runner.subscribe((event) => {
        if (event.kind !== 'finished') return;
        unsubscribe();
        ended(event.result);
      });
    },
  };
}

/** One process: every match on its own MatchManager. */
export class LocalLeagueHost implements LeagueMatchHost {
  private readonly matches: MatchManagerApi;

  constructor(matches: MatchManagerApi) {
    this.matches = matches;
  }

  async create(input: CreateMatchInput): Promise<HostedMatch> {
    const created = await this.matches.create(input);
    return localHostedMatch(this.matches.get(created.matchId)!, created.seatTokens);
  }

  /** Nothing outlives a single process's scheduler: its matches were aborted at start. */
  async adopt(): Promise<{ readonly match: HostedMatch; readonly seats: readonly string[] }[]> {
    return [];
  }

  forget(): void {}
}

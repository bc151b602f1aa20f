/**
 * The live league's log lines (`ludus serve --league FILE`, `ludus start`). A server's log is a file or a
 * terminal scrolling past, so no progress bar: one line every few seconds (matches played,
 * rate, live matches, leader by Elo), and one when the league stops.
 */
import type { LiveLeague, LiveLeagueProgress } from '../../arena/league/live-league.ts';

/** e.g. "league c4: 1200/100000 matches (3.1/s), 4 live, leader mcts-200 (Elo 1164)". */
export function leagueProgressLine(name: string, progress: LiveLeagueProgress, perSecond?: number): string {
  const count = progress.target === undefined ? `${progress.done}` : `${progress.done}/${progress.target}`;
  const rate = perSecond === undefined ? '' : ` (${perSecond.toFixed(1)}/s)`;
  const leader = progress.leader === null ? 'no leader yet' : `leader ${progress.leader} (Elo ${Math.round(progress.leaderElo!)})`;
  return `league ${name}: ${count} matches${rate}, ${progress.live} live, ${leader}`;
}

/** Writes a progress line every `intervalMs` and one when the league stops; returns the function that stops the lines. */
export function followLiveLeague(league: LiveLeague, write: (line: string) => void, intervalMs = 10_000, now: () => number = Date.now): () => void {
  const name = league.config.name;
  let last = { at: now(), done: league.progress().done };
  const timer = setInterval(() => {
    if (!league.isScheduling) return; // a cluster process standing by: the scheduler's process reports
    const progress = league.progress();
    const at = now();
    write(leagueProgressLine(name, progress, (progress.done - last.done) / Math.max((at - last.at) / 1000, 1e-3)));
    last = { at, done: progress.done };
  }, intervalMs);
  timer.unref();
  const unsubscribe = league.subscribe((event) => {
    if (event.kind === 'waiting') write(`league ${name}: waiting for agents to connect (available: ${event.available.join(', ') || 'none'})`);
    else if (event.kind === 'error') write(`league ${name}: ${event.message}`);
    else if (event.kind === 'leading')
      write(`league ${name}: this process schedules the league now (${event.progress.done} matches stored, ${event.adopted} running taken over)`);
    else if (event.kind === 'standing-by') write(`league ${name}: standing by (another process schedules the league)`);
    else if (event.kind === 'stopped') {
      clearInterval(timer);
      write(`${leagueProgressLine(name, event.progress)}; stopped${event.reason === 'stopped' ? '' : ` (${event.reason})`}`);
    }
  });
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}

/**
 * Runs a callback that arrives outside any runner operation (a timer, an agent's answer): a throw
 * there is logged and aborts the match, never the process. Both engines guard their callbacks so.
 */
import { errorText, type MatchLog } from './match-log.ts';

export function runGuarded(fn: () => void, log: MatchLog, abort: () => void, done: () => void): void {
  try {
    fn();
  } catch (error) {
    log.note({ kind: 'internal', message: errorText(error) });
    try {
      abort();
    } catch (endError) {
      log.note({ kind: 'internal', message: `abort failed: ${errorText(endError)}` });
    }
  }
  done();
}

/**
 * What every env queue (one process's, or the cluster's on Redis) checks before an entry
 * waits: the agent's unfinished matches under the cap, and a move time within the server's
 * bounds. One place, so both queues refuse the same entries with the same errors.
 */
import { QUEUE_MOVE_TIME_BOUNDS } from '../../protocol/assignment.ts';
import { ArenaError } from '../arena-error.ts';

export interface QueueLimits {
  readonly maxMatches: number;
  readonly startTimeoutMs: number;
  readonly defaultMoveTimeMs: number;
  readonly maxMoveTimeMs: number;
}

/** Throws 'too-many-matches' or 'bad-request' for an entry the queue must refuse. */
export function checkQueueEntry(entry: { readonly agentId: string; readonly moveTimeMs?: number }, held: number, limits: QueueLimits): void {
  if (held >= limits.maxMatches) {
    throw new ArenaError(
      'too-many-matches',
      `agent "${entry.agentId}" holds ${held} unfinished matches, the most allowed`,
      `join or finish them first; a pairing nobody joins is aborted after ${Math.round(limits.startTimeoutMs / 1000)} s`,
    );
  }
  if (entry.moveTimeMs !== undefined && (entry.moveTimeMs < QUEUE_MOVE_TIME_BOUNDS.min || entry.moveTimeMs > limits.maxMoveTimeMs)) {
    throw new ArenaError(
      'bad-request',
      `moveTimeMs ${entry.moveTimeMs} is outside this server's bounds`,
      `ask for ${QUEUE_MOVE_TIME_BOUNDS.min} to ${limits.maxMoveTimeMs} ms, or omit it for ${limits.defaultMoveTimeMs} ms`,
    );
  }
}

/** Errors of headless leagues and evaluations played on a job queue (BullMQ on Redis). */
import { errorClass } from '../../envs/index.ts';

export const QUEUE_ERROR_CODES = {
  'bad-queue-url': 'the queue URL is not a redis:// or rediss:// URL',
  'queue-unreachable': { description: "the queue's Redis server does not answer", status: 503, exit: 1 },
  'queue-needs-shared-store': 'a league played on a queue needs a store every worker reaches (a PostgreSQL --database)',
  'bad-job': 'a job on the queue does not fit the match job schema (another program or Ludus version put it there)',
  'league-not-in-store': {
    description: "a job names a league that is not in the worker's store (the worker and the coordinator use different databases)",
    status: 409,
    exit: 1,
  },
  'match-job-failed': { description: 'a match job failed on the workers after its retries', status: 500, exit: 1 },
} as const;

export type QueueErrorCode = keyof typeof QUEUE_ERROR_CODES;

export class QueueError extends errorClass<QueueErrorCode>('QueueError', QUEUE_ERROR_CODES) {}

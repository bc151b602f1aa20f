/**
 * Errors of the league population (members, snapshots, snapshot rules). Codes are stable
 * and kebab-case; the hint says what the caller should do.
 */
import { errorClass } from '../../envs/index.ts';

export const POPULATION_ERROR_CODES = {
  'bad-member': 'a member record does not pass MemberSchema',
  'duplicate-member': 'a member with that agentId is already in the population',
  'unknown-member': 'no member has that agentId',
  'frozen-member': 'the member is frozen (a snapshot or pinned baseline) and cannot change',
  'not-a-learner': 'the operation needs a learner member',
  'bad-population': 'a serialized population does not pass its schema',
  'bad-snapshot-rule': 'a snapshot or reset rule does not pass its schema',
} as const;

export type PopulationErrorCode = keyof typeof POPULATION_ERROR_CODES;

export class PopulationError extends errorClass<PopulationErrorCode>('PopulationError', POPULATION_ERROR_CODES) {}

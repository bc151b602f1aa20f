/**
 * Errors of tabular policies, game trees and solvers. Codes are stable and kebab-case; every
 * one is about input that does not fit (an env too large or with imperfect recall, a policy
 * that misses an information set or puts mass on an illegal action).
 */
import { errorClass } from '../../envs/index.ts';

export const POLICY_ERROR_CODES = {
  'unsupported-env': 'the env cannot be walked as a finite game tree (sampled chance, no players)',
  'tree-too-large': 'the full game tree has more nodes than the allowed maximum',
  'imperfect-recall': "two histories of one information set differ in the seat's own past actions",
  'inconsistent-infoset': 'two histories of one information set have different legal actions',
  'missing-infoset': 'a tabular policy has no entry for an information set of the game',
  'bad-policy': 'policy probabilities are negative, not finite, on illegal actions or do not sum to 1',
  'bad-solver-options': 'solver options do not pass their schema',
} as const;

export type PolicyErrorCode = keyof typeof POLICY_ERROR_CODES;

export class PolicyError extends errorClass<PolicyErrorCode>('PolicyError', POLICY_ERROR_CODES) {}

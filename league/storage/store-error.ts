/** The league store's catalog: opening a store, its schema version, arena rows, agent accounts. */
import { errorClass } from '../../envs/index.ts';

export const STORE_ERROR_CODES = {
  'store-missing': { description: 'there is no league store at that path', status: 404 },
  'store-unavailable': { description: 'the store cannot be opened (permissions, a broken file, a full disk)', status: 503, exit: 1 },
  'store-outdated': { description: 'the store has an older schema version than this Ludus', status: 409 },
  'store-too-new': { description: 'the store has a newer schema version than this Ludus', status: 409 },
  'unknown-match': { description: 'no arena match with that id is in the store', status: 404 },
  'append-conflict': { description: 'another match was appended to the league while an arena match was being rated', status: 409 },
  'agent-exists': { description: 'an agent with that agentId is already registered', status: 409 },
} as const;

export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

export class StoreError extends errorClass<StoreErrorCode>('StoreError', STORE_ERROR_CODES) {}

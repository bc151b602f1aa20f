export type * from './core/env.ts';
export { actingSeats, isTruncatedState } from './core/env.ts';
export { numTeams, teammates, teamOf, teamSeats } from './core/teams.ts';
export { defineEnv, formatZodError, knownKeysErrorMap, type EnvDefinition } from './core/define-env.ts';
export { Episode, EpisodeRecordSchema, HistoryEntrySchema, type EpisodeRecord, type HistoryEntry } from './core/episode.ts';
export * from './core/errors.ts';
export { observe, type Observation } from './core/observation.ts';
export { Rng, deriveSeed, mix32, type RngState } from './core/rng.ts';
export { SEED_STREAMS } from './core/seed-streams.ts';
export { stepEpisode, stepState, type BeforeApply, type StepKind } from './core/step-episode.ts';
export { isTextAnswer, isTextOnly, textMoveLimits, type Answer, type TextAnswer } from './core/text-moves.ts';
export {
  actionJsonSchema,
  actionVocabulary,
  MAX_REPLY_CHARS,
  normalizeActionText,
  parseActionReply,
  parseActionText,
  textPrompt,
  tryParseActionText,
  type ParsedReply,
  type ReplySource,
  type TextPrompt,
} from './core/text.ts';
export { CHANCE, TERMINAL, decision, simultaneous } from './core/turns.ts';
export { SPIRAL_INVALID_ACTION, spiralExtract, spiralFormat } from './textarena/spiral.ts';
export { proposeSolveEnv, type TaskFamily } from './games/propose-solve/index.ts';
export { ENVS, envKeys, getEnv, listEnvs } from './registry.ts';
export { sizeOf, zeros } from './core/tensor.ts';

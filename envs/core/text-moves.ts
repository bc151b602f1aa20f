/**
 * Free-text moves as an answer form. An env that judges text itself (`dims.textActions` and
 * `applyText`) takes a reply as it is; a text-only env (no action ids) takes nothing else.
 * Loops that ask players (`stepEpisode`, the arena's engine) answer such envs with a
 * `TextAnswer` and step it with `Episode.stepText`, which returns the env's verdict.
 */
import type { ActionId, AnyEnv } from './env.ts';

/** A free-text answer at a decision node of an env that judges text. */
export interface TextAnswer {
  readonly text: string;
}

/** What a player gives at a decision: an action id, or free text for envs that judge it. */
export type Answer = ActionId | TextAnswer;

/** The env's bound on a reply when it judges free text with these (parsed) params, else undefined. */
export function textMoveLimits(env: AnyEnv, params: unknown): { readonly maxChars: number } | undefined {
  return env.applyText === undefined ? undefined : env.dims(params).textActions;
}

/** The env takes only free text with these params: it judges text and has no action ids. */
export function isTextOnly(env: AnyEnv, params: unknown): boolean {
  return textMoveLimits(env, params) !== undefined && env.dims(params).numDistinctActions === 0;
}

export const isTextAnswer = (answer: unknown): answer is TextAnswer =>
  typeof answer === 'object' && answer !== null && typeof (answer as { text?: unknown }).text === 'string' && !('then' in answer);

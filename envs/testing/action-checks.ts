/**
 * The two action forms agree: every legal id has a unique text that parses back to it (and
 * aliases naming no other legal action), and a structured action that passes `actionSchema`,
 * survives JSON and encodes back to it.
 */
import type { ActionId, AnyEnv, Seat } from '../core/env.ts';
import { normalizeActionText, parseActionText } from '../core/text.ts';
import { check, fail, jsonRoundTrip, type Where } from './where.ts';

/** parseActionText is linear in the legal set; past this many ids, round trips use a sample. */
const ROUND_TRIP_LIMIT = 64;

function sample(ids: readonly ActionId[]): readonly ActionId[] {
  if (ids.length <= ROUND_TRIP_LIMIT) return ids;
  const step = ids.length / ROUND_TRIP_LIMIT;
  return Array.from({ length: ROUND_TRIP_LIMIT }, (_, i) => ids[Math.floor(i * step)]!);
}

/** Texts are non-empty and unique after normalization (what the parser compares). */
function checkUniqueTexts(texts: readonly string[], ids: readonly ActionId[], where: Where): void {
  const byText = new Map<string, ActionId>();
  texts.forEach((text, i) => {
    const id = ids[i]!;
    check(typeof text === 'string' && text.trim() !== '', where, () => `actionText(${id}) is empty`);
    const key = normalizeActionText(text);
    const other = byText.get(key);
    check(other === undefined, where, () => `actions ${other} and ${id} have the same text "${text}"`);
    byText.set(key, id);
  });
}

/** An alias is a name of its own action only: no other legal action has it as text or alias. */
function checkAliases(env: AnyEnv, state: unknown, seat: Seat, legal: readonly ActionId[], where: Where): void {
  if (!env.actionAliases) return;
  const owner = new Map<string, ActionId>();
  for (const id of legal) owner.set(normalizeActionText(env.actionText(state, seat, id)), id);
  for (const id of legal) {
    for (const alias of env.actionAliases(state, seat, id)) {
      const key = normalizeActionText(alias);
      const other = owner.get(key);
      check(other === undefined || other === id, where, () => `alias "${alias}" of action ${id} also names action ${other}`);
      owner.set(key, id);
    }
  }
}

export function checkActionForms(env: AnyEnv, state: unknown, seat: Seat, legal: readonly ActionId[], where: Where): void {
  const texts = legal.map((a) => env.actionText(state, seat, a));
  checkUniqueTexts(texts, legal, where);
  checkAliases(env, state, seat, legal, where);
  for (const a of sample(legal)) {
    const text = env.actionText(state, seat, a);
    let parsed: ActionId | undefined;
    try {
      parsed = parseActionText(env, state, seat, text);
    } catch (error) {
      fail(where, `parseActionText("${text}") threw ${String(error)} instead of returning ${a}`);
    }
    check(parsed === a, where, () => `parseActionText("${text}") = ${parsed}, not ${a}`);
    const decoded: unknown = env.decodeAction(state, seat, a);
    const schema = env.spec.actionSchema.safeParse(decoded);
    check(schema.success, where, () => `decodeAction(${a}) = ${JSON.stringify(decoded)} does not pass actionSchema`);
    const wire = jsonRoundTrip(decoded);
    const encoded = env.encodeAction(state, seat, wire);
    check(encoded === a, where, () => `encodeAction(decodeAction(${a}) via JSON = ${JSON.stringify(wire)}) = ${encoded}`);
  }
}

export function checkChanceTexts(env: AnyEnv, state: unknown, outcomes: readonly ActionId[], where: Where): void {
  checkUniqueTexts(
    outcomes.map((a) => env.actionText(state, 'chance', a)),
    outcomes,
    where,
  );
}

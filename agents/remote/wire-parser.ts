/**
 * The text parser of a remote seat. The arena never sends the state, only the legal actions
 * with their texts, so `parseActionText` runs on a view of the env whose legal actions and
 * action texts are the wire's. The env's aliases and JSON action structs
 * need the state and are left out: a remote text agent answers with an action's text (it joins
 * with `decision: { actionTexts: true }`; without the texts an action is named by its id).
 */
import { parseActionText, type ActionId, type AnyEnv, type Seat } from '../../envs/index.ts';

export function wireParser(
  env: AnyEnv,
  seat: Seat,
  legal: readonly { readonly id: number; readonly text?: string | undefined }[],
): (reply: string) => ActionId {
  const ids = legal.map((a) => a.id);
  const texts = new Map(legal.map((a) => [a.id, a.text ?? String(a.id)]));
  const view = Object.create(env, {
    legalActions: { value: () => ids },
    isLegal: { value: (_state: unknown, _seat: Seat, id: ActionId) => texts.has(id) },
    actionText: { value: (_state: unknown, _actor: unknown, id: ActionId) => texts.get(id) ?? String(id) },
    actionAliases: { value: undefined }, // aliases may read the state, which a remote seat never has
    encodeAction: { value: () => undefined },
  }) as AnyEnv;
  return (reply) => parseActionText(view, undefined, seat, reply);
}

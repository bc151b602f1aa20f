/**
 * TextArena 0.6.4 message plumbing, written from its documented behaviour: every message is
 * (sender, text) with sender -1 for the game; an observation wrapper turns the messages a
 * player has received into the string a language model sees. Games in `textFormat:
 * 'textarena'` rebuild their message lists from the state, so observations stay pure.
 */
import { z } from 'zod';
import type { Seat } from '../core/env.ts';

export const GAME = -1;
export type Message = readonly [from: number, text: string];
/** Messages received so far, one list per seat. */
export type Inbox = Message[][];

export const TextWrapperSchema = z.enum(['firstlast', 'llm']);
export type TextWrapper = z.infer<typeof TextWrapperSchema>;

export const emptyInbox = (players: number): Inbox => Array.from({ length: players }, () => []);

export function broadcast(inbox: Inbox, from: number, text: string): void {
  for (const list of inbox) list.push([from, text]);
}

export function send(inbox: Inbox, to: Seat, from: number, text: string): void {
  inbox[to]!.push([from, text]);
}

/** LLMObservationWrapper: every message as "\n[GAME] text" or "\n[Player k] text". */
export function llmWrapper(messages: readonly Message[]): string {
  let out = '';
  for (const [from, text] of messages) out += `\n[${from === GAME ? 'GAME' : `Player ${from}`}] ${text}`;
  return out;
}

/** FirstLastObservationWrapper: the first message, the latest one, then "Next Action:". */
export function firstLastWrapper(messages: readonly Message[]): string {
  let out = messages[0]?.[1] ?? '';
  if (messages.length > 1) out += `\n\n${messages[messages.length - 1]![1]}`;
  return `${out}\n\nNext Action:`;
}

export function wrap(wrapper: TextWrapper, messages: readonly Message[]): string {
  return wrapper === 'llm' ? llmWrapper(messages) : firstLastWrapper(messages);
}

/**
 * The events a match sends out, queued during an operation and delivered after it, so a
 * listener that reacts synchronously (a transport answering in the same tick) never sees
 * a half-done step. A failing listener is logged and skipped, never thrown into the match.
 */
import type { ServerMessage } from '../../protocol/messages.ts';
import { errorText, type FinishedMatch, type MatchLog } from './match-log.ts';

export type MatchEvent =
  | { readonly kind: 'send'; readonly sessionId: string; readonly message: ServerMessage }
  /** The transport should close this connection. */
  | { readonly kind: 'kick'; readonly sessionId: string; readonly reason: 'rate-limited' | 'seat-taken' }
  | { readonly kind: 'finished'; readonly result: FinishedMatch }
  /** Real-time matches: a tick was applied (transports that sync state read the match now). */
  | { readonly kind: 'tick'; readonly tick: number };

export type MatchListener = (event: MatchEvent) => void;

export interface OutboxOptions {
  readonly log: MatchLog;
  /** Called after the listeners get the 'finished' event; a returned promise is tracked. */
  readonly onFinished?: (result: FinishedMatch) => void | Promise<void>;
  readonly track: (task: Promise<unknown>) => void;
}

export class MatchOutbox {
  private readonly options: OutboxOptions;
  private readonly listeners = new Set<MatchListener>();
  private readonly queue: MatchEvent[] = [];
  private isFlushing = false;

  constructor(options: OutboxOptions) {
    this.options = options;
  }

  subscribe(listener: MatchListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  push(event: MatchEvent): void {
    this.queue.push(event);
  }

  send(sessionId: string, message: ServerMessage): void {
    this.queue.push({ kind: 'send', sessionId, message });
  }

  /** Delivers everything queued, including what listeners queue meanwhile (re-entrant calls return at once). */
  flush(): void {
    if (this.isFlushing) return;
    this.isFlushing = true;
    try {
      for (let event = this.queue.shift(); event !== undefined; event = this.queue.shift()) this.deliver(event);
    } finally {
      this.isFlushing = false;
    }
  }

  private deliver(event: MatchEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.options.log.note({ kind: 'internal', message: `listener failed: ${errorText(error)}` });
      }
    }
    if (event.kind === 'finished') this.callOnFinished(event.result);
  }

  private callOnFinished(result: FinishedMatch): void {
    const { onFinished, log, track } = this.options;
    if (!onFinished) return;
    const report = (error: unknown) => log.note({ kind: 'internal', message: `onFinished failed: ${errorText(error)}` });
    try {
      const pending = onFinished(result);
      if (pending) track(Promise.resolve(pending).catch(report));
    } catch (error) {
      report(error);
    }
  }
}

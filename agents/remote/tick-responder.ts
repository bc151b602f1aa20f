/**
 * Plays real-time matches with the same decision handlers as turn-based ones: each `tick`
 * message becomes a decision request (every action id legal: a real-time env plays the seat's
 * default for an input it cannot take), and the answer goes back as an `input` whose seq is
 * the tick, so the server orders answers that overtake each other. A seat still thinking when
 * the next tick arrives skips that tick: its last input keeps applying (held inputs) or its
 * default does (consumed ones), and it answers the newest observation next.
 */
import type { DecisionMessage, InputMessage, RealtimeInfo, TickMessage } from '../../protocol/index.ts';
import type { RemoteAction } from './ludus-agent-client.ts';

export type TickDecisionHandler = (request: DecisionMessage) => RemoteAction | Promise<RemoteAction>;

export interface TickResponderOptions {
  readonly realtime: RealtimeInfo;
  readonly decide: TickDecisionHandler;
  readonly send: (input: InputMessage) => void;
  readonly onError: (error: unknown, matchId: string) => void;
  readonly now?: () => number;
}

export class TickResponder {
  private readonly options: TickResponderOptions;
  private readonly thinking = new Set<number>();
  private readonly legalActions: DecisionMessage['legalActions'];
  private readonly periodMs: number;
  /** Ticks answered and skipped (still thinking), for status lines and tests. */
  answered = 0;
  skipped = 0;

  constructor(options: TickResponderOptions) {
    this.options = options;
    this.legalActions = Array.from({ length: options.realtime.numDistinctActions }, (_, id) => ({ id, text: String(id) }));
    this.periodMs = 1000 / options.realtime.tickHz;
  }

  onTick(tick: TickMessage): void {
    if (this.thinking.has(tick.seat)) {
      this.skipped++;
      return;
    }
    this.thinking.add(tick.seat);
    const now = (this.options.now ?? Date.now)();
    const request: DecisionMessage = {
      type: 'decision',
      matchId: tick.matchId,
      seat: tick.seat,
      stepIndex: tick.tick,
      deadline: now + this.periodMs,
      observation: { tensor: tick.tensor, shape: this.options.realtime.observationShape, text: '' },
      legalActions: this.legalActions,
    };
    Promise.resolve()
      .then(() => this.options.decide(request))
      .then((action) => {
        const id = typeof action === 'number' ? action : 'id' in action ? action.id : undefined;
        if (id === undefined) throw new Error('real-time matches take action ids only');
        this.answered++;
        this.options.send({ type: 'input', matchId: tick.matchId, seat: tick.seat, action: id, seq: tick.tick });
      })
      .catch((error: unknown) => this.options.onError(error, tick.matchId))
      .finally(() => this.thinking.delete(tick.seat));
  }
}

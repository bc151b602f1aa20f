/**
 * A renderer draws one env's redacted `view` (what `env.view(state, viewer)` returns) on a
 * canvas. It sees nothing else: not the state, not the record, not another seat's view, so a
 * renderer cannot leak what the viewer may not see. Sizes are CSS pixels; BoardCanvas handles
 * the device pixel ratio.
 */
import type { z } from 'zod';
import type { Palette } from '../theme.ts';

export interface Box {
  readonly width: number;
  readonly height: number;
}

export interface Renderer<V = unknown> {
  /** Real-time env: drawn on animation frames, positions interpolated between views. */
  readonly realtime?: boolean;
  /** The view shape this renderer understands; a view that does not parse gets the fallback. */
  readonly schema: z.ZodType<V>;
  /** The board's size for an available width. */
  size(view: V, maxWidth: number): Box;
  draw(ctx: CanvasRenderingContext2D, view: V, box: Box, palette: Palette): void;
  /** A one-line text of the position (screen readers, tooltips, tests). */
  describe(view: V): string;
  /** Human play: the action a click at (x, y) means, when it is one of `legal`. */
  actionAt?(view: V, box: Box, x: number, y: number, legal: readonly number[]): number | undefined;
}

/** Registers renderers under env ids (no `-vN`): a view shape is a property of the env id. */
export type RendererTable = Readonly<Record<string, Renderer<any>>>;

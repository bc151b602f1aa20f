/**
 * Network architectures as data (stored in model manifests). Building them is
 * `architectures.ts`; this file stays free of tfjs so manifests can be read without it.
 */
import { z } from 'zod';

const WidthSchema = z.number().int().min(1).max(65_536);

export const ArchSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mlp'), hidden: z.array(WidthSchema).max(32) }).strict(),
  z
    .object({
      kind: z.literal('conv'),
      channels: z.array(WidthSchema).min(1).max(32), // 3x3 'same' convolutions, ReLU
      hidden: z.array(WidthSchema).max(32), // dense layers after the flattened feature maps
    })
    .strict(),
  z
    .object({
      kind: z.literal('patch'),
      // One k x k 'valid' convolution computed as matMuls over extracted patches, so it trains
      // on backends without convolution gradients (wasm); ReLU.
      kernel: z.number().int().min(1).max(16),
      filters: WidthSchema,
      hidden: z.array(WidthSchema).max(32),
    })
    .strict(),
]);
export type Arch = z.infer<typeof ArchSchema>;
/** What callers may pass (read-only arrays welcome); parsed into an `Arch`. */
export type ArchInput =
  | { readonly kind: 'mlp'; readonly hidden: readonly number[] }
  | { readonly kind: 'conv'; readonly channels: readonly number[]; readonly hidden: readonly number[] }
  | { readonly kind: 'patch'; readonly kernel: number; readonly filters: number; readonly hidden: readonly number[] };

export const DEFAULT_ARCH: Arch = { kind: 'mlp', hidden: [256, 256] };

export function describeArch(arch: Arch): string {
  switch (arch.kind) {
    case 'mlp':
      return `mlp hidden [${arch.hidden.join(', ')}]`;
    case 'conv':
      return `conv channels [${arch.channels.join(', ')}] hidden [${arch.hidden.join(', ')}]`;
    case 'patch':
      return `patch ${arch.kernel}x${arch.kernel} filters ${arch.filters} hidden [${arch.hidden.join(', ')}]`;
  }
}

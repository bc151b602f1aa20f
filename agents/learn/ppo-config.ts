/**
 * PPO hyperparameters as data (stored in train configs, manifests and checkpoints). The
 * defaults are the common PPO ones (CleanRL / SB3) with γ = 1, since Ludus envs are
 * episodic two-player games scored at the end.
 */
import { z } from 'zod';
import { formatZodError, knownKeysErrorMap } from '../../envs/index.ts';
import { LearnError } from './learn-error.ts';

/**
 * `gae`: GAE(γ, λ) on the value head. `rae`: SPIRAL's role-conditioned advantage estimation,
 * the discounted return minus a per-seat EMA baseline (the value head is still trained).
 */
export const AdvantageEstimatorSchema = z.enum(['gae', 'rae']);
/** `batch`: one mean/std over the batch; `seat`: per seat (role-conditioned); `none`. */
export const AdvantageNormalizationSchema = z.enum(['batch', 'seat', 'none']);

export const PpoConfigSchema = z
  .object({
    learningRate: z.number().positive().max(1).default(3e-4),
    /** Adam's epsilon; fixed here so every backend takes the same steps. */
    adamEpsilon: z.number().positive().default(1e-5),
    gamma: z.number().min(0).max(1).default(1),
    lambda: z.number().min(0).max(1).default(0.95),
    clip: z.number().positive().max(10).default(0.2),
    /** Clip the value update around the old value as PPO2 does; null: plain squared error. */
    valueClip: z.number().positive().nullable().default(null),
    valueCoef: z.number().min(0).default(0.5),
    entropyCoef: z.number().min(0).default(0.01),
    epochs: z.number().int().min(1).max(100).default(4),
    minibatchSize: z.number().int().min(1).default(256),
    maxGradNorm: z.number().positive().default(0.5),
    /** Stop the epochs of an update early once the approximate KL exceeds this; null: never. */
    targetKl: z.number().positive().nullable().default(null),
    advantage: z
      .object({
        estimator: AdvantageEstimatorSchema.default('gae'),
        normalize: AdvantageNormalizationSchema.default('batch'),
        /** EMA decay of the per-seat baselines of `rae` (SPIRAL: 0.95). */
        raeDecay: z.number().min(0).max(1).default(0.95),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type PpoConfig = z.infer<typeof PpoConfigSchema>;
export type PpoConfigInput = z.input<typeof PpoConfigSchema>;

export function parsePpoConfig(input: unknown = {}): PpoConfig {
  const parsed = PpoConfigSchema.safeParse(input ?? {}, { error: knownKeysErrorMap });
  if (!parsed.success) {
    throw new LearnError('bad-ppo-config', `bad PPO config: ${formatZodError(parsed.error)}`, 'fix the named fields (see PpoConfigSchema for defaults)');
  }
  return parsed.data;
}

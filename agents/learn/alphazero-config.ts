/**
 * AlphaZero hyperparameters as data (stored in train configs and checkpoints). Defaults
 * follow OpenSpiel's AlphaZero where they fit a 2-core CPU: fewer simulations, small batches.
 */
import { z } from 'zod';
import { formatZodError, knownKeysErrorMap } from '../../envs/index.ts';
import { LearnError } from './learn-error.ts';

export const AlphaZeroConfigSchema = z
  .object({
    /** PUCT simulations per self-play move (one batched leaf evaluation each, across all games). */
    simulations: z.number().int().min(1).max(10_000).default(50),
    /** Simulations per move when the learner is evaluated against the anchors; default `simulations`. */
    evalSimulations: z.number().int().min(1).max(10_000).optional(),
    /** Exploration constant of PUCT: Q + cPuct * P * sqrt(N) / (1 + n). */
    cPuct: z.number().positive().default(1.5),
    /** Root noise: priors become (1 - epsilon) * P + epsilon * Dirichlet(alpha). */
    dirichletAlpha: z.number().positive().default(0.3),
    dirichletEpsilon: z.number().min(0).max(1).default(0.25),
    /** Self-play moves are sampled in proportion to visit counts for the first `temperatureMoves` moves, then the most visited. */
    temperatureMoves: z.number().int().min(0).default(10),
    /** Self-play games per update, all stepped in lock-step. */
    gamesPerUpdate: z.number().int().min(1).max(4096).default(64),
    /** Positions kept (oldest dropped first). */
    replayCapacity: z.number().int().min(1).max(5_000_000).default(50_000),
    /** Gradient steps per update, each on a minibatch drawn uniformly from the replay buffer. */
    trainSteps: z.number().int().min(0).max(10_000).default(32),
    batchSize: z.number().int().min(1).max(65_536).default(256),
    learningRate: z.number().positive().max(1).default(1e-3),
    /** L2 penalty on the weights. */
    weightDecay: z.number().min(0).default(1e-4),
    adamEpsilon: z.number().positive().default(1e-8),
  })
  .strict();

export type AlphaZeroConfig = z.infer<typeof AlphaZeroConfigSchema>;
export type AlphaZeroConfigInput = z.input<typeof AlphaZeroConfigSchema>;

export function parseAlphaZeroConfig(input: unknown = {}): AlphaZeroConfig {
  const parsed = AlphaZeroConfigSchema.safeParse(input ?? {}, { error: knownKeysErrorMap });
  if (!parsed.success) {
    throw new LearnError(
      'bad-alphazero-config',
      `bad AlphaZero config: ${formatZodError(parsed.error)}`,
      'fix the named fields (see AlphaZeroConfigSchema for defaults)',
    );
  }
  return parsed.data;
}

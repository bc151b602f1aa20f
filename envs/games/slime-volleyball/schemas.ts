/** Schemas shared by the envs on slime physics (slime-volleyball, team-volley): the gamepad action, a moving body, an rng word. */
import { z } from 'zod';

export const FiniteSchema = z.number().finite();

/** The MultiBinary(3) gamepad; its action id is forward + 2·backward + 4·jump. */
export const GamepadActionSchema = z
  .object({
    forward: z.boolean().default(false),
    backward: z.boolean().default(false),
    jump: z.boolean().default(false),
  })
  .strict();
export type GamepadAction = z.infer<typeof GamepadActionSchema>;

export const BodySchema = z.object({ x: FiniteSchema, y: FiniteSchema, vx: FiniteSchema, vy: FiniteSchema });

/** Rng state words: 32-bit integers, signed or not. */
export const RngWordSchema = z.number().int().min(-0x80000000).max(0xffffffff);

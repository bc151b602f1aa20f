/**
 * Scripted low-level skills for team volley's high-level role interface (roles-env.ts), in
 * the spirit of HCSP's skill library: a role says what a slime is for until the next event,
 * the skill turns it into button presses every tick. Skills read the true court (they run
 * inside the env) and predict the ball's flight with the same gravity and speed cap.
 */
import { BALL_RADIUS, GRAVITY, MAX_BALL_SPEED, REF_U, REF_W, TIMESTEP, limitSpeed, type Body } from '../slime-volleyball/physics.ts';
import { dirOfTeam, homeX, slotOfSeat, teamOfSeat, type Court } from './rules.ts';

export const ROLES = ['hold', 'receiver', 'setter', 'attacker'] as const;
export type Role = (typeof ROLES)[number];

const FORWARD = 1;
const BACKWARD = 2;
const JUMP = 4;
/** Height of a slime's top when standing: where a bump meets the ball. */
const CONTACT_HEIGHT = REF_U + 1.5 + BALL_RADIUS;
const DEADBAND = 0.3;
const FLIGHT_FRAMES = 120;

/** Where the ball will come down to `height` (x, frames), flying freely; undefined if not within the horizon. */
export function predictDescent(ball: Body, delay: number, height: number): { x: number; frames: number } | undefined {
  const b = { ...ball };
  for (let frame = 1; frame <= FLIGHT_FRAMES; frame++) {
    if (frame > delay) {
      b.vy += GRAVITY * TIMESTEP;
      limitSpeed(b, MAX_BALL_SPEED);
      b.x += b.vx * TIMESTEP;
      b.y += b.vy * TIMESTEP;
      const wall = REF_W / 2 - BALL_RADIUS;
      if (Math.abs(b.x) >= wall) b.vx = -b.vx;
    }
    if (b.vy < 0 && b.y <= height) return { x: b.x, frames: frame };
  }
  return undefined;
}

/** Buttons that move a slime (facing the net from side `dir`) toward world x `target`. */
function moveToward(p: Body, dir: number, target: number): number {
  const towardNet = (target - p.x) * -dir; // > 0: the target is nearer the net
  if (towardNet > DEADBAND) return FORWARD;
  if (towardNet < -DEADBAND) return BACKWARD;
  return 0;
}

/** The button combination of a seat playing `role` on this court this tick. */
export function skillAction(c: Court, seat: number, role: Role, teamSize: number): number {
  const team = teamOfSeat(seat, teamSize);
  const dir = dirOfTeam(team);
  const p = c.players[seat]!;
  const home = homeX(team, slotOfSeat(seat, teamSize), teamSize);
  const used = c.touched[seat] && c.possession === team;
  const teammatesTouched = c.possession === team && c.touched.some((t, s) => t && s !== seat && teamOfSeat(s, teamSize) === team);
  const descent = predictDescent(c.ball, c.delay, CONTACT_HEIGHT);
  const landsHere = descent !== undefined && descent.x * dir > 0;
  if (role === 'hold' || used || !landsHere) {
    if (role === 'attacker') return moveToward(p, dir, dir * 3);
    return moveToward(p, dir, home);
  }
  // Meet the ball slightly behind it (away from the net), so the bounce sends it netward.
  if (role === 'receiver') return moveToward(p, dir, descent.x + dir * 0.6);
  if (role === 'setter') return teammatesTouched ? moveToward(p, dir, descent.x + dir * 0.3) : moveToward(p, dir, dir * 6);
  // Attacker: wait near the net, jump into a ball that comes down within reach after a set.
  const near = Math.abs(c.ball.x - p.x) < 2.5 && c.ball.y > p.y + 1.5 && c.ball.y < p.y + 6;
  const move = moveToward(p, dir, Math.max(2.2, Math.min(8, (descent.x + dir * 0.8) * dir)) * dir);
  return teammatesTouched && near ? move | JUMP : move;
}

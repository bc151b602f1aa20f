/**
 * Slime volleyball physics, a port of slimevolleygym's `Game` (hardmaru/slimevolleygym,
 * Apache-2.0) that reproduces its trajectories bit for bit: every constant is computed by
 * the same expression and every update does the same floating-point operations in the same
 * order (multiplying by TIMESTEP where the reference does, the same sequence of additions,
 * clamps and collision tests). Do not "simplify" an expression here: the game is chaotic, and
 * a reordered sum changes whole rallies within a few hundred steps.
 *
 * `stepWorld` works on a private mutable copy; the env wraps it in immutable states.
 */

export const REF_W = 24 * 2;
export const REF_H = REF_W;
export const REF_U = 1.5; // ground height
export const REF_WALL_WIDTH = 1.0;
export const REF_WALL_HEIGHT = 3.5;
export const PLAYER_SPEED_X = 10 * 1.75;
export const PLAYER_SPEED_Y = 10 * 1.35;
export const MAX_BALL_SPEED = 15 * 1.5;
export const TIMESTEP = 1 / 30;
export const NUDGE = 0.1;
export const FRICTION = 1.0; // 1: walls reflect without loss
export const INIT_DELAY_FRAMES = 30;
export const GRAVITY = -9.8 * 2 * 1.5;
export const AGENT_RADIUS = 1.5;
export const BALL_RADIUS = 0.5;
export const STUB_RADIUS = REF_WALL_WIDTH / 2;

export interface Body {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

export interface Ball extends Body {
  /** x before the last move: the fence test needs to know which side the ball came from. */
  prevX: number;
}

export interface Slime extends Body {
  life: number;
}

export interface World {
  ball: Ball;
  /** [left (dir −1), right (dir +1)]. */
  agents: [Slime, Slime];
  /** Frames the ball stays frozen after a launch. */
  delay: number;
}

/** +1 bit: forward (toward the net), +2: backward, +4: jump. */
export const FORWARD = 1;
export const BACKWARD = 2;
export const JUMP = 4;

export const dirOf = (side: number): number => (side === 0 ? -1 : 1);

export const STUB: Body = { x: 0, y: REF_WALL_HEIGHT, vx: 0, vy: 0 };

/** A freshly launched ball at the top of its arc's start, frozen for INIT_DELAY_FRAMES. */
export function launchBall(vx: number, vy: number): Ball {
  return { x: 0, y: REF_W / 4, vx, vy, prevX: 0 };
}

function desired(action: number): { vx: number; vy: number } {
  const forward = (action & FORWARD) !== 0;
  const backward = (action & BACKWARD) !== 0;
  let vx = 0;
  if (forward && !backward) vx = -PLAYER_SPEED_X;
  if (backward && !forward) vx = PLAYER_SPEED_X;
  return { vx, vy: (action & JUMP) !== 0 ? PLAYER_SPEED_Y : 0 };
}

/** One frame of a slime (`Agent.update`): gravity, jump from the ground, move, floor and half-court clamps. */
export function updateAgent(a: Body, dir: number, action: number): void {
  const want = desired(action);
  a.vy += GRAVITY * TIMESTEP;
  if (a.y <= REF_U + NUDGE * TIMESTEP) a.vy = want.vy; // jumping only from the ground
  a.vx = want.vx * dir;
  a.x += a.vx * TIMESTEP;
  a.y += a.vy * TIMESTEP;
  if (a.y <= REF_U) {
    a.y = REF_U;
    a.vy = 0;
  }
  // Each slime stays in its own half.
  if (a.x * dir <= REF_WALL_WIDTH / 2 + AGENT_RADIUS) {
    a.vx = 0;
    a.x = dir * (REF_WALL_WIDTH / 2 + AGENT_RADIUS);
  }
  if (a.x * dir >= REF_W / 2 - AGENT_RADIUS) {
    a.vx = 0;
    a.x = dir * (REF_W / 2 - AGENT_RADIUS);
  }
}

export function limitSpeed(b: Body, maxSpeed: number): void {
  const mag2 = b.vx * b.vx + b.vy * b.vy;
  if (mag2 > maxSpeed * maxSpeed) {
    const mag = Math.sqrt(mag2);
    b.vx /= mag;
    b.vy /= mag;
    b.vx *= maxSpeed;
    b.vy *= maxSpeed;
  }
}

export function isColliding(b: Body, p: Body, radius: number): boolean {
  const r = BALL_RADIUS + radius;
  const dy = p.y - b.y;
  const dx = p.x - b.x;
  return r * r > dx * dx + dy * dy;
}

/** Pushes the ball out of `p` in NUDGE steps, then reflects its velocity relative to p (factor 2). */
export function bounce(b: Body, p: Body, radius: number): void {
  let abx = b.x - p.x;
  let aby = b.y - p.y;
  const abd = Math.sqrt(abx * abx + aby * aby);
  abx /= abd;
  aby /= abd;
  const nx = abx;
  const ny = aby;
  abx *= NUDGE;
  aby *= NUDGE;
  while (isColliding(b, p, radius)) {
    b.x += abx;
    b.y += aby;
  }
  let ux = b.vx - p.vx;
  let uy = b.vy - p.vy;
  const un = ux * nx + uy * ny;
  const unx = nx * (un * 2);
  const uny = ny * (un * 2);
  ux -= unx;
  uy -= uny;
  b.vx = ux + p.vx;
  b.vy = uy + p.vy;
}

/** Walls, ceiling, fence and ground. Returns −1 if the ball landed on the left, +1 on the right, else 0. */
function checkEdges(b: Ball): number {
  const r = BALL_RADIUS;
  if (b.x <= r - REF_W / 2) {
    b.vx *= -FRICTION;
    b.x = r - REF_W / 2 + NUDGE * TIMESTEP;
  }
  if (b.x >= REF_W / 2 - r) {
    b.vx *= -FRICTION;
    b.x = REF_W / 2 - r - NUDGE * TIMESTEP;
  }
  if (b.y <= r + REF_U) {
    b.vy *= -FRICTION;
    b.y = r + REF_U + NUDGE * TIMESTEP;
    return b.x <= 0 ? -1 : 1;
  }
  if (b.y >= REF_H - r) {
    b.vy *= -FRICTION;
    b.y = REF_H - r - NUDGE * TIMESTEP;
  }
  if (b.x <= REF_WALL_WIDTH / 2 + r && b.prevX > REF_WALL_WIDTH / 2 + r && b.y <= REF_WALL_HEIGHT) {
    b.vx *= -FRICTION;
    b.x = REF_WALL_WIDTH / 2 + r + NUDGE * TIMESTEP;
  }
  if (b.x >= -REF_WALL_WIDTH / 2 - r && b.prevX < -REF_WALL_WIDTH / 2 - r && b.y <= REF_WALL_HEIGHT) {
    b.vx *= -FRICTION;
    b.x = -REF_WALL_WIDTH / 2 - r - NUDGE * TIMESTEP;
  }
  return 0;
}

/**
 * One frame of `Game.step` on `w` (mutated): slimes (left, then right), the ball (after the
 * launch delay: gravity, speed cap, move), collisions with left, right and the fence stub,
 * then the edges. Returns the point from the right slime's view: +1 when the ball landed on
 * the left, −1 on the right, 0 otherwise. The caller relaunches the ball and takes the life.
 */
export function stepWorld(w: World, actions: readonly [number, number]): number {
  updateAgent(w.agents[0], -1, actions[0]);
  updateAgent(w.agents[1], 1, actions[1]);
  const b = w.ball;
  if (w.delay === 0) {
    b.vx += 0 * TIMESTEP;
    b.vy += GRAVITY * TIMESTEP;
    limitSpeed(b, MAX_BALL_SPEED);
    b.prevX = b.x;
    b.x += b.vx * TIMESTEP;
    b.y += b.vy * TIMESTEP;
  } else {
    w.delay -= 1;
  }
  if (isColliding(b, w.agents[0], AGENT_RADIUS)) bounce(b, w.agents[0], AGENT_RADIUS);
  if (isColliding(b, w.agents[1], AGENT_RADIUS)) bounce(b, w.agents[1], AGENT_RADIUS);
  if (isColliding(b, STUB, STUB_RADIUS)) bounce(b, STUB, STUB_RADIUS);
  return -checkEdges(b);
}

/**
 * Team volley rules on slime physics (research brief §5.2): two teams of slimes on the slime
 * court, VolleyBots' possession rule (each player touches at most once per possession; the
 * possession passes when the ball crosses the net), faults that give the rally to the other
 * team, rally scoring and the serve going to the rally's winner.
 *
 * A touch is a ball-slime contact more than COOLDOWN frames after that slime's previous
 * contact (a ball rolling over a head for a few frames is one touch). Teammates pass through
 * each other; slimes cannot leave their half, so "crossing the centre line" cannot happen.
 */
import {
  AGENT_RADIUS,
  BALL_RADIUS,
  FRICTION,
  GRAVITY,
  INIT_DELAY_FRAMES,
  MAX_BALL_SPEED,
  NUDGE,
  REF_H,
  REF_U,
  REF_W,
  REF_WALL_HEIGHT,
  REF_WALL_WIDTH,
  STUB,
  STUB_RADIUS,
  TIMESTEP,
  bounce,
  isColliding,
  limitSpeed,
  updateAgent,
  type Body,
} from '../slime-volleyball/physics.ts';

export const COOLDOWN = 3;
/** Height and distance from the net at which the serving team's back player serves. */
export const SERVE_HEIGHT = 12;
export const SERVE_X = 16;
/** Serve velocity ranges: speed toward the net, and upward (every serve clears the net). */
export const SERVE_VX: readonly [number, number] = [15, 19];
export const SERVE_VY: readonly [number, number] = [10, 12.5];

export type FaultReason = 'landed' | 'out' | 'net' | 'double-touch' | 'not-in-possession';

export interface RallyEnd {
  /** The team that lost the rally. */
  readonly loser: number;
  readonly reason: FaultReason;
  /** The seat at fault for touch faults. */
  readonly seat?: number;
}

export interface Court {
  ball: Body & { prevX: number };
  players: Body[];
  delay: number;
  /** Team allowed to touch the ball: the team on whose side it is. */
  possession: number;
  /** Seats that touched in the current possession. */
  touched: boolean[];
  /** Team of the last touch (the serve counts as the server's touch). */
  lastTouch: number;
  /** Frame of each seat's last contact with the ball (−1000: none). */
  lastContact: number[];
}

export const dirOfTeam = (team: number): number => (team === 0 ? -1 : 1);
export const teamOfSeat = (seat: number, teamSize: number): number => (seat < teamSize ? 0 : 1);
/** Role slot of a seat within its team: 0 = front (nearest the net) .. teamSize − 1 = back. */
export const slotOfSeat = (seat: number, teamSize: number): number => seat % teamSize;
export const sideOf = (x: number): number => (x <= 0 ? 0 : 1);

/** Home x of a slot, spread over the half from the net to the back wall. */
export function homeX(team: number, slot: number, teamSize: number): number {
  return dirOfTeam(team) * (2 + ((slot + 0.5) * 20.5) / teamSize);
}

/** Players at home, the ball above the server's side with its launch velocity, frozen for the delay. */
export function newRally(teamSize: number, server: number, launch: readonly [number, number]): Court {
  const dir = dirOfTeam(server);
  const players: Body[] = [];
  for (let seat = 0; seat < 2 * teamSize; seat++) {
    players.push({ x: homeX(teamOfSeat(seat, teamSize), slotOfSeat(seat, teamSize), teamSize), y: REF_U, vx: 0, vy: 0 });
  }
  const touched = new Array<boolean>(2 * teamSize).fill(false);
  touched[server * teamSize + teamSize - 1] = true; // the back player served
  return {
    ball: { x: dir * SERVE_X, y: SERVE_HEIGHT, vx: -dir * launch[0], vy: launch[1], prevX: dir * SERVE_X },
    players,
    delay: INIT_DELAY_FRAMES,
    possession: server,
    touched,
    lastTouch: server,
    lastContact: new Array<number>(2 * teamSize).fill(-1000),
  };
}

/** Counts a contact; returns the fault it causes, if any. */
function contact(c: Court, seat: number, teamSize: number, frame: number): RallyEnd | undefined {
  const fresh = frame - c.lastContact[seat]! > COOLDOWN;
  c.lastContact[seat] = frame;
  if (!fresh) return undefined;
  const team = teamOfSeat(seat, teamSize);
  if (team !== c.possession) return { loser: team, reason: 'not-in-possession', seat };
  if (c.touched[seat]) return { loser: team, reason: 'double-touch', seat };
  c.touched[seat] = true;
  c.lastTouch = team;
  return undefined;
}

/** Walls, ceiling, net and ground; returns how the rally ends here, if it does. */
function edges(c: Court): RallyEnd | undefined {
  const b = c.ball;
  const r = BALL_RADIUS;
  if (b.x <= r - REF_W / 2 || b.x >= REF_W / 2 - r) return { loser: c.lastTouch, reason: 'out' };
  if (b.y <= r + REF_U) return { loser: sideOf(b.x), reason: 'landed' };
  if (b.y >= REF_H - r) {
    b.vy *= -FRICTION;
    b.y = REF_H - r - NUDGE * TIMESTEP;
  }
  const fence = REF_WALL_WIDTH / 2 + r;
  const intoFence = (b.x <= fence && b.prevX > fence) || (b.x >= -fence && b.prevX < -fence);
  if (intoFence && b.y <= REF_WALL_HEIGHT) return { loser: c.lastTouch, reason: 'net' };
  return undefined;
}

/** Possession follows the ball's side once it is in play; a new possession starts with no touches. */
function followBall(c: Court): void {
  const side = sideOf(c.ball.x);
  if (c.delay === 0 && side !== c.possession) {
    c.possession = side;
    c.touched.fill(false);
  }
}

/**
 * One frame: players (seat order), the ball, possession (so a ball that just crossed belongs
 * to the team it reached before anyone touches it), contacts, the net top, edges, and
 * possession again (a bounce may push the ball across).
 */
export function stepCourt(c: Court, actions: readonly number[], teamSize: number, frame: number): RallyEnd | undefined {
  c.players.forEach((p, seat) => updateAgent(p, dirOfTeam(teamOfSeat(seat, teamSize)), actions[seat]!));
  const b = c.ball;
  if (c.delay === 0) {
    b.vy += GRAVITY * TIMESTEP;
    limitSpeed(b, MAX_BALL_SPEED);
    b.prevX = b.x;
    b.x += b.vx * TIMESTEP;
    b.y += b.vy * TIMESTEP;
  } else {
    c.delay -= 1;
  }
  followBall(c);
  for (let seat = 0; seat < c.players.length; seat++) {
    const p = c.players[seat]!;
    if (!isColliding(b, p, AGENT_RADIUS)) continue;
    bounce(b, p, AGENT_RADIUS);
    const fault = contact(c, seat, teamSize, frame);
    if (fault) return fault;
  }
  if (isColliding(b, STUB, STUB_RADIUS)) return { loser: c.lastTouch, reason: 'net' };
  const end = edges(c);
  if (end) return end;
  followBall(c);
  return undefined;
}

/** Text forms of team volley for people and language models, in the reader's own frame. */
import type { Viewer } from '../../core/env.ts';
import { REF_U, type Body } from '../slime-volleyball/physics.ts';
import type { FaultReason } from './rules.ts';
import { slotOfSeat, teamOfSeat, dirOfTeam } from './rules.ts';

export const ROLE_NAMES = ['front', 'middle', 'back'];

export const roleName = (slot: number, teamSize: number): string => (teamSize === 3 ? ROLE_NAMES[slot]! : slot === teamSize - 1 ? 'back' : `slot ${slot + 1}`);

const REASONS: Record<FaultReason, string> = {
  landed: 'the ball landed in their half',
  out: 'they touched it last and it went out (hit a side wall)',
  net: 'they touched it last and it hit the net',
  'double-touch': 'a player touched the ball twice in one possession',
  'not-in-possession': 'a player touched the ball while the other team had it',
};

export const reasonText = (reason: FaultReason): string => REASONS[reason];

export function rulesText(): string {
  return (
    'Team Volley: two teams of slimes (half discs of radius 1.5; three per team by default, the teamSize ' +
    'param sets 1 to 4) play volleyball on the slime volleyball court: 48 wide, a net 1 wide and 3.5 high at x = 0, ' +
    'the ground at y = 1.5. Team 0 (seats 0-2 in 3v3) plays the left half, team 1 (seats 3-5) the right half; ' +
    'within a team the seats are, in order, the front, middle and back players. Every step (1/30 s) all players ' +
    'choose at once from three buttons: forward (toward the net), backward ' +
    'and jump (from the ground only). The ball bounces off slimes and the ceiling. Possession: the team on whose ' +
    'side the ball is may touch it, each of its players at most once, until the ball crosses the net to the other ' +
    'side. A rally is lost by the team in whose half the ball lands, by the team that touched it last when it hits ' +
    'a side wall (out) or the net, and by a team whose player touches the ball twice in one possession or while ' +
    'the other team has it. The winner of a rally scores a point and serves the next one: the ball starts above ' +
    "its back player and flies toward the net; the serve counts as the back player's touch. The first team to " +
    'reach the points target (default 5) wins; a game also stops after maxSteps steps (a time limit). Your return ' +
    "is your team's points minus the other team's, shared by all teammates. Answer with one action in brackets: " +
    '[stay], [forward], [backward], [jump], [forward+jump], [backward+jump].'
  );
}

const f = (x: number): string => (Math.abs(x) < 0.005 ? '0.00' : x.toFixed(2));

function bodyText(b: Body, dir: number): string {
  const air = b.y <= REF_U + 1e-9 ? 'on the ground' : `${f(b.y - REF_U)} up`;
  return `x ${f(b.x * dir)} (${air}), velocity (${f(b.vx * dir)}, ${f(b.vy)})`;
}

export interface TextContext {
  readonly teamSize: number;
  readonly players: readonly Body[];
  readonly ball: Body;
  readonly delay: number;
  readonly possession: number;
  readonly touched: readonly boolean[];
  readonly score: readonly number[];
  readonly points: number;
  readonly t: number;
  readonly maxSteps: number;
  readonly lastPoint: { readonly team: number; readonly reason: FaultReason } | null;
}

export function observationText(c: TextContext, viewer: Viewer): string {
  const n = c.teamSize;
  const me = viewer === 'spectator' ? undefined : viewer;
  const myTeam = me === undefined ? 0 : teamOfSeat(me, n);
  const dir = me === undefined ? 1 : dirOfTeam(myTeam);
  const teamName = (team: number): string => (me === undefined ? `team ${team}` : team === myTeam ? 'your team' : 'the other team');
  const lines = [
    `Team Volley, step ${c.t} of ${c.maxSteps}, first to ${c.points} points. ` +
      (me === undefined
        ? `Score: team 0 ${c.score[0]}, team 1 ${c.score[1]}.`
        : `You are seat ${me}, the ${roleName(slotOfSeat(me, n), n)} player of team ${myTeam}. Score: your team ${c.score[myTeam]}, the other team ${c.score[1 - myTeam]}.`),
    me === undefined
      ? 'World frame: team 0 plays x < 0, team 1 x > 0; the net is at x = 0.'
      : "Your frame: x is the distance from the net toward your back wall; your half is x > 0, the other team's x < 0.",
  ];
  if (c.lastPoint)
    lines.push(`Last rally: won by ${teamName(1 - c.lastPoint.team)}; ${teamName(c.lastPoint.team)} lost it because ${reasonText(c.lastPoint.reason)}.`);
  const used = c.touched.map((t, seat) => (t && teamOfSeat(seat, n) === c.possession ? seat : -1)).filter((s) => s >= 0);
  lines.push(`Possession: ${teamName(c.possession)}; touched already: ${used.length ? used.map((s) => `seat ${s}`).join(', ') : 'nobody'}.`);
  const serve = c.delay > 0 ? ` It is about to be served: it starts moving in ${c.delay} frames.` : '';
  const ballSide = me === undefined ? `team ${c.ball.x > 0 ? 1 : 0}'s side` : c.ball.x * dir > 0 ? 'your side' : 'the other side';
  lines.push(`Ball: ${bodyText(c.ball, dir)}, on ${ballSide}.${serve}`);
  for (const team of me === undefined ? [0, 1] : [myTeam, 1 - myTeam]) {
    for (let slot = 0; slot < n; slot++) {
      const seat = team * n + slot;
      const who =
        seat === me
          ? 'You'
          : `${team === myTeam && me !== undefined ? 'Teammate' : me === undefined ? `Team ${team}` : 'Opponent'} ${roleName(slot, n)} (seat ${seat})`;
      lines.push(`${who}: ${bodyText(c.players[seat]!, dir)}${c.touched[seat] && team === c.possession ? ', has touched' : ''}.`);
    }
  }
  if (me !== undefined) lines.push('Choose one: [stay], [forward], [backward], [jump], [forward+jump], [backward+jump].');
  return lines.join('\n');
}

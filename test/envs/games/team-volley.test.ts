import { expect } from 'chai';
import { Episode, isTruncatedState, numTeams, teamSeats } from '../../../envs/index.ts';
import { teamVolley as env, type TeamVolleyState } from '../../../envs/games/team-volley/index.ts';
import { SERVE_HEIGHT, SERVE_X, homeX } from '../../../envs/games/team-volley/rules.ts';

const NOOP = [0, 0, 0, 0, 0, 0];
const start = (params: object = {}, seed = 0): TeamVolleyState => env.init(env.parseParams(params), seed);
/** A state with some fields replaced, validated like a deserialized one. */
const edit = (s: TeamVolleyState, patch: Partial<TeamVolleyState>): TeamVolleyState => env.deserialize(JSON.parse(JSON.stringify({ ...s, ...patch })));
const step = (s: TeamVolleyState, actions = NOOP): TeamVolleyState => env.applyJoint(s, actions);
/** A live ball (no serve delay) at (x, y) with velocity (vx, vy). */
const ballAt = (s: TeamVolleyState, x: number, y: number, vx: number, vy: number, extra: Partial<TeamVolleyState> = {}) =>
  edit(s, { delay: 0, ball: { x, y, vx, vy, prevX: x }, ...extra });

describe('envs/games/team-volley', () => {
  it('declares two teams of three that share returns, real-time with held input', () => {
    const dims = env.dims(env.parseParams());
    expect(dims.teams).to.deep.equal([0, 0, 0, 1, 1, 1]);
    expect(numTeams(dims)).to.equal(2);
    expect(teamSeats(dims)).to.deep.equal([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(dims.realtime).to.deep.equal({ tickHz: 30, input: 'held', defaultActions: NOOP });
    expect(dims.observationShape).to.deep.equal([39]);
    expect(env.dims(env.parseParams({ teamSize: 2 })).teams).to.deep.equal([0, 0, 1, 1]);
  });

  it("serves from above the serving team's back player toward the net, and every serve clears the net", () => {
    const s = start({ firstServer: 1, serveVelocities: [16, 11] });
    expect([s.ball.x, s.ball.y, s.ball.vx, s.ball.vy]).to.deep.equal([SERVE_X, SERVE_HEIGHT, -16, 11]);
    expect(s.touched).to.deep.equal([false, false, false, false, false, true]); // the serve is the back player's touch
    expect(s.players.map((p) => p.x)).to.deep.equal([0, 1, 2, 3, 4, 5].map((seat) => homeX(seat < 3 ? 0 : 1, seat % 3, 3)));
    for (let seed = 0; seed < 40; seed++) {
      // Nobody moves except the receiving team, which stays out of the way at its back wall.
      let state = start({ firstServer: 1 }, seed);
      while (state.possession === 1 && state.lastPoint === null) state = step(state, [2, 2, 2, 0, 0, 0]);
      expect(state.lastPoint, `seed ${seed}`).to.equal(null);
      expect(state.possession).to.equal(0);
      expect(state.touched.every((t) => !t)).to.equal(true); // a new possession: nobody has touched
    }
  });

  it('gives the rally to the other team when the ball lands, and the winner serves next', () => {
    const s = ballAt(start(), 10, 2.05, 0, -5, { possession: 1 });
    const after = step(s);
    expect(after.score).to.deep.equal([1, 0]);
    expect(after.lastPoint).to.deep.equal({ team: 1, reason: 'landed' });
    expect(env.returns(after)).to.deep.equal([1, 1, 1, -1, -1, -1]);
    expect(after.server).to.equal(0);
    expect([after.ball.x, after.ball.y, after.delay]).to.deep.equal([-SERVE_X, SERVE_HEIGHT, 30]);
    expect(after.possession).to.equal(0);
  });

  it("faults a player who touches twice in one possession, and not a teammate's first touch", () => {
    // The ball drops onto the front right player (seat 3, at home) from just above.
    const p = start().players[3]!;
    const touchedBy3 = [false, false, false, true, false, false];
    const again = step(ballAt(start(), p.x, p.y + 2.1, 0, -3, { possession: 1, touched: touchedBy3, lastTouch: 1 }));
    expect(again.lastPoint).to.deep.equal({ team: 1, reason: 'double-touch', seat: 3 });
    expect(again.score).to.deep.equal([1, 0]);
    const first = step(ballAt(start(), p.x, p.y + 2.1, 0, -3, { possession: 1, touched: [false, false, false, false, false, true], lastTouch: 1 }));
    expect(first.lastPoint).to.equal(null);
    expect(first.touched[3]).to.equal(true);
    expect(first.ball.vy).to.be.greaterThan(0); // bounced up
  });

  it('faults a touch by a team without possession', () => {
    // Possession follows the ball once it is in play, so only a ball still waiting to be served can be out of turn.
    const p = start().players[0]!;
    const after = step(ballAt(start(), p.x, p.y + 1.9, 0, 0, { delay: 5, possession: 1, lastTouch: 1 }));
    expect(after.lastPoint).to.deep.equal({ team: 0, reason: 'not-in-possession', seat: 0 });
  });

  it('passes possession when the ball crosses the net, resetting the touches', () => {
    const s = ballAt(start(), -0.2, 10, 12, 0, { possession: 0, touched: [true, true, false, false, false, false], lastTouch: 0 });
    const after = step(s);
    expect(after.possession).to.equal(1);
    expect(after.touched.every((t) => !t)).to.equal(true);
    expect(after.lastTouch).to.equal(0);
  });

  it('lets a team touch a ball in the same frame it crosses the net onto their side', () => {
    // The ball crosses from x = -0.1 to 0.3 above the net and meets the front right player, jumping at the net.
    const s = edit(start(), { players: start().players.map((p, seat) => (seat === 3 ? { ...p, x: 2, y: 4 } : p)) });
    const after = step(ballAt(s, -0.1, 4.65, 12, 0, { possession: 0, touched: [true, false, false, false, false, false], lastTouch: 0 }));
    expect(after.lastPoint).to.equal(null);
    expect(after.possession).to.equal(1);
    expect(after.touched[3]).to.equal(true);
  });

  it('blames the team that touched last for a ball out of bounds or into the net', () => {
    const out = step(ballAt(start(), 23.4, 10, 10, 0, { possession: 1, lastTouch: 0 }));
    expect(out.lastPoint).to.deep.equal({ team: 0, reason: 'out' });
    const net = step(ballAt(start(), 1.1, 2.5, -10, 0, { possession: 1, lastTouch: 1 }));
    expect(net.lastPoint).to.deep.equal({ team: 1, reason: 'net' });
    expect(net.score).to.deep.equal([1, 0]);
  });

  it('ends at the points target as a real end, and at maxSteps as a truncation', () => {
    const won = step(ballAt(start({ points: 1 }), 10, 2.05, 0, -5, { possession: 1 }));
    expect(env.turn(won).kind).to.equal('terminal');
    expect(isTruncatedState(env, won)).to.equal(false);
    let capped = start({ maxSteps: 5 });
    for (let i = 0; i < 5; i++) capped = step(capped);
    expect(env.turn(capped).kind).to.equal('terminal');
    expect(isTruncatedState(env, capped)).to.equal(true);
    const episode = new Episode(env, { maxSteps: 5 }, 0);
    for (let i = 0; i < 5; i++) episode.stepJoint(NOOP);
    expect(episode.toRecord().end).to.equal('truncated');
  });

  it("observes in each team's own frame: mirrored teams see mirrored worlds", () => {
    const s = ballAt(start(), -5, 8, 3, 1);
    const left = env.observationTensor(s, 0); // front left
    const right = env.observationTensor(ballAt(start(), 5, 8, -3, 1, { possession: 1, touched: [false, false, false, false, false, true] }), 3);
    expect(Array.from(left.subarray(0, 8))).to.deep.equal(Array.from(right.subarray(0, 8)));
    expect(left[4]).to.be.closeTo(0.5, 1e-6); // the ball is on its own side (x > 0 in its frame)
    // Possession, touches so far (the serve), own touched bits (the back player served), role one-hot (front).
    expect(Array.from(left.subarray(28, 36))).to.deep.equal([1, Math.fround(1 / 3), 0, 0, 1, 1, 0, 0]);
    expect(Array.from(env.observationTensor(s, 5).subarray(28, 36))).to.deep.equal([0, Math.fround(1 / 3), 0, 0, 0, 0, 0, 1]);
  });

  it('describes the rally for a language model', () => {
    const s = step(ballAt(start(), 10, 2.05, 0, -5, { possession: 1 }));
    const text = env.observationText(s, 4);
    expect(text).to.match(/You are seat 4, the middle player of team 1\. Score: your team 0, the other team 1\./);
    expect(text).to.match(/Last rally: won by the other team; your team lost it because the ball landed in their half\./);
    expect(text).to.match(/Teammate front \(seat 3\): x /);
    expect(env.observationText(s, 'spectator')).to.match(/Score: team 0 1, team 1 0\./);
  });
});

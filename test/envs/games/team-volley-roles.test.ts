import { expect } from 'chai';
import { Episode, tryParseActionText } from '../../../envs/index.ts';
import { decodeRoles, encodeRoles, teamVolleyRoles as env, type TeamVolleyRolesState } from '../../../envs/games/team-volley/roles-env.ts';
import { predictDescent } from '../../../envs/games/team-volley/skills.ts';

const HOLD = encodeRoles([0, 0, 0]);
const RECEIVE = encodeRoles([1, 1, 1]);
const RSA = encodeRoles([1, 2, 3]); // receiver front, setter middle, attacker back

/** Team 0's mean return over seeded games of plan a (team 0) against plan b (team 1), servers alternating. */
function meanReturn(a: number, b: number, games = 10): number {
  let total = 0;
  for (let seed = 0; seed < games; seed++) {
    const episode = new Episode(env, { firstServer: seed % 2 }, seed);
    while (!episode.isTerminal) episode.stepJoint([a, b]);
    total += episode.returns[0]!;
  }
  return total / games;
}

describe('envs/games/team-volley-roles', () => {
  it("encodes one role per player, front first, and parses a coach's answer", () => {
    expect(decodeRoles(RSA, 3)).to.deep.equal([1, 2, 3]);
    const s = env.init(env.parseParams(), 0);
    expect(env.actionText(s, 0, RSA)).to.equal('[receiver setter attacker]');
    expect(tryParseActionText(env, s, 0, 'My plan: [receiver, setter, attacker].')).to.equal(RSA);
    expect(tryParseActionText(env, s, 0, '[receiver setter attacker]')).to.equal(RSA);
    expect(tryParseActionText(env, s, 0, '[receiver setter]')).to.equal(undefined);
    expect(env.encodeAction(s, 1, { roles: ['hold', 'hold', 'receiver'] })).to.equal(encodeRoles([0, 0, 1]));
    expect(env.encodeAction(s, 1, { roles: ['hold'] })).to.equal(undefined);
  });

  it('asks again at the next event: the serve flying over the net, then each touch', () => {
    let s = env.init(env.parseParams({ firstServer: 1 }), 3) as TeamVolleyRolesState;
    s = env.applyJoint(s, [RECEIVE, HOLD]) as TeamVolleyRolesState;
    // The first decision lasts until the serve crosses to team 0: the 30-frame hang plus the flight.
    expect(s.ticks).to.be.greaterThan(30);
    expect(s.court.possession).to.equal(0);
    expect(s.roles).to.deep.equal([1, 1, 1, 0, 0, 0]);
    const next = env.applyJoint(s, [RECEIVE, HOLD]) as TeamVolleyRolesState;
    const touchedOrScored = next.court.touched.some(Boolean) || next.court.score.some((x) => x > 0) || next.court.possession !== 0;
    expect(touchedOrScored).to.equal(true);
  });

  it('makes roles matter: a team that holds loses to receivers and to a receive-set-attack plan', () => {
    expect(meanReturn(RECEIVE, HOLD)).to.be.greaterThan(2);
    expect(meanReturn(RSA, HOLD)).to.be.greaterThan(2);
  });

  it('predicts where a free ball comes down', () => {
    const landing = predictDescent({ x: 0, y: 10, vx: 6, vy: 0 }, 0, 3.5);
    // Free fall from 10 to 3.5 under gravity 29.4 takes about 0.66 s, 20 frames: x ≈ 6 · 0.66.
    expect(landing!.frames).to.be.within(19, 22);
    expect(landing!.x).to.be.closeTo((6 * landing!.frames) / 30, 1e-9);
  });

  it('lets a coach read the court and its own roles', () => {
    const s = env.applyJoint(env.init(env.parseParams(), 0), [RSA, HOLD]);
    const text = env.observationText(s, 0);
    expect(text).to.match(/You coach team 0/);
    expect(text).to.match(/Your roles now: front receiver, middle setter, back attacker\./);
    expect(text).to.match(/decision 2 of 400/);
  });
});

import { expect } from 'chai';
import { actionFor } from '../../web-viewer/src/use-keyboard-input.ts';
import { interpolateView } from '../../web-viewer/src/renderers/interpolate.ts';

describe('web viewer: real-time interpolation and keyboard mapping', () => {
  const a = { ball: { x: 0, y: 10, vx: 1, vy: 2 }, agents: [{ x: -10, y: 1.5, lives: 5 }], t: 10, label: 'a' };
  const b = { ball: { x: 2, y: 12, vx: 3, vy: 4 }, agents: [{ x: -8, y: 1.5, lives: 4 }], t: 13, label: 'b' };

  it('moves positions part of the way and takes everything else from the newer view', () => {
    const mid = interpolateView(a, b, 0.25);
    expect(mid.ball).to.deep.equal({ x: 0.5, y: 10.5, vx: 3, vy: 4 });
    expect(mid.agents[0]).to.deep.equal({ x: -9.5, y: 1.5, lives: 4 });
    expect(mid.t).to.equal(13);
    expect(mid.label).to.equal('b');
    expect(interpolateView(a, b, 0)).to.deep.equal({ ...b, ball: { ...b.ball, x: 0, y: 10 }, agents: [{ x: -10, y: 1.5, lives: 4 }] });
    expect(interpolateView(a, b, 7)).to.deep.equal(b); // clamped: never past the newest view
  });

  it('snaps a body that jumped (a new serve) instead of gliding across the court', () => {
    const served = { ...b, ball: { x: 0, y: 12, vx: 0, vy: 0 } };
    const from = { ...a, ball: { x: 20, y: 1, vx: 0, vy: 0 } };
    expect(interpolateView(from, served, 0.5).ball).to.deep.equal(served.ball);
  });

  it("maps held keys to the action id from the seat's side of the net", () => {
    expect(actionFor(new Set(), 0)).to.equal(0);
    expect(actionFor(new Set(['right']), 0)).to.equal(1); // left slime: right is forward
    expect(actionFor(new Set(['left']), 0)).to.equal(2);
    expect(actionFor(new Set(['left']), 1)).to.equal(1); // right slime: left is forward
    expect(actionFor(new Set(['right', 'jump']), 1)).to.equal(6);
    expect(actionFor(new Set(['left', 'right', 'jump']), 0)).to.equal(7);
  });
});

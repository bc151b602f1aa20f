import { expect } from 'chai';
import { flattenView, unflattenView } from '../../protocol/view-leaves.ts';

describe('protocol/view-leaves', () => {
  it('flattens a view into path leaves and rebuilds it exactly', () => {
    const view = {
      ball: { x: 1.5, y: -2, vx: 0, vy: 3.25 },
      agents: [
        { x: 1, lives: 5, name: 'left' },
        { x: -1, lives: 4, name: 'right' },
      ],
      t: 17,
      over: false,
      winner: null,
      empty: [],
      nothing: {},
      'odd.key~': 'kept',
    };
    const leaves = flattenView(view);
    expect(leaves.get('ball.x')).to.equal(1.5);
    expect(leaves.get('agents.1.lives')).to.equal(4);
    expect(leaves.get('odd~1key~0')).to.equal('kept');
    expect(unflattenView(leaves)).to.deep.equal(view);
  });

  it('rebuilds primitive and array roots', () => {
    expect(unflattenView(flattenView(42))).to.equal(42);
    expect(unflattenView(flattenView([1, [2, 3], { a: [] }]))).to.deep.equal([1, [2, 3], { a: [] }]);
    expect(unflattenView(flattenView(null))).to.equal(null);
  });
});

import { expect } from 'chai';
import { Rng } from '../../../envs/index.ts';
import { EloSettingsSchema, EloTable } from '../../../league/ratings/elo.ts';
import { RatingError } from '../../../league/ratings/rating-error.ts';

describe('league/ratings/elo', () => {
  it('defaults to K 32, initial 1000, scale 400', () => {
    expect(EloSettingsSchema.parse({})).to.deep.equal({ k: 32, initial: 1000, scale: 400 });
    expect(new EloTable().rating('new')).to.equal(1000);
  });

  it('moves equal ratings by exactly K/2 on a win', () => {
    const table = new EloTable({ k: 32 });
    const change = table.update('a', 'b', 1);
    expect(change).to.deep.equal({ a: { before: 1000, after: 1016 }, b: { before: 1000, after: 984 } });
  });

  it('matches a hand-computed update between unequal ratings', () => {
    // E_A = 1 / (1 + 10^(-200/400)) = 0.7597469; K·(1 − E_A) = 7.6880983 for a win,
    // K·(0.5 − E_A) = −8.3119017 for a draw.
    const table = EloTable.fromJSON({ settings: { k: 32, initial: 1000, scale: 400 }, ratings: { a: 1200, b: 1000 }, games: {} });
    const c = table.update('a', 'b', 1);
    expect(c.a.after - c.a.before).to.be.closeTo(7.6880983, 1e-6);
    expect(c.b.after - c.b.before).to.be.closeTo(-7.6880983, 1e-6);
    const draw = EloTable.fromJSON({ ...table.toJSON(), ratings: { a: 1200, b: 1000 } }).update('a', 'b', 0.5);
    expect(draw.a.after - draw.a.before).to.be.closeTo(-8.3119017, 1e-6);
  });

  it('leaves equal ratings unchanged on a draw', () => {
    const table = new EloTable();
    expect(table.update('a', 'b', 0.5)).to.deep.equal({ a: { before: 1000, after: 1000 }, b: { before: 1000, after: 1000 } });
  });

  it('is symmetric: swapping sides and score mirrors the change', () => {
    const json = { settings: { k: 24, initial: 1000, scale: 400 }, ratings: { a: 1130, b: 1045 }, games: {} };
    const one = EloTable.fromJSON(json).update('a', 'b', 0);
    const two = EloTable.fromJSON(json).update('b', 'a', 1);
    expect(one.a).to.deep.equal(two.b);
    expect(one.b).to.deep.equal(two.a);
  });

  it('keeps the rating sum constant over many games (zero-sum changes)', () => {
    const rng = new Rng(3);
    const table = new EloTable();
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (let g = 0; g < 500; g++) {
      const [x, y] = rng.shuffle(ids);
      table.update(x!, y!, rng.pick([0, 0.5, 1]));
    }
    const sum = ids.reduce((s, id) => s + table.rating(id), 0);
    expect(sum).to.be.closeTo(5000, 1e-8);
    expect(ids.some((id) => Math.abs(table.rating(id) - 1000) > 1)).to.equal(true);
  });

  it('changes nothing when an agent plays itself', () => {
    const table = new EloTable();
    expect(table.update('a', 'a', 1).a.after).to.equal(1000);
    expect(table.rating('a')).to.equal(1000);
  });

  it('decomposes a match into pairs with K / (n − 1)', () => {
    const table = new EloTable({ k: 32 });
    // Seat 0 beats both, seat 1 beats seat 2: K/2 = 16 per pair, from equal ratings.
    const after = table.updateMatch(
      ['a', 'b', 'c'],
      [
        [0.5, 1, 1],
        [0, 0.5, 1],
        [0, 0, 0.5],
      ],
    );
    expect(after).to.deep.equal([1016, 1000, 984]);
  });

  it('gives the two-player update for a two-seat match', () => {
    const a = new EloTable();
    const b = new EloTable();
    a.update('x', 'y', 1);
    a.update('x', 'y', 0.5);
    b.updateMatch(
      ['x', 'y'],
      [
        [0.5, 1],
        [0, 0.5],
      ],
    );
    b.updateMatch(
      ['x', 'y'],
      [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
    );
    expect(b.toJSON()).to.deep.equal(a.toJSON());
  });

  it('rates teams at their mean rating and moves every member', () => {
    const table = new EloTable({ k: 32 });
    const changes = table.updateTeams(
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [1, 2],
    );
    expect(changes.flat().map((c) => c.after)).to.deep.equal([1016, 1016, 984, 984]);
    expect(table.games('a')).to.equal(1);
  });

  it('round-trips through JSON', () => {
    const table = new EloTable({ k: 16 });
    table.update('a', 'b', 1);
    table.update('b', 'c', 0.5);
    const copy = EloTable.fromJSON(JSON.parse(JSON.stringify(table)));
    expect(copy.toJSON()).to.deep.equal(table.toJSON());
    expect(copy.rating('a')).to.equal(1008);
    expect(copy.games('b')).to.equal(2);
  });

  it('rejects bad scores, settings, matches and tables with typed errors', () => {
    const table = new EloTable();
    expect(() => table.update('a', 'b', 2))
      .to.throw(RatingError)
      .with.property('code', 'bad-score');
    expect(() => table.update('a', 'b', Number.NaN))
      .to.throw(RatingError)
      .with.property('code', 'bad-score');
    expect(() => new EloTable({ k: -1 }))
      .to.throw(RatingError)
      .with.property('code', 'bad-rating-settings');
    expect(() => table.updateMatch(['a'], [[0.5]]))
      .to.throw(RatingError)
      .with.property('code', 'bad-match');
    expect(() => table.updateTeams([['a'], ['a']], [1, 2]))
      .to.throw(RatingError)
      .with.property('code', 'bad-match');
    expect(() => EloTable.fromJSON({ ratings: {} }))
      .to.throw(RatingError)
      .with.property('code', 'bad-rating-table');
  });
});

import { expect } from 'chai';
import { OpenSkillTable } from '../../../league/ratings/openskill.ts';
import { RatingError } from '../../../league/ratings/rating-error.ts';

// Reference numbers: openskill@5.0.1 defaults, league.md §5.4.
describe('league/ratings/openskill', () => {
  it('starts agents at μ 25, σ 25/3, ordinal 0', () => {
    const r = new OpenSkillTable().rating('new');
    expect(r.mu).to.equal(25);
    expect(r.sigma).to.be.closeTo(25 / 3, 1e-12);
    expect(r.ordinal).to.be.closeTo(0, 1e-12);
  });

  it('raises the winner and lowers the loser of a 1v1', () => {
    const table = new OpenSkillTable();
    const changes = table.rateMatch([['a'], ['b']], { ranks: [1, 2] });
    const winner = changes[0]![0];
    const loser = changes[1]![0];
    expect(winner!.after.mu).to.be.closeTo(27.6354, 1e-4);
    expect(loser!.after.mu).to.be.closeTo(22.3646, 1e-4);
    expect(winner!.after.sigma).to.be.closeTo(8.0659, 1e-4);
    expect(table.rating('a').mu).to.be.above(winner!.before.mu);
    expect(table.games('a')).to.equal(1);
  });

  it('treats higher scores as better and equal ranks as a draw', () => {
    const table = new OpenSkillTable();
    table.rateMatch([['a'], ['b']], { scores: [3, 7] });
    expect(table.rating('b').mu).to.be.above(table.rating('a').mu);
    const draw = new OpenSkillTable().rateMatch([['c'], ['d']], { ranks: [1, 1] });
    expect(draw[0]![0]!.after.mu).to.be.closeTo(25, 1e-9);
    expect(draw[0]![0]!.after.sigma).to.be.closeTo(8.0659, 1e-4);
  });

  it('rates teams and aggregates them as Σμ and √Σσ²', () => {
    const table = new OpenSkillTable();
    const changes = table.rateMatch(
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      { ranks: [1, 2] },
    );
    expect(changes.flat().map((c) => Math.round(c.after.mu * 1e4) / 1e4)).to.deep.equal([26.9643, 26.9643, 23.0357, 23.0357]);
    const team = table.team(['a', 'b']);
    expect(team.mu).to.be.closeTo(2 * 26.9643, 1e-3);
    expect(team.sigma).to.be.closeTo(Math.sqrt(2) * 8.178, 1e-3);
  });

  it('rates a four-player free-for-all by rank', () => {
    const table = new OpenSkillTable();
    table.rateMatch([['a'], ['b'], ['c'], ['d']], { ranks: [1, 2, 3, 4] });
    const mus = ['a', 'b', 'c', 'd'].map((id) => table.rating(id).mu);
    [27.795, 26.553, 24.689, 20.962].forEach((want, i) => expect(mus[i]).to.be.closeTo(want, 1e-3));
  });

  it('predicts even odds between equal teams and favours the stronger one', () => {
    const table = new OpenSkillTable();
    expect(table.predictWin([['a'], ['b']])).to.deep.equal([0.5, 0.5]);
    for (let i = 0; i < 5; i++)
      table.rateMatch(
        [
          ['a', 'b'],
          ['c', 'd'],
        ],
        { ranks: [1, 2] },
      );
    const [p, q] = table.predictWin([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(p).to.be.above(0.5);
    expect(p! + q!).to.be.closeTo(1, 1e-9);
  });

  it('round-trips through JSON with its settings', () => {
    const table = new OpenSkillTable({ tau: 0, model: 'thurstone-mosteller-full' });
    table.rateMatch([['a'], ['b']], { ranks: [1, 2] });
    const copy = OpenSkillTable.fromJSON(JSON.parse(JSON.stringify(table)));
    expect(copy.toJSON()).to.deep.equal(table.toJSON());
    expect(copy.rating('a').mu).to.be.closeTo(29.231, 1e-3); // Thurstone–Mosteller full, τ 0
  });

  it('rejects malformed matches and tables with typed errors', () => {
    const table = new OpenSkillTable();
    expect(() => table.rateMatch([['a'], ['a']], { ranks: [1, 2] }))
      .to.throw(RatingError)
      .with.property('code', 'bad-match');
    expect(() => table.rateMatch([['a'], ['b']], { ranks: [1] }))
      .to.throw(RatingError)
      .with.property('code', 'bad-match');
    expect(() => table.rateMatch([['a'], []], { ranks: [1, 2] }))
      .to.throw(RatingError)
      .with.property('code', 'bad-match');
    expect(() => OpenSkillTable.fromJSON({ settings: {}, ratings: { a: { mu: 1 } } }))
      .to.throw(RatingError)
      .with.property('code', 'bad-rating-table');
    expect(() => new OpenSkillTable({ sigma: 0 }))
      .to.throw(RatingError)
      .with.property('code', 'bad-rating-settings');
  });
});

import { expect } from 'chai';
import { learningCurveSvg } from '../../../league/training/learning-curve-svg.ts';
import type { EvalLine } from '../../../league/training/metrics-log.ts';

const result = (winRate: number, draws = 0) => ({
  games: 10,
  wins: winRate * 10,
  draws,
  losses: 10 - winRate * 10 - draws,
  winRate,
  noLossRate: winRate + draws / 10,
  meanReturn: 0,
});
const evalAt = (seconds: number, extra: Partial<EvalLine>): EvalLine => ({ type: 'eval', update: seconds, seconds, agentId: 'x', vs: {}, ...extra });

describe('league/training/learning-curve-svg', () => {
  it('draws one panel per measure present: win rates, mean returns, exploitability, Elo', () => {
    const svg = learningCurveSvg(
      [
        evalAt(10, { vs: { random: result(0.5), 'mcts<8>': result(0.2, 3) }, elo: 1000, exploitability: 0.4, mixtureExploitability: 0.3 }),
        evalAt(20, { vs: { random: result(0.8), 'mcts<8>': result(0.4, 2) }, elo: 1100, exploitability: 0.2, mixtureExploitability: 0.1 }),
      ],
      'run & test',
    );
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).to.contain('win rate against anchors').and.contain('mean return against anchors').and.contain('exploitability').and.contain('Elo');
    expect(svg).to.contain('run &amp; test').and.contain('mcts&lt;8&gt;'); // text is escaped
    expect(svg).to.contain('no loss vs mcts&lt;8&gt;'); // draws: a dashed no-loss line too
    expect(svg.match(/<polyline/g)).to.have.length(2 + 1 + 2 + 2 + 1); // win (2) + no loss (1) + mean return (2) + exploitability (2) + Elo
    expect(svg.trim().endsWith('</svg>')).to.equal(true);
  });

  it('maps the best and worst values to the panel edges', () => {
    const svg = learningCurveSvg([evalAt(0, { exploitability: 0.5 }), evalAt(100, { exploitability: 0.1 })], 't');
    const points = /<polyline points="([^"]+)"/
      .exec(svg)![1]!
      .split(' ')
      .map((p) => p.split(',').map(Number));
    expect(points[0]![0]).to.be.lessThan(points[1]![0]!); // time runs left to right
    expect(points[0]![1]).to.be.lessThan(points[1]![1]!); // the higher value is drawn higher up
  });

  it('says so when there is nothing to draw yet', () => {
    expect(learningCurveSvg([], 'empty')).to.contain('no evaluations yet');
  });
});

import { expect } from 'chai';
import { createMatchmaker, MatchmakingConfigSchema, MatchmakingError, parseMatchmakingConfig } from '../../../league/matchmaking/index.ts';

function zodPaths(input: unknown): string[] {
  const result = MatchmakingConfigSchema.safeParse(input);
  expect(result.success, 'config should be rejected').to.equal(false);
  return result.error!.issues.map((i) => i.path.join('.'));
}

describe('league/matchmaking/index', () => {
  it('fills the documented defaults', () => {
    expect(parseMatchmakingConfig({ strategy: 'uniform' })).to.deep.equal({ strategy: 'uniform', allowSelfPlay: false });
    expect(parseMatchmakingConfig({ strategy: 'pfsp' })).to.deep.equal({ strategy: 'pfsp', weighting: 'hard', p: 2, focal: 'learners', pool: 'all' });
    expect(parseMatchmakingConfig({ strategy: 'rating-window' })).to.include({ window: 200, widen: 100 });
    expect(parseMatchmakingConfig({ strategy: 'latest-vs-snapshots' })).to.include({ q: 0.5, window: 10 });
    const a = parseMatchmakingConfig({ strategy: 'alphastar' });
    if (a.strategy !== 'alphastar') throw new Error('unreachable');
    expect(a.main).to.include({
      pfsp: 0.5,
      verification: 0.15,
      selfPlay: 0.35,
      p: 2,
      selfPlayThreshold: 0.3,
      exploitationThreshold: 0.3,
      forgettingThreshold: 0.7,
    });
    expect(a.roleMix).to.deep.equal({ main: 0.25, mainExploiter: 0.25, leagueExploiter: 0.5 });
    expect(a.mainExploiter).to.deep.equal({ threshold: 0.2, curriculum: 0.5 });
    expect(a.leagueExploiter).to.deep.equal({ weighting: 'linear_capped', p: 2 });
  });

  it('names the field of a bad config in the zod error', () => {
    expect(zodPaths({ strategy: 'random-walk' })).to.deep.equal(['strategy']);
    expect(zodPaths({ strategy: 'pfsp', weighting: 'cubic' })).to.deep.equal(['weighting']);
    expect(zodPaths({ strategy: 'latest-vs-snapshots', q: 1.5 })).to.deep.equal(['q']);
    expect(zodPaths({ strategy: 'latest-vs-snapshots', window: 0 })).to.deep.equal(['window']);
    expect(zodPaths({ strategy: 'rating-window', widen: 0 })).to.deep.equal(['widen']);
    expect(zodPaths({ strategy: 'alphastar', main: { pfsp: 0.9 } })).to.deep.equal(['main.selfPlay']);
    expect(zodPaths({ strategy: 'alphastar', mainExploiter: { threshold: -1 } })).to.deep.equal(['mainExploiter.threshold']);
    expect(zodPaths({ strategy: 'uniform', allowSelfplay: true })).to.deep.equal(['']); // unknown key, reported at the object
  });

  it('throws a typed MatchmakingError whose message names the field', () => {
    const bad = () => createMatchmaker({ strategy: 'pfsp', p: -2 });
    expect(bad).to.throw(MatchmakingError).with.property('code', 'bad-matchmaking-config');
    expect(bad).to.throw(/p: /);
    expect(() => parseMatchmakingConfig({ strategy: 'uniform', allowSelfplay: true })).to.throw(/allowSelfplay/);
  });
});

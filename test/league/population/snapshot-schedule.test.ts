import { expect } from 'chai';
import { Rng } from '../../../envs/index.ts';
import { PayoffTable } from '../../../league/matchmaking/payoff-table.ts';
import type { MemberInput, MemberRole } from '../../../league/population/member.ts';
import { Population } from '../../../league/population/population.ts';
import {
  parseSnapshotRule,
  referenceSet,
  resetAfterSnapshot,
  shouldSnapshot,
  snapshotReason,
  SnapshotRuleSchema,
  takeSnapshot,
  type SnapshotRule,
} from '../../../league/population/snapshot-schedule.ts';

const ENV = 'tic-tac-toe-v1';
const mcts = (sims: number) => ({ kind: 'mcts', options: { sims } });
const m = (agentId: string, kind: MemberInput['kind'], extra: Partial<MemberInput> = {}): MemberInput => ({
  agentId,
  kind,
  env: ENV,
  agent: mcts(8),
  createdAt: 0,
  frozen: kind === 'snapshot' || kind === 'scripted',
  ...extra,
});

/** Pairs with exactly `games` decayed games and win rate x; minGames 0 so the rule's own minGames decides. */
function payoff(rates: ReadonlyArray<readonly [string, string, number, number?]>): PayoffTable {
  return PayoffTable.fromJSON({ decay: 0.99, minGames: 0, pairs: rates.map(([a, b, x, games = 20]) => ({ a, b, games, score: games * x })) });
}

function league(): Population {
  return new Population([
    m('l', 'learner', { role: 'main' }),
    m('l-at-1', 'snapshot', { parentId: 'l', createdAt: 1 }),
    m('l-at-2', 'snapshot', { parentId: 'l', createdAt: 2 }),
    m('r', 'scripted'),
    m('x', 'learner', { role: 'main-exploiter' }),
    m('n', 'learner'),
  ]);
}

const rule = (input: unknown): SnapshotRule => parseSnapshotRule(input);

describe('league/population/snapshot-schedule', () => {
  it('fills defaults and needs at least one trigger, naming the field otherwise', () => {
    expect(rule({ winRate: {} })).to.deep.equal({
      winRate: { threshold: 0.7, minGames: 8, reference: 'frozen', aggregate: 'min', minMatches: 0 },
      reset: { main: 0, mainExploiter: 1, leagueExploiter: 0.25 },
    });
    expect(() => rule({}))
      .to.throw(/everyMatches, winRate or both/)
      .with.property('code', 'bad-snapshot-rule');
    expect(SnapshotRuleSchema.safeParse({ everyMatches: 0 }).error?.issues[0]?.path).to.deep.equal(['everyMatches']);
    expect(SnapshotRuleSchema.safeParse({ winRate: { threshold: 1.2 } }).error?.issues[0]?.path).to.deep.equal(['winRate', 'threshold']);
    expect(() => rule({ everyMatches: 5, reset: { leagueExploiter: 2 } })).to.throw(/reset\.leagueExploiter/);
  });

  it('fires every N matches of the learner', () => {
    const check = (since: number) =>
      snapshotReason(rule({ everyMatches: 3 }), { learnerId: 'l', population: league(), payoff: new PayoffTable(), matchesSinceSnapshot: since });
    expect([0, 1, 2, 3, 4].map(check)).to.deep.equal([null, null, null, 'every-matches', 'every-matches']);
  });

  it('fires when the win rate against every frozen member reaches the threshold', () => {
    const r = rule({ winRate: {} });
    const at = (rates: Parameters<typeof payoff>[0]) =>
      snapshotReason(r, { learnerId: 'l', population: league(), payoff: payoff(rates), matchesSinceSnapshot: 10 });
    expect(
      at([
        ['l', 'l-at-1', 0.8],
        ['l', 'l-at-2', 0.7],
        ['l', 'r', 0.75],
      ]),
    ).to.equal('win-rate'); // >= 0.7, inclusive
    expect(
      at([
        ['l', 'l-at-1', 0.8],
        ['l', 'l-at-2', 0.69],
        ['l', 'r', 0.75],
      ]),
    ).to.equal(null);
    expect(
      at([
        ['l', 'l-at-1', 0.8],
        ['l', 'l-at-2', 0.9],
        ['l', 'r', 0.9, 7],
      ]),
    ).to.equal(null); // 7 < minGames 8 against r
    expect(
      at([
        ['l', 'l-at-1', 0.8],
        ['l', 'l-at-2', 0.9],
      ]),
    ).to.equal(null); // never played r
  });

  it('can average instead of requiring every reference member, and waits for minMatches', () => {
    const rates = payoff([
      ['l', 'l-at-1', 0.8],
      ['l', 'l-at-2', 0.75],
      ['l', 'r', 0.6],
    ]); // min 0.6, mean 0.717
    const check = { learnerId: 'l', population: league(), payoff: rates, matchesSinceSnapshot: 10 };
    expect(shouldSnapshot(rule({ winRate: { aggregate: 'min' } }), check)).to.equal(false);
    expect(shouldSnapshot(rule({ winRate: { aggregate: 'mean' } }), check)).to.equal(true);
    expect(shouldSnapshot(rule({ winRate: { aggregate: 'mean', minMatches: 11 } }), check)).to.equal(false);
  });

  it('resolves reference sets', () => {
    const pop = league();
    expect(referenceSet('frozen', pop, 'l')).to.deep.equal(['l-at-1', 'l-at-2', 'r']);
    expect(referenceSet('others', pop, 'l')).to.deep.equal(['l-at-1', 'l-at-2', 'r', 'x', 'n']);
    expect(referenceSet('main-agents', pop, 'x')).to.deep.equal(['l', 'n']); // a learner without role is a main agent
    expect(referenceSet('own-snapshots', pop, 'l')).to.deep.equal(['l-at-1', 'l-at-2']);
    expect(referenceSet(['r', 'x', 'l'], pop, 'l')).to.deep.equal(['r', 'x']);
  });

  it('never fires with an empty reference set or for a frozen member', () => {
    const pop = new Population([m('l', 'learner')]);
    expect(
      shouldSnapshot(rule({ winRate: { minGames: 0 } }), { learnerId: 'l', population: pop, payoff: new PayoffTable(), matchesSinceSnapshot: 99 }),
    ).to.equal(false);
    expect(
      shouldSnapshot(rule({ everyMatches: 1 }), { learnerId: 'l-at-1', population: league(), payoff: new PayoffTable(), matchesSinceSnapshot: 99 }),
    ).to.equal(false);
  });

  it('resets main exploiters always, main agents never, league exploiters with probability 0.25', () => {
    const reset = rule({ everyMatches: 1 }).reset;
    const learnerWith = (role: MemberRole) => new Population([m('a', 'learner', { role, agent: mcts(500) })]).get('a');
    const rng = new Rng(7);
    const count = (role: MemberRole, n: number) => {
      let k = 0;
      for (let i = 0; i < n; i++) {
        const before = Rng.fromState(rng.state());
        const out = resetAfterSnapshot(learnerWith(role), mcts(8), reset, rng);
        before.float();
        expect(rng.state()).to.deep.equal(before.state()); // exactly one draw
        expect(out.agent.options.sims).to.equal(out.reset ? 8 : 500);
        if (out.reset) k++;
      }
      return k;
    };
    expect(count('main-exploiter', 1000)).to.equal(1000);
    expect(count('main', 1000)).to.equal(0);
    const n = 20_000;
    expect(Math.abs(count('league-exploiter', n) - 0.25 * n)).to.be.below(4 * Math.sqrt(n * 0.25 * 0.75));
  });

  describe('with a scripted stand-in learner whose MCTS sims grow by 16 per training step', () => {
    function run(role: MemberRole, matches: number) {
      const r = rule({ everyMatches: 3 });
      const pop = new Population([m('l', 'learner', { role, agent: mcts(16) }), m('r', 'scripted')]);
      const rng = new Rng(3);
      let since = 0;
      for (let match = 1; match <= matches; match++) {
        const sims = pop.get('l').agent.options.sims as number;
        pop.updateAgent('l', mcts(sims + 16)); // the "training step" after this match
        since++;
        if (shouldSnapshot(r, { learnerId: 'l', population: pop, payoff: new PayoffTable(), matchesSinceSnapshot: since })) {
          takeSnapshot(pop, 'l', { createdAt: match, initialAgent: mcts(16), reset: r.reset, rng });
          since = 0;
        }
      }
      return pop;
    }

    it('snapshots a main agent every 3 matches with the config it had then', () => {
      const pop = run('main', 10);
      const snaps = pop.snapshotsOf('l');
      expect(snaps.map((s) => [s.agentId, s.createdAt, s.agent.options.sims])).to.deep.equal([
        ['l-at-3', 3, 64],
        ['l-at-6', 6, 112],
        ['l-at-9', 9, 160],
      ]);
      expect(pop.get('l').agent.options.sims).to.equal(176); // 16 + 10 * 16, never reset
      expect(snaps.every((s) => s.frozen && s.parentId === 'l' && s.role === 'main')).to.equal(true);
    });

    it('resets a main exploiter to its initial config after each snapshot', () => {
      const pop = run('main-exploiter', 10);
      expect(pop.snapshotsOf('l').map((s) => s.agent.options.sims)).to.deep.equal([64, 64, 64]);
      expect(pop.get('l').agent.options.sims).to.equal(32); // reset at match 9, one step since
    });
  });
});

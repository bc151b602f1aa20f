/**
 * Issue #12, "Predictable deals": the seed-prediction attack, public replays of imperfect-
 * information games, and live-league seeds that only the operator can reproduce.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leagueMatchSeed } from '../../../arena/lobby/match-seeds.ts';
import { publicReplay } from '../../../arena/match/public-replay.ts';
import { deriveSeed, Episode, getEnv, type EpisodeRecord } from '../../../envs/index.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { ADMIN, makeHttpHarness, playOverHttp, type HttpHarness } from '../http/http-harness.ts';

const kuhn = getEnv('kuhn-poker-v1');
const leduc = getEnv('leduc-poker-v1');
const kuhnMatch = {
  env: 'kuhn-poker-v1',
  seats: [
    { kind: 'agent', agent: 'random', agentId: 'victim' },
    { kind: 'agent', agent: 'random', agentId: 'attacker' },
  ],
};

/** The dealt cards of an episode with this seed, as the attacker simulates them. */
function dealOf(seed: number): number[] {
  const episode = new Episode(kuhn, {}, seed);
  return [episode.resolveChance(), episode.resolveChance()];
}

/**
 * The attack of the review: read the seeds of earlier public replays, guess the next seed
 * (the largest + 1: a counter) and simulate its deal. Undefined when no replay shows a seed.
 */
function predictNextDeal(publicReplays: readonly Record<string, unknown>[]): number[] | undefined {
  const seeds = publicReplays.map((r) => r['seed']).filter((s): s is number => typeof s === 'number');
  return seeds.length === 0 ? undefined : dealOf(Math.max(...seeds) + 1);
}

describe('arena security: deal secrecy', () => {
  let h: HttpHarness;
  beforeEach(async () => {
    h = await makeHttpHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const replay = async (id: string, headers: Record<string, string> = {}) => {
    const res = await h.arena.app.inject({ method: 'GET', url: `/api/replays/${id}`, headers });
    expect(res.statusCode, res.body).to.equal(200);
    return res.json() as Record<string, unknown>;
  };

  it('defeats the seed-prediction attack: public kuhn replays carry no seed, and unseeded matches get unrelated seeds', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await playOverHttp(h, kuhnMatch));
    const publicReplays = await Promise.all(ids.map((id) => replay(id)));
    for (const r of publicReplays) expect(r).to.not.have.property('seed');
    expect(predictNextDeal(publicReplays)).to.equal(undefined);

    // The operator's full records: the seeds are not a sequence one could extrapolate either.
    const seeds = (await Promise.all(ids.map((id) => replay(id, ADMIN)))).map((r) => r['seed'] as number);
    expect(new Set(seeds).size).to.equal(seeds.length);
    const steps = seeds.slice(1).map((s, i) => s - seeds[i]!);
    expect(new Set(steps).size, `seeds ${seeds.join(', ')}`).to.be.greaterThan(1);
    // And the next match's deal is not what the counter guess gives.
    const next = await playOverHttp(h, kuhnMatch);
    const actual = (await replay(next, ADMIN)) as unknown as EpisodeRecord;
    expect(actual.seed).to.not.equal(Math.max(...seeds) + 1);
  });

  it('serves public kuhn and leduc replays without unseen cards, and full records only with the admin token', async () => {
    for (const env of ['kuhn-poker-v1', 'leduc-poker-v1']) {
      for (let seed = 0; seed < 6; seed++) {
        const id = await playOverHttp(h, {
          env,
          seed,
          seats: [
            { kind: 'agent', agent: 'random' },
            { kind: 'agent', agent: 'random' },
          ],
        });
        const full = (await replay(id, ADMIN)) as unknown as EpisodeRecord;
        const pub = await replay(id);
        expect(full.seed).to.equal(seed);
        expect(pub).to.not.have.property('seed');
        expect(pub['redacted']).to.equal(true);
        const e = getEnv(env);
        const final = Episode.replay(e, full);
        const views = pub['views'] as unknown[];
        expect(views).to.have.length(full.history.length + 1);
        expect(views[views.length - 1]).to.deep.equal(e.view(final.state, 'spectator'));
        // Every private card the spectator never saw is blanked: no name of it in the public replay.
        const history = pub['history'] as { kind: string; action: number | null }[];
        const privateDeals = full.history.slice(0, 2) as { action: number }[];
        const finalView = e.view(final.state, 'spectator') as { hands?: { showdown: boolean }[]; result?: { kind: string } };
        const spectatorSawCards = env === 'kuhn-poker-v1' ? finalView.hands![0]!.showdown : finalView.result!.kind === 'showdown';
        for (let i = 0; i < 2; i++) {
          expect(history[i]!.action).to.equal(spectatorSawCards ? privateDeals[i]!.action : null);
        }
      }
    }
  });

  it('hides a folded kuhn hand and shows a showdown', () => {
    const folded = new Episode(kuhn, {}, 1);
    folded.resolveChance(2);
    folded.resolveChance(0);
    folded.step(0, 1);
    folded.step(1, 0); // bet, fold
    const foldedReplay = publicReplay(kuhn, folded.toRecord()) as { history: { action: number | null }[] };
    expect(foldedReplay.history.map((e) => e.action)).to.deep.equal([null, null, 1, 0]);

    const shown = new Episode(kuhn, {}, 1);
    shown.resolveChance(2);
    shown.resolveChance(0);
    shown.step(0, 0);
    shown.step(1, 0); // check, check: showdown
    expect((publicReplay(kuhn, shown.toRecord()) as { history: { action: number | null }[] }).history.map((e) => e.action)).to.deep.equal([2, 0, 0, 0]);
  });

  it('keeps a leduc public card and hides the folded private cards', () => {
    const ep = new Episode(leduc, {}, 3);
    ep.resolveChance(0);
    ep.resolveChance(3);
    const seatToAct = (): number => {
      const t = ep.turn;
      if (t.kind !== 'decision') throw new Error(t.kind);
      return t.seat;
    };
    while (ep.turn.kind !== 'chance') {
      const seat = seatToAct();
      ep.step(seat, ep.legalActions(seat)[0]!);
    }
    ep.resolveChance(5);
    ep.step(seatToAct(), 2); // raise
    ep.step(seatToAct(), 0); // fold
    const pub = publicReplay(leduc, ep.toRecord()) as { history: { kind: string; action: number | null }[] };
    const chances = pub.history.filter((e) => e.kind === 'chance').map((e) => e.action);
    expect(chances).to.deep.equal([null, null, 5]);
  });

  it('serves perfect-information replays whole', () => {
    const ttt = getEnv('tic-tac-toe-v1');
    const ep = new Episode(ttt, {}, 9);
    ep.step(0, 4);
    expect(publicReplay(ttt, ep.toRecord())).to.deep.equal(ep.toRecord());
  });

  it('answers the history route without seeds', async () => {
    await playOverHttp(h, kuhnMatch);
    const res = await h.arena.app.inject({ method: 'GET', url: '/api/league/history?league=arena-kuhn-poker-v1' });
    const body = res.json() as { matches: Record<string, unknown>[] };
    expect(body.matches).to.have.length(1);
    expect(body.matches[0]).to.not.have.property('seed');
  });
});

describe('arena security: live-league seeds', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-salt-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('derives deal seeds from a secret salt kept in the store, stable across restarts and unique per store', async () => {
    const store = new SqliteStore(dir);
    const league = await store.openLeague({ name: 'salty', env: 'kuhn-poker-v1', config: {}, configHash: 'x', seed: 5 });
    const salt = await store.leagueSalt(league.id);
    expect(salt).to.have.length.greaterThan(30);
    expect(await store.leagueSalt(league.id)).to.equal(salt);
    expect(JSON.stringify(await store.getLeague('salty'))).to.not.include(salt); // LeagueRow never carries it
    await store.close();
    const reopened = new SqliteStore(dir);
    expect(await reopened.leagueSalt(league.id)).to.equal(salt);
    await reopened.close();

    const other = new SqliteStore(':memory:');
    const twin = await other.openLeague({ name: 'salty', env: 'kuhn-poker-v1', config: {}, configHash: 'x', seed: 5 });
    expect(await other.leagueSalt(twin.id)).to.not.equal(salt);
    await other.close();

    const seeds = [0, 1, 2].map((i) => leagueMatchSeed(salt, 'salty', i));
    expect(seeds).to.deep.equal([0, 1, 2].map((i) => leagueMatchSeed(salt, 'salty', i))); // the operator reproduces them
    expect(new Set(seeds).size).to.equal(3);
    // Not the config-seed derivation the live league used before (the config is shareable).
    expect(seeds).to.not.include(deriveSeed(5, 0xe915, 0));
  });
});

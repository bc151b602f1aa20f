import { expect } from 'chai';
import { Episode, getEnv, Rng, type EpisodeRecord } from '../../envs/index.ts';
import { requireChromium, screenshot, startHarness, waitForView, type ViewerHarness } from './harness.ts';

const spy = getEnv('who-is-the-spy-v1');

/** The envs page's sample playout for seed 1, computed here the same way: the env's own valid sample replies. */
function samplePlayout(): EpisodeRecord {
  const episode = new Episode(spy, {}, 1);
  const rng = new Rng(1);
  while (!episode.isTerminal) {
    const turn = episode.turn;
    if (turn.kind === 'chance') episode.resolveChance();
    else if (turn.kind === 'decision') episode.stepText(turn.seat, spy.sampleText!(episode.state, turn.seat, rng, true)!);
    else throw new Error(`unexpected ${turn.kind} turn`);
  }
  return episode.toRecord();
}

function stateAfter(record: EpisodeRecord, step: number): unknown {
  const episode = new Episode(spy, record.params, record.seed);
  for (const entry of record.history.slice(0, step)) {
    if (entry.kind === 'chance') episode.resolveChance(entry.action);
    else if (entry.kind === 'text') episode.stepText(entry.seat, entry.text);
    else throw new Error(`unexpected ${entry.kind} entry`);
  }
  return episode.state;
}

describe('web viewer: text env renderers (chromium)', () => {
  let h: ViewerHarness;

  before(async function () {
    requireChromium(this);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('a who-is-the-spy replay shows clues and votes; the spectator never sees a word before the end, a seat sees only its own', async () => {
    const record = samplePlayout();
    const last = record.history.length;
    const final = spy.view(stateAfter(record, last) as never, 'spectator') as { pair: string[]; spies: number[] };
    expect(final.pair).to.have.length(2);
    const civilian = [0, 1, 2, 3, 4, 5].find((seat) => !final.spies.includes(seat))!;
    const spySeat = final.spies[0]!;

    const page = await h.page();
    await page.goto(`${h.url}/envs/${spy.key}`);
    await page.waitForSelector(`canvas[data-env="${spy.key}"]`);
    // Mid-game, after the first vote: step there with the keys, as a spectator.
    const middle =
      record.history.findIndex((_e, i) => i > 0 && (spy.view(stateAfter(record, i + 1) as never, 'spectator') as { results: unknown[] }).results.length > 0) +
      1;
    expect(middle).to.be.greaterThan(0).and.lessThan(last);
    await page.keyboard.press('Home');
    for (let i = 0; i < middle; i++) await page.keyboard.press('ArrowRight');
    const state = stateAfter(record, middle);
    await waitForView(page, spy.view(state as never, 'spectator'), `canvas[data-env="${spy.key}"]`);
    const label = (await page.getAttribute(`canvas[data-env="${spy.key}"]`, 'aria-label'))!;
    expect(label)
      .to.match(/Round 1 \|/)
      .and.match(/votes /)
      .and.match(/eliminated/);
    const shown = `${label} ${await page.evaluate(() => (globalThis as any).document.body.textContent as string)}`;
    for (const word of final.pair) expect(shown, `the spectator sees "${word}" mid-game`).to.not.include(word);
    await screenshot(page, 'replay-spy-spectator');

    // A civilian's seat view names the civilians' word, and not the spy's.
    const civilianView = spy.view(state as never, civilian) as { secret: string };
    const spyView = spy.view(state as never, spySeat) as { secret: string };
    expect(civilianView.secret).to.be.a('string').and.not.equal(spyView.secret);
    await page.selectOption('select[data-viewer-select]', String(civilian));
    await waitForView(page, civilianView, `canvas[data-env="${spy.key}"]`);
    const seatLabel = (await page.getAttribute(`canvas[data-env="${spy.key}"]`, 'aria-label'))!;
    expect(seatLabel).to.include(`Your word: ${civilianView.secret}`).and.not.include(spyView.secret);

    // At the end the env shows both words to everyone.
    await page.selectOption('select[data-viewer-select]', 'spectator');
    await page.keyboard.press('End');
    await waitForView(page, final, `canvas[data-env="${spy.key}"]`);
    expect(await page.getAttribute(`canvas[data-env="${spy.key}"]`, 'aria-label')).to.include(`Words: ${final.pair.join(' / ')}`);
    expect(h.errors).to.deep.equal([]);
  });
  it('the replay page of an arena text match (public replay: the move list blanked, the spectator views drawn) steps through without errors', async () => {
    const { matches } = h.server.arena;
    const env = getEnv('simple-negotiation-v1');
    // In-process random agents answer a text-only env with the env's own sampled replies.
    const matchId = (
      await matches.create({
        env: env.key,
        seed: 4,
        seats: [
          { kind: 'agent', agent: 'random', agentId: 'talker-a' },
          { kind: 'agent', agent: 'random', agentId: 'talker-b' },
        ],
      })
    ).matchId;
    const runner = matches.get(matchId)!;
    if (!runner.isOver)
      await new Promise<void>((resolve) =>
        runner.subscribe((event) => {
          if (event.kind === 'finished') resolve();
        }),
      );
    const record = (await matches.replay(matchId))!;
    expect(record.history.length).to.equal(10);
    expect(record.history.every((e) => e.kind === 'text')).to.equal(true);
    const episode = Episode.replay(env, record);
    const page = await h.page();
    await page.goto(`${h.url}/replay/${matchId}`);
    await page.waitForSelector('[data-page="replay"] [data-view]');
    await waitForView(page, env.view(episode.state, 'spectator'));
    expect(await page.textContent('[data-step]')).to.equal(`10 / 10`);
    const moves = await page.$$eval('.moves li', (items) => items.map((li) => li.textContent ?? ''));
    expect(moves.filter((m) => m.includes('(hidden)'))).to.have.length(10);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    const first = new Episode(env, record.params, record.seed);
    first.stepText(0, (record.history[0] as { text: string }).text);
    await waitForView(page, env.view(first.state, 'spectator'));
    expect(h.errors).to.deep.equal([]);
  });
});

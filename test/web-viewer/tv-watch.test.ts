import { expect } from 'chai';
import { Episode, getEnv } from '../../envs/index.ts';
import { requireChromium, screenshot, startHarness, TestSeat, waitForView, type ViewerHarness } from './harness.ts';

describe('web viewer: TV and watch pages (chromium)', () => {
  let h: ViewerHarness;
  const env = getEnv('tic-tac-toe-v1');

  before(async function () {
    requireChromium(this);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('the TV page lists the live match; the watch page follows every move to the result', async () => {
    const created = await h.server.arena.matches.create({
      env: env.key,
      seed: 7,
      seats: [
        { kind: 'remote', agentId: 'alice' },
        { kind: 'remote', agentId: 'bob' },
      ],
    });
    const seats = await Promise.all([0, 1].map((s) => TestSeat.join(h.url, created.matchId, created.seatTokens[s]!)));
    await seats[0]!.decisionAt(0);

    const page = await h.page();
    await page.goto(`${h.url}/`);
    await page.waitForSelector(`[data-featured="${created.matchId}"] canvas[data-view]`);
    expect(await page.getAttribute('[data-live-count]', 'data-live-count')).to.equal('1');
    const episode = new Episode(env, {}, 7);
    await waitForView(page, env.view(episode.state, 'spectator'), `[data-featured="${created.matchId}"] canvas`);
    await screenshot(page, 'tv');

    // A click on the featured match's title is a real navigation to its watch page.
    await page.click(`[data-featured="${created.matchId}"] h2 a`);
    await page.waitForSelector(`[data-page="watch"][data-match="${created.matchId}"] canvas[data-view]`);
    expect(new URL(page.url()).pathname).to.equal(`/match/${created.matchId}`);
    await waitForView(page, env.view(episode.state, 'spectator'));

    // seat 0 takes the top row: 0, 3, 1, 4, 2.
    const cells = [0, 3, 1, 4, 2];
    for (let step = 0; step < cells.length; step++) {
      const seat = step % 2;
      await seats[seat]!.decisionAt(step);
      await seats[seat]!.act(step, cells[step]!);
      episode.step(seat, cells[step]!);
      await waitForView(page, env.view(episode.state, 'spectator'));
      if (step === 1) {
        // A spectator who comes in now gets the moves played so far with the match.
        const late = await h.page();
        await late.goto(`${h.url}/match/${created.matchId}`);
        await late.waitForFunction(() => (globalThis as any).document.querySelectorAll('.moves li').length === 2);
        expect(await late.$$eval('.moves li', (items) => items.map((li) => (li as unknown as { textContent: string }).textContent))).to.deep.equal([
          'alice: [0]',
          'bob: [3]',
        ]);
        await late.close();
      }
    }
    await page.waitForSelector('[data-result]');
    expect(await page.textContent('[data-result]')).to.match(/alice wins/);
    const moves = await page.$$eval('.moves li', (items) => items.map((li) => (li as unknown as { textContent: string }).textContent));
    expect(moves).to.deep.equal(['alice: [0]', 'bob: [3]', 'alice: [1]', 'bob: [4]', 'alice: [2]']);
    expect(await page.getAttribute('canvas[data-view]', 'aria-label')).to.match(/seat 0 \(X\) wins/);
    await screenshot(page, 'watch');
    await Promise.all(seats.map((s) => s.leave()));
    expect(h.errors).to.deep.equal([]);
  });
});

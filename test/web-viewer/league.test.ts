import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { requireChromium, screenshot, startHarness, type ViewerHarness } from './harness.ts';

/** Pixels of a chart canvas whose colour is within `tolerance` of rgb. */
async function countPixels(page: Page, chart: string, rgb: readonly [number, number, number], tolerance = 40): Promise<number> {
  return page.evaluate(
    ([selector, [r, g, b], tol]) => {
      const canvas = (globalThis as any).document.querySelector(selector);
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < tol && data[i + 3] > 200) n++;
      }
      return n;
    },
    [`canvas[data-chart="${chart}"]`, rgb, tolerance] as const,
  );
}

describe('web viewer: league page (chromium)', () => {
  let h: ViewerHarness;
  const league = 'arena-tic-tac-toe-v1';

  before(async function () {
    requireChromium(this);
    h = await startHarness();
    const { matches } = h.server.arena;
    const players = [
      ['random', 'random'],
      ['first-legal', 'first-legal'],
      ['mcts-16', 'mcts:sims=16'],
    ] as const;
    const ids: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (const a of players) {
        for (const b of players) {
          if (a === b) continue;
          ids.push(
            (
              await matches.create({
                env: 'tic-tac-toe-v1',
                seed: ids.length + 1,
                seats: [
                  { kind: 'agent', agent: a[1], agentId: a[0] },
                  { kind: 'agent', agent: b[1], agentId: b[0] },
                ],
              })
            ).matchId,
          );
        }
      }
    }
    await Promise.all(
      ids.map((id) => {
        const runner = matches.get(id)!;
        return runner.isOver
          ? undefined
          : new Promise<void>((resolve) =>
              runner.subscribe((e) => {
                if (e.kind === 'finished') resolve();
              }),
            );
      }),
    );
  });
  after(async () => {
    await h?.close();
  });

  it('shows standings with CIs, the CI chart, the payoff heatmap with the Nash mixture, history and recent matches', async () => {
    const page = await h.page();
    await page.goto(`${h.url}/league/${league}`);
    await page.waitForSelector('[data-standings] tr[data-agent="mcts-16"]');
    expect(await page.$$eval('[data-standings] tbody tr', (rows) => rows.length)).to.equal(3);
    await page.waitForSelector('canvas[data-chart="heatmap"]');
    await page.waitForSelector('canvas[data-chart="ci"]');
    await page.waitForSelector('[data-chart="history"] .u-title');
    await page.waitForSelector('[data-nash] tr');

    // The CI chart draws its points and bars in the accent colour; the heatmap colours its cells
    // on the red-blue scale (mcts beats the scripted players: strongly blue and red cells).
    expect(await countPixels(page, 'ci', [37, 99, 235])).to.be.greaterThan(50);
    const blue = await countPixels(page, 'heatmap', [5, 113, 176], 90);
    const red = await countPixels(page, 'heatmap', [202, 0, 32], 90);
    expect(blue, 'blue heatmap pixels').to.be.greaterThan(200);
    expect(red, 'red heatmap pixels').to.be.greaterThan(200);

    // The Nash weights are the payoff endpoint's, and sum to 1.
    const payoff = (await (await fetch(`${h.url}/api/league/payoff?league=${league}`)).json()) as {
      agentIds: string[];
      nash: { weights: Record<string, number> };
    };
    expect(payoff.agentIds.slice().sort()).to.deep.equal(['first-legal', 'mcts-16', 'random']);
    const weights = Object.values(payoff.nash.weights);
    expect(weights.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-6);
    const shown = await page.$$eval('[data-nash] tr td:nth-child(2)', (cells) => cells.map((c) => Number((c as any).textContent)));
    expect(shown.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 0.01);

    // Recent matches link to their replays.
    const links = await page.$$eval('a[href^="/replay/"]', (as) => as.length);
    expect(links).to.equal(12);
    await screenshot(page, 'league');
    expect(h.errors).to.deep.equal([]);
  });

  it('lists the leagues and draws the dashboard in the dark theme too', async () => {
    const dark = await h.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    const page = await dark.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${h.url}/league`);
    await page.click(`a[href="/league/${league}"]`);
    await page.waitForSelector('canvas[data-chart="heatmap"]');
    await page.waitForSelector('[data-chart="history"] .u-title');
    const background = await page.evaluate(() => (globalThis as any).getComputedStyle((globalThis as any).document.body).backgroundColor);
    expect(background).to.equal('rgb(15, 18, 22)');
    await screenshot(page, 'league-dark');
    await dark.close();
    expect(errors).to.deep.equal([]);
  });
});

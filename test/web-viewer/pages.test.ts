import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envKeys } from '../../envs/index.ts';
import { ADMIN_TOKEN, requireChromium, screenshot, startHarness, type ViewerHarness } from './harness.ts';

/** A training run's metrics as the trainer writes them: update lines, and eval lines against an anchor. */
function writeRun(runsDir: string, name: string, slope: number): void {
  const dir = join(runsDir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ name, env: 'kuhn-poker-v1' }));
  const lines: object[] = [];
  for (let update = 1; update <= 20; update++) {
    lines.push({
      type: 'update',
      update,
      seconds: update * 2,
      episodes: 1024,
      decisions: 3000,
      episodesPerSec: 500,
      selfPlayShare: 1,
      meanReturn: -0.5 + slope * update,
      policyLoss: 0.1 / update,
      valueLoss: 1 / update,
      entropy: 1 - update / 40,
      approxKl: 0.01,
      clipFraction: 0.1,
      gradNorm: 1,
    });
    if (update % 5 === 0) {
      lines.push({
        type: 'eval',
        update,
        seconds: update * 2,
        agentId: `${name}-${update}`,
        exploitability: 0.5 / update,
        vs: {
          random: { games: 200, wins: 100 + update * 3, draws: 0, losses: 100 - update * 3, winRate: (100 + update * 3) / 200, noLossRate: 0.5, meanReturn: 0 },
        },
      });
    }
  }
  writeFileSync(join(dir, 'metrics.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{"type":"upd`); // a torn last line is skipped
}

describe('web viewer: envs, training runs, admin, themes (chromium)', () => {
  let h: ViewerHarness;
  let runsDir: string;

  before(async function () {
    requireChromium(this);
    runsDir = mkdtempSync(join(tmpdir(), 'ludus-runs-'));
    writeRun(runsDir, 'kuhn-a', 0.03);
    writeRun(runsDir, 'kuhn-b', 0.01);
    h = await startHarness({ runsDir });
  });
  after(async () => {
    await h?.close();
    if (runsDir) rmSync(runsDir, { recursive: true, force: true });
  });

  it('every registered env has a renderer: its sample playout is drawn on a canvas to the last step', async () => {
    const page = await h.page();
    for (const key of envKeys()) {
      await page.goto(`${h.url}/envs/${key}`);
      await page.waitForSelector(`[data-env-detail="${key}"]`);
      await page.waitForSelector(`canvas[data-env="${key}"]`);
      await page.keyboard.press('End');
      await page.waitForFunction(() => {
        const step = (globalThis as any).document.querySelector('[data-step]');
        return step && step.textContent.split(' / ')[0] === step.textContent.split(' / ')[1];
      });
      expect(await page.$('.fallback'), `${key} fell back to the JSON view`).to.equal(null);
      expect(await page.$(`canvas[data-env="${key}"]`), `${key} has no board at its last step`).to.not.equal(null);
      if (key === 'leduc-poker-v1') await screenshot(page, 'envs');
      if (key === 'rock-paper-scissors-v1') await screenshot(page, 'envs-rps');
      if (key === 'signalling-v1') await screenshot(page, 'envs-signalling');
      if (['slime-volleyball-v1', 'team-volley-v1', 'team-volley-roles-v1', 'simple-negotiation-v1', 'who-is-the-spy-v1', 'propose-solve-v1'].includes(key)) {
        await screenshot(page, `envs-${key.replace(/-v\d+$/, '')}`);
      }
    }
    expect(h.errors).to.deep.equal([]);
  });

  it('draws learning curves from metrics.jsonl, with a second run overlaid', async () => {
    const page = await h.page();
    await page.goto(`${h.url}/runs`);
    await page.click('a[href="/runs/kuhn-a"]');
    await page.waitForSelector('[data-chart="run-meanReturn"] .u-title');
    await page.waitForSelector('[data-chart="run-vs:random"] .u-title');
    await page.waitForSelector('[data-chart="run-exploitability"] .u-title');
    await page.check('input[aria-label="overlay kuhn-b"]');
    await page.waitForFunction(() => new URL((globalThis as any).location.href).searchParams.get('with') === 'kuhn-b');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-chart="run-meanReturn"] .u-legend .u-series').length === 3);
    await screenshot(page, 'runs');
    expect(h.errors).to.deep.equal([]);
  });

  it('the admin page needs the token, lists live matches and aborts one', async () => {
    const created = await h.server.arena.matches.create({
      env: 'connect-four-v1',
      seats: [
        { kind: 'remote', agentId: 'x' },
        { kind: 'remote', agentId: 'y' },
      ],
    });
    const page = await h.page();
    await page.goto(`${h.url}/admin`);
    await page.fill('input[aria-label="admin token"]', 'wrong');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('[role="alert"]')).to.match(/wrong admin token/);
    h.errors.length = 0; // the 401 itself is logged by the browser as a failed resource
    await page.click('text=forget token');
    await page.fill('input[aria-label="admin token"]', ADMIN_TOKEN);
    await page.click('button[type="submit"]');
    await page.waitForSelector(`[data-admin-match="${created.matchId}"]`);
    await screenshot(page, 'admin');
    await page.click(`[data-admin-match="${created.matchId}"] button`);
    await page.waitForSelector(`[data-admin-match="${created.matchId}"]`, { state: 'detached' });
    expect((await h.server.arena.matches.summary(created.matchId))!.status).to.equal('aborted');
    expect(h.errors).to.deep.equal([]);
  });

  it('switches to the dark theme and keeps the choice; unknown paths get the not-found page, the API keeps its JSON 404', async () => {
    const page = await h.page();
    await page.goto(`${h.url}/`);
    await page.waitForSelector('[data-page="tv"]');
    await page.click('.theme-toggle'); // auto -> dark
    expect(await page.getAttribute('html', 'data-theme')).to.equal('dark');
    await page.reload();
    await page.waitForSelector('[data-page="tv"]');
    expect(await page.getAttribute('html', 'data-theme')).to.equal('dark');
    await screenshot(page, 'tv-dark');
    await page.goto(`${h.url}/no/such/page`);
    await page.waitForSelector('text=Not found');
    const api = await fetch(`${h.url}/api/no-such-route`, { headers: { accept: 'text/html' } });
    expect(api.status).to.equal(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).to.equal('not-found');
    await page.click('.theme-toggle'); // dark -> light
    await page.click('.theme-toggle'); // light -> auto
    expect(await page.getAttribute('html', 'data-theme')).to.equal(null);
    expect(h.errors).to.deep.equal([]);
  });
});

import { expect } from 'chai';
import { Episode, getEnv, type EpisodeRecord } from '../../envs/index.ts';
import { requireChromium, screenshot, startHarness, waitForView, type ViewerHarness } from './harness.ts';

/** The spectator's view after the first `step` transitions of the record, computed here with the env alone. */
function viewAfter(record: EpisodeRecord, step: number): unknown {
  const env = getEnv(`${record.env}-v${record.version}`);
  const episode = new Episode(env, record.params, record.seed);
  for (const entry of record.history.slice(0, step)) {
    if (entry.kind === 'chance') episode.resolveChance(entry.action);
    else if (entry.kind === 'decision') episode.step(entry.seat, entry.action);
    else if (entry.kind === 'text') episode.stepText(entry.seat, entry.text);
    else episode.stepJoint(entry.actions);
  }
  return env.view(episode.state, 'spectator');
}

const stepOf = (url: string): string | null => new URL(url).searchParams.get('step');

describe('web viewer: replay page (chromium)', () => {
  let h: ViewerHarness;
  let matchId: string;
  let record: EpisodeRecord;

  before(async function () {
    requireChromium(this);
    h = await startHarness();
    const { matches } = h.server.arena;
    matchId = (
      await matches.create({
        env: 'connect-four-v1',
        seed: 11,
        seats: [
          { kind: 'agent', agent: 'random', agentId: 'rand' },
          { kind: 'agent', agent: 'first-legal', agentId: 'first' },
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
    record = (await matches.replay(matchId))!;
  });
  after(async () => {
    await h?.close();
  });

  it('opens at the step in the URL and shows the position the env computes for it', async () => {
    expect(record.history.length).to.be.greaterThan(8);
    const page = await h.page();
    await page.goto(`${h.url}/replay/${matchId}?step=5`);
    await page.waitForSelector('[data-page="replay"] canvas[data-view]');
    await waitForView(page, viewAfter(record, 5));
    expect(await page.textContent('[data-step]')).to.equal(`5 / ${record.history.length}`);
    expect(await page.$$eval('.moves li.current', (items) => items.length)).to.equal(1);
    expect(h.errors).to.deep.equal([]);
  });

  it('steps with the arrow keys, Home/End and the buttons, keeping the step in the URL', async () => {
    const page = await h.page();
    await page.goto(`${h.url}/replay/${matchId}?step=5`);
    await waitForView(page, viewAfter(record, 5));
    await page.keyboard.press('ArrowRight');
    await waitForView(page, viewAfter(record, 6));
    expect(stepOf(page.url())).to.equal('6');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await waitForView(page, viewAfter(record, 4));
    expect(stepOf(page.url())).to.equal('4');
    await page.keyboard.press('End');
    await waitForView(page, viewAfter(record, record.history.length));
    await page.keyboard.press('Home');
    await waitForView(page, viewAfter(record, 0));
    await page.click('[data-action="forward"]');
    await waitForView(page, viewAfter(record, 1));
    expect(stepOf(page.url())).to.equal('1');
    expect(h.errors).to.deep.equal([]);
  });

  it('scrubs to a step with the range input', async () => {
    const page = await h.page();
    await page.goto(`${h.url}/replay/${matchId}`);
    await waitForView(page, viewAfter(record, record.history.length)); // no step: the end
    await page.$eval('input[aria-label="step"]', (input: any) => {
      input.value = '7';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await waitForView(page, viewAfter(record, 7));
    expect(stepOf(page.url())).to.equal('7');
    await screenshot(page, 'replay');
    expect(h.errors).to.deep.equal([]);
  });

  it('shows the readable fallback (observation text and view JSON) of the same step on request', async () => {
    const page = await h.page();
    await page.goto(`${h.url}/replay/${matchId}?step=3`);
    await waitForView(page, viewAfter(record, 3));
    await page.check('[data-raw-toggle]');
    await page.waitForSelector('.fallback [data-observation-text]');
    const env = getEnv('connect-four-v1');
    const episode = new Episode(env, record.params, record.seed);
    for (const entry of record.history.slice(0, 3)) if (entry.kind === 'decision') episode.step(entry.seat, entry.action);
    expect(await page.textContent('[data-observation-text]')).to.equal(env.observationText(episode.state, 'spectator'));
    expect(JSON.parse((await page.getAttribute('.fallback', 'data-view'))!)).to.deep.equal(viewAfter(record, 3));
    expect(await page.$('canvas[data-view]')).to.equal(null);
    expect(h.errors).to.deep.equal([]);
  });

  it("a deep link to a finished match's watch page opens its replay", async () => {
    const page = await h.page();
    await page.goto(`${h.url}/match/${matchId}`);
    await page.waitForSelector('[data-page="replay"] canvas[data-view]');
    expect(new URL(page.url()).pathname).to.equal(`/replay/${matchId}`);
    expect(h.errors).to.deep.equal([]);
  });
});

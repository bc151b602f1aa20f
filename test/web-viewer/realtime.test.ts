import { expect } from 'chai';
import { Episode, getEnv, type EpisodeRecord } from '../../envs/index.ts';
import { ADMIN_TOKEN, requireChromium, screenshot, startHarness, type ViewerHarness } from './harness.ts';

const slime = getEnv('slime-volleyball-v1');

/** The spectator view after `ticks` ticks of the record, computed here with the env alone. */
function viewAtTick(record: EpisodeRecord, ticks: number): unknown {
  const episode = new Episode(slime, record.params, record.seed);
  let done = 0;
  for (const entry of record.history) {
    if (done === ticks) break;
    if (entry.kind === 'chance') episode.resolveChance(entry.action);
    else if (entry.kind === 'joint') {
      episode.stepJoint(entry.actions);
      done++;
    } else throw new Error(`unexpected ${entry.kind} entry in a slime record`);
  }
  expect(done).to.equal(ticks);
  return slime.view(episode.state, 'spectator');
}

/** Resolves once `ready()` holds, checking on each turn of the event loop's timers. */
async function until(ready: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!ready()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('web viewer: real-time matches (chromium)', () => {
  let h: ViewerHarness;

  before(async function () {
    requireChromium(this);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it("a live slime match is drawn on animation frames, and every view the page rebuilt from the leaves is the server's at that tick", async () => {
    const response = await fetch(`${h.url}/api/matches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        env: slime.key,
        seed: 5,
        params: { maxSteps: 240 },
        seats: [
          { kind: 'agent', agent: 'slime-baseline', agentId: 'baseline' },
          { kind: 'agent', agent: 'random', agentId: 'rand' },
        ],
      }),
    });
    expect(response.status).to.equal(201);
    const { matchId } = (await response.json()) as { matchId: string };

    const page = await h.page();
    await page.goto(`${h.url}/match/${matchId}`);
    await page.waitForSelector('canvas[data-realtime][data-tick]');
    // Every view the page receives, with its tick, collected in the page as it changes.
    // (A script string: the test's compiler would wrap named functions in a helper the page lacks.)
    await page.evaluate(`(() => {
      const canvas = document.querySelector('canvas[data-realtime]');
      window.seen = [];
      const note = () => window.seen.push({ tick: Number(canvas.getAttribute('data-tick')), view: canvas.getAttribute('data-view') });
      note();
      new MutationObserver(note).observe(canvas, { attributes: true, attributeFilter: ['data-view'] });
      window.firstPixels = canvas.toDataURL();
    })()`);
    // The canvas changes over time, and it is drawn more often than views arrive (interpolation).
    await page.waitForFunction(
      () => {
        const w = globalThis as any;
        const canvas = (globalThis as any).document.querySelector('canvas[data-realtime]');
        return canvas.toDataURL() !== w.firstPixels && w.seen.length >= 5 && Number(canvas.dataset.frames) > w.seen.length * 2;
      },
      undefined,
      { timeout: 20_000 },
    );
    await screenshot(page, 'watch-slime');

    const runner = h.server.arena.matches.get(matchId)!;
    if (!runner.isOver)
      await new Promise<void>((resolve) =>
        runner.subscribe((event) => {
          if (event.kind === 'finished') resolve();
        }),
      );
    const record = (await h.server.arena.matches.replay(matchId))!;
    const seen = await page.evaluate(() => (globalThis as any).seen as { tick: number; view: string }[]);
    expect(seen.length).to.be.greaterThan(5);
    for (const { tick, view } of seen) expect(JSON.parse(view), `the view at tick ${tick}`).to.deep.equal(viewAtTick(record, tick));
    expect(new Set(seen.map((s) => s.tick)).size).to.equal(seen.length);
    expect(h.errors).to.deep.equal([]);
    await page.close();
  });

  it('a live 3v3 team-volley match is drawn by its renderer from the leaves (booleans, nulls and strings included)', async () => {
    const volley = getEnv('team-volley-v1');
    const created = await h.server.arena.matches.create({
      env: volley.key,
      seed: 3,
      params: { maxSteps: 150 },
      seats: Array.from({ length: 6 }, (_, seat) => ({ kind: 'agent' as const, agent: 'random', agentId: `r${seat}` })),
    });
    const page = await h.page();
    await page.goto(`${h.url}/match/${created.matchId}`);
    await page.waitForSelector('canvas[data-realtime][data-env="team-volley-v1"]');
    await page.waitForFunction(() => Number((globalThis as any).document.querySelector('canvas[data-realtime]').getAttribute('data-tick')) > 30, undefined, {
      timeout: 20_000,
    });
    expect(await page.$('.fallback')).to.equal(null);
    const view = JSON.parse((await page.getAttribute('canvas[data-realtime]', 'data-view'))!) as {
      agents: { team: number; role: string; touched: boolean }[];
      lastPoint: unknown;
    };
    expect(view.agents.map((a) => a.team)).to.deep.equal([0, 0, 0, 1, 1, 1]);
    expect(view.agents.map((a) => typeof a.touched)).to.deep.equal(Array(6).fill('boolean'));
    expect(await page.getAttribute('canvas[data-realtime]', 'aria-label')).to.match(/^Team volley, step \d+: \d–\d \(to 5\)/);
    await screenshot(page, 'watch-team-volley');
    expect(h.errors).to.deep.equal([]);
    await page.close();
  });

  it('a person plays slime from /play with the keyboard: the server moves their slime the way the keys say', async () => {
    const page = await h.page();
    await page.goto(`${h.url}/play`);
    await page.fill('input[name="name"]', 'kim');
    await page.selectOption('select[name="env"]', slime.key);
    await page.waitForSelector('select[name="opponent"] option[value="agent:slime-baseline"]', { state: 'attached' });
    await page.selectOption('select[name="opponent"]', 'agent:slime-baseline');
    await page.selectOption('select[name="seat"]', '0');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-page="play-game"] canvas[data-realtime]');
    const matchId = (await page.getAttribute('[data-page="play-game"]', 'data-match'))!;
    const runner = h.server.arena.matches.get(matchId)!;
    const x = (): number => (runner.state as { agents: { x: number }[] }).agents[0]!.x;

    // Seat 0 is the left slime: → is forward (towards the net, +x), ← backward.
    const start = x();
    await page.keyboard.down('ArrowRight');
    await page.waitForSelector('[data-keys][data-action="1"]');
    await until(() => x() > start + 2, 'the left slime to move right');
    await page.keyboard.up('ArrowRight');
    await page.waitForSelector('[data-keys][data-action="0"]');
    const stopped = x();
    await page.keyboard.down('ArrowLeft');
    await page.waitForSelector('[data-keys][data-action="2"]');
    await until(() => x() < stopped - 2, 'the left slime to move left');
    await page.keyboard.down('ArrowUp');
    await page.waitForSelector('[data-keys][data-action="6"]');
    await until(() => (runner.state as { agents: { y: number }[] }).agents[0]!.y > 2, 'the left slime to jump');
    await page.keyboard.up('ArrowUp');
    await page.keyboard.up('ArrowLeft');
    // The page draws what the server plays: its view follows the server's tick.
    await page.waitForFunction(
      (t) => Number((globalThis as any).document.querySelector('canvas[data-realtime]').getAttribute('data-tick')) > t,
      runner.stepIndex,
      { timeout: 20_000 },
    );
    await screenshot(page, 'play-slime');
    expect(h.errors).to.deep.equal([]);
    await page.close();
  });
});

import { expect } from 'chai';
import { requireChromium, screenshot, startHarness, type ViewerHarness } from './harness.ts';

interface TttView {
  readonly board: readonly string[];
  readonly moves: number;
  readonly winner: number | null;
  readonly toPlay: number | null;
}

describe('web viewer: play page (chromium)', () => {
  let h: ViewerHarness;

  before(async function () {
    requireChromium(this);
    h = await startHarness({ playLimits: { burst: 6, everySeconds: 10, perClient: 3, total: 64, moveTimeMs: 120_000, agentMoveDelayMs: 0 } });
  });
  after(async () => {
    await h?.close();
  });

  it('a person plays a whole tic-tac-toe match against random by clicking cells, and is rated in the standings', async () => {
    const page = await h.page();
    await page.goto(`${h.url}/play`);
    await page.fill('input[name="name"]', 'ada');
    await page.selectOption('select[name="env"]', 'tic-tac-toe-v1');
    await page.waitForSelector('select[name="opponent"] option[value="agent:random"]', { state: 'attached' });
    await page.selectOption('select[name="opponent"]', 'agent:random');
    await page.selectOption('select[name="seat"]', '0');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-page="play-game"] canvas[data-view]');
    const matchId = await page.getAttribute('[data-page="play-game"]', 'data-match');

    expect(new URL(page.url()).searchParams.get('match')).to.equal(matchId);

    for (let move = 0; move < 5; move++) {
      if (move === 1) {
        // A reload mid-game takes the seat back (the token stays in the tab) and the game goes on.
        await page.reload();
        await page.waitForSelector('[data-page="play-game"] canvas[data-view]');
      }
      await page.waitForSelector('[data-turn="mine"], [data-turn="over"]');
      if (await page.$('[data-turn="over"]')) break;
      const view = JSON.parse((await page.getAttribute('canvas[data-view]', 'data-view'))!) as TttView;
      const cell = view.board.join('').indexOf('.');
      // Click the middle of that cell: the board is square and centred, 6% padding (the renderer's geometry).
      const box = (await page.locator('canvas[data-view]').boundingBox())!;
      const side = Math.min(box.width, box.height);
      const size = (side - 2 * side * 0.06) / 3;
      const x0 = (box.width - 3 * size) / 2;
      const y0 = (box.height - 3 * size) / 2;
      await page.mouse.click(box.x + x0 + ((cell % 3) + 0.5) * size, box.y + y0 + (Math.floor(cell / 3) + 0.5) * size);
      // The click became our move: the cell now holds our mark.
      await page.waitForFunction(
        ([c, before]) => {
          const text = (globalThis as any).document.querySelector('canvas[data-view]')?.getAttribute('data-view');
          return (
            text !== undefined && (JSON.parse(text) as TttView).moves > (before as number) && (JSON.parse(text) as TttView).board.join('')[c as number] !== '.'
          );
        },
        [cell, view.moves] as const,
      );
    }
    await page.waitForSelector('[data-result]');
    const result = (await page.textContent('[data-result]'))!;
    expect(result).to.match(/^(You win!|random wins\.|A draw\.)$/);
    await screenshot(page, 'play');

    // The stored match and the standings name the person as human:ada.
    const summary = (await h.server.arena.matches.summary(matchId!))!;
    expect(summary.seats.map((s) => s.agentId)).to.deep.equal(['human:ada', 'random']);
    expect(summary.status).to.equal('finished');
    await page.click('a[href="/league/arena-tic-tac-toe-v1"]');
    await page.waitForSelector('[data-standings] tr[data-agent="human:ada"]');
    const games = await page.textContent('[data-standings] tr[data-agent="human:ada"] td:last-child');
    expect(games).to.equal('1');
    expect(await page.textContent('[data-standings] tr[data-agent="human:ada"] .badge')).to.equal('human');
    expect(h.errors).to.deep.equal([]);
  });

  it("the play endpoint hands out only the person's seat token, and refuses opponents it does not offer", async () => {
    const response = await fetch(`${h.url}/api/play`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ env: 'tic-tac-toe-v1', opponent: 'agent:mcts:sims=99999999', name: 'eve', seat: 1 }),
    });
    expect(response.status).to.equal(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('bad-request');
    const ok = await fetch(`${h.url}/api/play`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ env: 'tic-tac-toe-v1', opponent: 'agent:random', name: 'eve', seat: 1 }),
    });
    expect(ok.status).to.equal(201);
    const started = (await ok.json()) as Record<string, unknown>;
    expect(Object.keys(started).sort()).to.deep.equal(['agentId', 'env', 'league', 'matchId', 'opponent', 'seat', 'seatToken']);
    expect(started.seat).to.equal(1);
    expect(h.server.arena.matches.byToken(started.seatToken as string)).to.deep.equal({ matchId: started.matchId, seat: 1 });
    h.server.arena.matches.get(started.matchId as string)!.abort();
  });
});

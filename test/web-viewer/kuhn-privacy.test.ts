import { decode } from '@colyseus/schema';
import { expect } from 'chai';
import { unpack } from 'msgpackr';
import type { Page } from 'playwright-core';
import { getEnv } from '../../envs/index.ts';
import { drawnView, requireChromium, screenshot, startHarness, TestSeat, type ViewerHarness } from './harness.ts';

interface KuhnView {
  readonly cards: readonly (string | null)[];
  readonly over: boolean;
  readonly hands: readonly { readonly cards: readonly (string | null)[]; readonly showdown: boolean }[];
}

const ROOM_DATA = 13;

/** Every kuhn view in a received frame: in messages (msgpack) and in the synced room state (JSON text). */
function viewsIn(frame: Buffer): { messages: { type: string | number; payload: unknown }[]; views: KuhnView[] } {
  const messages: { type: string | number; payload: unknown }[] = [];
  const views: KuhnView[] = [];
  if ((frame[0]! & 0x1f) === ROOM_DATA) {
    const it = { offset: 1 };
    const type = decode.stringCheck(frame, it) ? decode.string(frame, it) : decode.number(frame, it);
    const payload = frame.length > it.offset ? unpack(frame.subarray(it.offset)) : undefined;
    messages.push({ type, payload });
    const view = (payload as { view?: KuhnView } | undefined)?.view;
    if (view) views.push(view);
  }
  // The room state carries the spectator view as a JSON string: find each object by its first key.
  const text = frame.toString('latin1');
  for (let at = text.indexOf('{"rounds":'); at >= 0; at = text.indexOf('{"rounds":', at + 1)) {
    let depth = 0;
    let end = at;
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}' && --depth === 0) break;
    }
    views.push(JSON.parse(text.slice(at, end + 1)) as KuhnView);
  }
  return { messages, views };
}

/** What a spectator may see: no card of the hand in play, and a finished hand's cards only after a showdown. */
function hiddenCardsLeak(view: KuhnView): string | undefined {
  if (view.cards.some((c) => c !== null)) return `a card of the hand in play: ${JSON.stringify(view.cards)}`;
  const shown = view.hands.find((h) => !h.showdown && h.cards.some((c) => c !== null));
  return shown ? `a folded hand's card: ${JSON.stringify(shown.cards)}` : undefined;
}

async function kuhnView(page: Page): Promise<KuhnView> {
  return (await drawnView(page, '[data-page="watch"] [data-view]')) as KuhnView;
}

describe('web viewer: hidden information (chromium)', () => {
  let h: ViewerHarness;

  before(async function () {
    requireChromium(this);
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('a kuhn-poker spectator never sees a card before the showdown: not in the DOM, not in any message the page receives', async () => {
    const env = getEnv('kuhn-poker-v1');
    const created = await h.server.arena.matches.create({
      env: env.key,
      seed: 3,
      seats: [
        { kind: 'remote', agentId: 'p0' },
        { kind: 'remote', agentId: 'p1' },
      ],
    });
    const page = await h.page();
    const frames: Buffer[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', (frame) => {
        frames.push(typeof frame.payload === 'string' ? Buffer.from(frame.payload) : frame.payload);
      }),
    );
    await page.goto(`${h.url}/match/${created.matchId}`);
    await page.waitForSelector('[data-page="watch"]');
    const seats = await Promise.all([0, 1].map((s) => TestSeat.join(h.url, created.matchId, created.seatTokens[s]!)));

    // Both check: the hand goes to a showdown. After each move the page's board is checked.
    const first = await seats[0]!.until(() => seats[0]!.decisions[0]);
    await page.waitForSelector('canvas[data-view]');
    expect(hiddenCardsLeak(await kuhnView(page))).to.equal(undefined);
    const check = (d: typeof first): number => d.legalActions.find((a) => a.text === '[check]')!.id;
    await seats[0]!.act(first.stepIndex, check(first));
    await page.waitForFunction(() => (globalThis as any).document.querySelector('canvas[data-view]')?.getAttribute('data-view')?.includes('"betting":"p"'));
    expect(hiddenCardsLeak(await kuhnView(page))).to.equal(undefined);
    expect(await page.getAttribute('canvas[data-view]', 'aria-label')).to.match(/seat 0 hidden, seat 1 hidden/);

    const second = await seats[1]!.until(() => seats[1]!.decisions[0]);
    await seats[1]!.act(second.stepIndex, check(second));
    await page.waitForSelector('[data-result]');
    const end = await kuhnView(page);
    expect(end.over).to.equal(true);
    // The showdown shows both cards: the page does get cards once the rules reveal them.
    expect(end.hands[0]!.showdown).to.equal(true);
    expect(end.hands[0]!.cards.every((c) => c !== null)).to.equal(true);
    await screenshot(page, 'watch-kuhn');

    const decoded = frames.map(viewsIn);
    const messages = decoded.flatMap((d) => d.messages);
    const views = decoded.flatMap((d) => d.views);
    expect(messages.map((m) => m.type)).to.include.members(['match:start', 'state', 'match:end']);
    expect(messages.map((m) => m.type)).to.not.include('decision');
    expect(views.length).to.be.greaterThan(3);
    expect(views.map(hiddenCardsLeak).filter((leak) => leak !== undefined)).to.deep.equal([]);
    expect(views.some((v) => v.hands[0]?.showdown === true)).to.equal(true); // the scan does see revealed cards
    // Move texts name bets only, never a dealt card.
    const texts = messages.flatMap((m) => {
      const p = m.payload as { lastMove?: { text: string } | null; moves?: { text: string }[] } | undefined;
      return [...(p?.lastMove ? [p.lastMove.text] : []), ...(p?.moves ?? []).map((x) => x.text)];
    });
    expect(texts.length).to.be.greaterThan(0);
    expect(texts.filter((t) => !/^\[(check|bet|call|fold)\]$/.test(t))).to.deep.equal([]);
    await Promise.all(seats.map((s) => s.leave()));
    expect(h.errors).to.deep.equal([]);
  });

  it('a public kuhn replay keeps the cards hidden, for every viewer', async () => {
    const created = await h.server.arena.matches.create({
      env: 'kuhn-poker-v1',
      seed: 5,
      seats: [
        { kind: 'agent', agent: 'random', agentId: 'r0' },
        { kind: 'agent', agent: 'random', agentId: 'r1' },
      ],
    });
    const runner = h.server.arena.matches.get(created.matchId)!;
    if (!runner.isOver)
      await new Promise<void>((resolve) =>
        runner.subscribe((e) => {
          if (e.kind === 'finished') resolve();
        }),
      );
    const page = await h.page();
    await page.goto(`${h.url}/replay/${created.matchId}?step=2`);
    await page.waitForSelector('canvas[data-view]');
    expect(((await drawnView(page)) as KuhnView).cards).to.deep.equal([null, null]);
    // The public replay holds the spectator's views only: a seat's card is the operator's to see.
    await page.selectOption('[data-viewer-select]', '0');
    await page.waitForFunction(() => new URL((globalThis as any).location.href).searchParams.get('viewer') === '0');
    expect(((await drawnView(page)) as KuhnView).cards).to.deep.equal([null, null]);
    expect(h.errors).to.deep.equal([]);
  });
});

describe('web viewer: full replays for the operator (chromium)', () => {
  let h: ViewerHarness;

  before(async function () {
    requireChromium(this);
    h = await startHarness({ fullReplays: true });
  });
  after(async () => {
    await h?.close();
  });

  it('with fullReplays, a kuhn replay keeps the cards hidden for the spectator and shows a seat its own card', async () => {
    const created = await h.server.arena.matches.create({
      env: 'kuhn-poker-v1',
      seed: 5,
      seats: [
        { kind: 'agent', agent: 'random', agentId: 'r0' },
        { kind: 'agent', agent: 'random', agentId: 'r1' },
      ],
    });
    const runner = h.server.arena.matches.get(created.matchId)!;
    if (!runner.isOver)
      await new Promise<void>((resolve) =>
        runner.subscribe((e) => {
          if (e.kind === 'finished') resolve();
        }),
      );
    const record = (await h.server.arena.matches.replay(created.matchId))!;
    const CARDS = ['J', 'Q', 'K'];
    const dealt = record.history.slice(0, 2).map((entry) => (entry.kind === 'chance' ? CARDS[entry.action]! : '?'));

    const page = await h.page();
    await page.goto(`${h.url}/replay/${created.matchId}?step=2`);
    await page.waitForSelector('canvas[data-view]');
    expect(((await drawnView(page)) as KuhnView).cards).to.deep.equal([null, null]);
    await page.selectOption('[data-viewer-select]', '0');
    await page.waitForFunction(() => new URL((globalThis as any).location.href).searchParams.get('viewer') === '0');
    expect(((await drawnView(page)) as KuhnView).cards).to.deep.equal([dealt[0], null]);
    await page.selectOption('[data-viewer-select]', '1');
    await page.waitForFunction(() => new URL((globalThis as any).location.href).searchParams.get('viewer') === '1');
    expect(((await drawnView(page)) as KuhnView).cards).to.deep.equal([null, dealt[1]]);
    await screenshot(page, 'replay-kuhn-seat1');
    expect(h.errors).to.deep.equal([]);
  });
});

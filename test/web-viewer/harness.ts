/**
 * The browser-test harness: the built viewer served by a real arena (in-memory store, loopback,
 * port 0), Debian's chromium driven by playwright-core, and helpers for seats played from the
 * test over Colyseus. Chromium missing: the tests fail in CI (CI=true) and skip locally with a
 * loud message. Every page's console errors and uncaught exceptions are collected; tests assert
 * there are none. Screenshots go to web-viewer/screenshots/ (see the README).
 */
import { Client, type Room } from '@colyseus/sdk';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startArenaServer, type ArenaServer, type ArenaServerOptions } from '../../arena/main.ts';
import { ensureViewerBuilt } from '../../cli/viewer-build.ts';
import type { DecisionMessage, MatchEndMessage, StateMessage } from '../../protocol/messages.ts';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../web-viewer/screenshots/', import.meta.url));
export const ADMIN_TOKEN = 'viewer-test-admin';

let warned = false;

/** Skips the suite without chromium, except in CI, where that is a failure. */
export function requireChromium(ctx: Mocha.Context): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env['CI'] === 'true' || process.env['CI'] === '1') {
    throw new Error(`chromium not found at ${CHROMIUM}: the web viewer's browser tests need it (apt-get install -y chromium; .ci/run does)`);
  }
  if (!warned) {
    warned = true;
    process.stderr.write(
      `\n*** SKIPPING the web viewer's browser tests: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH) ***\n\n`,
    );
  }
  ctx.skip();
}

export interface ViewerHarness {
  readonly server: ArenaServer;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly url: string;
  /** A new page whose console errors land in `errors`. */
  page(): Promise<Page>;
  /** Console errors and page exceptions of every page so far. */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function startHarness(options: Partial<ArenaServerOptions> = {}, colorScheme: 'light' | 'dark' = 'light'): Promise<ViewerHarness> {
  await ensureViewerBuilt();
  const server = await startArenaServer({ port: 0, storeDir: ':memory:', adminToken: ADMIN_TOKEN, ...options });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, colorScheme });
  const errors: string[] = [];
  return {
    server,
    browser,
    context,
    url: server.url,
    errors,
    async page() {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0)); // the sticky bar at the top
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The view a board canvas (or fallback) currently draws. */
export async function drawnView(page: Page, selector = '[data-view]'): Promise<unknown> {
  const text = await page.getAttribute(selector, 'data-view');
  return text === null ? undefined : JSON.parse(text);
}

/** Waits until the board draws exactly `view` (the test computed it independently). */
export async function waitForView(page: Page, view: unknown, selector = '[data-view]'): Promise<void> {
  await page.waitForFunction(
    ([sel, want]) => {
      const element = (
        globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }
      ).document.querySelector(sel as string);
      return element?.getAttribute('data-view') === want;
    },
    [selector, JSON.stringify(view)] as const,
  );
}

/** A seat played from the test over Colyseus: it records decisions and answers when told. */
export class TestSeat {
  readonly decisions: DecisionMessage[] = [];
  readonly states: StateMessage[] = [];
  end: MatchEndMessage | undefined;
  private waiters: (() => void)[] = [];
  readonly room: Room;
  readonly matchId: string;

  private constructor(room: Room, matchId: string) {
    this.room = room;
    this.matchId = matchId;
    room.onMessage('decision', (m: DecisionMessage) => {
      this.decisions.push(m);
      this.wake();
    });
    room.onMessage('state', (m: StateMessage) => {
      this.states.push(m);
      this.wake();
    });
    room.onMessage('match:end', (m: MatchEndMessage) => {
      this.end = m;
      this.wake();
    });
    room.onMessage('*', () => undefined);
  }

  static async join(url: string, matchId: string, seatToken: string): Promise<TestSeat> {
    // The tests pick actions by their text.
    const room = await new Client(`${url}/colyseus`).joinOrCreate('match', { matchId, seatToken, decision: { actionTexts: true } });
    return new TestSeat(room, matchId);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once `ready()` holds (checked on every message). */
  async until<T>(ready: () => T | undefined): Promise<T> {
    for (;;) {
      const value = ready();
      if (value !== undefined && value !== false) return value;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The decision for `stepIndex`, once it arrives. */
  decisionAt(stepIndex: number): Promise<DecisionMessage> {
    return this.until(() => this.decisions.find((d) => d.stepIndex === stepIndex));
  }

  async act(stepIndex: number, action: number): Promise<void> {
    const ack = (await this.room.request('act', { matchId: this.matchId, stepIndex, action: { id: action } })) as { ok: boolean; error?: { code: string } };
    if (!ack.ok) throw new Error(`act refused: ${ack.error?.code}`);
  }

  async leave(): Promise<void> {
    await this.room.leave(true).catch(() => undefined);
  }
}

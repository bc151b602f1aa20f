/** Light/dark theme: the saved choice or the system's; canvases redraw when it changes. */
import { signal } from '@preact/signals';

export type ThemeChoice = 'light' | 'dark' | 'system';
const KEY = 'ludus-theme';

function saved(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export const themeChoice = signal<ThemeChoice>(saved());
/** Bumped whenever the effective colours change (choice or system setting). */
export const themeVersion = signal(0);

export function setTheme(choice: ThemeChoice): void {
  themeChoice.value = choice;
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  themeVersion.value++;
}

matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  themeVersion.value++;
});

/** The colours boards and charts draw with, read from the page's CSS variables. */
export interface Palette {
  readonly bg: string;
  readonly panel: string;
  readonly fg: string;
  readonly muted: string;
  readonly line: string;
  readonly accent: string;
  readonly good: string;
  readonly bad: string;
  readonly p0: string;
  readonly p1: string;
  readonly board: string;
  readonly boardHole: string;
  readonly felt: string;
  readonly card: string;
  readonly cardInk: string;
  readonly cardRed: string;
  readonly cardBack: string;
  readonly chip: string;
  readonly grid: string;
  readonly font: string;
}

export function palette(): Palette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string): string => css.getPropertyValue(name).trim();
  return {
    bg: v('--bg'),
    panel: v('--panel'),
    fg: v('--fg'),
    muted: v('--muted'),
    line: v('--line'),
    accent: v('--accent'),
    good: v('--good'),
    bad: v('--bad'),
    p0: v('--p0'),
    p1: v('--p1'),
    board: v('--board'),
    boardHole: v('--board-hole'),
    felt: v('--felt'),
    card: v('--card'),
    cardInk: v('--card-ink'),
    cardRed: v('--card-red'),
    cardBack: v('--card-back'),
    chip: v('--chip'),
    grid: v('--grid'),
    font: css.fontFamily,
  };
}

/** Seat colours for charts and labels. */
export const seatColor = (p: Palette, seat: number): string => (seat === 0 ? p.p0 : seat === 1 ? p.p1 : p.accent);

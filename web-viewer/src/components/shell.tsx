/** The page frame: top bar with navigation and the theme switch. */
import type { ComponentChildren } from 'preact';
import { place } from '../router.ts';
import { setTheme, themeChoice, type ThemeChoice } from '../theme.ts';

const LINKS: readonly [string, string][] = [
  ['/', 'TV'],
  ['/play', 'Play'],
  ['/league', 'Leagues'],
  ['/runs', 'Training'],
  ['/envs', 'Envs'],
  ['/admin', 'Admin'],
];

const isActive = (href: string, path: string): boolean =>
  href === '/' ? path === '/' || path.startsWith('/match/') : path === href || path.startsWith(`${href}/`);

export function Shell({ children }: { children: ComponentChildren }) {
  const path = place.value.path;
  const next: Record<ThemeChoice, ThemeChoice> = { system: 'dark', dark: 'light', light: 'system' };
  const icon: Record<ThemeChoice, string> = { system: '◐ auto', dark: '● dark', light: '○ light' };
  return (
    <>
      <header class="topbar">
        <a class="brand" href="/">
          Ludus
        </a>
        <nav class="nav">
          {LINKS.map(([href, label]) => (
            <a key={href} href={href} class={isActive(href, path) ? 'active' : ''}>
              {label}
            </a>
          ))}
        </nav>
        <button type="button" class="theme-toggle" title="theme" onClick={() => setTheme(next[themeChoice.value])}>
          {icon[themeChoice.value]}
        </button>
      </header>
      <main>{children}</main>
    </>
  );
}

export function Status({ status }: { status: string }) {
  return (
    <span class={`badge ${status}`} data-status={status}>
      {status}
    </span>
  );
}

export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const hint = (error as { hint?: string }).hint;
  return (
    <p class="notice error" role="alert">
      {error.message}
      {hint ? <span class="muted"> — {hint}</span> : null}
    </p>
  );
}

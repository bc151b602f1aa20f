/** History-mode routing: real paths (/match/:id ...), deep-linkable; the arena serves index.html for each. */
import { signal } from '@preact/signals';

export interface Place {
  readonly path: string;
  readonly query: URLSearchParams;
}

const here = (): Place => ({ path: window.location.pathname, query: new URLSearchParams(window.location.search) });

export const place = signal<Place>(here());

window.addEventListener('popstate', () => {
  place.value = here();
});

/** Goes to `to` (path + query). `replace` rewrites the current history entry (the replay's step). */
export function navigate(to: string, replace = false): void {
  if (to === window.location.pathname + window.location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  place.value = here();
  if (!replace) window.scrollTo(0, 0);
}

/** `/match/:id` against `/match/abc` -> { id: 'abc' }; undefined when it does not fit. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return undefined;
  }
  return params;
}

/** Internal links: plain left clicks stay in the page. */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || anchor.target || anchor.origin !== window.location.origin) return;
  const href = anchor.getAttribute('href') ?? '';
  if (!href.startsWith('/') || /^\/(api|docs|colyseus|socket\.io)(\/|$)/.test(href)) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}

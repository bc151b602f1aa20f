/** The viewer's entry: the route table (real paths) and lazily loaded pages. */
import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, Shell } from './components/shell.tsx';
import { matchPath, onLinkClick, place } from './router.ts';
import './styles.css';

type PageModule = { default: ComponentType<{ params: Record<string, string> }> };

const ROUTES: readonly [string, () => Promise<PageModule>][] = [
  ['/', () => import('./pages/tv.tsx')],
  ['/match/:id', () => import('./pages/watch.tsx')],
  ['/replay/:id', () => import('./pages/replay.tsx')],
  ['/play', () => import('./pages/play.tsx')],
  ['/league', () => import('./pages/leagues.tsx')],
  ['/league/:name', () => import('./pages/league.tsx')],
  ['/runs', () => import('./pages/runs.tsx')],
  ['/runs/:name', () => import('./pages/runs.tsx')],
  ['/envs', () => import('./pages/envs.tsx')],
  ['/envs/:key', () => import('./pages/envs.tsx')],
  ['/admin', () => import('./pages/admin.tsx')],
];

function NotFound() {
  return (
    <div class="panel">
      <h1>Not found</h1>
      <p>
        No page at <code>{place.value.path}</code>. <a href="/">Go to the TV page</a>.
      </p>
    </div>
  );
}

function App() {
  const path = place.value.path.replace(/\/+$/, '') || '/';
  let found: { load: () => Promise<PageModule>; params: Record<string, string>; pattern: string } | undefined;
  for (const [pattern, load] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) {
      found = { load, params, pattern };
      break;
    }
  }
  const [page, setPage] = useState<{ pattern: string; module: PageModule } | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  useEffect(() => {
    if (!found) return;
    let live = true;
    const pattern = found.pattern;
    found.load().then(
      (module) => {
        if (live) {
          setPage({ pattern, module });
          setError(undefined);
        }
      },
      (e: unknown) => {
        if (live) setError(e as Error);
      },
    );
    return () => {
      live = false;
    };
  }, [found?.pattern]);
  useEffect(() => {
    document.title = `Ludus — ${path === '/' ? 'TV' : (path.split('/')[1] ?? '')}`;
  }, [path]);

  if (!found)
    return (
      <Shell>
        <NotFound />
      </Shell>
    );
  const Page = page?.pattern === found.pattern ? page.module.default : undefined;
  return (
    <Shell>
      <ErrorNote error={error} />
      {Page ? <Page key={path} params={found.params} /> : <p class="muted">loading…</p>}
    </Shell>
  );
}

document.addEventListener('click', onLinkClick);
render(<App />, document.getElementById('app')!);

/** /league — every league in the store, linking to its dashboard. */
import { getJson } from '../api.ts';
import { ErrorNote } from '../components/shell.tsx';
import { useData } from '../use-data.ts';

interface LeagueRow {
  readonly name: string;
  readonly env: string;
  readonly createdAt: string;
}

export default function Leagues() {
  const leagues = useData('leagues', (signal) => getJson<{ leagues: LeagueRow[] }>('/api/leagues', undefined, signal));
  const rows = leagues.data?.leagues ?? [];
  return (
    <div class="panel" data-page="leagues">
      <h1>Leagues</h1>
      <ErrorNote error={leagues.error} />
      {leagues.data && rows.length === 0 ? (
        <p class="muted">
          No league yet: run one (<code>npx ludus league run --config …</code>), serve one live, or <a href="/play">play a match</a>.
        </p>
      ) : null}
      {rows.length ? (
        <table>
          <thead>
            <tr>
              <th>league</th>
              <th>env</th>
              <th>created</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((l) => (
              <tr key={l.name}>
                <td>
                  <a href={`/league/${encodeURIComponent(l.name)}`}>{l.name}</a>
                </td>
                <td class="mono">{l.env}</td>
                <td class="muted small">{new Date(l.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/**
 * /admin — behind the admin token: live rooms and matches (abort one), agents online, and the
 * registered agents. The token stays in this tab only (sessionStorage).
 */
import { useState } from 'preact/hooks';
import { AbortedSchema, AdminOverviewSchema } from '../../../protocol/viewer-api.ts';
import { request } from '../api.ts';
import { ErrorNote, Status } from '../components/shell.tsx';
import { useData } from '../use-data.ts';

const TOKEN_KEY = 'ludus-admin-token';

export default function Admin() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const [draft, setDraft] = useState('');
  const [actionError, setActionError] = useState<Error | undefined>(undefined);
  const overview = useData(
    `admin:${token}`,
    (signal) => (token ? request('/api/admin/overview', AdminOverviewSchema, { token, signal }) : Promise.resolve(undefined)),
    token ? 3000 : undefined,
  );
  const o = overview.data;

  const abort = async (matchId: string): Promise<void> => {
    setActionError(undefined);
    try {
      await request(`/api/admin/matches/${encodeURIComponent(matchId)}/abort`, AbortedSchema, { method: 'POST', token });
      overview.reload();
    } catch (e) {
      setActionError(e as Error);
    }
  };

  if (!token) {
    return (
      <form
        class="panel grid"
        data-page="admin"
        onSubmit={(e) => {
          e.preventDefault();
          sessionStorage.setItem(TOKEN_KEY, draft);
          setToken(draft);
        }}
      >
        <h1>Admin</h1>
        <p class="muted">
          The admin token is printed by <code>ludus serve</code> at start, or set with <code>LUDUS_ADMIN_TOKEN</code>.
        </p>
        <div class="row">
          <input
            type="password"
            aria-label="admin token"
            placeholder="admin token"
            value={draft}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          />
          <button class="primary" type="submit">
            open
          </button>
        </div>
      </form>
    );
  }
  return (
    <div class="grid" data-page="admin">
      <div class="spread">
        <h1>Admin</h1>
        <button
          type="button"
          onClick={() => {
            sessionStorage.removeItem(TOKEN_KEY);
            setToken('');
          }}
        >
          forget token
        </button>
      </div>
      <ErrorNote error={overview.error ?? actionError} />
      {o ? (
        <>
          <section class="panel">
            <h2>Live matches ({o.live.length})</h2>
            <table>
              <thead>
                <tr>
                  <th>match</th>
                  <th>env</th>
                  <th>players</th>
                  <th class="num">step</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {o.live.map((m) => (
                  <tr key={m.matchId} data-admin-match={m.matchId}>
                    <td>
                      <a href={`/match/${m.matchId}`} class="mono small">
                        {m.matchId.slice(0, 8)}
                      </a>{' '}
                      <Status status={m.status} />
                    </td>
                    <td class="mono small">{m.env}</td>
                    <td>{m.seats.map((s) => `${s.agentId ?? `seat ${s.seat}`}${s.connected ? '' : ' (offline)'}`).join(' vs ')}</td>
                    <td class="num">{m.stepIndex}</td>
                    <td>
                      <button type="button" onClick={() => void abort(m.matchId)}>
                        abort
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <div class="grid cols-2">
            <section class="panel">
              <h2>Rooms ({o.rooms.length})</h2>
              <table>
                <thead>
                  <tr>
                    <th>room</th>
                    <th>name</th>
                    <th class="num">clients</th>
                    <th>process</th>
                  </tr>
                </thead>
                <tbody>
                  {o.rooms.map((r) => (
                    <tr key={r.roomId}>
                      <td class="mono small">{r.roomId}</td>
                      <td>{r.name}</td>
                      <td class="num">{r.clients}</td>
                      <td class="mono small">{r.processId}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section class="panel">
              <h2>Agents online ({o.agentsOnline.length})</h2>
              <table>
                <tbody>
                  {o.agentsOnline.map((a) => (
                    <tr key={a.agentId}>
                      <td>{a.agentId}</td>
                      <td class="num">
                        {a.connections} connection{a.connections === 1 ? '' : 's'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>Registered agents ({o.registered.length})</h2>
              <table>
                <tbody>
                  {o.registered.map((a) => (
                    <tr key={a.agentId}>
                      <td>{a.agentId}</td>
                      <td class="small muted">{new Date(a.createdAt).toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      ) : null}
    </div>
  );
}

/**
 * /league/:name — the league dashboard: standings (Bradley–Terry with 95% CI, Elo, games,
 * rank upper bound), the CI chart, Elo history, the payoff heatmap with counts and the Nash
 * mixture (the cross-play matrix for cooperative envs), the population with its snapshot
 * lineage, and recent matches linking to their replays.
 */
import { z } from 'zod';
import { MatchSummaryViewSchema } from '../../../protocol/http-api.ts';
import { PayoffResponseSchema, StandingsResponseSchema } from '../../../protocol/viewer-api.ts';
import { getJson, q } from '../api.ts';
import { CiChart } from '../charts/ci-chart.tsx';
import { Heatmap } from '../charts/heatmap.tsx';
import { LineChart } from '../charts/line-chart.tsx';
import { ErrorNote, Status } from '../components/shell.tsx';
import { useData } from '../use-data.ts';
import { kindOf } from '../use-seat-kinds.ts';

interface MemberRow {
  readonly agentId: string;
  readonly kind: string;
  readonly anchor?: boolean;
  readonly parentId?: string | null;
  readonly createdAt: number;
  readonly agent: { kind: string; options: Record<string, unknown> };
}
interface RatingRow {
  readonly index: number;
  readonly agentId: string;
  readonly elo: number;
}
const MatchesSchema = z.object({ matches: z.array(MatchSummaryViewSchema) });
const POLL_MS = 10_000;

function History({ ratings }: { ratings: readonly RatingRow[] }) {
  if (ratings.length === 0) return <p class="muted small">no rated matches yet</p>;
  const agents = [...new Set(ratings.map((r) => r.agentId))].slice(0, 10);
  const xs = [...new Set(ratings.map((r) => r.index))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const series = agents.map((agentId) => {
    const values: (number | null)[] = new Array(xs.length).fill(null);
    for (const r of ratings) if (r.agentId === agentId) values[at.get(r.index)!] = r.elo;
    return { label: agentId, values };
  });
  return <LineChart chart="history" title="Elo after each match" xLabel="match" x={xs} series={series} />;
}

export default function League({ params }: { params: Record<string, string> }) {
  const league = params.name!;
  const standings = useData(`standings:${league}`, (signal) => getJson(`/api/league/standings${q({ league })}`, StandingsResponseSchema, signal), POLL_MS);
  const payoff = useData(`payoff:${league}`, (signal) => getJson(`/api/league/payoff${q({ league })}`, PayoffResponseSchema, signal), POLL_MS);
  const members = useData(`members:${league}`, (signal) => getJson<{ members: MemberRow[] }>(`/api/league/members${q({ league })}`, undefined, signal));
  const history = useData(
    `history:${league}`,
    (signal) => getJson<{ ratings: RatingRow[] }>(`/api/league/history${q({ league, limit: 500 })}`, undefined, signal),
    POLL_MS,
  );
  const recent = useData(`recent:${league}`, (signal) => getJson(`/api/matches${q({ league })}`, MatchesSchema, signal), POLL_MS);

  const s = standings.data;
  const memberList = members.data?.members ?? [];
  const pay = payoff.data;
  const nash = pay?.nash ?? null;
  return (
    <div class="grid" data-page="league" data-league={league}>
      <div class="spread">
        <h1>{league}</h1>
        {s ? (
          <span class="muted">
            {s.env} · {s.matches} matches
          </span>
        ) : null}
      </div>
      <ErrorNote error={standings.error} />
      <div class="grid cols-2">
        <section class="panel">
          <h2>Standings</h2>
          {s && s.standings.length === 0 ? <p class="muted">no rated matches yet</p> : null}
          {s?.standings.length ? (
            <table data-standings>
              <thead>
                <tr>
                  <th class="num" title="rank upper bound: 1 + agents whose CI lies fully above">
                    rank*
                  </th>
                  <th>agent</th>
                  <th>kind</th>
                  <th class="num">rating</th>
                  <th class="num">95% CI</th>
                  <th class="num">Elo</th>
                  <th class="num">games</th>
                </tr>
              </thead>
              <tbody>
                {s.standings.map((row) => (
                  <tr key={row.agentId} data-agent={row.agentId}>
                    <td class="num">{row.rankUpper}</td>
                    <td>{row.agentId}</td>
                    <td>
                      <span class="badge">{kindOf(row.agentId, memberList) ?? ''}</span>
                    </td>
                    <td class="num">{row.rating.toFixed(0)}</td>
                    <td class="num muted">
                      +{(row.ci[1] - row.rating).toFixed(0)} / −{(row.rating - row.ci[0]).toFixed(0)}
                    </td>
                    <td class="num">{row.elo.toFixed(0)}</td>
                    <td class="num">{row.games}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <p class="small muted">rank* is the rank upper bound (Chatbot Arena's): 1 + the number of agents whose whole interval is above this one's.</p>
        </section>
        <section class="panel">
          <h2>Bradley–Terry rating, 95% CI</h2>
          {s?.standings.length ? <CiChart rows={s.standings} /> : <p class="muted small">no ratings yet</p>}
        </section>
      </div>
      <div class="grid cols-2">
        <section class="panel">
          <h2>{pay?.kind === 'cross-play' ? 'Cross-play (mean team return)' : 'Payoff matrix (row score vs column)'}</h2>
          <ErrorNote error={payoff.error} />
          {pay?.agentIds.length ? (
            <Heatmap
              title={pay.kind === 'cross-play' ? 'cross-play matrix' : 'payoff matrix'}
              labels={pay.agentIds}
              values={pay.kind === 'cross-play' && pay.crossPlay ? normalise(pay.crossPlay) : pay.cells.map((row) => row.map((c) => c.score))}
              counts={pay.cells.map((row) => row.map((c) => c.games))}
              {...(pay.kind === 'cross-play' && pay.crossPlay ? { format: rawFormat(pay.crossPlay) } : {})}
            />
          ) : pay ? (
            <p class="muted small">no matches yet</p>
          ) : null}
        </section>
        <section class="panel">
          <h2>Nash mixture</h2>
          {nash ? (
            <>
              <table data-nash>
                <tbody>
                  {Object.entries(nash.weights)
                    .sort((a, b) => b[1] - a[1])
                    .map(([id, w]) => (
                      <tr key={id}>
                        <td>{id}</td>
                        <td class="num">{w.toFixed(3)}</td>
                        <td style={{ width: '45%' }}>
                          <div style={{ height: '10px', width: `${Math.round(w * 100)}%`, background: 'var(--accent)', borderRadius: '3px' }} />
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
              <p class="small muted">the maximin mixture over the members of the two-player zero-sum meta-game (value {nash.value.toFixed(3)})</p>
            </>
          ) : (
            <p class="muted small">
              {pay?.kind === 'cross-play'
                ? 'cooperative env: no Nash mixture, see the cross-play matrix'
                : 'needs matches between members of a two-player zero-sum env'}
            </p>
          )}
        </section>
      </div>
      <section class="panel">
        <h2>Rating history</h2>
        <History ratings={history.data?.ratings ?? []} />
      </section>
      <div class="grid cols-2">
        <section class="panel">
          <h2>Population</h2>
          <table>
            <thead>
              <tr>
                <th>agent</th>
                <th>kind</th>
                <th>agent spec</th>
                <th>from</th>
              </tr>
            </thead>
            <tbody>
              {memberList.map((m) => (
                <tr key={m.agentId}>
                  <td>{m.agentId}</td>
                  <td>
                    <span class="badge">{kindOf(m.agentId, memberList)}</span>
                  </td>
                  <td class="mono small">{specText(m.agent)}</td>
                  <td class="small muted">{m.parentId ? `snapshot of ${m.parentId} at match ${m.createdAt}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="panel">
          <h2>Recent matches</h2>
          {(recent.data?.matches ?? []).length === 0 ? (
            <p class="muted small">
              no arena matches of this league in memory (leagues run headless keep their results in the store: <code>ludus league matches</code>)
            </p>
          ) : null}
          <table>
            <tbody>
              {(recent.data?.matches ?? []).slice(0, 20).map((m) => (
                <tr key={m.matchId}>
                  <td>
                    <a href={m.status === 'live' ? `/match/${m.matchId}` : `/replay/${m.matchId}`}>
                      {m.seats.map((x) => x.agentId ?? `seat ${x.seat}`).join(' vs ')}
                    </a>
                  </td>
                  <td>
                    <Status status={m.status} />
                  </td>
                  <td class="mono small">{m.returns ? m.returns.join(' : ') : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}

function specText(agent: { kind: string; options: Record<string, unknown> }): string {
  const options = Object.entries(agent.options).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return options.length ? `${agent.kind}:${options.join(',')}` : agent.kind;
}

/** Cross-play returns scaled to [0, 1] for the colour scale. */
function normalise(m: readonly (readonly (number | null)[])[]): (number | null)[][] {
  const all = m.flat().filter((v): v is number => v !== null);
  const lo = Math.min(0, ...all);
  const hi = Math.max(1, ...all);
  return m.map((row) => row.map((v) => (v === null ? null : (v - lo) / (hi - lo || 1))));
}

function rawFormat(m: readonly (readonly (number | null)[])[]): (v: number) => string {
  const all = m.flat().filter((v): v is number => v !== null);
  const lo = Math.min(0, ...all);
  const hi = Math.max(1, ...all);
  return (v) => (lo + v * (hi - lo)).toFixed(2);
}

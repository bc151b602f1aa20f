/**
 * /replay/:id?step=N&viewer=spectator|<seat> — a finished match, re-simulated in the browser
 * from its record. The step and the viewer are in the URL, so a moment can be shared.
 */
import type { Viewer } from '../../../envs/index.ts';
import { MatchSummaryViewSchema } from '../../../protocol/http-api.ts';
import { getJson } from '../api.ts';
import { playerName, Players, resultText } from '../components/players.tsx';
import { ReplayPlayer } from '../components/replay-player.tsx';
import { ErrorNote, Status } from '../components/shell.tsx';
import { buildReplay, returnsOf } from '../replay-frames.ts';
import { navigate, place } from '../router.ts';
import { useData } from '../use-data.ts';
import { useSeatKinds } from '../use-seat-kinds.ts';

function parseViewer(value: string | null, numPlayers: number): Viewer {
  const seat = Number(value);
  return value !== null && Number.isInteger(seat) && seat >= 0 && seat < numPlayers ? seat : 'spectator';
}

export default function ReplayPage({ params }: { params: Record<string, string> }) {
  const id = params.id!;
  const path = `/replay/${encodeURIComponent(id)}`;
  const replay = useData(`replay:${id}`, (signal) => getJson<unknown>(`/api/replays/${encodeURIComponent(id)}`, undefined, signal).then(buildReplay));
  const summary = useData(`match:${id}`, (signal) => getJson(`/api/matches/${encodeURIComponent(id)}`, MatchSummaryViewSchema, signal));
  const seats = useSeatKinds(summary.data);
  const names = (seat: number): string => playerName(seats, undefined, seat);

  if (!replay.data)
    return (
      <div class="panel">
        <h1>Replay</h1>
        <ErrorNote error={replay.error} />
        {replay.loading ? <p class="muted">loading…</p> : null}
      </div>
    );
  const r = replay.data;
  const last = r.frames.length - 1;
  const query = place.value.query;
  const asked = Number(query.get('step') ?? last);
  const step = Number.isInteger(asked) ? Math.max(0, Math.min(last, asked)) : last;
  const viewer = parseViewer(query.get('viewer'), r.numPlayers);
  const url = (s: number, v: Viewer): string => `${path}?step=${s}${v === 'spectator' ? '' : `&viewer=${v}`}`;
  const returns = returnsOf(r);
  return (
    <div class="grid" data-page="replay" data-match={id}>
      <div class="spread">
        <h1>
          {r.env.key} replay {summary.data ? <Status status={summary.data.status} /> : null}
        </h1>
        <span class="result">{resultText(returns, names, summary.data?.status === 'aborted' ? 'aborted' : undefined)}</span>
      </div>
      <ReplayPlayer
        replay={r}
        step={step}
        viewer={viewer}
        names={names}
        onStep={(s) => navigate(url(s, viewer), true)}
        onViewer={(v) => navigate(url(step, v), true)}
      />
      <section class="panel">
        <h2>Players</h2>
        <Players seats={seats.length ? seats : Array.from({ length: r.numPlayers }, (_, seat) => ({ seat, agentId: null }))} returns={returns} />
        <p class="small muted">
          {'seed' in r.record ? `seed ${r.record.seed}` : 'public replay (unseen cards hidden)'} · {r.record.history.length} transitions
          {summary.data ? ` · ${new Date(summary.data.createdAt).toLocaleString()}` : ''}
        </p>
      </section>
    </div>
  );
}

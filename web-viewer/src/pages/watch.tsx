/** /match/:id — a live match as a spectator: board, players with clocks, moves, result and rating changes. */
import { useEffect } from 'preact/hooks';
import { MatchSummaryViewSchema } from '../../../protocol/http-api.ts';
import { getJson } from '../api.ts';
import { Board } from '../components/board.tsx';
import { RealtimeBoard } from '../components/realtime-board.tsx';
import { MoveList } from '../components/move-list.tsx';
import { playerName, Players, resultText } from '../components/players.tsx';
import { ErrorNote, Status } from '../components/shell.tsx';
import { navigate } from '../router.ts';
import { useData } from '../use-data.ts';
import { useLiveMatch, useNow } from '../use-live-match.ts';
import { useSeatKinds } from '../use-seat-kinds.ts';

export default function Watch({ params }: { params: Record<string, string> }) {
  const id = params.id!;
  const summary = useData(`match:${id}`, (signal) => getJson(`/api/matches/${encodeURIComponent(id)}`, MatchSummaryViewSchema, signal));
  const ended = summary.data !== undefined && (summary.data.status === 'finished' || summary.data.status === 'aborted');
  // An ended match is a replay; a live one is watched.
  useEffect(() => {
    if (ended) navigate(`/replay/${encodeURIComponent(id)}`, true);
  }, [ended]);
  const live = useLiveMatch(summary.data && !ended ? id : undefined);
  const now = useNow(250);
  const seats = useSeatKinds(summary.data);

  const env = live.start?.env ?? summary.data?.env ?? '';
  const names = (seat: number): string => playerName(seats, live.start, seat);
  const status = live.end ? (live.end.reason === 'aborted' ? 'aborted' : 'finished') : live.start ? 'live' : (summary.data?.status ?? '');
  return (
    <div class="grid cols-2" data-page="watch" data-match={id}>
      <section class="panel">
        <div class="spread">
          <h1>
            {env || 'match'} <Status status={status} />
          </h1>
          <span class="muted small mono">{live.frame ? `tick ${live.frame.tick}` : `step ${live.state?.stepIndex ?? 0}`}</span>
        </div>
        <ErrorNote error={summary.error ?? live.error} />
        {live.frame ? (
          <RealtimeBoard envKey={env} view={live.frame.view} tick={live.frame.tick} />
        ) : live.state ? (
          <Board envKey={env} view={live.state.view} text={live.state.text} />
        ) : !summary.error ? (
          <p class="muted">{summary.data?.status === 'waiting' ? 'waiting for the players to connect…' : 'connecting…'}</p>
        ) : null}
        {live.end ? (
          <p class="result" data-result>
            {resultText(live.end.returns, names, live.end.reason)} · <a href={`/replay/${encodeURIComponent(id)}`}>open the replay</a>
          </p>
        ) : null}
      </section>
      <aside class="grid">
        <section class="panel">
          <h2>Players</h2>
          <Players seats={seats} start={live.start} state={live.state} end={live.end} now={now} />
        </section>
        {live.frame ? null : (
          <section class="panel">
            <h2>Moves</h2>
            <MoveList moves={live.moves.map((m) => ({ step: m.step, label: m.seats.length === 1 ? `${names(m.seats[0]!)}: ${m.text}` : m.text }))} />
          </section>
        )}
        {live.start ? (
          <details class="panel">
            <summary>Rules</summary>
            <pre>{live.start.rulesText}</pre>
          </details>
        ) : null}
      </aside>
    </div>
  );
}

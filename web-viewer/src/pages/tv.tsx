/**
 * / — the TV page: the featured live match large (the one with the most moves so far, so a
 * visitor lands in a game under way), the other live matches as small boards; click to watch.
 */
import { useRef } from 'preact/hooks';
import { z } from 'zod';
import { MatchSummaryViewSchema } from '../../../protocol/http-api.ts';
import { getJson } from '../api.ts';
import { Board } from '../components/board.tsx';
import { RealtimeBoard } from '../components/realtime-board.tsx';
import { playerName, Players } from '../components/players.tsx';
import { ErrorNote, Status } from '../components/shell.tsx';
import { useData } from '../use-data.ts';
import { useLiveMatch, useNow } from '../use-live-match.ts';
import { useSeatKinds } from '../use-seat-kinds.ts';

const ListSchema = z.object({ matches: z.array(MatchSummaryViewSchema) });
type Summary = z.infer<typeof MatchSummaryViewSchema>;

/** Most small boards at once: each one is a spectator connection. */
const MAX_TILES = 12;
const POLL_MS = 3000;

function Featured({ match }: { match: Summary }) {
  const live = useLiveMatch(match.matchId);
  const seats = useSeatKinds(match);
  const now = useNow(250);
  return (
    <section class="panel grid cols-2" data-featured={match.matchId}>
      <div>
        <div class="spread">
          <h2>
            <a href={`/match/${encodeURIComponent(match.matchId)}`}>{match.env}</a> <Status status={live.end ? 'finished' : 'live'} />
          </h2>
          <span class="muted small mono">step {live.state?.stepIndex ?? match.stepIndex}</span>
        </div>
        {live.frame ? (
          <RealtimeBoard envKey={match.env} view={live.frame.view} tick={live.frame.tick} maxWidth={520} />
        ) : live.state ? (
          <Board envKey={match.env} view={live.state.view} text={live.state.text} maxWidth={520} />
        ) : (
          <p class="muted">connecting…</p>
        )}
      </div>
      <div>
        <h3>Players</h3>
        <Players seats={seats} start={live.start} state={live.state} end={live.end} now={now} />
        <p>
          <a href={`/match/${encodeURIComponent(match.matchId)}`}>watch with moves and clocks →</a>
        </p>
      </div>
    </section>
  );
}

function Tile({ match }: { match: Summary }) {
  const live = useLiveMatch(match.matchId);
  const names = (seat: number): string => playerName(match.seats, live.start, seat);
  return (
    <a class="panel tile" href={`/match/${encodeURIComponent(match.matchId)}`} data-tile={match.matchId}>
      <div class="spread small">
        <strong>{match.env}</strong>
        <span class="muted mono">#{live.state?.stepIndex ?? match.stepIndex}</span>
      </div>
      {live.frame ? (
        <RealtimeBoard envKey={match.env} view={live.frame.view} tick={live.frame.tick} maxWidth={200} />
      ) : live.state ? (
        <Board envKey={match.env} view={live.state.view} maxWidth={200} />
      ) : (
        <p class="muted small">connecting…</p>
      )}
      <div class="small muted">
        {names(0)} vs {names(1)}
      </div>
    </a>
  );
}

export default function Tv() {
  const list = useData('live', (signal) => getJson('/api/matches?status=live', ListSchema, signal), POLL_MS);
  const matches = list.data?.matches ?? [];
  // The featured match stays until it ends; then the one furthest along takes over.
  const sticky = useRef<string | undefined>(undefined);
  const featured =
    matches.find((m) => m.matchId === sticky.current) ??
    matches.reduce<Summary | undefined>((best, m) => (best === undefined || m.stepIndex > best.stepIndex ? m : best), undefined);
  sticky.current = featured?.matchId;
  const others = matches.filter((m) => m !== featured).slice(0, MAX_TILES);
  return (
    <div class="grid" data-page="tv">
      <div class="spread">
        <h1>Live now</h1>
        <span class="muted small" data-live-count={matches.length}>
          {matches.length} live match{matches.length === 1 ? '' : 'es'}
        </span>
      </div>
      <ErrorNote error={list.error} />
      {featured ? (
        <Featured key={featured.matchId} match={featured} />
      ) : list.data ? (
        <div class="panel">
          <p>No match is being played right now.</p>
          <p class="muted">
            Start the arena with its live league (<code>npm start</code>), <a href="/play">play a match yourself</a>, or browse the{' '}
            <a href="/league">leagues</a> and their replays.
          </p>
        </div>
      ) : null}
      {others.length ? (
        <section>
          <h2>Other live matches</h2>
          <div class="tiles">
            {others.map((m) => (
              <Tile key={m.matchId} match={m} />
            ))}
          </div>
        </section>
      ) : null}
    </div>
  );
}

/**
 * /play — a human against an agent: pick an env, an opponent and a seat; the server creates a
 * match with one human seat (POST /api/play, rate-limited, no admin token) and hands back only
 * that seat's token. Moves are clicks on the board, the legal-action buttons, or a typed reply.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DecisionMessage, MatchEndMessage, MatchStartMessage, StateMessage } from '../../../protocol/messages.ts';
import { PlayOpponentsSchema, PlayStartedSchema, type PlayStarted } from '../../../protocol/viewer-api.ts';
import { getJson, q, request } from '../api.ts';
import { Board } from '../components/board.tsx';
import { MoveList } from '../components/move-list.tsx';
import { Players } from '../components/players.tsx';
import { ErrorNote } from '../components/shell.tsx';
import { RealtimeBoard } from '../components/realtime-board.tsx';
import type { LeavesFrame, LiveConnection } from '../live.ts';
import { useKeyboardInput } from '../use-keyboard-input.ts';
import { navigate, place } from '../router.ts';
import { useData } from '../use-data.ts';
import { useNow, withLastMove, withMoves, type MoveEntry } from '../use-live-match.ts';

interface EnvRow {
  readonly key: string;
  readonly title: string;
  readonly players: unknown;
}
const NAME_KEY = 'ludus-player-name';

function Setup({ onStarted }: { onStarted: (started: PlayStarted) => void }) {
  const envs = useData('envs', (signal) => getJson<{ envs: EnvRow[] }>('/api/envs', undefined, signal));
  const [env, setEnv] = useState('tic-tac-toe-v1');
  const opponents = useData(`opponents:${env}`, (signal) => getJson(`/api/play/opponents${q({ env })}`, PlayOpponentsSchema, signal));
  const [opponent, setOpponent] = useState('');
  const [seat, setSeat] = useState('0');
  const [name, setName] = useState(() => localStorage.getItem(NAME_KEY) ?? '');
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const list = opponents.data?.opponents ?? [];
  const chosen = list.some((o) => o.id === opponent) ? opponent : (list[0]?.id ?? '');

  const start = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      localStorage.setItem(NAME_KEY, name);
      const started = await request('/api/play', PlayStartedSchema, {
        method: 'POST',
        body: { env, opponent: chosen, seat: seat === 'random' ? 'random' : Number(seat), name },
      });
      onStarted(started);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel grid" onSubmit={start} data-play-setup>
      <h1>Play against an agent</h1>
      <p class="muted">
        Your games are rated like anyone else's: you appear as <code>human:{name || 'your-name'}</code> in the env's arena league.
      </p>
      <div class="form">
        <label>
          your name
          <input
            name="name"
            type="text"
            required
            pattern="[a-z0-9][a-z0-9._\-]*"
            maxLength={40}
            placeholder="lower-case, e.g. ada"
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value.toLowerCase())}
          />
        </label>
        <label>
          game
          <select name="env" value={env} onChange={(e) => setEnv((e.target as HTMLSelectElement).value)}>
            {(envs.data?.envs ?? [{ key: env, title: env, players: 2 }]).map((e) => (
              <option key={e.key} value={e.key}>
                {e.title} ({e.key})
              </option>
            ))}
          </select>
        </label>
        <label>
          opponent
          <select name="opponent" value={chosen} onChange={(e) => setOpponent((e.target as HTMLSelectElement).value)}>
            {list.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          your seat
          <select name="seat" value={seat} onChange={(e) => setSeat((e.target as HTMLSelectElement).value)}>
            <option value="0">seat 0 (moves first)</option>
            <option value="1">seat 1</option>
            <option value="random">random</option>
          </select>
        </label>
        <button class="primary" type="submit" disabled={busy || !chosen || !name}>
          Start
        </button>
      </div>
      <ErrorNote error={error ?? opponents.error ?? envs.error} />
    </form>
  );
}

function Game({ started, onAgain }: { started: PlayStarted; onAgain: () => void }) {
  const [start, setStart] = useState<MatchStartMessage | undefined>(undefined);
  const [state, setState] = useState<StateMessage | undefined>(undefined);
  const [decision, setDecision] = useState<DecisionMessage | undefined>(undefined);
  const [end, setEnd] = useState<MatchEndMessage | undefined>(undefined);
  const [moves, setMoves] = useState<readonly MoveEntry[]>([]);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [connection, setConnection] = useState<LiveConnection | undefined>(undefined);
  const [reply, setReply] = useState('');
  const [frame, setFrame] = useState<LeavesFrame | undefined>(undefined);
  const now = useNow(250);
  const realtime = start?.realtime !== undefined;
  const held = useKeyboardInput(realtime && connection !== undefined && !end, started.seat, (action, seq) => connection?.input(action, seq));

  useEffect(() => {
    let closed = false;
    let conn: LiveConnection | undefined;
    import('../live.ts')
      .then(({ takeSeat }) =>
        takeSeat(started.matchId, started.seatToken, {
          onStart: (m) => {
            if (!closed) {
              setStart(m);
              setMoves((list) => withMoves(list, m.moves));
            }
          },
          onState: (m) => {
            if (closed) return;
            setState(m);
            setMoves((list) => withLastMove(list, m));
          },
          onDecision: (m) => {
            if (!closed) setDecision(m);
          },
          onLeaves: (m) => {
            if (!closed) setFrame(m);
          },
          onEnd: (m) => {
            if (!closed) {
              setEnd(m);
              setDecision(undefined);
            }
          },
          onError: (m) => {
            if (!closed) setError(new Error(`${m.code}: ${m.message}`));
          },
        }),
      )
      .then(
        (c) => {
          conn = c;
          if (closed) c.leave();
          else setConnection(c);
        },
        (e: unknown) => {
          if (!closed) setError(e as Error);
        },
      );
    return () => {
      closed = true;
      conn?.leave();
    };
  }, [started.matchId]);

  const myTurn = !realtime && decision !== undefined && state !== undefined && decision.stepIndex === state.stepIndex && !end;
  const send = async (action: { id: number } | { text: string }): Promise<void> => {
    if (!connection || !decision) return;
    const pending = decision;
    setDecision(undefined); // one answer per decision
    const ack = await connection
      .act(pending.stepIndex, action, pending.seat)
      .catch((e: unknown) => ({ ok: false as const, error: { code: 'client', message: String(e), hint: '' } }));
    if (!ack.ok) {
      setError(new Error(`${ack.error.code}: ${ack.error.message}`));
      setDecision(pending);
    } else setError(undefined);
  };
  const _names = (seat: number): string => (seat === started.seat ? `you (${started.agentId})` : started.opponent);
  const seats = [0, 1].map((seat) => ({
    seat,
    agentId: seat === started.seat ? started.agentId : started.opponent,
    kind: seat === started.seat ? 'human' : 'agent',
  }));

  return (
    <div class="grid cols-2" data-page="play-game" data-match={started.matchId}>
      <section class="panel">
        <div class="spread">
          <h1>{started.env}</h1>
          {realtime ? (
            <span class="small" data-turn={end ? 'over' : 'live'}>
              {end ? 'game over' : `tick ${frame?.tick ?? 0}`}
            </span>
          ) : (
            <span class="small" data-turn={myTurn ? 'mine' : end ? 'over' : 'theirs'}>
              {end ? 'game over' : myTurn ? 'your move' : 'waiting for the opponent…'}
            </span>
          )}
        </div>
        {realtime ? (
          <div class="grid">
            {frame ? <RealtimeBoard envKey={started.env} view={frame.view} tick={frame.tick} /> : <p class="muted">waiting for the first tick…</p>}
            <p class="small muted" data-keys data-action={held}>
              You are the {started.seat === 0 ? 'left' : 'right'} slime. Hold ← → (or A D) to move, ↑ / W / space to jump. Input now:{' '}
              <span class="mono">{held}</span>
            </p>
          </div>
        ) : state ? (
          <Board
            envKey={started.env}
            view={state.view}
            text={state.text}
            {...(myTurn ? { legal: decision.legalActions.map((a) => a.id), onAction: (id: number) => void send({ id }) } : {})}
          />
        ) : (
          <p class="muted">connecting…</p>
        )}
        {myTurn ? (
          <div class="grid" style={{ marginTop: '.75rem' }}>
            <div class="actions" data-legal>
              {decision.legalActions.map((a) => (
                <button key={a.id} type="button" data-action-id={a.id} onClick={() => void send({ id: a.id })}>
                  {a.text ?? a.id}
                </button>
              ))}
            </div>
            <form
              class="row"
              onSubmit={(e) => {
                e.preventDefault();
                if (reply.trim()) {
                  void send({ text: reply });
                  setReply('');
                }
              }}
            >
              <input
                type="text"
                aria-label="type a move"
                placeholder="or type a move, e.g. [4]"
                value={reply}
                onInput={(e) => setReply((e.target as HTMLInputElement).value)}
              />
              <button type="submit">send</button>
            </form>
          </div>
        ) : null}
        {end ? (
          <div class="grid" style={{ marginTop: '.75rem' }}>
            <p class="result" data-result>
              {outcome(end, started.seat, started.opponent)}
            </p>
            <div class="actions">
              <button class="primary" type="button" onClick={onAgain}>
                play again
              </button>
              <a href={`/replay/${encodeURIComponent(started.matchId)}`}>replay</a>
              <a href={`/league/${encodeURIComponent(started.league)}`}>standings</a>
            </div>
          </div>
        ) : null}
        <ErrorNote error={error} />
      </section>
      <aside class="grid">
        <section class="panel">
          <h2>Players</h2>
          <Players seats={seats} start={start} state={state} end={end} now={now} me={started.seat} />
        </section>
        <section class="panel">
          <h2>Moves</h2>
          <MoveList
            moves={moves.map((m) => ({
              step: m.step,
              label: m.seats.length === 1 ? `${m.seats[0] === started.seat ? 'you' : started.opponent}: ${m.text}` : m.text,
            }))}
          />
        </section>
      </aside>
    </div>
  );
}

/** The result from the person's side. */
function outcome(end: MatchEndMessage, me: number, opponent: string): string {
  if (end.reason === 'aborted') return 'The game was aborted.';
  const mine = end.returns[me] ?? 0;
  const theirs = end.returns[1 - me] ?? 0;
  const how = end.reason === 'forfeit' ? (end.forfeitedBy === me ? ' (you ran out of time)' : ` (${opponent} forfeited)`) : '';
  return mine > theirs ? `You win${how}!` : mine < theirs ? `${opponent} wins${how}.` : 'A draw.';
}

/** A game in progress survives a reload of its page (/play?match=ID): its seat token stays in this tab. */
const SESSION_KEY = (matchId: string): string => `ludus-play:${matchId}`;

function resumed(): PlayStarted | undefined {
  const matchId = place.value.query.get('match');
  if (!matchId) return undefined;
  try {
    const parsed = PlayStartedSchema.safeParse(JSON.parse(sessionStorage.getItem(SESSION_KEY(matchId)) ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export default function Play() {
  const [started, setStarted] = useState<PlayStarted | undefined>(resumed);
  const start = (game: PlayStarted): void => {
    try {
      sessionStorage.setItem(SESSION_KEY(game.matchId), JSON.stringify(game));
    } catch {
      /* private mode: no resume */
    }
    navigate(`/play?match=${encodeURIComponent(game.matchId)}`, true);
    setStarted(game);
  };
  const again = (): void => {
    navigate('/play', true);
    setStarted(undefined);
  };
  return started ? <Game started={started} onAgain={again} /> : <Setup onStarted={start} />;
}

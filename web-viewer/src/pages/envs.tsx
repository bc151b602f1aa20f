/**
 * /envs and /envs/:key — every registered env: its rules text, params and action schema, and
 * a sample replay: a seeded random playout computed in the browser with the env's own rules.
 */
import { useMemo, useState } from 'preact/hooks';
import { Episode, getEnv, Rng, type Viewer } from '../../../envs/index.ts';
import { getJson } from '../api.ts';
import { ReplayPlayer } from '../components/replay-player.tsx';
import { ErrorNote } from '../components/shell.tsx';
import { buildReplay } from '../replay-frames.ts';
import { useData } from '../use-data.ts';

interface EnvRow {
  readonly key: string;
  readonly title: string;
  readonly players: unknown;
  readonly dynamics: string;
  readonly information: string;
  readonly utility: string;
  readonly chance: string;
}
interface EnvDetail extends EnvRow {
  readonly rulesText: string;
  readonly params: unknown;
  readonly paramsSchema: unknown;
  readonly actionSchema: unknown;
}

/** A seeded random playout as an EpisodeRecord (the same shape the arena stores). */
function samplePlayout(key: string, seed: number): unknown {
  const env = getEnv(key);
  const episode = new Episode(env, {}, seed);
  const rng = new Rng(seed);
  for (let guard = 0; !episode.isTerminal && guard < 500; guard++) {
    const turn = episode.turn;
    if (turn.kind === 'chance') episode.resolveChance();
    else if (turn.kind === 'decision') {
      const legal = env.legalActions(episode.state, turn.seat);
      // Free-text games: the env's own sample replies (valid ones), as its random agents play.
      const reply = legal.length === 0 ? env.sampleText?.(episode.state, turn.seat, rng, true) : undefined;
      if (reply !== undefined) episode.stepText(turn.seat, reply);
      else if (legal.length > 0) episode.step(turn.seat, legal[rng.int(legal.length)]!);
      else break;
    } else if (turn.kind === 'simultaneous') {
      episode.stepJoint(
        turn.seats.length
          ? Array.from({ length: env.dims(episode.params).numPlayers }, (_, seat) => {
              if (!turn.seats.includes(seat)) return null;
              const legal = env.legalActions(episode.state, seat);
              return legal[rng.int(legal.length)]!;
            })
          : [],
      );
    }
  }
  return episode.toRecord();
}

function Sample({ envKey }: { envKey: string }) {
  const [seed, setSeed] = useState(1);
  const replay = useMemo(() => buildReplay(samplePlayout(envKey, seed)), [envKey, seed]);
  const [step, setStep] = useState(0);
  const [viewer, setViewer] = useState<Viewer>('spectator');
  return (
    <section class="grid">
      <div class="spread">
        <h2>Sample: a random playout</h2>
        <button
          type="button"
          onClick={() => {
            setSeed(seed + 1);
            setStep(0);
          }}
        >
          another one (seed {seed + 1})
        </button>
      </div>
      <ReplayPlayer
        key={`${envKey}:${seed}`}
        replay={replay}
        step={Math.min(step, replay.frames.length - 1)}
        onStep={setStep}
        viewer={viewer}
        onViewer={setViewer}
      />
    </section>
  );
}

export default function Envs({ params }: { params: Record<string, string> }) {
  const list = useData('envs', (signal) => getJson<{ envs: EnvRow[] }>('/api/envs', undefined, signal));
  const key = params.key ?? list.data?.envs[0]?.key;
  const detail = useData(`env:${key ?? ''}`, (signal) =>
    key ? getJson<EnvDetail>(`/api/envs/${encodeURIComponent(key)}`, undefined, signal) : Promise.resolve(undefined),
  );
  const d = detail.data;
  return (
    <div class="grid" data-page="envs">
      <h1>Environments</h1>
      <ErrorNote error={list.error ?? detail.error} />
      <div class="tiles">
        {(list.data?.envs ?? []).map((e) => (
          <a key={e.key} class="panel tile" href={`/envs/${e.key}`} style={e.key === key ? { borderColor: 'var(--accent)' } : {}}>
            <strong>{e.title}</strong>
            <div class="mono small">{e.key}</div>
            <div class="small muted">
              {[e.dynamics, `${e.information} information`, e.utility, e.chance === 'deterministic' ? '' : `${e.chance} chance`].filter(Boolean).join(' · ')}
            </div>
          </a>
        ))}
      </div>
      {d ? (
        <>
          <section class="panel" data-env-detail={d.key}>
            <h2>
              {d.title} <span class="mono small muted">{d.key}</span>
            </h2>
            <pre>{d.rulesText}</pre>
            <div class="grid cols-2">
              <div>
                <h3>Params (defaults)</h3>
                <pre>{JSON.stringify(d.params, null, 2)}</pre>
              </div>
              <div>
                <h3>Action schema</h3>
                <pre>{JSON.stringify(d.actionSchema, null, 2)}</pre>
              </div>
            </div>
            <p>
              <a href={`/play`}>play it</a> · <a href={`/league/arena-${d.key}`}>its arena league</a>
            </p>
          </section>
          <Sample key={d.key} envKey={d.key} />
        </>
      ) : null}
    </div>
  );
}

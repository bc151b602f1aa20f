/**
 * /runs and /runs/:name — training runs' learning curves from their metrics.jsonl: mean return,
 * win rate against each anchor, exploitability, losses and entropy, with EMA smoothing; more
 * runs can be overlaid (?with=a,b).
 */
import { useState } from 'preact/hooks';
import { RunListSchema, RunMetricsSchema, type RunMetrics } from '../../../protocol/viewer-api.ts';
import { getJson } from '../api.ts';
import { LineChart, type Series } from '../charts/line-chart.tsx';
import { ErrorNote } from '../components/shell.tsx';
import { navigate, place } from '../router.ts';
import { useData } from '../use-data.ts';

type Line = RunMetrics['lines'][number];

/** Exponential moving average that skips gaps (TensorBoard's smoothing, without its debias). */
export function ema(values: readonly (number | null)[], weight: number): (number | null)[] {
  let last: number | undefined;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last === undefined ? v : last * weight + v * (1 - weight);
    return last;
  });
}

const num = (line: Line, key: string): number | null => (typeof line[key] === 'number' ? (line[key] as number) : null);

interface Curve {
  readonly key: string;
  readonly title: string;
  readonly pick: (line: Line) => number | null;
  readonly type: 'update' | 'eval';
}

function curves(runs: readonly RunMetrics[]): Curve[] {
  const base: Curve[] = [
    { key: 'meanReturn', title: 'mean return (learner seats)', pick: (l) => num(l, 'meanReturn'), type: 'update' },
    { key: 'policyLoss', title: 'policy loss', pick: (l) => num(l, 'policyLoss'), type: 'update' },
    { key: 'valueLoss', title: 'value loss', pick: (l) => num(l, 'valueLoss'), type: 'update' },
    { key: 'entropy', title: 'entropy', pick: (l) => num(l, 'entropy'), type: 'update' },
  ];
  const evals = runs.flatMap((r) => r.lines.filter((l) => l.type === 'eval'));
  const anchors = [...new Set(evals.flatMap((l) => Object.keys((l.vs as Record<string, unknown> | undefined) ?? {})))];
  const extra: Curve[] = anchors.map((anchor) => ({
    key: `vs:${anchor}`,
    title: `win rate vs ${anchor}`,
    type: 'eval',
    pick: (l) => {
      const r = (l.vs as Record<string, { winRate?: number }> | undefined)?.[anchor];
      return typeof r?.winRate === 'number' ? r.winRate : null;
    },
  }));
  for (const key of ['exploitability', 'mixtureExploitability', 'elo']) {
    if (evals.some((l) => typeof l[key] === 'number'))
      extra.push({ key, title: key === 'mixtureExploitability' ? 'exploitability of the snapshot mixture' : key, pick: (l) => num(l, key), type: 'eval' });
  }
  return [...extra, ...base];
}

function RunCharts({ runs, smoothing }: { runs: readonly RunMetrics[]; smoothing: number }) {
  return (
    <div class="grid cols-2" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(380px, 1fr))' }}>
      {curves(runs).map((curve) => {
        const xs = [...new Set(runs.flatMap((r) => r.lines.filter((l) => l.type === curve.type).map((l) => l.update)))].sort((a, b) => a - b);
        const at = new Map(xs.map((x, i) => [x, i]));
        const series: Series[] = runs.map((r) => {
          const values: (number | null)[] = new Array(xs.length).fill(null);
          for (const l of r.lines) if (l.type === curve.type) values[at.get(l.update)!] = curve.pick(l);
          return { label: r.name, values: curve.type === 'update' ? ema(values, smoothing) : values };
        });
        if (series.every((s) => s.values.every((v) => v === null))) return null;
        return (
          <section class="panel" key={curve.key}>
            <LineChart chart={`run-${curve.key}`} title={curve.title} xLabel="update" x={xs} series={series} height={220} />
          </section>
        );
      })}
    </div>
  );
}

export default function Runs({ params }: { params: Record<string, string> }) {
  const list = useData('runs', (signal) => getJson('/api/runs', RunListSchema, signal));
  const name = params.name;
  const overlay = (place.value.query.get('with') ?? '').split(',').filter((n) => n && n !== name);
  const names = name ? [name, ...overlay] : [];
  const metrics = useData(`metrics:${names.join(',')}`, (signal) =>
    Promise.all(names.map((n) => getJson(`/api/runs/${encodeURIComponent(n)}/metrics`, RunMetricsSchema, signal))),
  );
  const [smoothing, setSmoothing] = useState(0.6);
  const runs = list.data?.runs ?? [];
  return (
    <div class="grid" data-page="runs">
      <div class="spread">
        <h1>{name ? `Training run ${name}` : 'Training runs'}</h1>
      </div>
      <ErrorNote error={list.error ?? metrics.error} />
      <section class="panel">
        {runs.length === 0 && list.data ? (
          <p class="muted">
            No training runs in this store. Start one with <code>npx ludus train --config examples/train/kuhn-poker.yaml</code>.
          </p>
        ) : null}
        {runs.length ? (
          <table>
            <thead>
              <tr>
                <th>run</th>
                <th>env</th>
                <th class="num">updates</th>
                <th class="num">minutes</th>
                <th>overlay</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.name}>
                  <td>
                    <a href={`/runs/${encodeURIComponent(r.name)}`}>{r.name}</a>
                  </td>
                  <td class="mono small">{r.env ?? ''}</td>
                  <td class="num">{r.updates}</td>
                  <td class="num">{(r.seconds / 60).toFixed(1)}</td>
                  <td>
                    {name && r.name !== name ? (
                      <input
                        type="checkbox"
                        aria-label={`overlay ${r.name}`}
                        checked={overlay.includes(r.name)}
                        onChange={(e) => {
                          const next = (e.target as HTMLInputElement).checked ? [...overlay, r.name] : overlay.filter((n) => n !== r.name);
                          navigate(`/runs/${encodeURIComponent(name)}${next.length ? `?with=${next.map(encodeURIComponent).join(',')}` : ''}`, true);
                        }}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {name && metrics.data ? (
        <>
          <label class="row" style={{ flexDirection: 'row', maxWidth: '420px' }}>
            smoothing
            <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onInput={(e) => setSmoothing(Number((e.target as HTMLInputElement).value))} />
            <span class="mono">{smoothing.toFixed(2)}</span>
          </label>
          {metrics.data.some((m) => m.lines.length) ? <RunCharts runs={metrics.data} smoothing={smoothing} /> : <p class="muted">no metrics yet</p>}
        </>
      ) : null}
    </div>
  );
}

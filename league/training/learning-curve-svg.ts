/**
 * The learning curve as a standalone SVG, drawn by hand (no plotting dependency): against
 * training time, one panel per measure present in the metrics: win rate and mean return
 * against each anchor, exploitability (the learner's policy and its snapshots' Nash
 * mixture), and Elo.
 */
import type { EvalLine, MetricsLine } from './metrics-log.ts';

interface Series {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

interface Panel {
  readonly title: string;
  readonly series: readonly Series[];
  /** Fixed y range (rates); otherwise from the data. */
  readonly yRange?: readonly [number, number];
}

const WIDTH = 720;
const PANEL_HEIGHT = 220;
const MARGIN = { left: 60, right: 170, top: 30, bottom: 36 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export function learningCurveSvg(lines: readonly MetricsLine[], title: string): string {
  const evals = lines.filter((l): l is EvalLine => l.type === 'eval');
  const panels = buildPanels(evals);
  const seconds = evals.map((e) => e.seconds);
  const xMax = Math.max(1, ...seconds);
  const inMinutes = xMax > 120;
  const height = 40 + Math.max(1, panels.length) * PANEL_HEIGHT;
  const body =
    panels.length === 0
      ? [`<text x="${WIDTH / 2}" y="120" text-anchor="middle" fill="#666">no evaluations yet</text>`]
      : panels.map((p, i) => drawPanel(p, 40 + i * PANEL_HEIGHT, xMax, inMinutes));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function buildPanels(evals: readonly EvalLine[]): Panel[] {
  const panels: Panel[] = [];
  const anchors = [...new Set(evals.flatMap((e) => Object.keys(e.vs)))];
  if (anchors.length > 0) {
    const series: Series[] = anchors.flatMap((id) => {
      const points = (pick: (r: EvalLine['vs'][string]) => number) => evals.filter((e) => e.vs[id]).map((e) => [e.seconds, pick(e.vs[id]!)] as const);
      const win = { label: `win vs ${id}`, points: points((r) => r.winRate) };
      const anyDraws = evals.some((e) => (e.vs[id]?.draws ?? 0) > 0);
      return anyDraws ? [win, { label: `no loss vs ${id}`, points: points((r) => r.noLossRate), dashed: true }] : [win];
    });
    panels.push({ title: 'win rate against anchors', series, yRange: [0, 1] });
    // In poker a won hand says little; the mean return (chips per game) is the measure.
    const returns = anchors.map((id) => ({ label: `vs ${id}`, points: evals.filter((e) => e.vs[id]).map((e) => [e.seconds, e.vs[id]!.meanReturn] as const) }));
    panels.push({ title: 'mean return against anchors', series: returns });
  }
  const exploit = [
    { label: 'policy', points: pointsOf(evals, (e) => e.exploitability) },
    { label: 'snapshot Nash mixture', points: pointsOf(evals, (e) => e.mixtureExploitability), dashed: true },
  ].filter((s) => s.points.length > 0);
  if (exploit.length > 0) panels.push({ title: 'exploitability', series: exploit });
  const elo = pointsOf(evals, (e) => e.elo);
  if (elo.length > 0) panels.push({ title: 'Elo (evaluation games)', series: [{ label: 'learner', points: elo }] });
  return panels;
}

function pointsOf(evals: readonly EvalLine[], pick: (e: EvalLine) => number | undefined): [number, number][] {
  return evals.flatMap((e) => {
    const y = pick(e);
    return y === undefined || !Number.isFinite(y) ? [] : [[e.seconds, y] as [number, number]];
  });
}

function drawPanel(panel: Panel, top: number, xMax: number, inMinutes: boolean): string {
  const w = WIDTH - MARGIN.left - MARGIN.right;
  const h = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = top + MARGIN.top;
  const ys = panel.series.flatMap((s) => s.points.map((p) => p[1]));
  let [yMin, yMax] = panel.yRange ?? [Math.min(0, ...ys), Math.max(...ys)];
  if (!(yMax > yMin)) {
    yMin -= 1;
    yMax += 1;
  }
  const sx = (x: number) => x0 + (x / xMax) * w;
  const sy = (y: number) => y0 + h - ((y - yMin) / (yMax - yMin)) * h;
  const out: string[] = [
    `<text x="${x0}" y="${y0 - 8}" font-weight="bold">${escapeXml(panel.title)}</text>`,
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#999"/>`,
  ];
  for (const t of ticks(yMin, yMax, 5)) {
    out.push(
      `<line x1="${x0}" x2="${x0 + w}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${x0 - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${formatTick(t)}</text>`,
    );
  }
  const scale = inMinutes ? 60 : 1;
  for (const t of ticks(0, xMax / scale, 6)) {
    out.push(`<text x="${sx(t * scale).toFixed(1)}" y="${y0 + h + 14}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  out.push(`<text x="${x0 + w / 2}" y="${y0 + h + 30}" text-anchor="middle" fill="#555">training time (${inMinutes ? 'minutes' : 'seconds'})</text>`);
  panel.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const path = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="5,3"' : '';
    out.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="1.6"${dash}/>`);
    if (s.points.length === 1) out.push(`<circle cx="${sx(s.points[0]![0]).toFixed(1)}" cy="${sy(s.points[0]![1]).toFixed(1)}" r="2.5" fill="${color}"/>`);
    const ly = y0 + 12 + i * 16;
    out.push(
      `<line x1="${x0 + w + 12}" x2="${x0 + w + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${x0 + w + 38}" y="${ly}">${escapeXml(s.label)}</text>`,
    );
  });
  return out.join('\n');
}

/** About `count` round tick values covering [min, max]. */
function ticks(min: number, max: number, count: number): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

const formatTick = (t: number): string => (Number.isInteger(t) ? String(t) : Number(t.toPrecision(3)).toString());

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

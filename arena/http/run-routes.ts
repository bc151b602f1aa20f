/**
 * Training runs over HTTP, read from `<store>/models/<run>/` (league/training/run-layout.ts):
 * `GET /api/runs` lists the runs with metrics, `GET /api/runs/:name/metrics` returns their
 * metrics.jsonl lines (the last MAX_LINES of them). Read-only; a run name is one path segment.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HttpErrorBodySchema } from '../../protocol/http-api.ts';
import { RunListSchema, RunMetricsSchema, RunNameParamsSchema } from '../../protocol/viewer-api.ts';
import { HttpError } from './http-errors.ts';
import type { ZodApp } from './zod-app.ts';

/** Most metrics lines one answer carries (the latest ones). */
export const MAX_METRIC_LINES = 20_000;
/** Most runs listed. */
const MAX_RUNS = 500;

interface Line {
  readonly type: string;
  readonly update: number;
  readonly seconds: number;
  readonly [key: string]: unknown;
}

function readLines(file: string): Line[] {
  const lines: Line[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    try {
      const value = JSON.parse(text) as Partial<Line>;
      if (typeof value.type === 'string' && typeof value.update === 'number' && typeof value.seconds === 'number') lines.push(value as Line);
    } catch {
      // a line torn by a killed run
    }
  }
  return lines;
}

function runEnv(dir: string): string | null {
  try {
    const config = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { env?: unknown; config?: { env?: unknown } };
    const env = config.env ?? config.config?.env;
    return typeof env === 'string' ? env : null;
  } catch {
    return null;
  }
}

export function registerRunRoutes(app: ZodApp, runsDir: string | undefined): void {
  const metricsFile = (name: string): string | undefined => {
    if (runsDir === undefined) return undefined;
    const file = join(runsDir, name, 'metrics.jsonl');
    return existsSync(file) ? file : undefined;
  };

  app.get(
    '/api/runs',
    {
      schema: { summary: 'Training runs in the store (those with metrics)', tags: ['training'], response: { 200: RunListSchema } },
    },
    async () => {
      if (runsDir === undefined || !existsSync(runsDir)) return { runs: [] };
      const runs = readdirSync(runsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && metricsFile(entry.name) !== undefined)
        .slice(0, MAX_RUNS)
        .map((entry) => {
          const file = metricsFile(entry.name)!;
          const lines = readLines(file);
          const last = lines[lines.length - 1];
          return {
            name: entry.name,
            env: runEnv(join(runsDir, entry.name)),
            updates: last?.update ?? 0,
            seconds: last?.seconds ?? 0,
            modifiedAt: statSync(file).mtime.toISOString(),
          };
        });
      return { runs: runs.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt)) };
    },
  );

  app.get(
    '/api/runs/:name/metrics',
    {
      schema: {
        summary: "A training run's metrics.jsonl lines (update, eval, snapshot), the latest 20,000",
        tags: ['training'],
        params: RunNameParamsSchema,
        response: { 200: RunMetricsSchema, 400: HttpErrorBodySchema, 404: HttpErrorBodySchema },
      },
    },
    async (request) => {
      const { name } = request.params;
      const file = metricsFile(name);
      if (file === undefined) throw new HttpError(404, 'not-found', `no training run "${name}" with metrics`, 'list the runs with GET /api/runs');
      const lines = readLines(file);
      return { name, lines: lines.slice(-MAX_METRIC_LINES), truncated: lines.length > MAX_METRIC_LINES };
    },
  );
}

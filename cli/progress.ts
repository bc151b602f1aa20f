/**
 * Progress for long jobs: a bar on a terminal (cli-progress), periodic log lines otherwise
 * (CI logs, pipes), silence under --json so stdout stays machine-readable.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly total: number;
  readonly label: string;
  /** Extra fields shown after the counter, e.g. "leader". */
  readonly fields?: readonly string[];
  readonly quiet?: boolean;
  readonly stream?: NodeJS.WriteStream;
  /** Log-line interval when not on a terminal. */
  readonly intervalMs?: number;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { update() {}, stop() {} };
  return stream.isTTY ? barProgress(options, stream) : logProgress(options, stream);
}

function barProgress(options: ProgressOptions, stream: NodeJS.WriteStream): Progress {
  const extra = (options.fields ?? []).map((f) => `${f}: {${f}}`).join(' | ');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${options.label} [{bar}] {value}/{total} | {rate}/s${extra ? ` | ${extra}` : ''}`,
      hideCursor: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  const blank = Object.fromEntries((options.fields ?? []).map((f) => [f, '-']));
  bar.start(options.total, 0, { rate: '0', ...blank });
  return {
    update(done, fields) {
      const rate = done / Math.max((Date.now() - started) / 1000, 1e-3);
      bar.update(done, { rate: rate.toFixed(0), ...fields });
    },
    stop: () => bar.stop(),
  };
}

function logProgress(options: ProgressOptions, stream: NodeJS.WriteStream): Progress {
  const started = Date.now();
  const interval = options.intervalMs ?? 5000;
  let last = started;
  return {
    update(done, fields) {
      const now = Date.now();
      if (now - last < interval && done < options.total) return;
      last = now;
      const rate = done / Math.max((now - started) / 1000, 1e-3);
      const extra = Object.entries(fields ?? {})
        .map(([k, v]) => ` ${k}=${v}`)
        .join('');
      stream.write(`${options.label}: ${done}/${options.total} (${rate.toFixed(0)}/s)${extra}\n`);
    },
    stop() {},
  };
}

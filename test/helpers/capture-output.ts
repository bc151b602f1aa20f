/**
 * Runs `body` with console.log/info/warn/error and process.stdout/stderr writes captured
 * instead of printed, so a test can assert on what a command prints.
 */
import { format } from 'node:util';

export interface CapturedOutput {
  readonly stdout: string;
  readonly stderr: string;
}

export async function captureOutput<T>(body: () => T | Promise<T>): Promise<{ result: T } & CapturedOutput> {
  let stdout = '';
  let stderr = '';
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, out: process.stdout.write, err: process.stderr.write };
  console.log = (...args: unknown[]) => {
    stdout += `${format(...args)}\n`;
  };
  console.info = console.log;
  console.warn = (...args: unknown[]) => {
    stderr += `${format(...args)}\n`;
  };
  console.error = console.warn;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const result = await body();
    return { result, stdout, stderr };
  } finally {
    Object.assign(console, { log: saved.log, info: saved.info, warn: saved.warn, error: saved.error });
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}

/**
 * Runs `body` with console.log/info/warn/error, process.stdout/stderr writes and process
 * warnings captured instead of printed, so tests stay quiet and can assert on the output.
 */
export interface CapturedOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly warnings: readonly string[];
}

export async function captureOutput<T>(body: () => T | Promise<T>): Promise<{ result: T } & CapturedOutput> {
  let stdout = '';
  let stderr = '';
  const warnings: string[] = [];
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, out: process.stdout.write, err: process.stderr.write };
  const format = (args: unknown[]) => `${args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ')}\n`;
  const onWarning = (warning: Error) => { warnings.push(warning.message); };
  console.log = (...args: unknown[]) => { stdout += format(args); };
  console.info = console.log;
  console.warn = (...args: unknown[]) => { stderr += format(args); };
  console.error = console.warn;
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  process.on('warning', onWarning);
  try {
    const result = await body();
    return { result, stdout, stderr, warnings };
  } finally {
    Object.assign(console, { log: saved.log, info: saved.info, warn: saved.warn, error: saved.error });
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.off('warning', onWarning);
  }
}

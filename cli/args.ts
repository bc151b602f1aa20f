/**
 * Flag parsing on node:util's parseArgs (strict: an unknown flag is an error), with the
 * number conversions every command needs and errors that name the flag.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.ts';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<O extends FlagSpec>(argv: string[], options: O, command: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    const unknown = (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    const known = Object.keys(options)
      .map((name) => `--${name}`)
      .join(', ');
    throw new UsageError(`ludus ${command}: ${message}`, unknown ? `known flags: ${known}` : `run \`ludus ${command} --help\` for its flags`);
  }
}

/** An integer flag within [min, max]; undefined when absent. */
export function intFlag(value: string | boolean | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim()) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${String(value)}"`);
  }
  return n;
}

/** A positive number flag (minutes, seconds); undefined when absent. */
export function numberFlag(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive number, got "${String(value)}"`);
  }
  return n;
}

/** Numeric benchmark flags: a number >= 0 (a whole one when `integer`), else a usage error naming the flag. */
import { UsageError } from '../cli/cli-error.ts';

export function flag(name: string, text: string, integer = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} ${text} is not a ${integer ? 'whole ' : ''}number >= 0`, `e.g. --${name} ${integer ? 4 : 2}`);
  }
  return value;
}

/**
 * What every Ludus config file shares: reading YAML or JSON with errors that name the file,
 * and a stable hash of the parts of a config that decide its results.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { LeagueError } from '../league-error.ts';

export class LeagueConfigError extends LeagueError {
  constructor(message: string, hint = 'see the config examples in the README') {
    super('bad-config', message, hint);
    this.name = 'LeagueConfigError';
  }
}

/** The parsed contents of a YAML or JSON file (by its extension); `kind` names it in errors. */
export function readConfigFile(file: string, kind: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LeagueConfigError(`cannot read ${kind} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the --config path');
  }
  const json = /\.json$/i.test(file);
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new LeagueConfigError(`${file} is not valid ${json ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Hash of a config without its stopping rule: a run can be extended, not changed. */
export function decisiveHash(config: { readonly stop?: unknown }): string {
  const { stop: _stop, ...decisive } = config;
  return createHash('sha256').update(stableJson(decisive)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ARENA_CATALOG } from '../../arena/arena-error.ts';
import { AGENT_ERROR_CODES } from '../../agents/errors.ts';
import { LEARN_ERROR_CODES } from '../../agents/learn/learn-error.ts';
import { POLICY_ERROR_CODES } from '../../agents/policy/policy-error.ts';
import { RUNTIME_ERROR_CODES, RuntimeError } from '../../agents/runtime/runtime-error.ts';
import { CLI_ERROR_CODES, exitCodeFor, UsageError } from '../../cli/cli-error.ts';
import { ENV_ERROR_CODES, errorCatalogEntries, errorInfo, LudusError, type CatalogEntry } from '../../envs/index.ts';
import { EVALUATE_ERROR_CODES } from '../../league/evaluate/evaluate-error.ts';
import { LEAGUE_ERROR_CODES, LeagueError } from '../../league/league-error.ts';
import { MATCHMAKING_ERROR_CODES } from '../../league/matchmaking/matchmaking-error.ts';
import { POPULATION_ERROR_CODES } from '../../league/population/population-error.ts';
import { RATING_ERROR_CODES } from '../../league/ratings/rating-error.ts';
import { STORE_ERROR_CODES, StoreError } from '../../league/storage/store-error.ts';
import { QUEUE_ERROR_CODES } from '../../league/queue/queue-error.ts';
import { BIN } from './run-cli.ts';

const TABLES: Record<string, Readonly<Record<string, CatalogEntry>>> = {
  envs: ENV_ERROR_CODES,
  agents: AGENT_ERROR_CODES,
  learn: LEARN_ERROR_CODES,
  policy: POLICY_ERROR_CODES,
  runtime: RUNTIME_ERROR_CODES,
  league: LEAGUE_ERROR_CODES,
  store: STORE_ERROR_CODES,
  queue: QUEUE_ERROR_CODES,
  evaluate: EVALUATE_ERROR_CODES,
  matchmaking: MATCHMAKING_ERROR_CODES,
  population: POPULATION_ERROR_CODES,
  ratings: RATING_ERROR_CODES,
  cli: CLI_ERROR_CODES,
  arena: ARENA_CATALOG,
};

/** Every source file outside tests, dependencies and vendored data. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (['node_modules', 'test', '.git', 'clients', 'examples', 'docs'].includes(name)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('error catalogs', () => {
  it('register every code with a status and an exit code; catalogs sharing a code agree on its exit code', () => {
    for (const [name, table] of Object.entries(TABLES)) {
      for (const [code, entry] of Object.entries(table)) {
        const info = errorInfo(code);
        expect(info, `${name}: ${code} is not registered`).not.to.equal(undefined);
        const expectedExit = typeof entry === 'string' ? 2 : (entry.exit ?? 2);
        expect(info!.exit, `${name}: ${code} exits ${info!.exit} (registered by ${info!.catalog}), its table says ${expectedExit}`).to.equal(expectedExit);
        expect(info!.status).to.be.within(400, 599);
      }
    }
    expect(errorCatalogEntries().length).to.be.greaterThan(60);
  });

  it('maps errors to exit codes from their catalogs: bad input 2, failures 1', () => {
    expect(exitCodeFor(new UsageError('x'))).to.equal(2);
    expect(exitCodeFor(new LeagueError('league-config-changed', 'x'))).to.equal(2);
    expect(exitCodeFor(new StoreError('store-unavailable', 'x'))).to.equal(1);
    expect(exitCodeFor(new RuntimeError('inference-closed', 'x'))).to.equal(1);
    expect(exitCodeFor(new LudusError('not-in-any-catalog', 'x'))).to.equal(1);
    expect(exitCodeFor(new Error('untyped'))).to.equal(1);
    expect(errorInfo('unknown-league')!.status).to.equal(404);
  });

  it('leaves no raw new LudusError(<code>) throw outside a catalog', () => {
    const root = join(import.meta.dirname, '../..');
    const raw = sourceFiles(root).flatMap((file) => (/new LudusError\(\s*'/.test(readFileSync(file, 'utf8')) ? [file.slice(root.length + 1)] : []));
    expect(raw).to.deep.equal([]);
  });

  it('exits the ludus process with the catalog exit code', () => {
    const run = (args: string[]): number => {
      try {
        execFileSync(process.execPath, [BIN, ...args], { stdio: 'pipe' });
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    expect(run(['league', 'standings', '--store', '/nonexistent/ludus-store'])).to.equal(2); // store-missing: bad input
    expect(run(['agents', 'list', '--admin-token', 'x', '--server', 'http://127.0.0.1:9'])).to.equal(1); // server-unreachable
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { readManifest } from '../../agents/runtime/model-manifest.ts';
import { DEFAULT_START_CONFIG } from '../../cli/commands/start.ts';
import { getEnv } from '../../envs/index.ts';
import { loadLeagueConfig, memberAgentSpec } from '../../league/config/league-config.ts';
import { SqliteStore } from '../../league/storage/sqlite-store.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
import { runCli, startCli } from './run-cli.ts';

// Two external members, each played by its own `ludus agent` process that `ludus start`
// launches with a fresh agent token: no match can start before both processes are online.
const LEAGUE_YAML = `
name: start-live
env: tic-tac-toe-v1
seed: 3
members:
  - { agentId: proc-first, agent: first-legal, kind: external }
  - { agentId: proc-random, agent: random, kind: external }
schedule: { concurrency: 2 }
stop: { matches: 12 }
`;

describe('ludus start', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-start-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the league with agent processes for its external members until the stop rule, then stops on SIGINT', async () => {
    const file = join(dir, 'league.yaml');
    writeFileSync(file, LEAGUE_YAML);
    const store = join(dir, 'store');
    const { child, done } = startCli(['start', '--config', file, '--port', '0', '--store', store, '--move-delay-ms', '0']);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/stopped \(matches\)/.test(out)) resolve();
      });
      child.on('exit', () => reject(new Error(`start exited early: ${out}`)));
    });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code, result.stderr).to.equal(0);
    expect(out).to.include('agent processes for proc-first, proc-random');
    expect(out).to.match(/\[proc-first\] /);
    const db = new SqliteStore(store);
    try {
      const league = (await db.getLeague('start-live'))!;
      const matches = await db.matchSummaries(league.id);
      expect(matches).to.have.length(12);
      const players = new Set(matches.flatMap((m) => m.seats));
      // Both members played every match through their agent processes, and no match was lost.
      expect([...players].sort()).to.deep.equal(['proc-first', 'proc-random']);
      expect(
        matches.every((m) => m.status === 'finished'),
        JSON.stringify(matches.map((m) => m.status)),
      ).to.equal(true);
      expect((await db.listAgents()).map((a) => a.agentId).sort()).to.deep.equal(['proc-first', 'proc-random']);
    } finally {
      await db.close();
    }
  });

  it('ships a default league whose external members are model folders that load for its env and params', async () => {
    const config = loadLeagueConfig(DEFAULT_START_CONFIG);
    const env = getEnv(config.env);
    const external = config.members.filter((m) => m.kind === 'external');
    expect(external.length).to.be.at.least(2);
    for (const member of external) {
      const spec = memberAgentSpec(member);
      expect(spec.kind).to.equal('neural');
      const manifest = readManifest(resolve(REPO, String(spec.options['model'])));
      expect(manifest.env).to.equal(env.key);
      expect(manifest.params).to.deep.equal(env.parseParams(config.params));
    }
  });

  it('rejects an unknown flag with a one-line error, exit 2', async () => {
    const result = await runCli(['start', '--bogus']);
    expect(result.code).to.equal(2);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
  });
});

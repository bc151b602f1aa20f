/**
 * Issue #18: a process that dies takes only its own live matches with it. A live league runs
 * on a cluster of real `ludus serve` processes (Redis, PostgreSQL, cluster-harness.ts); one is
 * killed with SIGKILL mid-league. Its live matches become aborted (by the survivors once its
 * heartbeat expired, or by itself when it restarts), everything finished stays, no row is
 * stored twice, and the league carries on to its end on the others; killing the process that
 * schedules the league hands the scheduling to another.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { requireServices } from '../../helpers/cluster-services.ts';
import { TestCluster, type NodeProcess } from './cluster-harness.ts';

const LEAGUE = 'cluster-failover';
const TARGET = 40;

/** Scripted members only (every match is played by the process that runs it), slowed down so matches are in flight when a process dies. */
function leagueFile(dir: string): string {
  const path = join(dir, 'league.yaml');
  writeFileSync(
    path,
    [
      `name: ${LEAGUE}`,
      'env: connect-four-v1',
      'seed: 3',
      'members:',
      '  - { agentId: r1, agent: random }',
      '  - { agentId: r2, agent: random }',
      '  - { agentId: r3, agent: random }',
      'schedule: { concurrency: 6 }',
      `stop: { matches: ${TARGET} }`,
    ].join('\n'),
  );
  return path;
}

const SLOW = ['--move-delay-ms', '150'];

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('arena cluster: a process dies mid-league', function () {
  this.timeout(240_000);
  const cluster = new TestCluster();
  let dir: string;
  let db: pg.Client;

  before(async function () {
    await requireServices(this);
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-cluster-'));
    await cluster.setUp();
    db = new pg.Client({ connectionString: cluster.databaseUrl });
  });
  afterEach(async function () {
    this.timeout(60_000);
    if (this.currentTest?.state === 'failed') {
      const rows = await db
        .query('SELECT match_id, node_id, status, idx, created_at, ended_at FROM arena_matches ORDER BY created_at')
        .catch(() => ({ rows: [] }));
      if (process.env['LUDUS_CLUSTER_DUMP'] !== undefined) {
        const { writeFileSync: write } = await import('node:fs');
        write(
          process.env['LUDUS_CLUSTER_DUMP'],
          `${JSON.stringify(rows.rows, null, 1)}\n${cluster.nodes.map((n) => `--- ${n.nodeId}\n${n.output()}`).join('\n')}`,
        );
      }
    }
    await db.end().catch(() => undefined);
    await cluster.tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  const liveOn = async (node: NodeProcess): Promise<string[]> =>
    (await db.query<{ match_id: string }>("SELECT match_id FROM arena_matches WHERE status = 'live' AND node_id = $1", [node.nodeId])).rows.map(
      (r) => r.match_id,
    );
  const statusOf = async (matchIds: readonly string[]): Promise<string[]> =>
    (await db.query<{ status: string }>('SELECT status FROM arena_matches WHERE match_id = ANY($1)', [matchIds])).rows.map((r) => r.status);

  /** The stored league: indexes 0..n-1 once each, every finished arena match at its own index, nothing live. */
  async function expectIntactLeague(): Promise<{ stored: number; aborted: number }> {
    const matches = await db.query<{ idx: number }>('SELECT m.idx FROM matches m JOIN leagues l ON l.id = m.league_id WHERE l.name = $1 ORDER BY m.idx', [
      LEAGUE,
    ]);
    const indexes = matches.rows.map((r) => r.idx);
    expect(indexes).to.deep.equal(indexes.map((_, i) => i)); // contiguous, each once
    const arena = await db.query<{ status: string; idx: number | null }>(
      'SELECT a.status, a.idx FROM arena_matches a JOIN leagues l ON l.id = a.league_id WHERE l.name = $1',
      [LEAGUE],
    );
    const stored = arena.rows.filter((r) => r.idx !== null).map((r) => r.idx!);
    expect(new Set(stored).size).to.equal(stored.length); // no match stored twice
    expect(stored.sort((x, y) => x - y)).to.deep.equal(indexes);
    expect(arena.rows.filter((r) => r.status === 'live')).to.deep.equal([]);
    return { stored: indexes.length, aborted: arena.rows.filter((r) => r.status === 'aborted' && r.idx === null).length };
  }

  /** Starts the nodes together; the one that took the league's lock first, and the others. */
  async function startLeague(count: number, nodeTimeoutMs?: number): Promise<{ leader: NodeProcess; others: NodeProcess[] }> {
    const league = leagueFile(dir);
    const nodes = await Promise.all(
      Array.from({ length: count }, () => cluster.start({ league, args: SLOW, ...(nodeTimeoutMs === undefined ? {} : { nodeTimeoutMs }) })),
    );
    const leader = await Promise.any(nodes.map((node) => node.waitFor(/schedules the league now/).then(() => node)));
    await db.connect();
    return { leader, others: nodes.filter((n) => n !== leader) };
  }

  it('kill -9 of a process that runs matches: its live matches become aborted, the league ends on the others', async () => {
    const { leader: a, others } = await startLeague(3);
    const [b, c] = others as [NodeProcess, NodeProcess];
    await until(async () => (await liveOn(c)).length >= 2, 'matches running on C');
    await cluster.kill(c);
    const cut = await liveOn(c); // the matches C died with
    expect(cut.length).to.be.greaterThan(0);
    // The survivors notice C's silence and abort what it left live.
    await until(async () => (await statusOf(cut)).every((s) => s === 'aborted'), "C's matches aborted by the survivors", 30_000);
    // The league carries on to its end, on A and B only.
    await a.waitFor(new RegExp(`league ${LEAGUE}: ${TARGET}/${TARGET} matches.*stopped \\(matches\\)`), 120_000);
    const { stored, aborted } = await expectIntactLeague();
    expect(stored).to.equal(TARGET);
    expect(aborted).to.equal(cut.length);
    // B took part after C died: matches ran on both survivors.
    const nodes = await db.query<{ node_id: string }>("SELECT DISTINCT node_id FROM arena_matches WHERE status <> 'aborted'");
    expect(nodes.rows.map((r) => r.node_id)).to.include.members([a.nodeId, b.nodeId]);
  });

  it('kill -9 of the process that schedules the league: another takes the scheduling over and the league ends', async () => {
    const { leader: a, others } = await startLeague(2);
    const b = others[0]!;
    await until(async () => {
      const done = await db.query<{ n: string }>('SELECT count(*) AS n FROM matches');
      return Number(done.rows[0]!.n) >= 3 && (await liveOn(a)).length > 0;
    }, 'a few matches stored and some running on A');
    await cluster.kill(a);
    const cut = await liveOn(a);
    const takeover = await b.waitFor(/schedules the league now \((\d+) matches stored, (\d+) running taken over\)/, 30_000);
    expect(Number(takeover[1])).to.be.within(3, TARGET);
    await until(async () => (await statusOf(cut)).every((s) => s === 'aborted'), "A's matches aborted", 30_000);
    await b.waitFor(new RegExp(`league ${LEAGUE}: ${TARGET}/${TARGET} matches.*stopped \\(matches\\)`), 120_000);
    const { stored, aborted } = await expectIntactLeague();
    expect(stored).to.equal(TARGET);
    expect(aborted).to.equal(cut.length);
  });

  it("a process restarted after kill -9 aborts only the matches it left live, not the other processes'", async () => {
    // Heartbeats that never expire here: only the restart itself may abort the dead process's matches.
    const { leader: a, others } = await startLeague(2, 600_000);
    const b = others[0]!;
    await until(async () => (await liveOn(b)).length > 0 && (await liveOn(a)).length > 0, 'matches running on A and B');
    await cluster.kill(b);
    const cut = await liveOn(b);
    const onA = await liveOn(a);
    expect(cut.length).to.be.greaterThan(0);
    expect((await statusOf(cut)).every((s) => s === 'live')).to.equal(true); // nobody swept them
    const again = await cluster.start({ league: leagueFile(dir), args: SLOW, nodeTimeoutMs: 600_000, port: b.port });
    await again.waitFor(new RegExp(`marked ${cut.length} match\\(es\\) interrupted by the last shutdown as aborted`));
    expect((await statusOf(cut)).every((s) => s === 'aborted')).to.equal(true);
    // A's matches were left alone: each is live still or ended normally, none aborted by B's restart.
    const aStatuses = await statusOf(onA);
    expect(aStatuses.filter((s) => s === 'aborted')).to.deep.equal([]);
  });
});

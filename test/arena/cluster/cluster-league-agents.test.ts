/**
 * Issue #18: a live league on a cluster with external members. The league's one scheduler
 * spreads its matches over the processes and assigns each external seat to its agent wherever
 * that agent is connected, naming the process that runs the match; a socket.io agent on A and
 * a Colyseus agent on B play every match they are given to the end.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ColyseusAgentClient } from '../../../agents/remote/colyseus-agent-client.ts';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';
import type { DecisionMessage, MatchAssignedMessage, MatchEndMessage } from '../../../protocol/index.ts';
import { requireServices } from '../../helpers/cluster-services.ts';
import { TestCluster } from './cluster-harness.ts';

const LEAGUE = 'cluster-externals';
const TARGET = 8;
const firstLegal = (request: DecisionMessage): number => request.legalActions[0]!.id;

describe('arena cluster: a live league with external agents on different processes', function () {
  this.timeout(240_000);
  const cluster = new TestCluster();
  let dir: string;

  before(async function () {
    await requireServices(this);
    await cluster.setUp();
    dir = mkdtempSync(join(tmpdir(), 'ludus-cluster-league-'));
  });
  after(async function () {
    this.timeout(60_000);
    await cluster.tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('assigns each seat through the process its agent is connected to, naming the process that runs the match; every match is played to the end', async () => {
    const league = join(dir, 'league.yaml');
    writeFileSync(
      league,
      [
        `name: ${LEAGUE}`,
        'env: tic-tac-toe-v1',
        'seed: 5',
        'members:',
        '  - { agentId: ext-sio, agent: random, kind: external }',
        '  - { agentId: ext-col, agent: random, kind: external }',
        '  - { agentId: rnd, agent: random }',
        'schedule: { concurrency: 2 }',
        `stop: { matches: ${TARGET} }`,
      ].join('\n'),
    );
    const a = await cluster.start({ league });
    const b = await cluster.start({ league });
    const token = async (agentId: string): Promise<string> => (await cluster.admin<{ token: string }>(a, 'POST', '/api/agents', { agentId })).body.token;

    const sio = await LudusAgentClient.connect(a.url, { token: await token('ext-sio') });
    const sioAssigned: MatchAssignedMessage[] = [];
    const sioEnds: Promise<MatchEndMessage>[] = [];
    sio.onDecision(firstLegal).onAssigned(
      (m) => {
        sioAssigned.push(m);
        sioEnds.push(sio.result(m.matchId));
      },
      { autoJoin: true },
    );
    const col = new ColyseusAgentClient(b.url);
    const lobby = await col.connectLobby(await token('ext-col'));
    const colAssigned: MatchAssignedMessage[] = [];
    const colEnds: Promise<MatchEndMessage>[] = [];
    lobby.onAssignment((m) => {
      colAssigned.push(m);
      colEnds.push(col.playMatch(m, firstLegal));
    });
    try {
      const leader = await Promise.any([a, b].map((node) => node.waitFor(/schedules the league now/).then(() => node)));
      await leader.waitFor(new RegExp(`league ${LEAGUE}: ${TARGET}/${TARGET} matches.*stopped \\(matches\\)`), 180_000);
      const ends = await Promise.all([...sioEnds, ...colEnds]);
      expect(ends.every((end) => end.reason === 'terminal')).to.equal(true);
      const all = [...sioAssigned, ...colAssigned];
      expect(all.length).to.be.greaterThan(0);
      // The league placed matches on both processes, and agents crossed over to play them.
      expect(new Set(all.map((m) => m.server))).to.deep.equal(new Set([a.url, b.url]));
      expect([...sioAssigned.filter((m) => m.server === b.url), ...colAssigned.filter((m) => m.server === a.url)]).to.not.deep.equal([]);
      const standings = await fetch(`${a.url}/api/league/standings?league=${LEAGUE}`).then((r) => r.json() as Promise<{ matches: number }>);
      expect(standings.matches).to.equal(TARGET);
    } finally {
      sio.close();
      await lobby.close().catch(() => undefined);
    }
  });
});

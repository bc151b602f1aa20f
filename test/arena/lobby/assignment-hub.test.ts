import { expect } from 'chai';
import { AssignmentHub } from '../../../arena/lobby/assignment-hub.ts';
import type { MatchAssignedMessage } from '../../../protocol/assignment.ts';

const assignment = (agentId: string, matchId: string): MatchAssignedMessage => ({
  type: 'match:assigned',
  matchId,
  seat: 0,
  seatToken: `tok-${matchId}`,
  env: 'tic-tac-toe-v1',
  params: {},
  league: 'l',
  agentId,
});

describe('AssignmentHub', () => {
  it("sends assignments round-robin over an agent's connections and refuses offline agents", () => {
    const hub = new AssignmentHub();
    const got: string[] = [];
    hub.connect({ sessionId: 's1', agentId: 'bot', send: (m) => got.push(`s1:${m.matchId}`) });
    hub.connect({ sessionId: 's2', agentId: 'bot', send: (m) => got.push(`s2:${m.matchId}`) });
    expect(hub.assign(assignment('bot', 'm1'))).to.equal(true);
    expect(hub.assign(assignment('bot', 'm2'))).to.equal(true);
    expect(hub.assign(assignment('bot', 'm3'))).to.equal(true);
    expect(got).to.deep.equal(['s1:m1', 's2:m2', 's1:m3']);
    expect(hub.assign(assignment('ghost', 'm4'))).to.equal(false);
    expect(hub.connectionCount('bot')).to.equal(2);
  });

  it('reports agents online until their last connection leaves, with events', () => {
    const hub = new AssignmentHub();
    const events: string[] = [];
    const unsubscribe = hub.subscribe((e) => events.push(`${e.kind}:${e.agentId}:${e.sessionId}`));
    const leaveA = hub.connect({ sessionId: 'a', agentId: 'zed', send: () => {} });
    const leaveB = hub.connect({ sessionId: 'b', agentId: 'zed', send: () => {} });
    hub.connect({ sessionId: 'c', agentId: 'amy', send: () => {} });
    expect(hub.onlineAgents()).to.deep.equal(['amy', 'zed']);
    leaveA();
    leaveA(); // idempotent
    expect(hub.isOnline('zed')).to.equal(true);
    leaveB();
    expect(hub.isOnline('zed')).to.equal(false);
    unsubscribe();
    hub.connect({ sessionId: 'd', agentId: 'zed', send: () => {} });
    expect(events).to.deep.equal(['online:zed:a', 'online:zed:b', 'online:amy:c', 'offline:zed:a', 'offline:zed:b']);
  });
});

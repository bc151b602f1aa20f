import { expect } from 'chai';
import { ActionPayloadSchema, AckSchema, ClientMessageSchema, MAX_TEXT_REPLY_CHARS, ServerMessageSchema, toClientMessage } from '../../protocol/messages.ts';
import { PROTOCOL_VERSION } from '../../protocol/version.ts';

describe('protocol/messages', () => {
  it('accepts the three action forms and nothing ambiguous', () => {
    for (const action of [{ id: 3 }, { struct: { column: 3 } }, { text: '[3]' }]) expect(ActionPayloadSchema.safeParse(action).success).to.equal(true);
    for (const action of [{}, { id: 3, text: '[3]' }, { id: -1 }, { id: 0.5 }, { text: 'x'.repeat(MAX_TEXT_REPLY_CHARS + 1) }, { struct: undefined }, 3]) {
      expect(ActionPayloadSchema.safeParse(action).success, JSON.stringify(action)).to.equal(false);
    }
  });

  it('parses each client message by its type', () => {
    const ok = [
      { type: 'act', matchId: 'm', stepIndex: 0, action: { id: 1 } },
      { type: 'act', matchId: 'm', stepIndex: 4, seat: 1, action: { text: 'raise' } },
      { type: 'join', matchId: 'm', seatToken: 't' },
      { type: 'spectate', matchId: 'm' },
      { type: 'ping' },
    ];
    for (const msg of ok) expect(ClientMessageSchema.safeParse(msg).success, JSON.stringify(msg)).to.equal(true);
    const bad = [{ type: 'act', matchId: '', stepIndex: 0, action: { id: 1 } }, { type: 'join', matchId: 'm' }, { type: 'nope' }];
    for (const msg of bad) expect(ClientMessageSchema.safeParse(msg).success, JSON.stringify(msg)).to.equal(false);
  });

  it('builds client messages from (type, payload) pairs', () => {
    expect(toClientMessage('act', { matchId: 'm', type: 'join' })).to.deep.equal({ matchId: 'm', type: 'act' });
    expect(ClientMessageSchema.safeParse(toClientMessage('act', 'hello')).success).to.equal(false);
  });

  it('describes server messages and acks', () => {
    const start = {
      type: 'match:start',
      protocolVersion: PROTOCOL_VERSION,
      matchId: 'm',
      env: 'kuhn-poker-v1',
      params: {},
      numPlayers: 2,
      seats: [0],
      players: [
        { seat: 0, kind: 'remote', name: 'a' },
        { seat: 1, kind: 'agent', name: 'b' },
      ],
      rulesText: 'r',
      moveTimeMs: 1000,
    };
    expect(ServerMessageSchema.safeParse(start).success).to.equal(true);
    expect(ServerMessageSchema.safeParse({ type: 'match:end', matchId: 'm', returns: [1, -1], reason: 'resigned' }).success).to.equal(false);
    expect(AckSchema.safeParse({ ok: false, error: { code: 'stale', message: 'm', hint: 'h' } }).success).to.equal(true);
    expect(AckSchema.safeParse({ ok: false, error: { code: 'oops', message: 'm', hint: 'h' } }).success).to.equal(false);
  });
});

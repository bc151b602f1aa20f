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

  it('text envs: decisions may carry textActions and a role prompt; a committed text move carries the env verdict', () => {
    const decision = {
      type: 'decision',
      matchId: 'm',
      seat: 0,
      stepIndex: 0,
      deadline: 1,
      observation: { tensor: [], shape: [0], text: 'obs' },
      legalActions: [],
      textActions: { maxChars: 4096 },
      rolePrompt: 'You are Player 0',
    };
    expect(ServerMessageSchema.safeParse(decision).success).to.equal(true);
    expect(ServerMessageSchema.safeParse({ ...decision, textActions: { maxChars: 0 } }).success).to.equal(false);
    const committed = (action: unknown) => ({ ok: true, result: { type: 'committed', seat: 0, stepIndex: 0, nextStepIndex: 1, action } });
    const valid = [
      { text: 'offer: 1 Wood -> 1 Gold', verdict: { kind: 'move', summary: 'offer: 1 Wood -> 1 Gold' } },
      { id: 4, text: '[4]', verdict: { kind: 'move', action: 4, summary: '[4]' } },
      { text: 'invalid: no move', verdict: { kind: 'invalid', code: 'textarena-invalid-move', reason: 'no move', final: true } },
      { id: 4, text: '[4]' },
    ];
    for (const action of valid) expect(AckSchema.safeParse(committed(action)).success, JSON.stringify(action)).to.equal(true);
    const invalid = [{ text: 'x', verdict: { kind: 'invalid', reason: 'r' } }, { verdict: { kind: 'move', summary: 's' } }];
    for (const action of invalid) expect(AckSchema.safeParse(committed(action)).success, JSON.stringify(action)).to.equal(false);
  });
});

import { expect } from 'chai';
import { ActionParseError, IllegalActionError, LudusError, UnknownEnvError } from '../../envs/index.ts';
import { ArenaError, toWireError } from '../../arena/arena-error.ts';
import { ARENA_ERROR_CATALOG, ARENA_ERROR_CODES, httpStatusOf, WireErrorSchema } from '../../protocol/errors.ts';

describe('protocol/errors', () => {
  it('names every code in kebab-case with a description', () => {
    for (const [code, description] of Object.entries(ARENA_ERROR_CODES)) {
      expect(code).to.match(/^[a-z]+(-[a-z]+)*$/);
      expect(description.length, code).to.be.greaterThan(10);
    }
    expect(Object.keys(ARENA_ERROR_CODES)).to.include.members([
      'rate-limited',
      'stale',
      'not-your-turn',
      'bad-action',
      'illegal-action',
      'game-over',
      'timeout',
    ]);
  });

  it('gives every code an HTTP status, and 400 to codes of other catalogs', () => {
    for (const [code, info] of Object.entries(ARENA_ERROR_CATALOG)) {
      expect(info.status, code).to.be.within(400, 599);
      expect(httpStatusOf(code)).to.equal(info.status);
    }
    expect(httpStatusOf('unknown-match')).to.equal(404);
    expect(httpStatusOf('bad-params')).to.equal(400);
  });

  it('keeps an ambiguous text reply apart from an unparseable one', () => {
    const ambiguous = new ActionParseError('[bet] or [check]', 'the reply names bet and check', 'name one', 'ambiguous-action', [1, 0]);
    expect(toWireError(ambiguous).code).to.equal('ambiguous-action');
    expect(toWireError(new ActionParseError('x'.repeat(5000), 'too long', 'shorter', 'reply-too-long')).code).to.equal('bad-action');
  });

  it('maps an unknown env to its own code, not internal', () => {
    expect(toWireError(new UnknownEnvError('nope-v1', ['tic-tac-toe-v1'])).code).to.equal('unknown-env');
  });

  it('keeps an ArenaError code, message and hint apart on the wire', () => {
    const error = new ArenaError('stale', 'message for step 3', 'answer the latest request');
    expect(error).to.be.instanceOf(LudusError);
    expect(toWireError(error)).to.deep.equal({ code: 'stale', message: 'message for step 3', hint: 'answer the latest request' });
  });

  it('maps the envs action errors onto wire codes', () => {
    expect(toWireError(new IllegalActionError('illegal', 'action 9 is not legal', 'legal: 1')).code).to.equal('illegal-action');
    expect(toWireError(new IllegalActionError('not-acting', 'seat 1 is not acting')).code).to.equal('not-your-turn');
    expect(toWireError(new IllegalActionError('terminal', 'over')).code).to.equal('game-over');
    expect(toWireError(new ActionParseError('x', 'no legal action in "x"', 'answer [1]'))).to.deep.equal({
      code: 'bad-action',
      message: 'no legal action in "x"',
      hint: 'answer [1]',
    });
  });

  it("turns anything else into 'internal' without leaking its message", () => {
    const wire = toWireError(new Error('secret path /etc/passwd'));
    expect(wire.code).to.equal('internal');
    expect(JSON.stringify(wire)).not.to.include('secret');
    expect(WireErrorSchema.safeParse(toWireError('thrown string')).success).to.equal(true);
  });
});

import { expect } from 'chai';
import type { AnyEnv } from '../../../envs/core/env.ts';
import { ActionParseError } from '../../../envs/core/errors.ts';
import { actionJsonSchema, normalizeActionText, parseActionText, textPrompt, tryParseActionText } from '../../../envs/core/text.ts';
import { connectFour, type ConnectFourState } from '../../../envs/games/connect-four/index.ts';

/** Connect Four without its own parser, so only the generic one runs. */
const generic: AnyEnv = { ...connectFour, parseAction: undefined };

function play(columns: readonly number[]): ConnectFourState {
  let state = connectFour.init(connectFour.parseParams(), 0);
  columns.forEach((column, i) => (state = connectFour.apply(state, i % 2, column)));
  return state;
}

function parseError(env: AnyEnv, state: unknown, seat: number, reply: string): ActionParseError {
  try {
    parseActionText(env, state, seat, reply);
  } catch (error) {
    expect(error).to.be.instanceOf(ActionParseError);
    return error as ActionParseError;
  }
  return expect.fail(`"${reply}" was parsed`);
}

describe('envs/core/text', () => {
  const start = play([]);

  describe('parseActionText', () => {
    for (const env of [connectFour, generic]) {
      const which = env === generic ? 'the generic parser' : 'the env parser';
      it(`finds a bracketed action in free text with ${which}`, () => {
        expect(parseActionText(env, start, 0, 'I play [4]')).to.equal(4);
        expect(parseActionText(env, start, 0, '  [ 5 ]  ')).to.equal(5);
      });
    }

    it('accepts a boxed answer, the last one winning', () => {
      expect(parseActionText(generic, start, 0, 'so the answer is \\boxed{3}')).to.equal(3);
      expect(parseActionText(generic, start, 0, 'first \\boxed{1}, on reflection \\boxed{2}')).to.equal(2);
    });

    it('accepts a JSON action struct', () => {
      expect(parseActionText(generic, start, 0, '{"column":3}')).to.equal(3);
      expect(parseActionText(generic, start, 0, 'my move: {"column": 6} thanks')).to.equal(6);
    });

    it('rejects an unparseable reply, listing the legal actions', () => {
      const error = parseError(generic, start, 0, 'I am not sure');
      expect(error.code).to.equal('unparseable-action');
      expect(error.reply).to.equal('I am not sure');
      expect(error.hint).to.equal('answer with exactly one of: [0], [1], [2], [3], [4], [5], [6]');
    });

    it('rejects an action that is not legal here, even from the env parser', () => {
      const full = play([0, 0, 0, 0, 0, 0]); // column 0 holds x o x o x o
      const error = parseError(connectFour, full, 0, '[0]');
      expect(error.hint).to.not.include('[0]');
      expect(() => parseActionText(generic, full, 0, '{"column":0}')).to.throw(ActionParseError);
      expect(() => parseActionText(generic, full, 0, '{"column":"1"}')).to.throw(ActionParseError);
    });

    it('rejects a reply from a seat that is not acting', () => {
      expect(parseError(connectFour, start, 1, '[3]').hint).to.equal('wait for your turn');
    });
  });

  it('tryParseActionText returns undefined instead of throwing', () => {
    expect(tryParseActionText(connectFour, start, 0, 'pass')).to.equal(undefined);
    expect(tryParseActionText(connectFour, start, 0, '[2]')).to.equal(2);
  });

  it('normalizeActionText ignores case, spaces, quotes and surrounding brackets', () => {
    expect(normalizeActionText('  [ Bet ] ')).to.equal('bet');
    expect(normalizeActionText('"Raise  Two"')).to.equal('raise two');
  });

  it('textPrompt gives the rules, the seat\'s observation, the legal actions and the action schema', () => {
    const prompt = textPrompt(connectFour, start, 0);
    expect(prompt.rules).to.equal(connectFour.spec.rulesText);
    expect(prompt.observation).to.equal(connectFour.observationText(start, 0));
    expect(prompt.legalActions).to.have.length(7);
    expect(prompt.legalActions[3]).to.deep.equal({ id: 3, text: '[3]' });
    expect(actionJsonSchema(connectFour)).to.have.nested.property('properties.column.type', 'integer');
  });
});

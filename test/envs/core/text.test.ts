import { expect } from 'chai';
import type { AnyEnv } from '../../../envs/core/env.ts';
import { ActionParseError } from '../../../envs/core/errors.ts';
import { Rng } from '../../../envs/core/rng.ts';
import {
  actionJsonSchema,
  MAX_REPLY_CHARS,
  normalizeActionText,
  parseActionReply,
  parseActionText,
  textPrompt,
  tryParseActionText,
} from '../../../envs/core/text.ts';
import { connectFour, type ConnectFourState } from '../../../envs/games/connect-four/index.ts';
import { kuhnPoker } from '../../../envs/games/kuhn-poker/index.ts';

/** Connect Four without its aliases, so only action texts name actions. */
const plain: AnyEnv = { ...connectFour, actionAliases: undefined };

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
  return expect.fail(`"${reply.slice(0, 60)}" was parsed`);
}

/** Kuhn poker with the cards dealt: seat 0 opens ([check] = 0, [bet] = 1). */
function kuhnOpen(): unknown {
  let s = kuhnPoker.init(kuhnPoker.parseParams(), 0);
  s = kuhnPoker.apply(s, 'chance', 2);
  return kuhnPoker.apply(s, 'chance', 0);
}

describe('envs/core/text', () => {
  const start = play([]);

  describe('parseActionText', () => {
    it('finds a bracketed action in free text', () => {
      expect(parseActionText(plain, start, 0, 'I play [4]')).to.equal(4);
      expect(parseActionText(plain, start, 0, '  [ 5 ]  ')).to.equal(5);
    });

    it('accepts a reply that is just an action name, with or without brackets, quotes or a full stop', () => {
      expect(parseActionText(plain, start, 0, '4')).to.equal(4);
      expect(parseActionText(plain, start, 0, '"[2]".')).to.equal(2);
      expect(parseActionText(connectFour, start, 0, 'Column 6')).to.equal(6);
    });

    it("reads the env's aliases in brackets", () => {
      expect(parseActionText(connectFour, start, 0, 'I drop in [col 3]')).to.equal(3);
      expect(tryParseActionText(plain, start, 0, 'I drop in [col 3]')).to.equal(undefined);
    });

    it('lets the last boxed answer win over bracket tokens anywhere in the reply', () => {
      expect(parseActionText(connectFour, start, 0, 'Column [3] is blocked; \\boxed{5}')).to.equal(5);
      expect(parseActionText(connectFour, start, 0, 'first \\boxed{1}, on reflection \\boxed{2}')).to.equal(2);
      expect(parseActionText(kuhnPoker, kuhnOpen(), 0, '<think>maybe [bet]?</think> \\boxed{check}')).to.equal(0);
      expect(parseActionReply(connectFour, start, 0, 'so \\boxed{3}')).to.deep.equal({ action: 3, text: '[3]', source: 'boxed' });
    });

    it('reads LaTeX-wrapped, bracketed, aliased and nested boxed answers', () => {
      expect(parseActionText(kuhnPoker, kuhnOpen(), 0, '$\\boxed{\\text{Bet}}$')).to.equal(1);
      expect(parseActionText(connectFour, start, 0, '\\boxed{[ 4 ]}')).to.equal(4);
      expect(parseActionText(connectFour, start, 0, '\\boxed{column 1}')).to.equal(1);
      expect(parseActionText(connectFour, start, 0, '\\boxed{\\boxed{6}}')).to.equal(6);
      expect(parseActionText(connectFour, start, 0, '\\boxed{{"column": 2}}')).to.equal(2);
    });

    it('does not fall back to brackets when the last boxed answer names no legal action', () => {
      const error = parseError(connectFour, start, 0, 'I like [3] \\boxed{banana}');
      expect(error.code).to.equal('unparseable-action');
      expect(error.message).to.include('\\boxed{} answer "banana"');
      expect(error.hint).to.equal('answer with exactly one of: [0], [1], [2], [3], [4], [5], [6]');
    });

    it('ignores an unclosed box and reads the brackets', () => {
      expect(parseActionText(connectFour, start, 0, '\\boxed{5 hmm, [3]')).to.equal(3);
    });

    it('rejects a reply naming several distinct legal actions as ambiguous, naming them', () => {
      const error = parseError(kuhnPoker, kuhnOpen(), 0, '[bet] or [check]');
      expect(error.code).to.equal('ambiguous-action');
      expect(error.actions).to.deep.equal([1, 0]);
      expect(error.message).to.include('2 different legal actions: [bet], [check]');
      expect(parseError(connectFour, start, 0, 'hmm [ 3 ] or maybe [col 2]').actions).to.deep.equal([3, 2]);
      expect(parseError(connectFour, start, 0, '[1] {"column": 2}').code).to.equal('ambiguous-action');
    });

    it('accepts the same legal action named twice, by any of its names', () => {
      expect(parseActionText(connectFour, start, 0, '[3], yes, [3]')).to.equal(3);
      expect(parseActionText(connectFour, start, 0, '[col 3] i.e. [column3] {"column": 3}')).to.equal(3);
      expect(parseActionText(kuhnPoker, kuhnOpen(), 0, 'I [pass], that is [check]')).to.equal(0);
    });

    it('counts only tokens that name a legal action', () => {
      // [call] is a poker word but not legal before any bet; [3] in kuhn names nothing.
      expect(parseActionText(kuhnPoker, kuhnOpen(), 0, 'no [call] here, [3] chips: [check]')).to.equal(0);
      const full = play([0, 0, 0, 0, 0, 0]); // column 0 is full
      expect(parseActionText(connectFour, full, 0, 'not [0] but [4]')).to.equal(4);
    });

    it('accepts a JSON action struct', () => {
      expect(parseActionText(plain, start, 0, '{"column":3}')).to.equal(3);
      expect(parseActionReply(plain, start, 0, 'my move: {"column": 6} thanks')).to.deep.equal({ action: 6, text: '[6]', source: 'json' });
    });

    it('rejects an unparseable reply, listing the legal actions', () => {
      const error = parseError(plain, start, 0, 'I am not sure');
      expect(error.code).to.equal('unparseable-action');
      expect(error.reply).to.equal('I am not sure');
      expect(error.hint).to.equal('answer with exactly one of: [0], [1], [2], [3], [4], [5], [6]');
    });

    it('rejects an action that is not legal here', () => {
      const full = play([0, 0, 0, 0, 0, 0]); // column 0 holds x o x o x o
      const error = parseError(connectFour, full, 0, '[0]');
      expect(error.hint).to.not.include('[0]');
      expect(() => parseActionText(plain, full, 0, '{"column":0}')).to.throw(ActionParseError);
      expect(() => parseActionText(plain, full, 0, '{"column":"1"}')).to.throw(ActionParseError);
    });

    it('rejects a reply from a seat that is not acting', () => {
      expect(parseError(connectFour, start, 1, '[3]').hint).to.equal('wait for your turn');
    });

    it('rejects a reply over MAX_REPLY_CHARS as reply-too-long, and reads one of exactly that length', () => {
      const error = parseError(connectFour, start, 0, `${' '.repeat(MAX_REPLY_CHARS)}[3]`);
      expect(error.code).to.equal('reply-too-long');
      expect(error.message).to.include(`${MAX_REPLY_CHARS + 3} characters`);
      expect(error.reply).to.have.length(MAX_REPLY_CHARS);
      expect(parseActionText(connectFour, start, 0, `${' '.repeat(MAX_REPLY_CHARS - 3)}[3]`)).to.equal(3);
    });
  });

  describe('adversarial replies of the maximum length', () => {
    const max = (unit: string, tail = ''): string => unit.repeat(Math.floor((MAX_REPLY_CHARS - tail.length) / unit.length)) + tail;
    const code = (reply: string, env: AnyEnv = connectFour): string => parseError(env, start, 0, reply).code;

    it('whitespace-heavy replies', () => {
      expect(max(' \t\n', '[5]')).to.have.length.at.most(MAX_REPLY_CHARS);
      expect(parseActionText(connectFour, start, 0, max(' \t\n', '[5]'))).to.equal(5);
      expect(parseActionText(connectFour, start, 0, `[${' '.repeat(MAX_REPLY_CHARS - 4)}5]`)).to.equal(5);
      expect(parseActionText(connectFour, start, 0, `${"'".repeat(2000)}${' '.repeat(2000)}4.`)).to.equal(4);
      expect(code(max(' '))).to.equal('unparseable-action');
      expect(code(`x${' '.repeat(MAX_REPLY_CHARS - 2)}x`)).to.equal('unparseable-action');
      expect(code(`${"'".repeat(2047)}x${"'".repeat(2047)}y`)).to.equal('unparseable-action');
      expect(parseActionText(connectFour, start, 0, `${'"'.repeat(2000)}[${' \n'.repeat(1000)}col 2 ${'"'.repeat(88)}]`)).to.equal(2);
      expect(code(`[${' '.repeat(MAX_REPLY_CHARS - 2)}]`)).to.equal('unparseable-action');
      expect(code(max('[ ] '))).to.equal('unparseable-action');
    });

    it('many brackets', () => {
      expect(code(max('['))).to.equal('unparseable-action');
      expect(code(max(']'))).to.equal('unparseable-action');
      expect(code(max('[]'))).to.equal('unparseable-action');
      expect(parseActionText(connectFour, start, 0, max('[', '3]'))).to.equal(3);
      expect(parseActionText(connectFour, start, 0, max('[3]'))).to.equal(3);
      const mixed = parseError(connectFour, start, 0, max('[3][col 4]'));
      expect(mixed.code).to.equal('ambiguous-action');
      expect(mixed.actions).to.deep.equal([3, 4]);
    });

    it('nested and unclosed boxes', () => {
      expect(code(max('\\boxed{'))).to.equal('unparseable-action');
      expect(parseActionText(connectFour, start, 0, max('\\boxed{', '[2]'))).to.equal(2); // no box is complete
      expect(parseActionText(connectFour, start, 0, max('\\boxed{', '2}'))).to.equal(2);
      expect(parseActionText(connectFour, start, 0, max('}{\\boxed{1}', '\\boxed{6}'))).to.equal(6);
      expect(code(max('\\boxed{}'))).to.equal('unparseable-action');
      expect(code(max('\\boxed{\\text{', '3'))).to.equal('unparseable-action');
    });

    it('many braces and JSON-looking objects', () => {
      expect(code(max('{'))).to.equal('unparseable-action');
      expect(code(max('{"'))).to.equal('unparseable-action');
      expect(code(max('{"column":'))).to.equal('unparseable-action');
      expect(parseActionText(connectFour, start, 0, max('{"column":1}'))).to.equal(1);
    });

    it("seeded junk of the protocol's characters parses or fails with a typed error", () => {
      const rng = new Rng(12);
      const alphabet = [' ', '\n', '[', ']', '{', '}', '\\boxed{', '\\text{', '"', '3', 'col ', 'bet', ':', '"column"'];
      for (let i = 0; i < 40; i++) {
        let reply = '';
        while (reply.length < MAX_REPLY_CHARS - 8) reply += rng.pick(alphabet);
        try {
          const id = parseActionText(connectFour, start, 0, reply);
          expect(connectFour.isLegal(start, 0, id)).to.equal(true);
        } catch (error) {
          expect(error).to.be.instanceOf(ActionParseError);
        }
      }
    });
  });

  it('tryParseActionText returns undefined instead of throwing', () => {
    expect(tryParseActionText(connectFour, start, 0, 'pass')).to.equal(undefined);
    expect(tryParseActionText(connectFour, start, 0, '[2]')).to.equal(2);
  });

  it('normalizeActionText ignores case, spaces, quotes, surrounding brackets and a full stop', () => {
    expect(normalizeActionText('  [ Bet ] ')).to.equal('bet');
    expect(normalizeActionText('"Raise  Two"')).to.equal('raise two');
    expect(normalizeActionText(" '[4]'. ")).to.equal('4');
    expect(normalizeActionText('[4')).to.equal('[4');
    expect(normalizeActionText(' \n ')).to.equal('');
  });

  it("textPrompt gives the rules, the seat's observation, the legal actions and the action schema", () => {
    const prompt = textPrompt(connectFour, start, 0);
    expect(prompt.rules).to.equal(connectFour.spec.rulesText);
    expect(prompt.observation).to.equal(connectFour.observationText(start, 0));
    expect(prompt.legalActions).to.have.length(7);
    expect(prompt.legalActions[3]).to.deep.equal({ id: 3, text: '[3]' });
    expect(actionJsonSchema(connectFour)).to.have.nested.property('properties.column.type', 'integer');
  });
});

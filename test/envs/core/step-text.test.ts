import { expect } from 'chai';
import { describe, it } from 'mocha';
import { Episode } from '../../../envs/core/episode.ts';
import { ActionParseError, BadParamsError, IllegalActionError } from '../../../envs/core/errors.ts';
import { simpleNegotiation } from '../../../envs/games/simple-negotiation/index.ts';
import { ticTacToe } from '../../../envs/games/tic-tac-toe/index.ts';

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('Episode.stepText', () => {
  it('parses and steps a reply in a discrete env, says which action it became, and records the text', () => {
    const episode = new Episode(ticTacToe, {}, 1);
    const verdict = episode.stepText(0, 'I take the centre: [4]');
    expect(verdict).to.deep.equal({ kind: 'move', action: 4, summary: '[4]' });
    expect(episode.state.board[4]).to.equal(1);
    expect(episode.toRecord().history).to.deep.equal([{ kind: 'decision', seat: 0, action: 4, text: 'I take the centre: [4]' }]);
    const replayed = Episode.replay(ticTacToe, json(episode.toRecord()));
    expect(replayed.state).to.deep.equal(episode.state);
    expect(replayed.toRecord()).to.deep.equal(episode.toRecord());
  });

  it('leaves a discrete episode unchanged on a reply that names no legal action', () => {
    const episode = new Episode(ticTacToe, {}, 1);
    episode.step(0, 4);
    expect(() => episode.stepText(1, '[4]')).to.throw(ActionParseError);
    expect(episode.stepIndex).to.equal(1);
  });

  it('hands free text to a text env: an invalid reply is a verdict that changes the state, never an exception', () => {
    const episode = new Episode(simpleNegotiation, { errorAllowance: 1 }, 0);
    const first = episode.stepText(0, '[Offer: 30 Wood -> 1 Gold]');
    expect(first).to.deep.include({ kind: 'invalid', code: 'textarena-invalid-move', final: false });
    expect(episode.turn).to.deep.equal({ kind: 'decision', seat: 0 });
    const second = episode.stepText(0, '[Offer: 4 Wood -> 2 Gold]');
    expect(second).to.deep.equal({ kind: 'move', summary: 'offer: 4 Wood -> 2 Gold' });
    expect(episode.toRecord().history).to.deep.equal([
      { kind: 'text', seat: 0, text: '[Offer: 30 Wood -> 1 Gold]' },
      { kind: 'text', seat: 0, text: '[Offer: 4 Wood -> 2 Gold]' },
    ]);
    const replayed = Episode.replay(simpleNegotiation, json(episode.toRecord()));
    expect(simpleNegotiation.observationText(replayed.state, 1)).to.equal(simpleNegotiation.observationText(episode.state, 1));
  });

  it('rejects over-long text, a seat out of turn and text at the end with IllegalActionError, state unchanged', () => {
    const episode = new Episode(simpleNegotiation, {}, 0);
    const tooLong = 'x'.repeat(simpleNegotiation.dims(simpleNegotiation.parseParams({})).textActions!.maxChars + 1);
    expect(() => episode.stepText(0, tooLong))
      .to.throw(IllegalActionError)
      .with.property('code', 'text-too-long');
    expect(() => episode.stepText(1, 'hello'))
      .to.throw(IllegalActionError)
      .with.property('code', 'not-acting');
    expect(episode.stepIndex).to.equal(0);
    for (let i = 0; i < 10; i++) episode.stepText(i % 2, 'What are you looking to trade?');
    expect(episode.isTerminal).to.equal(true);
    expect(() => episode.stepText(0, 'hello'))
      .to.throw(IllegalActionError)
      .with.property('code', 'terminal');
  });

  it('refuses applyText on params that do not judge text, and a record whose text cannot be replayed', () => {
    expect(() => ticTacToe.applyText!(ticTacToe.init(ticTacToe.parseParams({}), 0), 0, '[4]'))
      .to.throw(IllegalActionError)
      .with.property('code', 'no-text-actions');
    const record = new Episode(simpleNegotiation, {}, 0).toRecord();
    const bad = { ...record, history: [{ kind: 'text', seat: 1, text: 'hi' }] };
    expect(() => Episode.replay(simpleNegotiation, bad))
      .to.throw(BadParamsError)
      .with.property('code', 'bad-record');
  });
});

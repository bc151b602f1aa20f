import { expect } from 'chai';
import { Episode, getEnv, stepEpisode, type StepKind } from '../../../envs/index.ts';

describe('envs/core/step-episode', () => {
  it('walks chance, decision and terminal turns with synchronous answers (kuhn poker)', () => {
    const episode = new Episode(getEnv('kuhn-poker-v1'), {}, 11);
    const kinds: StepKind[] = [];
    const asked: number[] = [];
    for (let i = 0; i < 20 && !episode.isTerminal; i++) {
      kinds.push(
        stepEpisode(episode, (seat) => {
          asked.push(seat);
          return episode.legalActions(seat)[0]!;
        }),
      );
    }
    expect(kinds.slice(0, 2)).to.deep.equal(['chance', 'chance']); // the two deals
    expect(kinds.slice(2).every((k) => k === 'decision')).to.equal(true);
    expect(asked[0]).to.equal(0);
    expect(
      stepEpisode(episode, () => {
        throw new Error('not asked at a terminal state');
      }),
    ).to.equal('terminal');
    expect(episode.toRecord().history.filter((h) => h.kind === 'decision')).to.have.length(asked.length);
  });

  it('asks every acting seat of a simultaneous step in seat order, awaiting only promised answers', async () => {
    const rps = getEnv('rock-paper-scissors-v1');
    const episode = new Episode(rps, {}, 3);
    const order: string[] = [];
    const step = stepEpisode(episode, (seat) => {
      order.push(`ask ${seat}`);
      return seat === 0
        ? Promise.resolve(1).then((a) => {
            order.push('answer 0');
            return a;
          })
        : 2;
    });
    expect(step).to.be.instanceOf(Promise);
    expect(episode.stepIndex).to.equal(0); // nothing applied before every answer is in
    expect(await step).to.equal('simultaneous');
    expect(order).to.deep.equal(['ask 0', 'answer 0', 'ask 1']);
    expect(episode.toRecord().history[0]).to.deep.equal({ kind: 'joint', actions: [1, 2] });
    const sync = new Episode(rps, {}, 3);
    expect(stepEpisode(sync, (seat) => seat)).to.equal('simultaneous'); // not a promise
  });

  it('steps { text } answers at decisions with Episode.stepText (sync or promised) and refuses them at simultaneous steps', async () => {
    const negotiation = getEnv('simple-negotiation-v1');
    const episode = new Episode(negotiation, {}, 0);
    expect(stepEpisode(episode, () => ({ text: '[Offer: 1 Wood -> 1 Gold]' }))).to.equal('decision');
    expect(await stepEpisode(episode, () => Promise.resolve({ text: 'No. [Deny]' }))).to.equal('decision');
    expect(episode.toRecord().history).to.deep.equal([
      { kind: 'text', seat: 0, text: '[Offer: 1 Wood -> 1 Gold]' },
      { kind: 'text', seat: 1, text: 'No. [Deny]' },
    ]);
    const rps = new Episode(getEnv('rock-paper-scissors-v1'), {}, 0);
    expect(() => stepEpisode(rps, () => ({ text: 'rock' }))).to.throw(/text reply at a simultaneous step/);
    expect(rps.stepIndex).to.equal(0);
  });
});

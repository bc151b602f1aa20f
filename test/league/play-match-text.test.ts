import { expect } from 'chai';
import { createAgent, parseAgentSpecs, type Agent } from '../../agents/index.ts';
import { Episode, getEnv } from '../../envs/index.ts';
import { playMatch } from '../../league/play-match.ts';
import { ChatServer } from '../agents/llm/chat-server.ts';

const TEXT_ENVS = ['simple-negotiation-v1', 'who-is-the-spy-v1', 'propose-solve-v1'];

describe('league/play-match: envs that judge free text', () => {
  it('random agents play every text-only env to its end with the env sampler; the record replays exactly', async () => {
    for (const key of TEXT_ENVS) {
      const env = getEnv(key);
      const seats = env.dims(env.parseParams({})).numPlayers;
      const play = () => playMatch({ env, seed: 9, agents: Array.from({ length: seats }, () => createAgent({ kind: 'random' }, env)) });
      const result = await play();
      expect(result.fault, key).to.equal(undefined);
      expect(result.record.end, key).to.equal('terminal');
      expect(result.record.history.some((e) => e.kind === 'text')).to.equal(true);
      expect(Episode.replay(env, result.record).returns, key).to.deep.equal(result.returns);
      expect((await play()).record, `${key} is reproducible`).to.deep.equal(result.record);
    }
  });

  it('agents that answer only with ids cannot be made for a text-only env', () => {
    for (const kind of ['first-legal', 'mcts']) {
      expect(() => createAgent({ kind }, getEnv('simple-negotiation-v1')))
        .to.throw(/cannot play simple-negotiation-v1/)
        .with.property('code', 'agent-unsupported-env');
    }
  });

  it('a reply over the env bound is the replying seat fault (illegal-action), the episode unchanged', async () => {
    const env = getEnv('simple-negotiation-v1');
    const talker: Agent = { name: 'talker', act: () => 0, actText: () => 'x'.repeat(5000) };
    const result = await playMatch({ env, seed: 1, agents: [talker, createAgent({ kind: 'random' }, env)] });
    expect(result.fault).to.deep.include({ seat: 0, code: 'illegal-action' });
    expect(result.record.history).to.deep.equal([]);
  });

  it('an llm agent answers a text env with its raw reply and notes it; in a discrete TextArena env its replies meet TextArena rules', async () => {
    const server = await ChatServer.start((request) => ({ reply: request.index === 0 ? 'no idea' : 'Let us talk. [Offer: 1 Wood -> 1 Gold]' }));
    try {
      const llm = (env: string) => createAgent(parseAgentSpecs(`llm:model=m,baseUrl=${server.baseUrl},retryDelayMs=1`)[0]!, getEnv(env));
      const ttt = getEnv('tic-tac-toe-v1');
      // 'no idea' is TextArena's invalid move: at allowance 0 the model's seat loses at once (no re-prompt in text envs).
      const lost = await playMatch({ env: ttt, params: { textFormat: 'textarena' }, seed: 2, agents: [llm(ttt.key), createAgent({ kind: 'random' }, ttt)] });
      expect(lost.fault).to.equal(undefined);
      expect(lost.record.history).to.deep.equal([{ kind: 'text', seat: 0, text: 'no idea' }]);
      expect(lost.returns).to.deep.equal([-1, 0]);
      expect(lost.notes).to.have.length(1);
      expect(lost.notes![0]).to.deep.include({ reply: 'no idea', calls: 1, reprompts: 0 });
      const env = getEnv('simple-negotiation-v1');
      const talk = await playMatch({ env, seed: 2, agents: [llm(env.key), createAgent({ kind: 'random' }, env)] });
      const ours = talk.record.history.flatMap((e, i) => (e.kind === 'text' && e.seat === 0 ? [{ e, note: talk.notes![i] }] : []));
      expect(ours).to.have.length(5);
      for (const { e, note } of ours) expect(note).to.deep.include({ reply: e.kind === 'text' ? e.text : '', model: 'm' });
    } finally {
      await server.close();
    }
  });
});

import { expect } from 'chai';
import type { Agent, DecisionRequest, SearchAgent } from '../../../agents/agent.ts';
import { createAgent } from '../../../agents/index.ts';
import { AgentDriver } from '../../../arena/match/agent-driver.ts';
import { Episode, getEnv, type Answer } from '../../../envs/index.ts';

const env = getEnv('tic-tac-toe-v1');

function requestAt(episode: Episode): DecisionRequest {
  const seat = episode.turn.kind === 'decision' ? episode.turn.seat : 0;
  return { env, params: episode.params, seat, stepIndex: episode.stepIndex, observation: episode.observe(seat), deadline: Infinity };
}

function ask(agent: Agent, request: DecisionRequest, state: unknown): Promise<Answer> {
  const driver = new AgentDriver();
  return new Promise((resolve, reject) => driver.ask(agent, request, state, resolve, reject));
}

describe('arena/match/agent-driver', () => {
  it('gives an in-process search agent the true state of the request, and a plain agent only the request', async () => {
    const episode = new Episode(env, {}, 1);
    const seen: unknown[] = [];
    const search: SearchAgent = {
      name: 'probe',
      usesState: true,
      act: () => {
        throw new Error('act must not be called for a search agent');
      },
      actFromState: (_request, state) => {
        seen.push(state);
        return 4;
      },
    };
    expect(await ask(search, requestAt(episode), episode.state)).to.equal(4);
    expect(seen).to.deep.equal([episode.state]);
    const plain: Agent = { name: 'plain', act: (request) => request.observation.legal[0]! };
    expect(await ask(plain, requestAt(episode), episode.state)).to.equal(0);
  });

  it('lets MCTS find the winning move from the state (it refuses observation-only requests)', async () => {
    const episode = new Episode(env, {}, 1);
    // x: 0, 1 against o: 3, 4; x to move wins at 2.
    for (const action of [0, 3, 1, 4]) episode.step(episode.turn.kind === 'decision' ? episode.turn.seat : 0, action);
    const mcts = createAgent({ kind: 'mcts', options: { sims: 200 } }, env, {});
    mcts.reset?.(0, 7);
    expect(await ask(mcts, requestAt(episode), episode.state)).to.equal(2);
  });
});

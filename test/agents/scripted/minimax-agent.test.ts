import { expect } from 'chai';
import type { DecisionRequest } from '../../../agents/agent.ts';
import { createAgent } from '../../../agents/registry.ts';
import { MinimaxAgent } from '../../../agents/scripted/minimax-agent.ts';
import { RandomAgent } from '../../../agents/scripted/random-agent.ts';
import { getEnv, observe } from '../../../envs/index.ts';
import type { AnyEnv } from '../../../envs/index.ts';
import { headToHead } from '../head-to-head.ts';
import { coinDuel } from './coin-games.ts';

/** The state after playing `moves` from the start (seats alternate from seat 0). */
function position(env: AnyEnv, moves: readonly number[], params: unknown = {}): { params: unknown } {
  let state = env.init(env.parseParams(params), 0);
  for (const move of moves) {
    const turn = env.turn(state);
    if (turn.kind !== 'decision') throw new Error(`not a decision node before ${move}`);
    state = env.apply(state, turn.seat, move);
  }
  return state;
}

function decide(agent: MinimaxAgent, env: AnyEnv, state: { params: unknown }, seed: number): number {
  const turn = env.turn(state);
  if (turn.kind !== 'decision') throw new Error('not a decision node');
  agent.reset(turn.seat, seed);
  const request: DecisionRequest = {
    env,
    params: state.params,
    seat: turn.seat,
    stepIndex: 0,
    observation: observe(env, state, turn.seat),
    deadline: Infinity,
  };
  return agent.actFromState(request, state) as number;
}

describe('agents/scripted/minimax-agent', () => {
  const ticTacToe = getEnv('tic-tac-toe-v1');
  const connectFour = getEnv('connect-four-v1');

  it('never loses tic-tac-toe to random in 200 games, as either seat', async () => {
    const result = await headToHead(
      ticTacToe,
      () => new MinimaxAgent(ticTacToe),
      () => new RandomAgent(),
      200,
      11,
    );
    expect(result.faults).to.equal(0);
    expect(result.losses).to.equal(0);
    expect(result.wins).to.be.above(150); // random blunders often; a perfect player punishes most
  });

  it('draws every game of tic-tac-toe against itself (the game value is 0)', async () => {
    const result = await headToHead(
      ticTacToe,
      () => new MinimaxAgent(ticTacToe),
      () => new MinimaxAgent(ticTacToe),
      20,
      5,
    );
    expect(result.draws).to.equal(20);
  });

  it('breaks ties between optimal moves at random, reproducibly per seed', () => {
    const start = position(ticTacToe, []); // all nine openings draw with perfect play
    const agent = new MinimaxAgent(ticTacToe);
    const openings = Array.from({ length: 30 }, (_, seed) => decide(agent, ticTacToe, start, seed));
    expect(new Set(openings).size).to.be.at.least(5);
    expect(Array.from({ length: 30 }, (_, seed) => decide(agent, ticTacToe, start, seed))).to.deep.equal(openings);
  });

  it('takes an immediate win over a slower one when quick is on', () => {
    // x: 0, 2, 4; o: 1, 3, 5. x wins at once at 6 or 8; 7 also wins (it leaves both) a move later.
    const state = position(ticTacToe, [0, 1, 2, 3, 4, 5]);
    const quick = new MinimaxAgent(ticTacToe);
    for (let seed = 0; seed < 20; seed++) expect([6, 8]).to.include(decide(quick, ticTacToe, state, seed));
    const slow = new MinimaxAgent(ticTacToe, { quick: false });
    const choices = new Set(Array.from({ length: 40 }, (_, seed) => decide(slow, ticTacToe, state, seed)));
    expect([...choices].sort()).to.deep.equal([6, 7, 8]); // without the discount all three are worth +1
  });

  it('finds a mate in one in connect four with a depth limit', () => {
    // x has columns 0, 1, 2 on the bottom row; o has two in column 6 and one in column 5.
    const state = position(connectFour, [0, 6, 1, 6, 2, 5]);
    const agent = new MinimaxAgent(connectFour, { depth: 2 });
    for (let seed = 0; seed < 10; seed++) expect(decide(agent, connectFour, state, seed)).to.equal(3);
  });

  it("prefers its own win to blocking the opponent's threat", () => {
    // o threatens column 6 (three stacked); x wins at column 3 first.
    const state = position(connectFour, [0, 6, 1, 6, 2, 6]);
    const agent = new MinimaxAgent(connectFour, { depth: 2 });
    for (let seed = 0; seed < 10; seed++) expect(decide(agent, connectFour, state, seed)).to.equal(3);
  });

  it('blocks an immediate loss in connect four with a depth limit', () => {
    // o to move: x threatens to complete the bottom row at column 3.
    const state = position(connectFour, [0, 6, 1, 6, 2]);
    const agent = new MinimaxAgent(connectFour, { depth: 2 });
    for (let seed = 0; seed < 10; seed++) expect(decide(agent, connectFour, state, seed)).to.equal(3);
  });

  it('chooses the same moves with and without the transposition table', () => {
    const random = new RandomAgent();
    for (let game = 0; game < 12; game++) {
      let state = position(connectFour, []);
      random.reset(0, game);
      for (let ply = 0; ply < 6; ply++) {
        const turn = connectFour.turn(state);
        if (turn.kind !== 'decision') break;
        const request = {
          env: connectFour,
          params: state.params,
          seat: turn.seat,
          stepIndex: ply,
          observation: observe(connectFour, state, turn.seat),
          deadline: Infinity,
        };
        state = connectFour.apply(state, turn.seat, random.act(request));
      }
      const withTable = decide(new MinimaxAgent(connectFour, { depth: 5 }), connectFour, state, game);
      const without = decide(new MinimaxAgent(connectFour, { depth: 5, tt: false }), connectFour, state, game);
      expect(withTable, `game ${game}`).to.equal(without);
    }
  });

  it('averages chance outcomes (expectiminimax)', () => {
    // Gamble is worth 2p - 1 against 0.1 for safe.
    const agent = new MinimaxAgent(coinDuel);
    expect(decide(agent, coinDuel, position(coinDuel, [], { p: 0.6 }), 1)).to.equal(1);
    expect(decide(agent, coinDuel, position(coinDuel, [], { p: 0.5 }), 1)).to.equal(0);
  });

  it('refuses to act from an observation alone', () => {
    const agent = new MinimaxAgent(ticTacToe);
    const state = position(ticTacToe, []);
    const request = { env: ticTacToe, params: state.params, seat: 0, stepIndex: 0, observation: observe(ticTacToe, state, 0), deadline: Infinity };
    expect(() => agent.act(request)).to.throw(/cannot act from an observation/);
  });

  it('is refused at creation for hidden-information, simultaneous or general-sum envs', () => {
    for (const env of [getEnv('signalling-v1'), getEnv('rock-paper-scissors-v1')]) {
      expect(() => createAgent({ kind: 'minimax', options: {} }, env), env.key).to.throw(/cannot play/);
    }
  });
});

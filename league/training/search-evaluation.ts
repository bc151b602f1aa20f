/**
 * The AlphaZero learner against the anchors: it plays by PUCT search with its network
 * (no root noise, the most visited action), every game at once, so the searches' leaf
 * evaluations share the trainer's batched inference. Same results as evaluation.ts.
 */
import { isSearchAgent, type Agent, type DecisionRequest } from '../../agents/agent.ts';
import type { AlphaZeroTrainer } from '../../agents/learn/alphazero-trainer.ts';
import { visitPolicy } from '../../agents/learn/puct-search.ts';
import type { EpisodeOutcome } from '../../agents/learn/rollout.ts';
import { deriveSeed, observe, Rng } from '../../envs/index.ts';
import type { ActionId, Seat } from '../../envs/index.ts';
import { tally, type AnchorEvaluation, type EvaluateOptions } from './evaluation.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

export function searchEvaluation(trainer: AlphaZeroTrainer): (options: EvaluateOptions) => Promise<AnchorEvaluation> {
  return async (options) => {
    const { anchors, games } = options;
    const episodes = await Promise.all(
      Array.from({ length: anchors.length * games }, (_, i) => {
        const anchor = anchors[Math.floor(i / games)]!;
        return playOne(trainer, options, i, options.pool.agentFor(anchor));
      }),
    );
    return tally(episodes, anchors, games, options.learnerId);
  };
}

async function playOne(trainer: AlphaZeroTrainer, options: EvaluateOptions, index: number, opponent: Agent): Promise<EpisodeOutcome> {
  const { env } = trainer;
  const params = trainer.params;
  const seed = deriveSeed(options.seed, SEED_STREAMS.evaluation, options.update, index);
  const rng = new Rng(deriveSeed(options.seed, SEED_STREAMS.evaluationSearch, options.update, index));
  const learnerSeat: Seat = index % 2;
  const opponentSeat: Seat = 1 - learnerSeat;
  const pending = opponent.reset?.(opponentSeat, deriveSeed(seed, SEED_STREAMS.agentReset, opponentSeat));
  if (pending) await pending;
  const simulations = trainer.config.evalSimulations ?? trainer.config.simulations;
  let state = env.init(params, seed);
  let length = 0;
  for (;;) {
    const turn = env.turn(state);
    if (turn.kind === 'terminal') break;
    if (turn.kind === 'chance') {
      const outcomes = env.chanceOutcomes(state);
      state = env.apply(state, 'chance', outcomes[rng.weighted(outcomes.map((o) => o.probability))]!.action);
      continue;
    }
    if (turn.kind !== 'decision') break;
    let action: ActionId;
    if (turn.seat === learnerSeat) {
      const result = await trainer.search.search(state, learnerSeat, { simulations, cPuct: trainer.config.cPuct }, rng);
      action = visitPolicy(result, trainer.model.numActions, 0).indexOf(1);
    } else {
      const request: DecisionRequest = {
        env,
        params,
        seat: opponentSeat,
        stepIndex: length,
        observation: observe(env, state, opponentSeat),
        deadline: Infinity,
      };
      action = await (isSearchAgent(opponent) ? opponent.actFromState(request, state) : opponent.act(request));
    }
    state = env.apply(state, turn.seat, action);
    length++;
  }
  const returns = env.returns(state).slice();
  opponent.observeEnd?.(returns, opponentSeat);
  return { index, seed, returns, learnerSeats: [learnerSeat], length };
}

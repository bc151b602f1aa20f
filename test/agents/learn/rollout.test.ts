import { expect } from 'chai';
import type { Agent } from '../../../agents/agent.ts';
import { collectRollout } from '../../../agents/learn/rollout.ts';
import { RolloutBuffer } from '../../../agents/learn/rollout-buffer.ts';
import { createPolicyModel, type PolicyModel } from '../../../agents/runtime/policy-model.ts';
import { FirstLegalAgent } from '../../../agents/scripted/first-legal-agent.ts';
import { getEnv, Rng } from '../../../envs/index.ts';
import { useBackend } from './fixtures.ts';

const ticTacToe = getEnv('tic-tac-toe-v1');
const rps = getEnv('rock-paper-scissors-v1');

/** Counts forward passes and their batch sizes. */
function spy(model: PolicyModel): number[] {
  const batches: number[] = [];
  const forward = model.forward.bind(model);
  model.forward = (observations, masks, batch) => {
    batches.push(batch);
    return forward(observations, masks, batch);
  };
  return batches;
}

/** Every trajectory of the buffer (rows linked by `next`), from its first row. */
function trajectories(buffer: RolloutBuffer): number[][] {
  const pointedAt = new Set<number>();
  for (let r = 0; r < buffer.size; r++) if (buffer.next[r]! >= 0) pointedAt.add(buffer.next[r]!);
  const out: number[][] = [];
  for (let r = 0; r < buffer.size; r++) {
    if (pointedAt.has(r)) continue;
    const rows = [];
    for (let x = r; x >= 0; x = buffer.next[x]!) rows.push(x);
    out.push(rows);
  }
  return out;
}

describe('agents/learn/rollout', () => {
  const models: PolicyModel[] = [];
  const make = (env = ticTacToe, params: unknown = {}) => {
    const model = createPolicyModel(env, params, { arch: { kind: 'mlp', hidden: [16] }, seed: 3 });
    models.push(model);
    return model;
  };
  before(useBackend);
  after(() => models.forEach((m) => m.dispose()));

  it('batches every learner decision of a lock-step into one forward pass', async () => {
    const model = make();
    const batches = spy(model);
    const buffer = new RolloutBuffer(model.observationSize, model.numActions);
    const result = await collectRollout({
      env: ticTacToe,
      model,
      episodes: 6,
      rng: new Rng(1),
      buffer,
      setup: (i) => ({ agents: [null, new FirstLegalAgent()], seed: i }),
    });
    // The learner moves at steps 0, 2, 4, ... of every episode at once: the first pass holds all 6.
    expect(batches[0]).to.equal(6);
    const longest = Math.max(...trajectories(buffer).map((t) => t.length));
    expect(batches).to.have.length(longest);
    expect(batches.reduce((a, b) => a + b, 0))
      .to.equal(buffer.size)
      .and.to.equal(result.decisions);
    expect(result.episodes.map((e) => e.index)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(result.episodes.every((e) => e.learnerSeats.join() === '0')).to.equal(true);
  });

  it("links each seat's decisions and credits it the return it received, at its last decision for a terminal-reward env", async () => {
    const model = make();
    const buffer = new RolloutBuffer(model.observationSize, model.numActions, 4); // small: grows while collecting
    const result = await collectRollout({
      env: ticTacToe,
      model,
      episodes: 5,
      concurrency: 2,
      rng: new Rng(2),
      buffer,
      setup: (i) => ({ agents: [null, null], seed: i }),
    });
    const trajs = trajectories(buffer);
    expect(trajs).to.have.length(10); // 5 self-play episodes x 2 seats
    const finals = result.episodes.flatMap((e) => e.returns).sort();
    const credited = trajs.map((rows) => rows.reduce((sum, r) => sum + buffer.rewards[r]!, 0)).sort();
    expect(credited).to.deep.equal(finals);
    for (const rows of trajs) {
      rows.slice(0, -1).forEach((r) => expect(buffer.rewards[r]).to.equal(0));
      expect(new Set(rows.map((r) => buffer.seats[r])).size).to.equal(1);
      rows.forEach((r) => expect(buffer.masks[r * 9 + buffer.actions[r]!]).to.equal(1)); // only legal actions are taken
    }
  });

  it('plays simultaneous envs with both seats in one pass and per-round rewards', async () => {
    const model = make(rps);
    const batches = spy(model);
    const buffer = new RolloutBuffer(model.observationSize, model.numActions);
    const result = await collectRollout({
      env: rps,
      params: { rounds: 3 },
      model,
      episodes: 4,
      rng: new Rng(3),
      buffer,
      setup: (i) => ({ agents: [null, null], seed: i }),
    });
    expect(batches).to.deep.equal([8, 8, 8]);
    const trajs = trajectories(buffer);
    expect(trajs.every((t) => t.length === 3)).to.equal(true);
    const credited = trajs.map((rows) => rows.reduce((sum, r) => sum + buffer.rewards[r]!, 0)).sort();
    expect(credited).to.deep.equal(result.episodes.flatMap((e) => e.returns).sort());
  });

  it("adds shaping x the env's shaped reward to each learner reward (Overcooked), and only the returns without it", async () => {
    const overcooked = getEnv('overcooked-v1');
    const params = { horizon: 120, observation: 'featurized' };
    const model = make(overcooked, params);
    const run = async (shaping: number) => {
      const buffer = new RolloutBuffer(model.observationSize, model.numActions);
      const result = await collectRollout({
        env: overcooked,
        params,
        model,
        episodes: 6,
        rng: new Rng(5),
        buffer,
        shaping,
        setup: (i) => ({ agents: [null, null], seed: i }),
      });
      const perSeat = trajectories(buffer).map((rows) => ({ seat: buffer.seats[rows[0]!]!, sum: rows.reduce((s, r) => s + buffer.rewards[r]!, 0) }));
      return { result, perSeat };
    };
    const plain = await run(0);
    const shaped = await run(2);
    const expected = (r: typeof plain.result, k: number) => r.episodes.flatMap((e) => [0, 1].map((seat) => e.returns[seat]! + k * e.shaped![seat]!)).sort();
    expect(plain.perSeat.map((t) => t.sum).sort()).to.deep.equal(expected(plain.result, 0));
    expect(shaped.perSeat.map((t) => t.sum).sort()).to.deep.equal(expected(shaped.result, 2));
    expect(shaped.result.episodes.some((e) => e.shaped!.some((x) => x > 0))).to.equal(true);
  });

  it('keeps the value of the final state for a truncated episode, and 0 for one that ended', async () => {
    const model = make(rps);
    // The same game, but its round limit declared a step cap: every finished episode is truncated.
    const capped = { ...rps, isTruncated: (s: unknown) => rps.turn(s).kind === 'terminal' };
    for (const [env, truncated] of [
      [capped, true],
      [rps, false],
    ] as const) {
      const buffer = new RolloutBuffer(model.observationSize, model.numActions);
      const result = await collectRollout({
        env,
        params: { rounds: 2 },
        model,
        episodes: 2,
        rng: new Rng(6),
        buffer,
        setup: (i) => ({ agents: [null, new FirstLegalAgent()], seed: i }),
      });
      expect(result.episodes).to.have.length(2);
      const lasts = trajectories(buffer).map((rows) => rows.at(-1)!);
      for (const row of lasts) {
        if (!truncated) {
          expect(buffer.bootstrap[row]).to.equal(0);
          continue;
        }
        // Final state of this episode, replayed: the learner (seat 0) played these actions.
        const actions = trajectories(buffer)
          .find((rows) => rows.at(-1) === row)!
          .map((r) => buffer.actions[r]!);
        let state = rps.init(rps.parseParams({ rounds: 2 }), 0);
        for (const a of actions) state = rps.applyJoint(state, [a, 0]);
        const expected = model.forward(rps.observationTensor(state, 0), new Uint8Array(3).fill(1), 1).values[0]!;
        expect(buffer.bootstrap[row]).to.equal(expected);
        expect(expected).to.not.equal(0);
      }
      for (let r = 0; r < buffer.size; r++) if (buffer.next[r]! >= 0) expect(buffer.bootstrap[r]).to.equal(0);
    }
  });

  it('waits for asynchronous opponents and reports an illegal answer as a bad rollout', async () => {
    const model = make();
    const slow: Agent = { name: 'slow', act: async (r) => r.observation.legal.at(-1)! };
    const ok = await collectRollout({ env: ticTacToe, model, episodes: 2, rng: new Rng(4), setup: (i) => ({ agents: [slow, null], seed: i }) });
    expect(ok.episodes.every((e) => e.learnerSeats.join() === '1')).to.equal(true);
    const cheat: Agent = { name: 'cheat', act: () => 99 };
    const error = await collectRollout({ env: ticTacToe, model, episodes: 1, rng: new Rng(5), setup: (i) => ({ agents: [cheat, null], seed: i }) }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).to.equal('bad-rollout');
    expect(error?.message).to.match(/cheat \(seat 0\) chose illegal action 99/);
  });
});

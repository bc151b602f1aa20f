/**
 * PUCT search guided by a policy-value network (AlphaZero): select by
 * Q + cPuct * P * sqrt(N) / (1 + n), expand a leaf with the network's priors, back its value
 * up. For sequential two-player zero-sum envs with perfect information; chance nodes are
 * sampled. Values are in [-1, 1] from the acting seat's point of view (returns scaled by the
 * env's maxUtility). Leaf evaluation is an async callback, so many searches (one per game)
 * running concurrently put their leaves into the same batch of an InferenceServer.
 */
import type { ActionId, AnyEnv, Rng, Seat } from '../../envs/index.ts';
import { LearnError } from './learn-error.ts';

/** The network's answer for one position: masked priors over all action ids and a value for the acting seat. */
export interface LeafEvaluation {
  readonly probs: ArrayLike<number>;
  readonly value: number;
}

export type LeafEvaluator = (state: unknown, seat: Seat) => Promise<LeafEvaluation>;

export interface PuctOptions {
  readonly simulations: number;
  readonly cPuct: number;
  /** Root noise; omit for evaluation play. */
  readonly dirichlet?: { readonly alpha: number; readonly epsilon: number };
}

/** A decision node; chance and terminal states are only ever reached through `child`. */
class Node {
  readonly state: unknown;
  readonly seat: Seat;
  readonly actions: readonly ActionId[];
  readonly priors: Float64Array;
  readonly visits: Float64Array;
  readonly totals: Float64Array;
  readonly children: (Child | undefined)[];
  count = 0;

  constructor(state: unknown, seat: Seat, actions: readonly ActionId[], probs: ArrayLike<number>) {
    this.state = state;
    this.seat = seat;
    this.actions = actions;
    const n = actions.length;
    this.priors = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += this.priors[i] = probs[actions[i]!]!;
    // A network that puts no mass on the legal actions still gets searched: uniform priors.
    for (let i = 0; i < n; i++) this.priors[i] = total > 0 ? this.priors[i]! / total : 1 / n;
    this.visits = new Float64Array(n);
    this.totals = new Float64Array(n);
    this.children = new Array(n);
  }
}

/** What follows an edge: a decision node, a terminal value for seat 0, or a chance node's outcomes. */
type Child = Node | { readonly terminal: number } | { readonly chance: unknown; readonly outcomes: Map<ActionId, Child> };

/** Result of one search: visit counts per action id of the root. */
export interface SearchResult {
  readonly actions: readonly ActionId[];
  readonly visits: Float64Array;
  /** Root value estimate for the acting seat (mean over the simulations). */
  readonly value: number;
}

export function checkSearchable(env: AnyEnv, params: unknown): void {
  const { spec } = env;
  const players = env.dims(params).numPlayers;
  if (spec.dynamics !== 'sequential' || spec.information !== 'perfect' || spec.utility !== 'zero-sum' || players !== 2) {
    throw new LearnError(
      'env-not-searchable',
      `${env.key} is ${spec.dynamics}, ${spec.information}-information, ${spec.utility} with ${players} seats`,
      'AlphaZero plays sequential two-player zero-sum games with perfect information (tic-tac-toe, connect-four)',
    );
  }
}

export class PuctSearch {
  readonly env: AnyEnv;
  readonly evaluate: LeafEvaluator;
  readonly scale: number;

  constructor(env: AnyEnv, params: unknown, evaluate: LeafEvaluator) {
    checkSearchable(env, params);
    this.env = env;
    this.evaluate = evaluate;
    this.scale = Math.max(Math.abs(env.dims(params).maxUtility), Math.abs(env.dims(params).minUtility), 1e-9);
  }

  /** Searches from a decision state of `seat`. */
  async search(state: unknown, seat: Seat, options: PuctOptions, rng: Rng): Promise<SearchResult> {
    const root = await this.expand(state, seat);
    if (options.dirichlet && options.dirichlet.epsilon > 0 && root.actions.length > 1) {
      const noise = dirichlet(rng, options.dirichlet.alpha, root.actions.length);
      const e = options.dirichlet.epsilon;
      for (let i = 0; i < root.priors.length; i++) root.priors[i] = (1 - e) * root.priors[i]! + e * noise[i]!;
    }
    let valueSum = 0;
    for (let s = 0; s < options.simulations; s++) valueSum += await this.simulate(root, options.cPuct, rng);
    return { actions: root.actions, visits: root.visits, value: valueSum / Math.max(1, options.simulations) };
  }

  private async expand(state: unknown, seat: Seat): Promise<Node> {
    const actions = this.env.legalActions(state, seat);
    const { probs } = await this.evaluate(state, seat);
    return new Node(state, seat, actions, probs);
  }

  /** One simulation from `root`; returns the value for root's acting seat. */
  private async simulate(root: Node, cPuct: number, rng: Rng): Promise<number> {
    const path: { node: Node; edge: number }[] = [];
    let node = root;
    let leafValue: number; // for seat 0
    for (;;) {
      const edge = selectEdge(node, cPuct);
      path.push({ node, edge });
      const next = this.follow(node, edge, rng);
      if (next.kind === 'node') {
        node = next.node;
        continue;
      }
      if (next.kind === 'terminal') {
        leafValue = next.value;
        break;
      }
      const { probs: _p, value } = await this.evaluate(next.state, next.seat);
      const leaf = new Node(next.state, next.seat, this.env.legalActions(next.state, next.seat), _p);
      next.attach(leaf);
      leafValue = next.seat === 0 ? value : -value;
      break;
    }
    for (const { node: n, edge } of path) {
      n.visits[edge]! += 1;
      n.totals[edge]! += n.seat === 0 ? leafValue : -leafValue;
      n.count++;
    }
    return root.seat === 0 ? leafValue : -leafValue;
  }

  /** Walks an edge (through sampled chance outcomes) to a known node, a terminal, or a new leaf to evaluate. */
  private follow(
    node: Node,
    edge: number,
    rng: Rng,
  ): { kind: 'node'; node: Node } | { kind: 'terminal'; value: number } | { kind: 'leaf'; state: unknown; seat: Seat; attach: (leaf: Node) => void } {
    const { env } = this;
    let slot: { get: () => Child | undefined; set: (c: Child) => void } = {
      get: () => node.children[edge],
      set: (c) => {
        node.children[edge] = c;
      },
    };
    let child = slot.get();
    let state: unknown = child && 'state' in child ? child.state : undefined;
    if (!child) state = env.apply(node.state, node.seat, node.actions[edge]!);
    for (;;) {
      if (child instanceof Node) return { kind: 'node', node: child };
      if (child && 'terminal' in child) return { kind: 'terminal', value: child.terminal };
      if (child && 'chance' in child) {
        const outcomes = env.chanceOutcomes(child.chance);
        const pick = outcomes[rng.weighted(outcomes.map((o) => o.probability))]!.action;
        const map = child.outcomes;
        slot = {
          get: () => map.get(pick),
          set: (c) => {
            map.set(pick, c);
          },
        };
        state = env.apply(child.chance, 'chance', pick);
        child = slot.get();
        continue;
      }
      const turn = env.turn(state);
      if (turn.kind === 'terminal') {
        const terminal = { terminal: env.returns(state)[0]! / this.scale };
        slot.set(terminal);
        return { kind: 'terminal', value: terminal.terminal };
      }
      if (turn.kind === 'chance') {
        child = { chance: state, outcomes: new Map() };
        slot.set(child);
        continue;
      }
      if (turn.kind !== 'decision') throw new LearnError('env-not-searchable', `${env.key} reached a ${turn.kind} node`);
      const set = slot.set;
      return { kind: 'leaf', state, seat: turn.seat, attach: (leaf) => set(leaf) };
    }
  }
}

/** PUCT: Q + c * P * sqrt(N) / (1 + n); unvisited edges have Q = 0. Lowest index on ties. */
function selectEdge(node: Node, cPuct: number): number {
  const sqrtN = Math.sqrt(node.count + 1);
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < node.actions.length; i++) {
    const n = node.visits[i]!;
    const q = n > 0 ? node.totals[i]! / n : 0;
    const score = q + (cPuct * node.priors[i]! * sqrtN) / (1 + n);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

/** A Dirichlet(alpha, ..., alpha) draw of length n. */
export function dirichlet(rng: Rng, alpha: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += out[i] = gamma(rng, alpha);
  for (let i = 0; i < n; i++) out[i] = total > 0 ? out[i]! / total : 1 / n;
  return out;
}

/** Gamma(shape, 1) by Marsaglia and Tsang; shape < 1 through Gamma(shape + 1) * U^(1/shape). */
function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.max(rng.float(), 1e-300) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.float();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function normal(rng: Rng): number {
  const u = Math.max(rng.float(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
}

/** Visit counts as a distribution; temperature 0 puts all mass on the most visited (lowest id on ties). */
export function visitPolicy(result: SearchResult, numActions: number, temperature: number): Float32Array {
  const pi = new Float32Array(numActions);
  const { actions, visits } = result;
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < actions.length; i++) if (visits[i]! > visits[best]!) best = i;
    pi[actions[best]!] = 1;
    return pi;
  }
  let total = 0;
  for (let i = 0; i < actions.length; i++) total += visits[i]! ** (1 / temperature);
  for (let i = 0; i < actions.length; i++) pi[actions[i]!] = total > 0 ? visits[i]! ** (1 / temperature) / total : 1 / actions.length;
  return pi;
}

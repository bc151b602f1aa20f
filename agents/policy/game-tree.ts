/**
 * The full game tree of a small finite game, walked once through the public Env API and
 * packed into typed arrays, so solvers (CFR) and evaluators (best response, NashConv) run
 * over flat arrays instead of re-applying actions to immutable states.
 *
 * Nodes are numbered in preorder, so every child has a larger index than its parent: a
 * forward sweep pushes reach probabilities down, a backward sweep pulls values up.
 * Decision nodes are grouped into information sets by `(seat, observationTensor)` (see
 * infoset-key.ts). Each infoset owns a contiguous run of "slots", one per legal action, and
 * the k-th edge of a decision node is the k-th legal action of its infoset. Simultaneous
 * nodes are sequentialised: the acting seats choose one after another, each keyed on the
 * state before the joint step, so no seat's infoset reveals another seat's pending choice.
 */
import type { ActionId, AnyEnv, Seat } from '../../envs/index.ts';
import { tensorKey } from './infoset-key.ts';
import { PolicyError } from './policy-error.ts';

export const NODE_TERMINAL = 0;
export const NODE_CHANCE = 1;
export const NODE_DECISION = 2;

export interface GameTree {
  readonly envKey: string;
  /** Parsed env params. */
  readonly params: unknown;
  readonly numPlayers: number;
  readonly numDistinctActions: number;
  readonly numNodes: number;
  /** NODE_TERMINAL | NODE_CHANCE | NODE_DECISION per node; node 0 is the root. */
  readonly kind: Uint8Array;
  /** Infoset index of a decision node, −1 elsewhere. */
  readonly infoset: Int32Array;
  /** Edges of node n are edgeStart[n] .. edgeStart[n+1]−1. */
  readonly edgeStart: Int32Array;
  readonly edgeChild: Int32Array;
  /** Chance probability of a chance edge; 0 on decision edges. */
  readonly edgeProb: Float64Array;
  /** returns[n * numPlayers + seat] at terminal nodes, 0 elsewhere. */
  readonly returns: Float64Array;
  readonly numInfosets: number;
  readonly infosetSeat: Int32Array;
  readonly infosetKey: readonly string[];
  /** A copy of the observation tensor that defines the infoset. */
  readonly infosetTensor: readonly Float32Array[];
  /** The first history reached in the infoset: where policy functions are queried. */
  readonly infosetState: readonly unknown[];
  /** Slots of infoset i are slotStart[i] .. slotStart[i+1]−1, one per legal action. */
  readonly slotStart: Int32Array;
  readonly slotAction: Int32Array;
  readonly numSlots: number;
  /** Decision nodes of infoset i are infosetNodes[infosetNodeStart[i] .. infosetNodeStart[i+1]−1]. */
  readonly infosetNodeStart: Int32Array;
  readonly infosetNodes: Int32Array;
  readonly infosetIndex: ReadonlyMap<string, number>;
}

export interface GameTreeOptions {
  /** Refuse trees larger than this (default 2,000,000 nodes). */
  readonly maxNodes?: number;
}

const DEFAULT_MAX_NODES = 2_000_000;
const PROBABILITY_TOLERANCE = 1e-6;

/** Mutable arrays while walking; packed into a GameTree at the end. */
class TreeBuilder {
  readonly kind: number[] = [];
  readonly infoset: number[] = [];
  readonly edges: number[][] = [];
  readonly probs: number[][] = [];
  readonly terminalReturns = new Map<number, readonly number[]>();
  readonly infosetSeat: number[] = [];
  readonly infosetKey: string[] = [];
  readonly infosetTensor: Float32Array[] = [];
  readonly infosetState: unknown[] = [];
  readonly infosetLegal: (readonly ActionId[])[] = [];
  readonly infosetParentSlot: number[] = [];
  readonly infosetNodes: number[][] = [];
  readonly slotStart: number[] = [];
  readonly slotAction: number[] = [];
  readonly infosetIndex = new Map<string, number>();
  readonly env: AnyEnv;
  readonly maxNodes: number;
  /** Per seat, the slot of the seat's last own (infoset, action) on the current path. */
  readonly lastSlot: Int32Array;

  constructor(env: AnyEnv, numPlayers: number, maxNodes: number) {
    this.env = env;
    this.maxNodes = maxNodes;
    this.lastSlot = new Int32Array(numPlayers).fill(-1);
  }

  visit(state: unknown): number {
    const turn = this.env.turn(state);
    if (turn.kind === 'simultaneous') return this.simultaneous(state, turn.seats, 0, new Array<ActionId | null>(this.lastSlot.length).fill(null));
    const node = this.newNode(NODE_TERMINAL);
    if (turn.kind === 'terminal') {
      this.terminalReturns.set(node, this.env.returns(state));
    } else if (turn.kind === 'chance') {
      this.chance(node, state);
    } else {
      const seat = turn.seat;
      this.decision(node, state, seat, (action) => this.visit(this.env.apply(state, seat, action)));
    }
    return node;
  }

  private newNode(kind: number): number {
    const node = this.kind.length;
    if (node >= this.maxNodes) {
      throw new PolicyError(
        'tree-too-large',
        `${this.env.key} has more than ${this.maxNodes} game-tree nodes`,
        'exact evaluation and CFR need a small game (Kuhn, Leduc); raise maxNodes only if memory allows',
      );
    }
    this.kind.push(kind);
    this.infoset.push(-1);
    this.edges.push([]);
    this.probs.push([]);
    return node;
  }

  private chance(node: number, state: unknown): void {
    this.kind[node] = NODE_CHANCE;
    const outcomes = this.env.chanceOutcomes(state);
    const total = outcomes.reduce((sum, o) => sum + o.probability, 0);
    if (outcomes.length === 0 || Math.abs(total - 1) > PROBABILITY_TOLERANCE) {
      throw new PolicyError(
        'unsupported-env',
        `${this.env.key} has a chance node whose outcome probabilities sum to ${total}`,
        'exact tree walks need explicit chance outcomes summing to 1',
      );
    }
    for (const o of outcomes) {
      const child = this.visit(this.env.apply(state, 'chance', o.action));
      this.edges[node]!.push(child);
      this.probs[node]!.push(o.probability);
    }
  }

  /** One decision of `seat`, keyed on `keyState`; `next(action)` builds the child subtree. */
  private decision(node: number, keyState: unknown, seat: Seat, next: (action: ActionId) => number): void {
    const legal = this.env.legalActions(keyState, seat);
    if (legal.length === 0) {
      throw new PolicyError('unsupported-env', `${this.env.key}: seat ${seat} must act but has no legal action`, 'fix the env');
    }
    const infoset = this.infosetFor(keyState, seat, legal);
    this.kind[node] = NODE_DECISION;
    this.infoset[node] = infoset;
    this.infosetNodes[infoset]!.push(node);
    const first = this.slotStart[infoset]!;
    const saved = this.lastSlot[seat]!;
    legal.forEach((action, k) => {
      this.lastSlot[seat] = first + k;
      this.edges[node]!.push(next(action));
      this.probs[node]!.push(0);
    });
    this.lastSlot[seat] = saved;
  }

  private simultaneous(state: unknown, seats: readonly Seat[], index: number, partial: (ActionId | null)[]): number {
    if (index === seats.length) return this.visit(this.env.applyJoint(state, partial.slice()));
    const seat = seats[index]!;
    const node = this.newNode(NODE_DECISION);
    this.decision(node, state, seat, (action) => {
      partial[seat] = action;
      const child = this.simultaneous(state, seats, index + 1, partial);
      partial[seat] = null;
      return child;
    });
    return node;
  }

  private infosetFor(state: unknown, seat: Seat, legal: readonly ActionId[]): number {
    const tensor = this.env.observationTensor(state, seat);
    const key = tensorKey(seat, tensor);
    const known = this.infosetIndex.get(key);
    if (known !== undefined) {
      this.checkSameInfoset(known, key, legal, this.lastSlot[seat]!);
      return known;
    }
    const infoset = this.infosetKey.length;
    this.infosetIndex.set(key, infoset);
    this.infosetSeat.push(seat);
    this.infosetKey.push(key);
    this.infosetTensor.push(Float32Array.from(tensor));
    this.infosetState.push(state);
    this.infosetLegal.push(legal.slice());
    this.infosetParentSlot.push(this.lastSlot[seat]!);
    this.infosetNodes.push([]);
    this.slotStart.push(this.slotAction.length);
    this.slotAction.push(...legal);
    return infoset;
  }

  private checkSameInfoset(infoset: number, key: string, legal: readonly ActionId[], parentSlot: number): void {
    const known = this.infosetLegal[infoset]!;
    if (known.length !== legal.length || known.some((a, i) => a !== legal[i])) {
      throw new PolicyError(
        'inconsistent-infoset',
        `${this.env.key}: infoset ${key} has legal actions [${known.join(',')}] and [${legal.join(',')}]`,
        'the observation tensor must determine the legal actions (use an information-state tensor)',
      );
    }
    if (this.infosetParentSlot[infoset] !== parentSlot) {
      throw new PolicyError(
        'imperfect-recall',
        `${this.env.key}: infoset ${key} is reached after different own actions`,
        'exact evaluation needs an observation tensor with perfect recall (an information-state tensor)',
      );
    }
  }
}

function pack(b: TreeBuilder, envKey: string, params: unknown, numPlayers: number, numDistinctActions: number): GameTree {
  const numNodes = b.kind.length;
  const edgeStart = new Int32Array(numNodes + 1);
  for (let n = 0; n < numNodes; n++) edgeStart[n + 1] = edgeStart[n]! + b.edges[n]!.length;
  const edgeChild = new Int32Array(b.edges.flat());
  const edgeProb = new Float64Array(b.probs.flat());
  const returns = new Float64Array(numNodes * numPlayers);
  for (const [node, values] of b.terminalReturns) {
    for (let s = 0; s < numPlayers; s++) returns[node * numPlayers + s] = values[s] ?? 0;
  }
  const numInfosets = b.infosetKey.length;
  const slotStart = Int32Array.from([...b.slotStart, b.slotAction.length]);
  const infosetNodeStart = new Int32Array(numInfosets + 1);
  for (let i = 0; i < numInfosets; i++) infosetNodeStart[i + 1] = infosetNodeStart[i]! + b.infosetNodes[i]!.length;
  return {
    envKey,
    params,
    numPlayers,
    numDistinctActions,
    numNodes,
    kind: Uint8Array.from(b.kind),
    infoset: Int32Array.from(b.infoset),
    edgeStart,
    edgeChild,
    edgeProb,
    returns,
    numInfosets,
    infosetSeat: Int32Array.from(b.infosetSeat),
    infosetKey: b.infosetKey,
    infosetTensor: b.infosetTensor,
    infosetState: b.infosetState,
    slotStart,
    slotAction: Int32Array.from(b.slotAction),
    numSlots: b.slotAction.length,
    infosetNodeStart,
    infosetNodes: new Int32Array(b.infosetNodes.flat()),
    infosetIndex: b.infosetIndex,
  };
}

/** Walks the whole tree of `env` with `params` (raw or parsed). Uncached; see `gameTree`. */
export function buildGameTree(env: AnyEnv, params: unknown = {}, options: GameTreeOptions = {}): GameTree {
  const parsed = env.parseParams(params);
  const dims = env.dims(parsed);
  if (env.spec.chance === 'sampled') {
    throw new PolicyError('unsupported-env', `${env.key} samples chance internally`, 'exact tree walks need explicit chance outcomes');
  }
  const builder = new TreeBuilder(env, dims.numPlayers, options.maxNodes ?? DEFAULT_MAX_NODES);
  builder.visit(env.init(parsed, 0));
  return pack(builder, env.key, parsed, dims.numPlayers, dims.numDistinctActions);
}

const CACHE_SIZE = 4;
const cache = new Map<string, GameTree>();

/** `buildGameTree`, memoised for the last few (env, params) pairs: trees are read-only. */
export function gameTree(env: AnyEnv, params: unknown = {}, options: GameTreeOptions = {}): GameTree {
  const key = `${env.key}|${JSON.stringify(env.parseParams(params))}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const tree = buildGameTree(env, params, options);
  cache.set(key, tree);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return tree;
}

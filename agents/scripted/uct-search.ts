/**
 * The UCT tree search behind `mcts` and `ismcts`. One tree node per action path from the
 * root; edge statistics are kept per acting seat, so the same code does n-player
 * sequential games (each seat maximises its own return), decoupled UCT at simultaneous
 * nodes (each seat picks by its own statistics, the child is keyed by the joint action)
 * and chance nodes (outcomes sampled by probability). Availability counts (Cowling et al.'s
 * ISMCTS) replace the parent visit count in the exploration term, so the legal set may
 * change between determinisations; with a fixed legal set they are plain UCT.
 */
import type { ActionId, AnyEnv, Rng, Seat } from '../../envs/index.ts';
import { randomPlayout, sampleChance } from './random-playout.ts';

export interface EdgeStats {
  /** Simulations through this edge. */
  n: number;
  /** Sum of the acting seat's normalised returns (in [0, 1]) over those simulations. */
  w: number;
  /** Simulations that reached the node with this action legal. */
  avail: number;
}

class UctNode {
  readonly children = new Map<number | string, UctNode>();
  /** Per acting seat: action id -> statistics. */
  readonly edges: (Map<ActionId, EdgeStats> | undefined)[] = [];

  edgesOf(seat: Seat): Map<ActionId, EdgeStats> {
    let map = this.edges[seat];
    if (!map) this.edges[seat] = map = new Map();
    return map;
  }
}

export interface UctSearchOptions {
  readonly env: AnyEnv;
  /** Parsed env params (for the utility bounds). */
  readonly params: unknown;
  readonly sims: number;
  readonly c: number;
  readonly rng: Rng;
  /** The state each simulation starts from: the root itself, or a fresh determinisation. */
  readonly rootState: () => { params: unknown };
  /** Child key after a chance outcome; default the outcome id (perfect information). */
  readonly chanceKey?: (next: unknown, outcome: ActionId) => string;
}

/** Runs the simulations and returns the root edge statistics of `seat`. */
export function uctSearch(options: UctSearchOptions, seat: Seat): Map<ActionId, EdgeStats> {
  const root = new UctNode();
  const scale = utilityScale(options.env, options.params);
  const pathEdges: EdgeStats[] = [];
  const pathSeats: Seat[] = [];
  for (let sim = 0; sim < options.sims; sim++) {
    pathEdges.length = 0;
    pathSeats.length = 0;
    const returns = simulate(options, root, pathEdges, pathSeats);
    backpropagate(returns, scale, pathEdges, pathSeats);
  }
  return root.edgesOf(seat);
}

/** One selection-expansion-playout pass; records the edges it took. */
function simulate(options: UctSearchOptions, root: UctNode, pathEdges: EdgeStats[], pathSeats: Seat[]): readonly number[] {
  const { env, rng } = options;
  let state = options.rootState();
  let node = root;
  for (;;) {
    const turn = env.turn(state);
    if (turn.kind === 'terminal') return env.returns(state);
    let key: number | string;
    if (turn.kind === 'chance') {
      const outcome = sampleChance(env, state, rng);
      state = env.apply(state, 'chance', outcome);
      key = options.chanceKey ? options.chanceKey(state, outcome) : `c${outcome}`;
    } else if (turn.kind === 'decision') {
      const action = selectAction(node.edgesOf(turn.seat), env.legalActions(state, turn.seat), options, pathEdges);
      pathSeats.push(turn.seat);
      state = env.apply(state, turn.seat, action);
      key = action;
    } else {
      const joint: (ActionId | null)[] = new Array(env.dims(state.params).numPlayers).fill(null);
      for (const seat of turn.seats) {
        joint[seat] = selectAction(node.edgesOf(seat), env.legalActions(state, seat), options, pathEdges);
        pathSeats.push(seat);
      }
      state = env.applyJoint(state, joint);
      key = `j${joint.join(',')}`;
    }
    const child = node.children.get(key);
    if (!child) {
      node.children.set(key, new UctNode()); // expand one node per simulation
      return randomPlayout(env, state, rng);
    }
    node = child;
  }
}

/**
 * Untried legal actions first (uniformly at random), then the UCB1 maximum; counts
 * availability of every legal action. Pushes the chosen edge onto the path.
 */
function selectAction(edges: Map<ActionId, EdgeStats>, legal: readonly ActionId[], options: UctSearchOptions, pathEdges: EdgeStats[]): ActionId {
  const { rng, c } = options;
  let untried = 0;
  for (const action of legal) {
    let edge = edges.get(action);
    if (!edge) edges.set(action, (edge = { n: 0, w: 0, avail: 0 }));
    edge.avail++;
    if (edge.n === 0) untried++;
  }
  let chosen = legal[0]!;
  if (untried > 0) {
    let k = rng.int(untried);
    for (const action of legal)
      if (edges.get(action)!.n === 0 && k-- === 0) {
        chosen = action;
        break;
      }
  } else {
    let best = -Infinity;
    let ties = 0;
    for (const action of legal) {
      const edge = edges.get(action)!;
      const ucb = edge.w / edge.n + c * Math.sqrt(Math.log(edge.avail) / edge.n);
      if (ucb > best) {
        best = ucb;
        chosen = action;
        ties = 1;
      } else if (ucb === best && rng.int(++ties) === 0) chosen = action;
    }
  }
  pathEdges.push(edges.get(chosen)!);
  return chosen;
}

function backpropagate(returns: readonly number[], scale: UtilityScale, pathEdges: EdgeStats[], pathSeats: Seat[]): void {
  for (let i = 0; i < pathEdges.length; i++) {
    const edge = pathEdges[i]!;
    edge.n++;
    edge.w += ((returns[pathSeats[i]!] ?? 0) - scale.low) / scale.range;
  }
}

interface UtilityScale {
  readonly low: number;
  readonly range: number;
}

/** Returns are mapped to [0, 1] by the env's utility bounds, so `c` means the same in every env. */
function utilityScale(env: AnyEnv, params: unknown): UtilityScale {
  const dims = env.dims(params);
  const range = dims.maxUtility - dims.minUtility;
  return { low: dims.minUtility, range: range > 0 ? range : 1 };
}

/**
 * The move to play: the most visited root action (ties: better mean, then random); at a
 * simultaneous root, a draw proportional to visits, since a pure choice is exploitable.
 */
export function chooseRootAction(edges: Map<ActionId, EdgeStats>, legal: readonly ActionId[], rng: Rng, mixed: boolean): ActionId {
  if (mixed) {
    const weights = legal.map((action) => edges.get(action)?.n ?? 0);
    return weights.some((w) => w > 0) ? legal[rng.weighted(weights)]! : legal[rng.int(legal.length)]!;
  }
  let chosen = legal[0]!;
  let bestN = -1;
  let bestMean = -Infinity;
  let ties = 0;
  for (const action of legal) {
    const edge = edges.get(action);
    const n = edge?.n ?? 0;
    const mean = edge && edge.n > 0 ? edge.w / edge.n : -Infinity;
    if (n > bestN || (n === bestN && mean > bestMean)) {
      chosen = action;
      bestN = n;
      bestMean = mean;
      ties = 1;
    } else if (n === bestN && mean === bestMean && rng.int(++ties) === 0) {
      chosen = action;
    }
  }
  return chosen;
}

/**
 * Human play from the web viewer, without the admin token: `GET /api/play/opponents?env=`
 * lists whom a person may play (the env's league members that play in-process, and a few
 * built-in agents), `POST /api/play` creates a match with one remote seat for the person
 * (`human:<name>`, rated in the env's arena league like anyone else) and one in-process
 * opponent, and returns only that seat's token. Costs are bounded: opponents come from the
 * list (no free-form agent specs), new matches are rate-limited per client address, and
 * running play matches are capped per address and in total.
 */
import { randomInt } from 'node:crypto';
import { createAgent, formatAgentSpec, parseAgentSpecs, type AgentSpec } from '../../agents/index.ts';
import { getEnv, type AnyEnv } from '../../envs/index.ts';
import type { LeagueStore } from '../../league/storage/league-store.ts';
import { HttpErrorBodySchema } from '../../protocol/http-api.ts';
import { PlayInputSchema, PlayOpponentsQuerySchema, PlayOpponentsSchema, PlayStartedSchema } from '../../protocol/viewer-api.ts';
import { arenaLeagueName } from '../league/arena-league.ts';
import type { MatchManager } from '../lobby/match-manager.ts';
import type { CreatedMatch } from '../lobby/match-manager-api.ts';
import { systemClock, type Clock } from '../match/clocks.ts';
import { RateLimiter } from '../match/rate-limiter.ts';
import { HttpError } from './http-errors.ts';
import type { ZodApp } from './zod-app.ts';

export interface PlayLimits {
  /** New play matches per client address: a burst of `burst`, then one per `everySeconds`. */
  readonly burst: number;
  readonly everySeconds: number;
  /** Running play matches per client address. */
  readonly perClient: number;
  /** Running play matches in total. */
  readonly total: number;
  /** The person's time per move. */
  readonly moveTimeMs: number;
  /** The agent's moves land no sooner than this (so a person sees them happen). */
  readonly agentMoveDelayMs: number;
}

export const DEFAULT_PLAY_LIMITS: PlayLimits = { burst: 6, everySeconds: 10, perClient: 3, total: 64, moveTimeMs: 120_000, agentMoveDelayMs: 300 };

/** Built-in opponents: cheap, and fair (no agent that reads hidden information). */
function builtIns(env: AnyEnv): string[] {
  const specs = ['random', 'first-legal'];
  if (env.spec.information === 'perfect' && env.spec.utility === 'zero-sum') specs.push('mcts:sims=200', 'mcts:sims=1000', 'minimax:depth=4');
  if (env.spec.information === 'imperfect') specs.push('ismcts:sims=300');
  if (env.spec.id === 'slime-volleyball') specs.unshift('slime-baseline');
  return specs;
}

interface Opponent {
  readonly id: string;
  readonly label: string;
  readonly source: 'member' | 'agent';
  readonly agentId: string;
  readonly spec: string;
}

/** Whether the agent can play this env (some kinds refuse some envs at creation). */
function playable(env: AnyEnv, spec: AgentSpec | string): boolean {
  try {
    createAgent(typeof spec === 'string' ? parseAgentSpecs(spec)[0]! : spec, env);
    return true;
  } catch {
    return false;
  }
}

/**
 * Member agent kinds a person may play: what the operator configured in a league (a language
 * model is offered only where some league of the env has an `llm` member). Search kinds that
 * read the true state are for perfect-information envs only (see builtIns).
 */
const MEMBER_KINDS = ['random', 'first-legal', 'mcts', 'minimax', 'ismcts', 'neural', 'llm', 'slime-baseline'];
const TRUE_STATE_KINDS = ['mcts', 'minimax'];

async function opponentsFor(store: LeagueStore, env: AnyEnv): Promise<Opponent[]> {
  // Built-ins first, under stable ids; a league member with the same agentId is the same player.
  const list: Opponent[] = builtIns(env)
    .filter((spec) => playable(env, spec))
    .map((spec) => ({
      id: `agent:${spec}`,
      label: spec,
      source: 'agent' as const,
      agentId: spec.replace(/[:=,]/g, '-'),
      spec,
    }));
  const seen = new Set(list.map((o) => o.agentId));
  for (const league of await store.listLeagues()) {
    if (league.env !== env.key) continue;
    for (const member of await store.listMembers(league.id)) {
      if (seen.has(member.agentId) || member.agentId.startsWith('human:') || member.kind === 'external') continue;
      if (!MEMBER_KINDS.includes(member.agent.kind) || !playable(env, member.agent as AgentSpec)) continue;
      if (env.spec.information === 'imperfect' && TRUE_STATE_KINDS.includes(member.agent.kind)) continue; // it would see the person's cards
      seen.add(member.agentId);
      const spec = formatAgentSpec(member.agent as AgentSpec);
      list.push({
        id: `member:${member.agentId}`,
        label: `${member.agentId} (${league.name} member, ${spec})`,
        source: 'member',
        agentId: member.agentId,
        spec,
      });
    }
  }
  return list;
}

export function registerPlayRoutes(
  app: ZodApp,
  store: LeagueStore,
  matches: MatchManager,
  limits: PlayLimits = DEFAULT_PLAY_LIMITS,
  clock: Clock = systemClock,
): void {
  const limiter = new RateLimiter({ capacity: limits.burst, refillPerSecond: 1 / limits.everySeconds, maxViolations: Number.MAX_SAFE_INTEGER }, clock);
  const running = new Map<string, Set<string>>();
  let total = 0;
  let creating = 0;

  app.get(
    '/api/play/opponents',
    {
      schema: {
        summary: 'Whom a person may play in this env (league members and built-in agents)',
        tags: ['play'],
        querystring: PlayOpponentsQuerySchema,
        response: { 200: PlayOpponentsSchema, 404: HttpErrorBodySchema },
      },
    },
    async (request) => {
      const env = getEnv(request.query.env);
      return { env: env.key, opponents: (await opponentsFor(store, env)).map(({ id, label, source }) => ({ id, label, source })) };
    },
  );

  app.post(
    '/api/play',
    {
      schema: {
        summary: "Play against an agent: creates a match with one human seat and returns only that seat's token (rate-limited per client)",
        tags: ['play'],
        body: PlayInputSchema,
        response: { 201: PlayStartedSchema, 400: HttpErrorBodySchema, 404: HttpErrorBodySchema, 429: HttpErrorBodySchema },
      },
    },
    async (request, reply) => {
      const client = request.ip;
      const env = getEnv(request.body.env);
      if (env.dims(env.parseParams({})).numPlayers !== 2)
        throw new HttpError(400, 'bad-request', `${env.key} is not a two-player game`, 'play a two-player env');
      const opponent = (await opponentsFor(store, env)).find((o) => o.id === request.body.opponent);
      if (opponent === undefined)
        throw new HttpError(
          400,
          'bad-request',
          `opponent "${request.body.opponent.slice(0, 60)}" is not offered for ${env.key}`,
          `pick one from GET /api/play/opponents?env=${env.key}`,
        );
      const mine = running.get(client) ?? new Set<string>();
      if (mine.size >= limits.perClient)
        throw new HttpError(
          429,
          'rate-limited',
          `you already have ${mine.size} games running`,
          'finish or leave one first (an abandoned game ends when its move clock runs out)',
        );
      if (total >= limits.total)
        throw new HttpError(429, 'rate-limited', 'the server is hosting as many games with people as it takes', 'try again in a minute');
      if (limiter.take(client) !== 'ok') throw new HttpError(429, 'rate-limited', 'too many new games from your address', `wait ${limits.everySeconds} s`);

      const seat = request.body.seat === 'random' ? randomInt(2) : request.body.seat;
      if (seat > 1) throw new HttpError(400, 'bad-request', `seat ${seat} does not exist in ${env.key}`, 'pick seat 0 or 1');
      const agentId = `human:${request.body.name}`;
      if (agentId === opponent.agentId) throw new HttpError(400, 'bad-request', 'you cannot play yourself', 'pick another opponent');
      const seats = [0, 1].map((s) =>
        s === seat ? { kind: 'remote' as const, agentId } : { kind: 'agent' as const, agent: opponent.spec, agentId: opponent.agentId },
      );
      // The slot is held while the match is created (an await): concurrent requests count against the caps.
      const slot = `creating-${++creating}`;
      mine.add(slot);
      running.set(client, mine);
      total++;
      let created: CreatedMatch;
      try {
        created = await matches.create({
          env: env.key,
          seats,
          settings: { moveTimeMs: limits.moveTimeMs, agentMoveDelayMs: limits.agentMoveDelayMs, timeoutPolicy: 'forfeit' },
        });
      } finally {
        mine.delete(slot);
        total--;
        if (mine.size === 0) running.delete(client);
      }
      mine.add(created.matchId);
      running.set(client, mine);
      total++;
      const release = (): void => {
        if (!mine.delete(created.matchId)) return;
        total--;
        if (mine.size === 0) running.delete(client);
      };
      const runner = matches.get(created.matchId);
      if (runner === undefined || runner.isOver) release();
      else
        runner.subscribe((event) => {
          if (event.kind === 'finished') release();
        });
      return reply.code(201).send({
        matchId: created.matchId,
        env: env.key,
        seat,
        seatToken: created.seatTokens[seat]!,
        agentId,
        opponent: opponent.agentId,
        league: arenaLeagueName(env),
      });
    },
  );
}

/**
 * A live gateway for tests: an http.Server on an ephemeral loopback port, the socket.io
 * gateway attached, and a small in-test MatchManagerApi over real MatchRunners (remote seats
 * only, deterministic seat tokens). Every message a runner sends is checked against the wire
 * schema on the way out.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEnv, type AnyEnv } from '../../../envs/index.ts';
import { attachSocketGateway, type SocketGateway, type SocketGatewayOptions } from '../../../arena/gateway/socketio-gateway.ts';
import type { Clock } from '../../../arena/match/clocks.ts';
import type { MatchSettingsInput } from '../../../arena/match/match-config.ts';
import type { CreatedMatch, CreateMatchInput, MatchManagerApi, MatchPage, MatchSummaryView } from '../../../arena/lobby/match-manager-api.ts';
import { MatchRunner } from '../../../arena/match/match-runner.ts';
import { ServerMessageSchema } from '../../../protocol/messages.ts';

export class FakeMatchManager implements MatchManagerApi {
  readonly runners = new Map<string, MatchRunner>();
  private readonly tokens = new Map<string, { matchId: string; seat: number }>();
  private counter = 0;
  /** Wire-schema violations seen in outgoing messages. */
  readonly badMessages: string[] = [];
  /** The runners' clock (a FakeClock in timeout tests); the system clock by default. */
  clock: Clock | undefined = undefined;
  /** Test-only envs, looked up before the registry. */
  readonly testEnvs = new Map<string, AnyEnv>();

  async create(input: CreateMatchInput): Promise<CreatedMatch> {
    const matchId = `m${++this.counter}`;
    const seatTokens = input.seats.map((_, seat) => `${matchId}-seat${seat}-secret`);
    const runner = new MatchRunner({
      autoStart: true,
      matchId,
      env: this.testEnvs.get(input.env) ?? getEnv(input.env),
      params: input.params,
      seed: input.seed ?? this.counter,
      seats: seatTokens.map((token) => ({ kind: 'remote' as const, token })),
      settings: input.settings as MatchSettingsInput | undefined,
      ...(this.clock === undefined ? {} : { clock: this.clock }),
    });
    runner.subscribe((event) => {
      if (event.kind === 'send' && !ServerMessageSchema.safeParse(event.message).success) {
        this.badMessages.push(JSON.stringify(event.message).slice(0, 300));
      }
    });
    this.runners.set(matchId, runner);
    seatTokens.forEach((token, seat) => this.tokens.set(token, { matchId, seat }));
    return { matchId, seatTokens };
  }

  get(matchId: string): MatchRunner | undefined {
    return this.runners.get(matchId);
  }

  activeMatches(): number {
    return 0;
  }

  byToken(seatToken: string): { matchId: string; seat: number } | undefined {
    return this.tokens.get(seatToken);
  }

  async list(): Promise<MatchPage> {
    return { matches: [], nextOffset: null };
  }

  async summary(): Promise<MatchSummaryView | undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    for (const runner of this.runners.values()) runner.abort();
  }
}

export interface LiveGateway {
  readonly url: string;
  readonly server: Server;
  readonly gateway: SocketGateway;
  readonly matches: FakeMatchManager;
  close(): Promise<void>;
}

export async function startGateway(options: SocketGatewayOptions = {}): Promise<LiveGateway> {
  const server = createServer();
  const matches = new FakeMatchManager();
  const gateway = attachSocketGateway(server, matches, options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    gateway,
    matches,
    async close() {
      await gateway.close();
      await matches.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      expect(matches.badMessages, 'messages off the wire schema').to.deep.equal([]);
    },
  };
}

/** Settings for tests: no clock runs out, no rate limit gets in the way. */
export const CALM: MatchSettingsInput = { moveTimeMs: 1e8, reconnectWindowMs: 1e8, rateLimit: { capacity: 10_000, refillPerSecond: 10_000 } };

/** Resolves when `check` is true, polling the event loop (no wall-clock asserts). */
export async function until(check: () => boolean, what: string, maxTicks = 2000): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

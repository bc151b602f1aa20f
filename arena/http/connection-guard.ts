/**
 * What every transport on the arena's one port is checked against before it costs anything:
 * connection caps (global and per IP, counted on the TCP sockets of the http.Server, so HTTP,
 * socket.io and Colyseus share them) and the WebSocket `Origin` allow-list (browsers send
 * Origin on every upgrade; a page on another site must not drive an agent's connection).
 * A refused HTTP request or upgrade gets the typed error: 503 'too-many-connections' or 403
 * 'forbidden'. Clients that send no Origin (agents, scripts) are not browsers and may connect.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { httpStatusOf, wireError, type WireError } from '../../protocol/errors.ts';

export interface ConnectionLimits {
  /** Open TCP connections in all. Default 2000. */
  readonly maxConnections?: number;
  /** Open TCP connections from one IP address. Default 128. */
  readonly maxConnectionsPerIp?: number;
}

export interface OriginPolicy {
  /**
   * Origins allowed to open WebSockets (e.g. 'https://viewer.example.org'), or '*' for any.
   * Default: the same origin only (the Origin's host equals the Host header).
   */
  readonly allowedOrigins?: readonly string[] | '*';
}

export const DEFAULT_MAX_CONNECTIONS = 2000;
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 128;

const OVER_CAP = Symbol('ludus.overCap');
type CountedSocket = Socket & { [OVER_CAP]?: WireError };

export class ConnectionGuard {
  private readonly maxConnections: number;
  private readonly maxPerIp: number;
  private readonly allowed: ReadonlySet<string> | '*' | undefined;
  private readonly perIp = new Map<string, number>();
  private open = 0;
  /** Further origins to allow (a cluster's: its processes' pages open sockets to each other). */
  private trusted: ((origin: string) => boolean) | undefined;

  constructor(server: Server, options: ConnectionLimits & OriginPolicy = {}) {
    this.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.maxPerIp = options.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP;
    const origins = options.allowedOrigins;
    this.allowed = origins === '*' ? '*' : origins === undefined ? undefined : new Set(origins.map(normalizeOrigin));
    server.on('connection', (socket: Socket) => this.count(socket));
  }

  /** Connections open now (all, or from one IP). */
  connections(ip?: string): number {
    return ip === undefined ? this.open : (this.perIp.get(ip) ?? 0);
  }

  /** The refusal for a request on an over-cap connection, or undefined. */
  capRefusal(socket: Socket | Duplex | undefined): WireError | undefined {
    return (socket as CountedSocket | undefined)?.[OVER_CAP];
  }

  /** Also allows the origins `trusted` accepts (normalized: scheme://host[:port], lower case). */
  trustOrigins(trusted: (origin: string) => boolean): void {
    this.trusted = trusted;
  }

  /** The refusal for a cross-origin browser request, or undefined (same origin, allowed, or no Origin). */
  originRefusal(req: IncomingMessage): WireError | undefined {
    const origin = req.headers.origin;
    if (origin === undefined || this.allowed === '*') return undefined;
    const normalized = normalizeOrigin(origin);
    const ok = (this.allowed === undefined ? sameOrigin(normalized, req.headers.host) : this.allowed.has(normalized)) || this.trusted?.(normalized) === true;
    return ok
      ? undefined
      : wireError(
          'forbidden',
          `WebSocket connections from origin ${origin.slice(0, 100)} are not allowed`,
          'open the page from this server, or have the operator add the origin to allowedOrigins',
        );
  }

  /** Either refusal for a WebSocket upgrade or a socket.io handshake. */
  refusal(req: IncomingMessage): WireError | undefined {
    return this.capRefusal(req.socket) ?? this.originRefusal(req);
  }

  private count(socket: Socket): void {
    const ip = socket.remoteAddress ?? 'unknown';
    const fromIp = (this.perIp.get(ip) ?? 0) + 1;
    this.perIp.set(ip, fromIp);
    this.open++;
    if (this.open > this.maxConnections) {
      (socket as CountedSocket)[OVER_CAP] = wireError(
        'too-many-connections',
        `the server holds ${this.maxConnections} connections, its maximum`,
        'retry later',
      );
    } else if (fromIp > this.maxPerIp) {
      (socket as CountedSocket)[OVER_CAP] = wireError(
        'too-many-connections',
        `your address holds ${this.maxPerIp} connections, the maximum per address`,
        'close idle connections or reuse one (keep-alive)',
      );
    }
    // An over-cap connection gets one typed answer (see build-http-app / build-arena), and a short life.
    if ((socket as CountedSocket)[OVER_CAP] !== undefined) socket.setTimeout(5_000, () => socket.destroy());
    socket.once('close', () => {
      this.open--;
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    });
  }
}

/** Answers a refused plain request (socket.io long-polling) with the typed error. */
export function sendRefusal(res: ServerResponse, error: WireError): void {
  const body = JSON.stringify({ error });
  res.writeHead(httpStatusOf(error.code), {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}

/** Answers a refused upgrade with an HTTP response carrying the typed error, then closes the socket. */
export function refuseUpgrade(socket: Duplex, error: WireError): void {
  const status = httpStatusOf(error.code);
  const body = JSON.stringify({ error });
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : status === 503 ? 'Service Unavailable' : 'Error'}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function normalizeOrigin(origin: string): string {
  try {
    const url = new URL(origin);
    return `${url.protocol}//${url.host}`.toLowerCase();
  } catch {
    return origin.toLowerCase();
  }
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  const at = origin.indexOf('//');
  return at >= 0 && origin.slice(at + 2) === host.toLowerCase();
}

/**
 * One write per socket.io connection per turn of the event loop. engine.io hands its
 * WebSocket one packet, then waits for that write to complete before it sends the packets
 * queued meanwhile, and `ws` writes every frame with its own `writev`: a connection sent an
 * ack and three decisions in one turn costs four system calls. Here the first packet of a
 * turn holds the connection's transport (engine.io's own "write in flight" flag) until the
 * turn's check phase (setImmediate); then the whole queue goes to `ws` in one engine flush,
 * inside a cork of the TCP socket, so one `writev` carries it. Frames and the socket.io
 * protocol are unchanged. Only engine.io's documented events (`flush`, `drain`) and its
 * transport's `writable` flag are used; a polling transport is left alone.
 */
import { tcpSocketOf } from '../socket-cork.ts';

/** What is read of engine.io (a dependency of socket.io): its transport, connection and server events. */
interface WsTransport {
  readonly name: string;
  writable: boolean;
  readonly socket?: unknown;
}
interface EngineSocket {
  readonly transport: unknown;
  readonly readyState: string;
}
interface EngineServer {
  on(event: 'flush' | 'drain', listener: (conn: EngineSocket) => void): unknown;
}

const held = new Map<EngineSocket, WsTransport>();
let scheduled = false;

const transportOf = (conn: EngineSocket): WsTransport => conn.transport as unknown as WsTransport;

/** Every engine flush (a batch of packets handed to `ws` at once) leaves in one TCP write. */
export function corkEngineFlushes(engine: EngineServer): void {
  engine.on('flush', (conn: EngineSocket) => {
    const transport = transportOf(conn);
    if (transport.name === 'websocket') tcpSocketOf(transport.socket)?.cork();
  });
  // 'drain' follows each 'flush' synchronously, once the batch is handed over.
  engine.on('drain', (conn: EngineSocket) => {
    const transport = transportOf(conn);
    if (transport.name === 'websocket') tcpSocketOf(transport.socket)?.uncork();
  });
}

/** Queues the connection's packets until the end of this turn (nothing to do while a write is in flight: its completion flushes the queue). */
export function holdForTurn(conn: EngineSocket): void {
  const transport = transportOf(conn);
  if (held.has(conn) || transport.name !== 'websocket' || !transport.writable) return;
  transport.writable = false;
  held.set(conn, transport);
  if (!scheduled) {
    scheduled = true;
    setImmediate(releaseAll);
  }
}

function releaseAll(): void {
  scheduled = false;
  const entries = [...held];
  held.clear();
  for (const [conn, transport] of entries) {
    // Nothing else clears the flag while held: engine.io only sets it back when a write it started completes.
    transport.writable = true;
    if (conn.transport === (transport as unknown) && conn.readyState !== 'closed') (conn as unknown as { flush(): void }).flush();
  }
}

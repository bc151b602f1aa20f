/**
 * One write per socket per turn of the event loop. Without it every small message (an ack, a
 * decision) costs its own `writev` system call, the largest single item of the arena's CPU
 * profile. The transports call `corkForTurn` before they send on a connection: its TCP
 * socket is corked once and uncorked in this turn's check phase (setImmediate), so whatever
 * the turn sent to it (acks of several messages read in one chunk, the decisions of several
 * matches, a match:start with its first decision) leaves in one `writev`. The wire is
 * unchanged: the WebSocket frames are the same, only packed into fewer TCP writes.
 */
import type { Socket } from 'node:net';

const corked = new Set<Socket>();
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  // Uncorking may run write callbacks that send again: those cork anew for the next turn.
  const sockets = [...corked];
  corked.clear();
  for (const socket of sockets) socket.uncork();
}

/** Holds the socket's writes until the end of this turn (a no-op for a missing or closed socket). */
export function corkForTurn(socket: Socket | undefined): void {
  if (socket === undefined || socket.destroyed || corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}

/** The TCP socket under a `ws` WebSocket (its private `_socket`), if it has one. */
export function tcpSocketOf(ws: unknown): Socket | undefined {
  return (ws as { _socket?: Socket } | undefined)?._socket;
}

/**
 * Node 20 has no global WebSocket, but @colyseus/core 0.18 (built for Node 22) reads
 * `WebSocket.OPEN` when a client reconnects. Import this module before anything that loads
 * @colyseus/core; it only fills the gap, never replaces a WebSocket that exists.
 */
import { WebSocket as WsWebSocket } from 'ws';

const scope = globalThis as { WebSocket?: unknown };
if (typeof scope.WebSocket === 'undefined') scope.WebSocket = WsWebSocket;

/**
 * The per-address connection cap (docs/security.md "Connections", issue #14 API4: 2,000 half-open
 * sockets from one client were accepted). Open sockets are counted per remote address as the
 * server accepts them; one beyond the cap is destroyed at once, before any byte is parsed, so a
 * single client cannot hold every file descriptor. Half-open sockets are also bounded in time by
 * the server's headersTimeout (app.ts). Behind a reverse proxy every socket comes from the proxy:
 * raise the cap or turn it off (0) there and let the proxy bound its clients.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionCap {
  /** Open sockets of one address (tests and metrics read it). */
  open(address: string): number;
  /** Sockets refused so far. */
  refused: number;
}

export function capConnectionsPerAddress(server: Server, cap: number): ConnectionCap {
  const open = new Map<string, number>();
  const state: ConnectionCap = { open: (a) => open.get(a) ?? 0, refused: 0 };
  if (cap <= 0) return state;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const n = open.get(address) ?? 0;
    if (n >= cap) {
      state.refused++;
      socket.destroy();
      return;
    }
    open.set(address, n + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  return state;
}

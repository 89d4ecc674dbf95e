// A lingering close for connections that end while the client is still sending its request body (an
// early 401 or 413 to a large upload sent with `Connection: close`). Closing such a socket at once
// makes the kernel answer the unread bytes with a reset, and a reset can destroy the answer before the
// client reads it: the client then sees ECONNRESET/EPIPE instead of the status. So, as web servers do,
// the write side is closed first (the answer, then FIN) and whatever the client still sends is read and
// dropped, within bounds, before the socket is destroyed.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

export interface LingerLimits {
  /** Destroy when nothing arrives for this long. */
  idleMs: number;
  /** Destroy after this long in all. */
  maxMs: number;
  /** Destroy once this many more bytes have been dropped. */
  maxBytes: number;
}

export const LINGER_LIMITS: LingerLimits = { idleMs: 5000, maxMs: 30_000, maxBytes: 64 * 1024 * 1024 };

/** The latest request of each socket whose close is watched (keep-alive sockets carry several). */
const latest = new WeakMap<Socket, IncomingMessage>();

/**
 * Makes the close that follows `req`'s answer a lingering one if the body has not all arrived by then.
 * Node closes a finished `Connection: close` exchange with `socket.destroySoon()`; that one socket's
 * method is replaced, so nothing changes for a connection whose body was read in full.
 */
export function lingerOnClose(req: IncomingMessage, limits: LingerLimits = LINGER_LIMITS): void {
  const socket = req.socket;
  const watched = latest.has(socket);
  latest.set(socket, req);
  if (watched) return;
  const closeNow = socket.destroySoon.bind(socket);
  socket.destroySoon = (): void => {
    if (socket.destroyed || latest.get(socket)?.complete !== false) closeNow();
    else linger(socket, limits);
  };
}

/** How often a lingering socket is looked at. */
const TICK_MS = 250;

function linger(socket: Socket, limits: LingerLimits): void {
  socket.end(); // the answer is out: FIN, while the read side stays open (HTTP sockets allow half-open)
  // The HTTP parser goes on reading the socket (straight from its handle, so no 'data' events) and drops
  // the rest of the body; bytesRead tells how much still arrives.
  const from = socket.bytesRead;
  let last = from;
  const startedAt = Date.now();
  let movedAt = startedAt;
  const check = setInterval(
    () => {
      const now = Date.now();
      if (socket.bytesRead !== last) {
        last = socket.bytesRead;
        movedAt = now;
      }
      if (now - movedAt >= limits.idleMs || last - from > limits.maxBytes || now - startedAt >= limits.maxMs)
        socket.destroy();
    },
    Math.min(TICK_MS, limits.idleMs),
  ).unref();
  socket.once('close', () => clearInterval(check));
}

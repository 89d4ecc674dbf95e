// A lingering close for connections that end while the client is still sending its request body (an
// early 401 or 413 to a large upload sent with `Connection: close`). Closing such a socket at once
// makes the kernel answer the unread bytes with a reset, and a reset can destroy the answer before the
// client reads it: the client then sees ECONNRESET/EPIPE instead of the status. So, as web servers do,
// the write side is closed first (the answer, then FIN) and whatever the client still sends is read and
// dropped, within bounds, before the socket is destroyed. The same goes for the 4xx node answers to a
// request it cannot parse (a header section over the limit, a Content-Length that is not a number).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface LingerLimits {
  /** Destroy when nothing arrives for this long. */
  idleMs: number;
  /** Destroy after this long in all. */
  maxMs: number;
  /** Destroy once this many more bytes have been dropped. */
  maxBytes: number;
}

export const LINGER_LIMITS: LingerLimits = { idleMs: 5000, maxMs: 30_000, maxBytes: 64 * 1024 * 1024 };

/** The latest exchange of each socket whose close is watched (keep-alive sockets carry several). */
const latest = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();

/**
 * Makes the close that follows `req`'s answer a lingering one if the body has not all arrived by then.
 * Node closes a finished `Connection: close` exchange with `socket.destroySoon()`; that one socket's
 * method is replaced, so nothing changes for a connection whose body was read in full.
 */
export function lingerOnClose(
  req: IncomingMessage,
  res: ServerResponse,
  limits: LingerLimits = LINGER_LIMITS,
): void {
  const socket = req.socket;
  const watched = latest.has(socket);
  latest.set(socket, { req, res });
  if (watched) return;
  const closeNow = socket.destroySoon.bind(socket);
  socket.destroySoon = (): void => {
    if (socket.destroyed || latest.get(socket)?.req.complete !== false) closeNow();
    else linger(socket, limits);
  };
}

/** Sockets whose parse error was answered: an errored parser reports it again for every later chunk. */
const answered = new WeakSet<Duplex>();

/** The status line and headers node itself answers a parse error with. */
function parseErrorAnswer(code: string | undefined): string {
  const status =
    code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
        ? '413 Payload Too Large'
        : code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`;
}

/**
 * The server's 'clientError' handler: node's answer to a request it cannot parse (or a socket error),
 * followed by a lingering close when no answer of ours is under way on the connection. With one under
 * way it does what node does (its 400 if our headers have not gone out yet, then close at once).
 */
export function answerClientError(
  err: Error & { code?: string },
  socket: Duplex,
  limits: LingerLimits = LINGER_LIMITS,
): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  const ours = latest.get(socket as Socket)?.res;
  const busy = ours !== undefined && !ours.writableFinished;
  if (!socket.writable || err.code === 'ECONNRESET' || (busy && ours.headersSent)) {
    socket.destroy();
    return;
  }
  if (busy) {
    socket.write(parseErrorAnswer(err.code));
    socket.destroy();
    return;
  }
  // The errored parser goes on reading what the client still sends, and drops it.
  linger(socket as Socket, limits, parseErrorAnswer(err.code));
}

/** How often a lingering socket is looked at. */
const TICK_MS = 250;

function linger(socket: Socket, limits: LingerLimits, answer?: string): void {
  // The answer (its last bytes, if given here), then FIN; the read side stays open (HTTP sockets
  // allow half-open).
  if (answer === undefined) socket.end();
  else socket.end(answer);
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

// A plain node:http server standing in for "the person's WOPI host" where the proxy tests need to see
// the wire itself: it keeps every request it got (raw headers, path and query as received, body size
// and SHA-256 computed while reading), and answers from a route function the test gives it. Bodies
// are streamed, never buffered, so multi-megabyte transfers test the proxy's streaming, not this.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  /** Path and query exactly as they arrived. */
  url: string;
  rawHeaders: string[];
  /** Lower-case name -> values. */
  headers: IncomingMessage['headers'];
  bodySize: number;
  bodySha256: string;
  /** The request body ended before its end (the client side went away). */
  aborted: boolean;
}

export type Route = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void | Promise<void>;

export interface EchoUpstream {
  url: string;
  seen: Seen[];
  /** Resolves with the next request record once its body has been read to the end (or cut). */
  next(): Promise<Seen>;
  close(): Promise<void>;
}

export async function startEchoUpstream(route: Route): Promise<EchoUpstream> {
  const seen: Seen[] = [];
  const waiting: Array<(s: Seen) => void> = [];
  const server = http.createServer((req, res) => {
    const hash = createHash('sha256');
    const s: Seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: req.rawHeaders,
      headers: req.headers,
      bodySize: 0,
      bodySha256: '',
      aborted: false,
    };
    seen.push(s);
    let done = false;
    const settle = (aborted: boolean): void => {
      if (done) return;
      done = true;
      s.aborted = aborted;
      s.bodySha256 = hash.digest('hex');
      waiting.shift()?.(s);
    };
    req.on('data', (c: Buffer) => {
      s.bodySize += c.length;
      hash.update(c);
    });
    req.on('end', () => settle(false));
    req.on('close', () => settle(!req.complete));
    void Promise.resolve(route(req, res, s)).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    next: () => new Promise<Seen>((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `size` deterministic bytes, `chunk` at a time (the same seed gives the same bytes). */
export function* patternBytes(size: number, seed: number, chunk = 64 * 1024): Generator<Buffer> {
  let x = seed >>> 0 || 1;
  for (let at = 0; at < size; at += chunk) {
    const b = Buffer.alloc(Math.min(chunk, size - at));
    for (let i = 0; i < b.length; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b.writeUInt32LE(x >>> 0, i - (i + 4 > b.length ? i + 4 - b.length : 0));
    }
    yield b;
  }
}

export function sha256Of(chunks: Iterable<Buffer>): string {
  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  return h.digest('hex');
}

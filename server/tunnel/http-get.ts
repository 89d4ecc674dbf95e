// Small bounded HTTP GET and TCP probe for the tunnel handshake and the reachability check.
// `*.localhost` names are dialled on 127.0.0.1 with the name kept in Host, because Node's resolver
// (unlike browsers and curl) does not map them to loopback.
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Timers } from './timers';

export interface HttpGetResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpGetOptions {
  timeoutMs: number;
  timers: Timers;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Bodies here are small JSON documents; anything bigger is not what we asked for. */
  maxBytes?: number;
}

/** A network failure with a stable code (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ABORTED, TOO_LARGE, ...). */
export class ProbeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

export function isLocalhostName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** Where to open the socket for a URL: host (without IPv6 brackets) and numeric port. */
export function dialTarget(url: URL): { host: string; port: number } {
  const bare = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const host = isLocalhostName(bare) ? '127.0.0.1' : bare;
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host, port };
}

function toProbeError(e: unknown): ProbeError {
  if (e instanceof ProbeError) return e;
  const err = e as NodeJS.ErrnoException;
  return new ProbeError(err.code ?? 'EUNKNOWN', err.message || String(e));
}

export function httpGet(target: string | URL, opts: HttpGetOptions): Promise<HttpGetResult> {
  const url = typeof target === 'string' ? new URL(target) : target;
  const { host, port } = dialTarget(url);
  const maxBytes = opts.maxBytes ?? 256 * 1024;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: ProbeError | null, result?: HttpGetResult): void => {
      if (settled) return;
      settled = true;
      opts.timers.clearTimer(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(result!);
    };
    const req = lib.request({
      method: 'GET',
      host,
      port,
      path: `${url.pathname}${url.search}`,
      // SNI must carry the real name, never an IP literal.
      servername: net.isIP(url.hostname) ? undefined : url.hostname,
      agent: false,
      headers: { host: url.host, accept: 'application/json', ...opts.headers },
    });
    const timer = opts.timers.setTimer(
      () => finish(new ProbeError('ETIMEDOUT', `no answer from ${url.host} within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    const onAbort = (): void => finish(new ProbeError('ABORTED', 'cancelled'));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => finish(toProbeError(e)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          finish(new ProbeError('TOO_LARGE', `response from ${url.host} exceeds ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (e) => finish(toProbeError(e)));
      res.on('end', () =>
        finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.end();
  });
}

/** Opens and closes a TCP connection: proves the host resolves and something listens on the port. */
export function tcpProbe(
  host: string,
  port: number,
  opts: { timeoutMs: number; timers: Timers; signal?: AbortSignal },
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new ProbeError('ABORTED', 'cancelled'));
    const socket = net.connect({ host, port });
    const finish = (err: ProbeError | null): void => {
      opts.timers.clearTimer(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = opts.timers.setTimer(
      () =>
        finish(new ProbeError('ETIMEDOUT', `no TCP answer from ${host}:${port} within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    const onAbort = (): void => finish(new ProbeError('ABORTED', 'cancelled'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(null));
    socket.once('error', (e) => finish(toProbeError(e)));
  });
}

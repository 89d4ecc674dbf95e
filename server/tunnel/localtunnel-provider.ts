// Opens a tunnel with the localtunnel 2.0.2 client. We do the handshake ourselves (the client's own
// retries forever on any error, even a refused id, and cannot be cancelled), then hand the answer to
// the client's Tunnel so its socket pool carries the traffic. `local_host` is never set: it switches
// on a Host-rewriting stream that turns the first chunk into a string and corrupts binary bodies.
import type { Socket } from 'node:net';
import Tunnel from 'localtunnel/lib/Tunnel.js';
import { httpGet, ProbeError } from './http-get';
import {
  DEFAULT_TUNNEL_SERVER,
  normalizeServerUrl,
  normalizeSubdomain,
  randomSubdomain,
  TunnelError,
  type OpenTunnel,
  type TunnelProvider,
} from './provider';
import { pickTimers, type Timers } from './timers';

export interface LocaltunnelProviderOptions {
  /** Bound on the handshake, and again on waiting for the first tunnel connection. */
  openTimeoutMs?: number;
  /** How long the tunnel may have no live connection before it counts as lost. */
  lostAfterMs?: number;
  setTimer?: Timers['setTimer'];
  clearTimer?: Timers['clearTimer'];
}

// Skips the client's handshake: the body was already fetched (and checked) by us.
class PreparedTunnel extends Tunnel {
  constructor(
    opts: Tunnel.Options,
    private readonly body: Tunnel.HandshakeBody,
  ) {
    super(opts);
  }

  override _init(cb: (err: Error | null, info?: Tunnel.Info) => void): void {
    cb(null, this._getInfo(this.body));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * Servers started with `--domain localhost` (no port) return a URL without the port they listen on;
 * add it back when the scheme matches, since a different scheme means TLS ends somewhere else.
 */
export function publicOrigin(returned: string, server: string): string {
  const url = new URL(returned);
  const srv = new URL(server);
  if (srv.port && !url.port && url.protocol === srv.protocol) url.port = srv.port;
  return url.origin;
}

function checkBody(json: unknown, server: string): Tunnel.HandshakeBody {
  const rec = asRecord(json);
  const id = rec?.['id'];
  const port = rec?.['port'];
  const url = rec?.['url'];
  const max = rec?.['max_conn_count'];
  const ip = rec?.['ip'];
  const valid =
    typeof id === 'string' &&
    typeof url === 'string' &&
    URL.canParse(url) &&
    typeof port === 'number' &&
    Number.isInteger(port) &&
    port > 0 &&
    port < 65536;
  if (!valid) {
    throw new TunnelError(
      'not-a-tunnel-server',
      `${server} answered JSON without the localtunnel fields {id, port, url}: is it a localtunnel server?`,
      false,
    );
  }
  // The client opens this many sockets; keep a broken server from making us open thousands.
  const maxConn = typeof max === 'number' && max >= 1 ? Math.min(Math.floor(max), 50) : 1;
  return { id, port, url, max_conn_count: maxConn, ...(typeof ip === 'string' ? { ip } : {}) };
}

async function handshake(
  server: string,
  subdomain: string,
  timers: Timers,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Tunnel.HandshakeBody> {
  let res;
  try {
    res = await httpGet(`${server}/${subdomain}`, { timers, timeoutMs, signal });
  } catch (e) {
    if (!(e instanceof ProbeError)) throw e;
    if (e.code === 'ABORTED') throw new TunnelError('aborted', 'tunnel start was cancelled', false);
    if (e.code === 'ETIMEDOUT')
      throw new TunnelError('timeout', `tunnel server ${server}: ${e.message}`, true);
    throw new TunnelError(
      'unreachable',
      `cannot reach tunnel server ${server} (${e.code}: ${e.message})`,
      true,
      e.code,
    );
  }
  const text = res.body.toString('utf8');
  const json = parseJson(text);
  const message = asRecord(json)?.['message'];
  if (res.status >= 500) {
    throw new TunnelError('server-error', `tunnel server ${server} answered HTTP ${res.status}`, true);
  }
  if (res.status >= 400 && typeof message === 'string') {
    throw new TunnelError(
      'id-refused',
      `tunnel server refused subdomain "${subdomain}" (HTTP ${res.status}: ${message})`,
      false,
    );
  }
  if (res.status !== 200 || json === undefined) {
    const what = /^\s*</.test(text) ? 'an HTML page' : `HTTP ${res.status} without tunnel JSON`;
    throw new TunnelError(
      'not-a-tunnel-server',
      `${server} answered ${what} instead of tunnel details: check that it is a localtunnel server`,
      false,
    );
  }
  const body = checkBody(json, server);
  if (body.id !== subdomain) {
    // An earlier connection may still hold the id for a moment; retrying later usually gets it back.
    throw new TunnelError(
      'subdomain-taken',
      `tunnel server gave "${body.id}" instead of "${subdomain}" (the subdomain is in use)`,
      true,
    );
  }
  return body;
}

// Resolves once the first tunnel socket is connected, so "online" means traffic can flow.
function waitForFirstSocket(
  tunnel: Tunnel,
  timers: Timers,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: TunnelError): void => {
      timers.clearTimer(timer);
      tunnel.off('url', onUrl);
      tunnel.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onUrl = (): void => done();
    const onError = (e: Error): void =>
      done(new TunnelError('tunnel-connect-failed', `tunnel connection failed: ${e.message}`, true));
    const onAbort = (): void => done(new TunnelError('aborted', 'tunnel start was cancelled', false));
    const timer = timers.setTimer(
      () => done(new TunnelError('timeout', `no tunnel connection within ${timeoutMs} ms`, true)),
      timeoutMs,
    );
    tunnel.on('url', onUrl);
    tunnel.on('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function watchTunnel(
  tunnel: Tunnel,
  url: string,
  subdomain: string,
  timers: Timers,
  lostAfterMs: number,
): OpenTunnel {
  const closeCbs: ((reason: string) => void)[] = [];
  const errorCbs: ((error: Error) => void)[] = [];
  let closedByUs = false;
  let lostReason: string | null = null;
  let lastError: Error | null = null;
  let live = 0;
  let lostTimer: unknown = null;

  const fireLost = (reason: string): void => {
    if (closedByUs || lostReason !== null) return;
    lostReason = reason;
    for (const cb of closeCbs) cb(reason);
  };
  const disarm = (): void => {
    if (lostTimer !== null) timers.clearTimer(lostTimer);
    lostTimer = null;
  };

  // Sockets close after every request and are reopened at once, so zero live sockets is only a loss
  // when it lasts; errors that are not ECONNREFUSED are swallowed by the client, so this is our signal.
  tunnel.tunnelCluster?.on('open', (remote: Socket) => {
    live += 1;
    disarm();
    remote.once('close', () => {
      live -= 1;
      if (live > 0 || closedByUs) return;
      disarm();
      lostTimer = timers.setTimer(() => {
        lostTimer = null;
        if (live === 0) fireLost(`no tunnel connection for ${lostAfterMs} ms`);
      }, lostAfterMs);
    });
  });
  tunnel.on('error', (e: Error) => {
    if (closedByUs) return;
    lastError = e;
    for (const cb of errorCbs) cb(e);
  });

  return {
    url,
    subdomain,
    close() {
      closedByUs = true;
      disarm();
      tunnel.close();
    },
    onClose(cb) {
      closeCbs.push(cb);
      if (lostReason !== null && !closedByUs) cb(lostReason);
    },
    onError(cb) {
      errorCbs.push(cb);
      if (lastError && !closedByUs) cb(lastError);
    },
  };
}

export function createLocaltunnelProvider(options: LocaltunnelProviderOptions = {}): TunnelProvider {
  const timers = pickTimers(options);
  const openTimeoutMs = options.openTimeoutMs ?? 15_000;
  const lostAfterMs = options.lostAfterMs ?? 3_000;

  return {
    async open(localPort, opts) {
      const server = normalizeServerUrl(opts.server ?? DEFAULT_TUNNEL_SERVER);
      const subdomain = opts.subdomain ? normalizeSubdomain(opts.subdomain) : randomSubdomain();
      const body = await handshake(server, subdomain, timers, openTimeoutMs, opts.signal);
      const url = publicOrigin(body.url, server);

      const tunnel = new PreparedTunnel({ port: localPort, host: server, subdomain }, body);
      // An EventEmitter 'error' without a listener throws; late socket errors after close() are expected.
      tunnel.on('error', () => {});
      const first = waitForFirstSocket(tunnel, timers, openTimeoutMs, opts.signal);
      tunnel.open(() => {});
      const handle = watchTunnel(tunnel, url, subdomain, timers, lostAfterMs);
      try {
        await first;
      } catch (e) {
        handle.close();
        throw e;
      }
      return handle;
    },
  };
}

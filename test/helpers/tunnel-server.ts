// A localtunnel-protocol server for tests, on loopback only, standing in for the public tunnel service.
// Protocol: GET /<id> or /?new answers {id, port, max_conn_count, url}; the client then opens
// max_conn_count TCP connections to `port`, and each public request (routed by Host <id>.localhost)
// goes down one of them with `connection: close`, so a socket carries exactly one request.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';

export interface TunnelServerOptions {
  /** 0 = random; restart() keeps whatever port was bound. */
  port?: number;
  host: string;
  /** Tunnel hostnames are <id>.<domain>. */
  domain?: string;
  maxConnCount?: number;
  /** Public requests allowed to queue for a free tunnel socket, per tunnel; beyond that: 503. */
  maxWaiting?: number;
  /** A queued request gets 504 after this long without a tunnel socket. */
  socketWaitMs?: number;
  /** A tunnel with no socket for this long is removed (sockets churn after every request). */
  graceMs?: number;
  /** Answer URLs without the port, like a real server started with `--domain localhost`. */
  omitPortInUrl?: boolean;
  /** Ids to refuse with 403 JSON, like a server that rejects a name. */
  refuseId?: (id: string) => boolean;
}

export interface ThroughRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  timeoutMs?: number;
}

export interface ThroughResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface TunnelServer {
  url: string;
  port: number;
  domainUrl(id: string): string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  requestThrough(id: string, req?: ThroughRequest): Promise<ThroughResponse>;
  /** Ids with a registered tunnel. */
  tunnelIds(): string[];
  connectedSockets(id: string): number;
}

interface Waiter {
  give: (socket: net.Socket) => void;
  fail: (status: number, why: string) => void;
}

interface Client {
  id: string;
  tcp: net.Server;
  port: number;
  sockets: Set<net.Socket>;
  idle: net.Socket[];
  waiting: Waiter[];
  graceTimer: NodeJS.Timeout | null;
}

const ID_RE = /^[a-z0-9-]{4,63}$/;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer']);

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
  return out;
}

export async function startTunnelServer(opts: TunnelServerOptions): Promise<TunnelServer> {
  const domain = opts.domain ?? 'localhost';
  const maxConn = opts.maxConnCount ?? 10;
  const maxWaiting = opts.maxWaiting ?? 100;
  const socketWaitMs = opts.socketWaitMs ?? 10_000;
  const graceMs = opts.graceMs ?? 1_000;
  const clients = new Map<string, Client>();
  let port = opts.port ?? 0;
  let server: http.Server;

  const publicBase = (id: string): string => `http://${id}.${domain}:${port}`;

  const removeClient = (c: Client): void => {
    if (clients.get(c.id) === c) clients.delete(c.id);
    if (c.graceTimer) clearTimeout(c.graceTimer);
    c.tcp.close();
    for (const s of c.sockets) s.destroy();
    for (const w of c.waiting.splice(0)) w.fail(502, 'tunnel closed');
  };

  const armGrace = (c: Client, ms: number): void => {
    if (c.graceTimer) clearTimeout(c.graceTimer);
    c.graceTimer = setTimeout(() => {
      c.graceTimer = null;
      if (c.sockets.size === 0) removeClient(c);
    }, ms);
  };

  const newClient = async (id: string): Promise<Client> => {
    const old = clients.get(id);
    if (old) removeClient(old);
    const tcp = net.createServer();
    const c: Client = { id, tcp, port: 0, sockets: new Set(), idle: [], waiting: [], graceTimer: null };
    tcp.on('connection', (socket) => {
      socket.on('error', () => {});
      c.sockets.add(socket);
      if (c.graceTimer) clearTimeout(c.graceTimer);
      c.graceTimer = null;
      socket.once('close', () => {
        c.sockets.delete(socket);
        c.idle = c.idle.filter((s) => s !== socket);
        if (c.sockets.size === 0 && clients.get(id) === c) armGrace(c, graceMs);
      });
      const waiter = c.waiting.shift();
      if (waiter) waiter.give(socket);
      else c.idle.push(socket);
    });
    await new Promise<void>((resolve) => tcp.listen(0, opts.host, resolve));
    c.port = (tcp.address() as AddressInfo).port;
    clients.set(id, c);
    // A client that never connects is dropped too, with more patience than a reconnecting one.
    armGrace(c, graceMs * 5);
    return c;
  };

  const takeSocket = (c: Client, res: ServerResponse): Promise<net.Socket | null> => {
    let idle = c.idle.shift();
    while (idle?.destroyed) idle = c.idle.shift();
    if (idle) return Promise.resolve(idle);
    if (c.waiting.length >= maxWaiting) {
      res.writeHead(503).end('too many requests waiting for this tunnel');
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        give: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
        fail: (status, why) => {
          clearTimeout(timer);
          if (!res.headersSent) res.writeHead(status).end(why);
          resolve(null);
        },
      };
      const timer = setTimeout(() => {
        c.waiting = c.waiting.filter((w) => w !== waiter);
        waiter.fail(504, 'no tunnel connection became free');
      }, socketWaitMs);
      // The public caller gave up: free the slot.
      res.once('close', () => {
        if (!c.waiting.includes(waiter)) return;
        c.waiting = c.waiting.filter((w) => w !== waiter);
        waiter.fail(499, 'caller went away');
      });
      c.waiting.push(waiter);
    });
  };

  const forward = async (
    c: Client,
    req: IncomingMessage,
    res: ServerResponse,
    host: string,
  ): Promise<void> => {
    const socket = await takeSocket(c, res);
    if (!socket) return;
    const headers = {
      ...withoutHopByHop(req.headers),
      connection: 'close',
      'x-forwarded-host': host,
      'x-forwarded-proto': 'http',
      'x-forwarded-for': req.socket.remoteAddress ?? '',
    };
    const up = http.request(
      { method: req.method, path: req.url, headers, createConnection: () => socket },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, withoutHopByHop(upRes.headers));
        upRes.pipe(res);
        upRes.on('error', () => res.destroy());
      },
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502).end(`tunnel error: ${e.message}`);
      else res.destroy();
    });
    req.pipe(up);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = (req.headers.host ?? '').toLowerCase();
    const suffix = `.${domain}`;
    const hostname = host.replace(/:\d+$/, '');
    if (hostname.endsWith(suffix)) {
      const c = clients.get(hostname.slice(0, -suffix.length));
      if (!c) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such tunnel');
      return forward(c, req, res, host);
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const status = /^\/api\/tunnels\/([^/]+)\/status$/.exec(url.pathname);
    if (status) {
      const c = clients.get(status[1]);
      return c
        ? json(res, 200, { connected_sockets: c.sockets.size })
        : json(res, 404, { message: 'no such tunnel' });
    }
    if (req.method !== 'GET') return json(res, 405, { message: 'method not allowed' });
    const id = url.searchParams.has('new') ? randomBytes(4).toString('hex') : url.pathname.slice(1);
    if (!ID_RE.test(id) || opts.refuseId?.(id)) {
      return json(res, 403, { message: `invalid subdomain "${id}": use 4-63 characters a-z, 0-9 and -` });
    }
    const c = await newClient(id);
    json(res, 200, {
      id,
      port: c.port,
      max_conn_count: maxConn,
      url: opts.omitPortInUrl ? `http://${id}.${domain}` : publicBase(id),
    });
  };

  const listen = async (): Promise<void> => {
    server = http.createServer((req, res) => {
      handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(e));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, opts.host, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  };

  const stop = async (): Promise<void> => {
    for (const c of [...clients.values()]) removeClient(c);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  await listen();

  return {
    get url() {
      return `http://${opts.host}:${port}`;
    },
    get port() {
      return port;
    },
    domainUrl: publicBase,
    stop,
    async restart() {
      await stop();
      await listen();
    },
    tunnelIds: () => [...clients.keys()],
    connectedSockets: (id) => clients.get(id)?.sockets.size ?? 0,
    requestThrough(id, r = {}) {
      const body = r.body === undefined ? undefined : Buffer.from(r.body);
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: r.method ?? 'GET',
            path: r.path ?? '/',
            agent: false,
            headers: {
              ...r.headers,
              host: `${id}.${domain}:${port}`,
              ...(body ? { 'content-length': String(body.length) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              clearTimeout(timer);
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
            });
            res.on('error', reject);
          },
        );
        const timer = setTimeout(
          () => req.destroy(new Error('requestThrough timed out')),
          r.timeoutMs ?? 15_000,
        );
        req.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        req.end(body);
      });
    },
  };
}

export interface EchoApp {
  port: number;
  instance: string;
  /** Host headers of requests seen, in order. */
  hosts: string[];
  stop(): Promise<void>;
}

/**
 * The local side of a tunnel in tests, shaped like the WOPI listener where it matters here:
 * GET /health -> {ok, instance}; POST /echo returns the body it got, byte for byte, with its SHA-256
 * in X-Body-Sha256; GET /headers returns the request headers as JSON.
 */
export async function startEchoApp(instance: string): Promise<EchoApp> {
  const hosts: string[] = [];
  const server = http.createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    if (req.method === 'GET' && req.url === '/health') return json(res, 200, { ok: true, instance });
    if (req.method === 'GET' && req.url === '/headers') return json(res, 200, req.headers);
    if (req.method === 'POST' && req.url === '/echo') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const sha = createHash('sha256').update(body).digest('hex');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-body-sha256': sha }).end(body);
      });
      return;
    }
    json(res, 404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    instance,
    hosts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A loopback port nothing listens on: bound to port 0, read, released. */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/**
 * An echo app (`instance`) and a loopback tunnel server for the enclosing suite: started before its tests,
 * stopped after. The returned object is filled in by the before hook.
 */
export function echoAndTunnelForSuite(instance: string): { app: EchoApp; server: TunnelServer } {
  const fixture = {} as { app: EchoApp; server: TunnelServer };
  before(async () => {
    fixture.app = await startEchoApp(instance);
    fixture.server = await startTunnelServer({ host: '127.0.0.1' });
  });
  after(async () => {
    await fixture.server?.stop();
    await fixture.app?.stop();
  });
  return fixture;
}

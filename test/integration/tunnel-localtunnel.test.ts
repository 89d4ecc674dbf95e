// The real localtunnel client against our loopback tunnel server, in front of a local node:http app.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import localtunnel from 'localtunnel';
import { createLocaltunnelProvider } from '../../server/tunnel/localtunnel-provider';
import { TunnelError } from '../../server/tunnel/provider';
import type { OpenTunnel } from '../../server/tunnel/provider';
import { sha256 } from '../helpers/hash';
import { closedPort, echoAndTunnelForSuite, startTunnelServer } from '../helpers/tunnel-server';

const TEST_TIMEOUT = 30_000;

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function rejectsWithCode(p: Promise<unknown>, code: string, retryable: boolean): Promise<TunnelError> {
  const err = await within(
    p.then(
      () => assert.fail('expected the open to fail'),
      (e: unknown) => e,
    ),
    10_000,
    'open',
  );
  assert.ok(err instanceof TunnelError, `expected a TunnelError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.equal(err.retryable, retryable);
  return err;
}

void describe('localtunnel client through the loopback tunnel server', { timeout: TEST_TIMEOUT * 4 }, () => {
  const fx = echoAndTunnelForSuite('inst-lt');
  const provider = createLocaltunnelProvider({ openTimeoutMs: 5_000, lostAfterMs: 500 });
  /** The provider's tunnel from `serverUrl` to the echo app, bounded. */
  const open = (serverUrl: string, subdomain: string): Promise<OpenTunnel> =>
    within(provider.open(fx.app.port, { server: serverUrl, subdomain }), 10_000, 'open');

  void test('GET /?new hands out an id with tunnel details, and the plain client gets a working tunnel', async () => {
    const raw = await within(
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get(`${fx.server.url}/?new`, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      }),
      5_000,
      'GET /?new',
    );
    assert.equal(raw.status, 200);
    const info = JSON.parse(raw.body) as { id: string; port: number; max_conn_count: number; url: string };
    assert.match(info.id, /^[a-z0-9-]{4,63}$/);
    assert.equal(info.url, fx.server.domainUrl(info.id));
    assert.ok(info.port > 0 && info.max_conn_count > 0);

    // The npm client without a subdomain asks for /?new itself.
    const tunnel = await within(
      localtunnel({ port: fx.app.port, host: fx.server.url }),
      10_000,
      'localtunnel()',
    );
    try {
      const id = new URL(tunnel.url).hostname.split('.')[0];
      assert.equal(tunnel.url, fx.server.domainUrl(id));
      const res = await fx.server.requestThrough(id, { path: '/health' });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body.toString()), { ok: true, instance: 'inst-lt' });
    } finally {
      tunnel.close();
    }
  });

  void test('provider: GET reaches the app with the public Host and X-Forwarded headers', async () => {
    const t = await open(fx.server.url, 'wb-get');
    try {
      assert.equal(t.url, `http://wb-get.localhost:${fx.server.port}`);
      assert.equal(t.subdomain, 'wb-get');
      const res = await fx.server.requestThrough('wb-get', { path: '/headers' });
      assert.equal(res.status, 200);
      const seen = JSON.parse(res.body.toString()) as Record<string, string>;
      assert.equal(seen['host'], `wb-get.localhost:${fx.server.port}`);
      assert.equal(seen['x-forwarded-host'], `wb-get.localhost:${fx.server.port}`);
      assert.equal(seen['x-forwarded-proto'], 'http');
    } finally {
      t.close();
    }
  });

  void test('provider: a 3 MB binary POST and concurrent uploads arrive byte for byte', async () => {
    const t = await open(fx.server.url, 'wb-binary');
    try {
      const big = randomBytes(3 * 1024 * 1024);
      const res = await fx.server.requestThrough('wb-binary', { method: 'POST', path: '/echo', body: big });
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-body-sha256'], sha256(big), 'the app received different bytes');
      assert.equal(sha256(res.body), sha256(big), 'the echo came back different');

      // More requests than tunnel sockets: some must wait for a socket to be reopened.
      const bodies = Array.from({ length: 14 }, () => randomBytes(64 * 1024));
      const results = await Promise.all(
        bodies.map((b) => fx.server.requestThrough('wb-binary', { method: 'POST', path: '/echo', body: b })),
      );
      results.forEach((r, i) => {
        assert.equal(r.status, 200);
        assert.equal(r.headers['x-body-sha256'], sha256(bodies[i]));
      });
    } finally {
      t.close();
    }
  });

  void test('provider: appends the server port when the returned URL lacks it', async () => {
    const bare = await startTunnelServer({ host: '127.0.0.1', omitPortInUrl: true });
    try {
      const t = await open(bare.url, 'wb-noport');
      t.close();
      assert.equal(t.url, `http://wb-noport.localhost:${bare.port}`);
    } finally {
      await bare.stop();
    }
  });

  void test('provider: an unknown id is a 404 at the tunnel server', async () => {
    const res = await fx.server.requestThrough('nobody-here', { path: '/health' });
    assert.equal(res.status, 404);
  });

  void test('provider: a refused id fails fast instead of retrying forever', async () => {
    const picky = await startTunnelServer({ host: '127.0.0.1', refuseId: (id) => id === 'wb-refused' });
    try {
      const err = await rejectsWithCode(
        provider.open(fx.app.port, { server: picky.url, subdomain: 'wb-refused' }),
        'id-refused',
        false,
      );
      assert.match(err.message, /wb-refused/);
    } finally {
      await picky.stop();
    }
  });

  void test('provider: invalid input and wrong servers give typed errors', async () => {
    await rejectsWithCode(
      provider.open(fx.app.port, { server: fx.server.url, subdomain: 'ab' }),
      'invalid-subdomain',
      false,
    );
    await rejectsWithCode(
      provider.open(fx.app.port, { server: 'ftp://example.test' }),
      'invalid-server-url',
      false,
    );
    const port = await closedPort();
    const refused = await rejectsWithCode(
      provider.open(fx.app.port, { server: `http://127.0.0.1:${port}` }),
      'unreachable',
      true,
    );
    // The manager's start-up grace keys on this, not on the message text.
    assert.equal(refused.errno, 'ECONNREFUSED');

    // Some servers answer with a landing page; that is not a tunnel.
    const html = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><h1>Welcome</h1>');
    });
    await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
    try {
      const { port: htmlPort } = html.address() as AddressInfo;
      const err = await rejectsWithCode(
        provider.open(fx.app.port, { server: `http://127.0.0.1:${htmlPort}` }),
        'not-a-tunnel-server',
        false,
      );
      assert.match(err.message, /HTML/);
    } finally {
      html.closeAllConnections();
      await new Promise<void>((resolve) => html.close(() => resolve()));
    }
  });

  void test('tunnel server: forgets a tunnel once all its sockets are gone, then answers 404', async () => {
    const quick = await startTunnelServer({ host: '127.0.0.1', graceMs: 50 });
    try {
      const t = await open(quick.url, 'wb-leaving');
      assert.ok(quick.tunnelIds().includes('wb-leaving'));
      assert.equal((await quick.requestThrough('wb-leaving', { path: '/health' })).status, 200);
      t.close();
      await within(
        (async () => {
          while (quick.tunnelIds().includes('wb-leaving')) await new Promise((r) => setTimeout(r, 20));
        })(),
        5_000,
        'tunnel removal',
      );
      assert.equal((await quick.requestThrough('wb-leaving', { path: '/health' })).status, 404);
    } finally {
      await quick.stop();
    }
  });

  void test('tunnel server: caps requests waiting for a tunnel socket (503) and bounds the wait (504)', async () => {
    const register = (base: string, id: string): Promise<number> =>
      new Promise((resolve, reject) => {
        http
          .get(`${base}/${id}`, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
    // Registered but no client ever connects, so requests can only queue.
    const noQueue = await startTunnelServer({ host: '127.0.0.1', maxWaiting: 0 });
    const shortWait = await startTunnelServer({ host: '127.0.0.1', socketWaitMs: 100 });
    try {
      assert.equal(await register(noQueue.url, 'wb-idle'), 200);
      assert.equal((await noQueue.requestThrough('wb-idle', { path: '/health' })).status, 503);
      assert.equal(await register(shortWait.url, 'wb-idle'), 200);
      assert.equal((await shortWait.requestThrough('wb-idle', { path: '/health' })).status, 504);
    } finally {
      await noQueue.stop();
      await shortWait.stop();
    }
  });

  void test('provider: a stopped tunnel server is reported through onError/onClose', async () => {
    const doomed = await startTunnelServer({ host: '127.0.0.1' });
    const t = await open(doomed.url, 'wb-doomed');
    try {
      const signalled = new Promise<string>((resolve) => {
        t.onError((e) => resolve(`error: ${e.message}`));
        t.onClose((reason) => resolve(`close: ${reason}`));
      });
      await doomed.stop();
      const what = await within(signalled, 10_000, 'drop signal');
      assert.match(what, /^(error|close): /);
    } finally {
      t.close();
    }
  });
});

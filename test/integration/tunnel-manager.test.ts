// The tunnel manager end to end: real localtunnel client, loopback tunnel server, local app.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TunnelState, TunnelStatus } from '../../server/contracts/api';
import { createLocaltunnelProvider } from '../../server/tunnel/localtunnel-provider';
import { createTunnelManager, type TunnelManagerDeps } from '../../server/tunnel/manager';
import { createPublicUrlProvider } from '../../server/tunnel/public-url-provider';
import { closedPort, echoAndTunnelForSuite, startEchoApp, startTunnelServer } from '../helpers/tunnel-server';

const WAIT_MS = 15_000;

/** Records every emitted state and lets a test wait (bounded) for one that matches. */
function recorder() {
  const states: TunnelState[] = [];
  const waiters: { match: (s: TunnelState) => boolean; resolve: (s: TunnelState) => void }[] = [];
  return {
    states,
    emit: (s: TunnelState): void => {
      states.push(s);
      for (const w of [...waiters]) {
        if (!w.match(s)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(s);
      }
    },
    /** Only states emitted at index `from` or later count. */
    waitFor(match: (s: TunnelState) => boolean, what: string, from = 0): Promise<TunnelState> {
      const seen = states.slice(from).find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const statuses = states.map((s) => s.status).join(',');
          reject(new Error(`waiting for ${what}: not seen within ${WAIT_MS} ms (states: ${statuses})`));
        }, WAIT_MS);
        waiters.push({
          match,
          resolve: (s) => {
            clearTimeout(timer);
            resolve(s);
          },
        });
      });
    },
    /** Statuses with consecutive repeats folded, e.g. several reconnect attempts count once. */
    statusRuns(): TunnelStatus[] {
      return states.map((s) => s.status).filter((s, i, all) => i === 0 || all[i - 1] !== s);
    },
  };
}

function manager(
  localPort: number,
  rec: ReturnType<typeof recorder>,
  extra: Partial<TunnelManagerDeps> = {},
) {
  return createTunnelManager({
    localPort: () => localPort,
    emit: rec.emit,
    now: () => Date.now(),
    providers: {
      localtunnel: createLocaltunnelProvider({ openTimeoutMs: 3_000, lostAfterMs: 300 }),
      'public-url': createPublicUrlProvider(),
    },
    backoff: { initialMs: 40, maxMs: 200, maxAttempts: 100 },
    reachabilityTimeoutMs: 3_000,
    ...extra,
  });
}

void describe('tunnel manager over localtunnel', { timeout: 90_000 }, () => {
  const fx = echoAndTunnelForSuite('inst-m');

  void test('start goes connecting -> online with a URL carrying the server port; stop goes off', async () => {
    const rec = recorder();
    const m = manager(fx.app.port, rec);
    const online = await m.start({ provider: 'localtunnel', server: fx.server.url, subdomain: 'wb-start' });
    try {
      assert.equal(online.status, 'online', online.error);
      assert.equal(online.publicUrl, `http://wb-start.localhost:${fx.server.port}`);
      assert.equal(online.subdomain, 'wb-start');
      assert.equal(online.server, fx.server.url);
      assert.equal(m.publicUrl(), online.publicUrl);
      assert.deepEqual(rec.statusRuns(), ['connecting', 'online']);
      assert.deepEqual(rec.states.at(-1), m.state(), 'the last emitted state is the current one');

      const res = await fx.server.requestThrough('wb-start', { path: '/health' });
      assert.deepEqual(JSON.parse(res.body.toString()), { ok: true, instance: 'inst-m' });
    } finally {
      const off = await m.stop();
      assert.equal(off.status, 'off');
      assert.equal(off.publicUrl, undefined);
      assert.equal(m.publicUrl(), null);
    }
  });

  void test('a generated subdomain is valid and reported', async () => {
    const rec = recorder();
    const m = manager(fx.app.port, rec);
    try {
      const s = await m.start({ provider: 'localtunnel', server: fx.server.url });
      assert.equal(s.status, 'online', s.error);
      assert.match(s.subdomain ?? '', /^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$/);
      assert.equal(s.publicUrl, fx.server.domainUrl(s.subdomain!));
    } finally {
      await m.stop();
    }
  });

  void test('server drop: dropped -> reconnecting -> online again with the same subdomain', async () => {
    const local = await startTunnelServer({ host: '127.0.0.1' });
    const rec = recorder();
    const m = manager(fx.app.port, rec);
    try {
      const first = await m.start({ provider: 'localtunnel', server: local.url, subdomain: 'wb-comeback' });
      assert.equal(first.status, 'online', first.error);
      m.markUrlsIssued();

      await local.stop();
      // At least one reconnect attempt must fail while the server is away.
      await rec.waitFor((s) => s.status === 'reconnecting' && s.error !== undefined, 'a failed reconnect');
      assert.equal(m.publicUrl(), first.publicUrl, 'links keep the URL we expect to get back');

      const mark = rec.states.length;
      await local.restart();
      const back = await rec.waitFor((s) => s.status === 'online', 'online again', mark);

      assert.deepEqual(rec.statusRuns(), ['connecting', 'online', 'dropped', 'reconnecting', 'online']);
      const dropped = rec.states.find((s) => s.status === 'dropped')!;
      assert.match(dropped.error ?? '', /tunnel dropped/);
      assert.equal(back.subdomain, 'wb-comeback');
      assert.equal(back.publicUrl, first.publicUrl);
      assert.ok((back.attempt ?? 0) >= 1, 'the online state says it came back through a reconnect');
      assert.equal(back.error, undefined);
      assert.equal(back.staleUrlsIssued, undefined, 'same URL: issued links still work');

      const res = await local.requestThrough('wb-comeback', { path: '/health' });
      assert.equal(res.status, 200);
    } finally {
      await m.stop();
      await local.stop();
    }
  });

  void test('gives up after the configured attempts, with capped exponential delays', async () => {
    const local = await startTunnelServer({ host: '127.0.0.1' });
    const rec = recorder();
    const delays: number[] = [];
    const m = manager(fx.app.port, rec, {
      backoff: { initialMs: 30, maxMs: 100, maxAttempts: 4 },
      setTimer: (fn, ms) => {
        delays.push(ms);
        return setTimeout(fn, ms);
      },
      clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
    });
    try {
      const first = await m.start({ provider: 'localtunnel', server: local.url, subdomain: 'wb-giveup' });
      assert.equal(first.status, 'online', first.error);
      await local.stop();
      const failed = await rec.waitFor((s) => s.status === 'failed', 'failed');
      assert.match(failed.error ?? '', /gave up after 4 reconnect attempts/);
      assert.equal(failed.attempt, 4);
      assert.deepEqual(delays, [30, 60, 100, 100]);
      assert.equal(m.publicUrl(), null);
    } finally {
      await m.stop();
    }
  });

  void test('a first connect that cannot work fails at once with the reason', async () => {
    const rec = recorder();
    const m = manager(fx.app.port, rec, { startRefusedGraceMs: 0 });
    const gone = await startTunnelServer({ host: '127.0.0.1' });
    await gone.stop();

    const unreachable = await m.start({ provider: 'localtunnel', server: gone.url, subdomain: 'wb-nowhere' });
    assert.equal(unreachable.status, 'failed');
    assert.match(unreachable.error ?? '', /cannot reach tunnel server/);
    assert.deepEqual(rec.statusRuns(), ['connecting', 'failed']);

    const invalid = await m.start({ provider: 'localtunnel', server: 'localtunnel.me/path' });
    assert.equal(invalid.status, 'failed');
    assert.match(invalid.error ?? '', /tunnel server URL/);
    await m.stop();
  });

  void test('a tunnel server still starting (connection refused) gets a short grace on the first connect', async () => {
    const late = await startTunnelServer({ host: '127.0.0.1' });
    await late.stop();
    const rec = recorder();
    const m = manager(fx.app.port, rec, { startRefusedGraceMs: 10_000 });
    try {
      const starting = m.start({ provider: 'localtunnel', server: late.url, subdomain: 'wb-late' });
      // Refused at least once, said so while still connecting, then the server comes up.
      const refused = await rec.waitFor(
        (s) => s.status === 'connecting' && s.attempt === 1,
        'a refused attempt',
      );
      assert.match(refused.error ?? '', /ECONNREFUSED/);
      await late.restart();
      const online = await starting;
      assert.equal(online.status, 'online', online.error);
      assert.equal(online.publicUrl, late.domainUrl('wb-late'));
      assert.equal(online.error, undefined);
      assert.deepEqual(rec.statusRuns(), ['connecting', 'online']);
    } finally {
      await m.stop();
      await late.stop();
    }
  });

  void test('the grace ends in failed, and stop() during it ends it at once', async () => {
    const gone = await startTunnelServer({ host: '127.0.0.1' });
    await gone.stop();
    const rec = recorder();
    const m = manager(fx.app.port, rec, { startRefusedGraceMs: 600 });
    const failed = await m.start({ provider: 'localtunnel', server: gone.url, subdomain: 'wb-never' });
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /cannot reach tunnel server .*ECONNREFUSED/);
    assert.ok(rec.states.filter((s) => s.status === 'connecting').length >= 2, 'it retried');

    const m2 = manager(fx.app.port, recorder(), { startRefusedGraceMs: 60_000 });
    const t0 = Date.now();
    const pending = m2.start({ provider: 'localtunnel', server: gone.url, subdomain: 'wb-stopped' });
    await new Promise((r) => setTimeout(r, 400));
    const off = await m2.stop();
    await pending;
    assert.equal(off.status, 'off');
    assert.equal(m2.state().status, 'off', 'a cancelled start does not come back as failed or online');
    assert.ok(Date.now() - t0 < 5_000, 'stop ended the grace');
  });

  void test('reachability: all three hops pass through the live tunnel', async () => {
    const rec = recorder();
    const m = manager(fx.app.port, rec);
    try {
      await m.start({ provider: 'localtunnel', server: fx.server.url, subdomain: 'wb-reach' });
      const r = await m.checkReachability('inst-m');
      assert.equal(r.ok, true, JSON.stringify(r.hops));
      assert.deepEqual(
        r.hops.map((h) => [h.name, h.ok]),
        [
          ['local listener', true],
          ['tunnel server', true],
          ['public URL', true],
        ],
      );
      assert.deepEqual(m.state().reachability, r);
      assert.deepEqual(rec.states.at(-1)?.reachability, r, 'the result is emitted with the state');
    } finally {
      await m.stop();
    }
  });

  void test('reachability: a stopped tunnel server fails the server and public hops', async () => {
    const local = await startTunnelServer({ host: '127.0.0.1' });
    const rec = recorder();
    const m = manager(fx.app.port, rec, { backoff: { initialMs: 60_000, maxMs: 60_000, maxAttempts: 1 } });
    try {
      await m.start({ provider: 'localtunnel', server: local.url, subdomain: 'wb-downhop' });
      await local.stop();
      const r = await m.checkReachability('inst-m');
      assert.equal(r.ok, false);
      const [localHop, serverHop, publicHop] = r.hops;
      assert.equal(localHop?.ok, true);
      assert.equal(serverHop?.ok, false);
      assert.match(serverHop?.detail ?? '', /refused/);
      assert.equal(publicHop?.ok, false);
    } finally {
      await m.stop();
    }
  });

  void test('reachability: a URL that leads to another workbench is named as such', async () => {
    const other = await startEchoApp('inst-other');
    const tunnelToOther = await createLocaltunnelProvider().open(other.port, {
      server: fx.server.url,
      subdomain: 'wb-other',
    });
    const rec = recorder();
    const m = manager(fx.app.port, rec);
    try {
      const s = await m.start({ provider: 'public-url', publicUrl: fx.server.domainUrl('wb-other') });
      assert.equal(s.status, 'unverified');
      const r = await m.checkReachability('inst-m');
      assert.equal(r.ok, false);
      assert.deepEqual(
        r.hops.map((h) => h.ok),
        [true, true, false],
      );
      assert.match(r.hops[2]?.detail ?? '', /another workbench \(instance inst-other, expected inst-m\)/);
      assert.equal(m.state().status, 'unverified', 'a failed check keeps the URL unverified');
      assert.match(
        m.state().error ?? '',
        /does not reach this workbench yet \(public URL: .*another workbench/,
      );
    } finally {
      await m.stop();
      tunnelToOther.close();
      await other.stop();
    }
  });

  void test('reachability: a subdomain nobody holds is a 404 at the public hop; a dead local port fails hop 1', async () => {
    const deadPort = await closedPort();
    const rec = recorder();
    const m = manager(deadPort, rec);
    try {
      await m.start({ provider: 'public-url', publicUrl: fx.server.domainUrl('wb-nobody') });
      const r = await m.checkReachability('inst-m');
      assert.equal(r.hops[0]?.ok, false);
      assert.match(r.hops[0]?.detail ?? '', /health: connection refused/);
      assert.equal(r.hops[2]?.ok, false);
      assert.match(r.hops[2]?.detail ?? '', /404.*does not know this subdomain/);
    } finally {
      await m.stop();
    }
  });
});

void describe(
  'a public URL is unverified until a check meets this workbench behind it',
  { timeout: 60_000 },
  () => {
    const fx = echoAndTunnelForSuite('inst-pub');

    void test('a URL that leads here: unverified, then online once the automatic check passes', async () => {
      // The person's "reverse proxy": a loopback tunnel to the app, named by its public URL.
      const proxy = await createLocaltunnelProvider().open(fx.app.port, {
        server: fx.server.url,
        subdomain: 'wb-proxied',
      });
      const rec = recorder();
      const m = manager(fx.app.port, rec, { instanceId: 'inst-pub' });
      try {
        const started = await m.start({
          provider: 'public-url',
          publicUrl: fx.server.domainUrl('wb-proxied'),
        });
        assert.equal(started.status, 'unverified', 'a configured URL is not online before any check');
        assert.equal(m.publicUrl(), fx.server.domainUrl('wb-proxied'), 'links carry it meanwhile');
        const online = await rec.waitFor((s) => s.status === 'online', 'online after the check');
        assert.equal(online.reachability?.ok, true);
        assert.equal(online.error, undefined);
        assert.deepEqual(rec.statusRuns(), ['connecting', 'unverified', 'online']);
      } finally {
        await m.stop();
        proxy.close();
      }
    });

    void test('a host name that does not resolve stays unverified, and the error says so', async () => {
      const rec = recorder();
      const m = manager(fx.app.port, rec, { instanceId: 'inst-pub' });
      try {
        await m.start({ provider: 'public-url', publicUrl: 'https://wopi.workbench-test.invalid' });
        const judged = await rec.waitFor((s) => s.reachability !== undefined, 'the automatic check');
        assert.equal(judged.status, 'unverified');
        assert.equal(judged.reachability?.ok, false);
        assert.match(
          judged.error ?? '',
          /^https:\/\/wopi\.workbench-test\.invalid does not reach this workbench yet \(public host: .*does not resolve\)/,
        );
        assert.ok(!rec.states.some((s) => s.status === 'online'), 'never shown online');
      } finally {
        await m.stop();
      }
    });

    void test('a failed manual check takes an online public URL back to unverified', async () => {
      const proxy = await createLocaltunnelProvider().open(fx.app.port, {
        server: fx.server.url,
        subdomain: 'wb-proxy-gone',
      });
      const rec = recorder();
      const m = manager(fx.app.port, rec, { instanceId: 'inst-pub' });
      try {
        await m.start({ provider: 'public-url', publicUrl: fx.server.domainUrl('wb-proxy-gone') });
        await rec.waitFor((s) => s.status === 'online', 'online after the check');
        proxy.close();
        const r = await m.checkReachability('inst-pub');
        assert.equal(r.ok, false);
        assert.equal(m.state().status, 'unverified');
        assert.match(m.state().error ?? '', /does not reach this workbench yet/);
      } finally {
        await m.stop();
        proxy.close();
      }
    });
  },
);

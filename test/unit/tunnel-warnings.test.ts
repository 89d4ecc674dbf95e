// Warnings that say a working tunnel is still useless for the chosen WOPI client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TunnelState } from '../../server/contracts/api';
import { createTunnelManager } from '../../server/tunnel/manager';
import { tunnelWarnings } from '../../server/tunnel/warnings';

const has = (warnings: string[], re: RegExp): boolean => warnings.some((w) => re.test(w));

void test('https-only profile on a plain-http public URL is flagged; https is not', () => {
  const http = tunnelWarnings({
    publicUrl: 'http://wopi.example.com',
    requiresHttps: true,
    profileKind: 'collabora',
  });
  assert.equal(http.length, 1);
  assert.match(http[0], /requires HTTPS.*http:\/\/wopi\.example\.com/);
  assert.deepEqual(
    tunnelWarnings({ publicUrl: 'https://wopi.example.com', requiresHttps: true, profileKind: 'collabora' }),
    [],
  );
  assert.deepEqual(tunnelWarnings({ publicUrl: 'http://wopi.example.com', requiresHttps: false }), []);
});

void test('Office for the web on a shared tunnel domain: explains the allow list and the self-hosted way out', () => {
  for (const kind of ['office', 'office-test']) {
    const w = tunnelWarnings({
      publicUrl: 'https://quiet-cat-12.loca.lt',
      requiresHttps: true,
      profileKind: kind,
    });
    assert.ok(has(w, /allow list/), kind);
    assert.ok(has(w, /self-hosted tunnel server on your own allow-listed wildcard domain/), kind);
  }
  const ngrok = tunnelWarnings({
    publicUrl: 'https://abc.ngrok-free.app',
    requiresHttps: true,
    profileKind: 'office',
  });
  assert.ok(has(ngrok, /allow list/));
  // Own domain: nothing to say. Collabora calls any host, so no allow-list warning either.
  assert.deepEqual(
    tunnelWarnings({
      publicUrl: 'https://dev1.wopi.contoso.com',
      requiresHttps: true,
      profileKind: 'office',
    }),
    [],
  );
  const collabora = tunnelWarnings({
    publicUrl: 'https://quiet-cat-12.loca.lt',
    requiresHttps: true,
    profileKind: 'collabora',
  });
  assert.ok(!has(collabora, /allow list/));
});

void test('the loca.lt reminder page is explained, with the bypass header', () => {
  const w = tunnelWarnings({ publicUrl: 'https://quiet-cat-12.loca.lt', requiresHttps: false });
  assert.equal(w.length, 1);
  assert.match(w[0], /reminder/);
  assert.match(w[0], /bypass-tunnel-reminder/);
  assert.match(w[0], /browser/);
  // Not for look-alike hosts.
  assert.deepEqual(tunnelWarnings({ publicUrl: 'https://notloca.lt.example.com', requiresHttps: false }), []);
});

void test('before the URL is known, the server host decides (default localtunnel.me)', () => {
  const w = tunnelWarnings({ server: 'https://localtunnel.me', requiresHttps: true, profileKind: 'office' });
  assert.ok(has(w, /allow list/));
  assert.ok(has(w, /reminder/));
  assert.ok(!has(w, /requires HTTPS/), 'no URL yet, so nothing to say about its scheme');
});

void test('the manager puts warnings into every emitted state, and refresh() follows profile changes', async () => {
  const emitted: TunnelState[] = [];
  let kind = 'collabora';
  let https = false;
  const m = createTunnelManager({
    localPort: () => 1,
    emit: (s) => emitted.push(s),
    now: () => 1_000,
    checkProfileHttps: () => https,
    profileKind: () => kind,
  });
  const s = await m.start({ provider: 'public-url', publicUrl: 'http://team.loca.lt' });
  assert.equal(s.status, 'unverified');
  assert.equal(s.warnings.length, 1, 'only the reminder page for Collabora over http');

  kind = 'office';
  https = true;
  const after = m.refresh();
  assert.ok(has(after.warnings, /requires HTTPS/));
  assert.ok(has(after.warnings, /allow list/));
  assert.ok(has(after.warnings, /reminder/));
  assert.deepEqual(emitted.at(-1), after);

  const off = await m.stop();
  assert.deepEqual(off.warnings, []);
});

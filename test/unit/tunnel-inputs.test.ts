// Input checks shared by the providers: subdomains, server and public URLs, port repair, backoff.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicOrigin } from '../../server/tunnel/localtunnel-provider';
import { backoffDelay } from '../../server/tunnel/manager';
import { createPublicUrlProvider } from '../../server/tunnel/public-url-provider';
import {
  isValidSubdomain,
  normalizePublicUrl,
  normalizeServerUrl,
  normalizeSubdomain,
  randomSubdomain,
  TunnelError,
} from '../../server/tunnel/provider';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof TunnelError);
    assert.equal(e.retryable, false);
    return e.code;
  }
  return 'no error';
}

void test('subdomains: 4-63 of [a-z0-9-], no hyphen at either end; case is folded', () => {
  assert.equal(normalizeSubdomain('My-Tunnel'), 'my-tunnel');
  assert.equal(normalizeSubdomain('abcd'), 'abcd');
  assert.equal(normalizeSubdomain('a'.repeat(63)), 'a'.repeat(63));
  for (const bad of ['ab', 'abc', 'a'.repeat(64), '-abcd', 'abcd-', 'ab_cd', 'ab.cd', 'tünnel']) {
    assert.equal(
      codeOf(() => normalizeSubdomain(bad)),
      'invalid-subdomain',
      bad,
    );
  }
});

void test('random subdomains are always valid and differ', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const id = randomSubdomain();
    assert.ok(isValidSubdomain(id), id);
    seen.add(id);
  }
  assert.equal(seen.size, 200);
});

void test('public URL: http(s) origin only, trailing slash tolerated, normalised', () => {
  assert.equal(normalizePublicUrl('https://wopi.example.com/'), 'https://wopi.example.com');
  assert.equal(normalizePublicUrl(' HTTPS://Wopi.Example.com:443 '), 'https://wopi.example.com');
  assert.equal(normalizePublicUrl('http://dev.example.com:8080'), 'http://dev.example.com:8080');
  for (const bad of [
    '',
    'wopi.example.com',
    'ftp://wopi.example.com',
    'https://wopi.example.com/wopi',
    'https://wopi.example.com/?a=1',
    'https://wopi.example.com/#x',
    'https://user:pw@wopi.example.com',
  ]) {
    assert.equal(
      codeOf(() => normalizePublicUrl(bad)),
      'invalid-public-url',
      bad,
    );
  }
});

void test('server URL has the same rules, with its own error code', () => {
  assert.equal(normalizeServerUrl('http://127.0.0.1:18090/'), 'http://127.0.0.1:18090');
  assert.equal(
    codeOf(() => normalizeServerUrl('localtunnel.me')),
    'invalid-server-url',
  );
  assert.equal(
    codeOf(() => normalizeServerUrl('https://tunnel.example.com/api')),
    'invalid-server-url',
  );
});

void test('the public-url provider reports a valid URL and rejects an invalid one', async () => {
  const p = createPublicUrlProvider();
  const t = await p.open(1234, { publicUrl: 'https://wopi.example.com/' });
  assert.equal(t.url, 'https://wopi.example.com');
  await assert.rejects(p.open(1234, { publicUrl: 'https://wopi.example.com/path' }), (e: unknown) => {
    assert.ok(e instanceof TunnelError);
    assert.equal(e.code, 'invalid-public-url');
    return true;
  });
});

void test('the server port is added to a returned URL without one, only for the same scheme', () => {
  assert.equal(
    publicOrigin('http://abcd.localhost', 'http://127.0.0.1:18090'),
    'http://abcd.localhost:18090',
  );
  assert.equal(
    publicOrigin('http://abcd.localhost:18090/', 'http://127.0.0.1:18090'),
    'http://abcd.localhost:18090',
  );
  assert.equal(publicOrigin('https://abcd.loca.lt', 'https://localtunnel.me'), 'https://abcd.loca.lt');
  assert.equal(
    publicOrigin('https://abcd.t.example.com', 'http://t.example.com:8080'),
    'https://abcd.t.example.com',
  );
});

void test('backoff doubles from the initial delay and stops at the cap', () => {
  const b = { initialMs: 1_000, maxMs: 30_000, maxAttempts: 10 };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, b)),
    [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000],
  );
});

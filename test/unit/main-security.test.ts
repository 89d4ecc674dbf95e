import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsp, checkedOrigin, isAppOriginUrl, withCsp } from '../../main/security/csp';
import {
  decideWindowOpen,
  isNavigationAllowed,
  isPermissionGranted,
  safeExternalUrl,
} from '../../main/security/navigation';
import { buildWindowOptions } from '../../main/window-options';

const APP = 'http://127.0.0.1:43123';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

void test('CSP allows scripts and connections only from the app (control API) origin', () => {
  const d = directives(buildCsp(`${APP}/ui/index.html`));
  assert.deepEqual(d.get('default-src'), ["'none'"]);
  assert.deepEqual(d.get('script-src'), [APP]);
  assert.deepEqual(d.get('connect-src'), [APP]);
  for (const name of ['object-src', 'frame-src', 'base-uri', 'form-action', 'frame-ancestors']) {
    assert.deepEqual(d.get(name), ["'none'"], name);
  }
  for (const [name, values] of d) {
    assert.ok(!values.includes("'unsafe-eval'"), `${name} must not allow eval`);
    assert.ok(!values.some((v) => v.includes('*')), `${name} must not use wildcards`);
    if (name !== 'style-src') assert.ok(!values.includes("'unsafe-inline'"), `${name} must not allow inline`);
  }
});

void test('CSP refuses origins that are not http(s): the value ends up in a header', () => {
  assert.throws(() => buildCsp('file:///etc/passwd'));
  assert.throws(() => buildCsp('not a url'));
  assert.equal(checkedOrigin('http://127.0.0.1:5/a;b'), 'http://127.0.0.1:5');
});

void test('the CSP header is appended to an existing one, so a stricter page policy still applies', () => {
  const policy = buildCsp(APP);
  const merged = withCsp(
    { 'content-security-policy': ["default-src 'self'"], 'Content-Type': 'text/html' },
    policy,
  );
  assert.deepEqual(merged['content-security-policy'], ["default-src 'self'", policy]);
  assert.deepEqual(merged['Content-Type'], ['text/html']);
  assert.equal(Object.keys(merged).length, 2);
  assert.deepEqual(withCsp(undefined, policy), { 'Content-Security-Policy': [policy] });
});

void test('only app-origin responses are shaped', () => {
  assert.equal(isAppOriginUrl(`${APP}/v1/status`, APP), true);
  assert.equal(isAppOriginUrl('http://127.0.0.1:9999/', APP), false);
  assert.equal(isAppOriginUrl('garbage', APP), false);
});

void test('navigation stays inside the app origin', () => {
  assert.equal(isNavigationAllowed(`${APP}/index.html#/requests`, APP), true);
  assert.equal(isNavigationAllowed('http://127.0.0.1:43124/', APP), false, 'other port');
  assert.equal(isNavigationAllowed('http://localhost:43123/', APP), false, 'other host name');
  assert.equal(isNavigationAllowed('https://example.com/', APP), false);
  assert.equal(isNavigationAllowed('file:///etc/passwd', APP), false);
  assert.equal(isNavigationAllowed('data:text/html,hi', APP), false);
  assert.equal(isNavigationAllowed(`${APP}/`, null), false, 'nothing is trusted before the engine is up');
});

void test('external URLs: http(s) only, no credentials, bounded', () => {
  assert.equal(safeExternalUrl('https://learn.microsoft.com/wopi'), 'https://learn.microsoft.com/wopi');
  assert.equal(safeExternalUrl('HTTP://Example.COM'), 'http://example.com/');
  for (const bad of [
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ms-word:ofe|u|https://x',
    'smb://server/share',
    'https://user:pw@example.com/',
    'https://',
    `https://example.com/${'a'.repeat(9000)}`,
    '',
    42,
    null,
  ]) {
    assert.equal(safeExternalUrl(bad), null, String(bad).slice(0, 40));
  }
});

void test('window.open is always denied; safe links go to the OS browser', () => {
  assert.deepEqual(decideWindowOpen('https://example.com/x'), {
    action: 'deny',
    openExternally: 'https://example.com/x',
  });
  assert.deepEqual(decideWindowOpen('file:///tmp/x'), { action: 'deny', openExternally: null });
});

void test('permissions are denied by default; clipboard write only for the app origin', () => {
  assert.equal(isPermissionGranted('clipboard-sanitized-write', `${APP}/`, APP), true);
  assert.equal(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/', APP), false);
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
    assert.equal(isPermissionGranted(p, `${APP}/`, APP), false, p);
  }
  assert.equal(isPermissionGranted('clipboard-sanitized-write', `${APP}/`, null), false);
});

void test('window options are hardened', () => {
  const opts = buildWindowOptions({
    preloadPath: '/app/dist/main/preload.cjs',
    appVersion: '1.2.3',
    state: { x: 5, y: 6, width: 900, height: 700, maximized: false, fullScreen: false },
  });
  const web = opts.webPreferences ?? {};
  assert.equal(web.contextIsolation, true);
  assert.equal(web.sandbox, true);
  assert.equal(web.nodeIntegration, false);
  assert.equal(web.nodeIntegrationInSubFrames, false);
  assert.equal(web.webSecurity, true);
  assert.equal(web.allowRunningInsecureContent, false);
  assert.equal(web.webviewTag, false);
  assert.equal(web.preload, '/app/dist/main/preload.cjs');
  assert.deepEqual(web.additionalArguments, ['--wb-app-version=1.2.3']);
  assert.equal(opts.show, false);
  assert.deepEqual([opts.x, opts.y, opts.width, opts.height], [5, 6, 900, 700]);
  const centred = buildWindowOptions({
    preloadPath: '/p',
    appVersion: '1',
    state: { width: 900, height: 700, maximized: false, fullScreen: false },
  });
  assert.equal('x' in centred, false);
});

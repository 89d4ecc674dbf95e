// The built UI served by the control listener: no token needed, but the same Host/Origin checks;
// content types, CSP on index.html, caching (hashed assets kept, the rest revalidated), SPA fallback,
// and no way out of the UI folder.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createWorkbench } from '../../server/workbench';
import type { Workbench } from '../../server/workbench';
import { expectStatus, sendRequest } from '../helpers/wopi-client';
import type { WopiResponse } from '../helpers/wopi-client';

const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";
const INDEX =
  '<!doctype html><title>Workbench UI</title><script type="module" src="./assets/app.js"></script>';
const APP_JS = 'console.log("app");\n';
const HASHED_JS = 'console.log("hashed");\n';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SECRET = 'secret outside the UI folder';

let root: string;
let withUi: Workbench;
let withoutUi: Workbench;

async function startEngine(name: string, uiDir: string | undefined): Promise<Workbench> {
  const folder = path.join(root, `${name}-folder`);
  await fsp.mkdir(folder);
  const wb = createWorkbench({ folder, dataDir: path.join(root, `${name}-data`), watch: false, uiDir });
  await wb.start();
  return wb;
}

function get(
  wb: Workbench,
  rawPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<WopiResponse> {
  return sendRequest({ method, url: `${wb.controlUrl()}/`, rawPath, headers });
}

before(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'wb-control-ui-'));
  const ui = path.join(root, 'ui');
  await fsp.mkdir(path.join(ui, 'assets'), { recursive: true });
  await fsp.writeFile(path.join(ui, 'index.html'), INDEX);
  await fsp.writeFile(path.join(ui, 'assets', 'app.js'), APP_JS);
  await fsp.writeFile(path.join(ui, 'assets', 'index-B4x_9kQz.js'), HASHED_JS);
  await fsp.writeFile(path.join(ui, 'assets', 'style.css'), 'body { margin: 0 }\n');
  await fsp.writeFile(path.join(ui, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await fsp.writeFile(path.join(root, 'secret.txt'), SECRET);
  await fsp.symlink(path.join(root, 'secret.txt'), path.join(ui, 'leak.txt'));
  withUi = await startEngine('ui', ui);
  withoutUi = await startEngine('bare', undefined);
});

after(async () => {
  await withUi?.stop();
  await withoutUi?.stop();
  if (root) await fsp.rm(root, { recursive: true, force: true });
});

void describe('static UI', () => {
  void it('serves index.html without a token, with CSP, revalidated on every load, and nosniff', async () => {
    for (const p of ['/', '/index.html']) {
      const res = await get(withUi, p);
      expectStatus(res, 200, p);
      assert.equal(res.text, INDEX);
      assert.equal(res.header('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.header('content-security-policy'), CSP);
      assert.equal(res.header('cache-control'), 'no-cache');
      assert.equal(res.header('x-content-type-options'), 'nosniff');
      assert.equal(res.header('access-control-allow-origin'), undefined);
      assert.equal(res.header('x-powered-by'), undefined);
      // Revalidation is cheap: the validator it sent gets a 304 while the page is unchanged.
      const etag = res.header('etag');
      assert.ok(etag, `${p} has an ETag`);
      expectStatus(await get(withUi, p, { 'If-None-Match': etag }), 304, p);
    }
    const head = await get(withUi, '/', {}, 'HEAD');
    expectStatus(head, 200);
    assert.equal(head.body.length, 0);
  });

  void it('serves assets with their content types', async () => {
    const cases: Array<[string, string]> = [
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/style.css', 'text/css; charset=utf-8'],
      ['/favicon.svg', 'image/svg+xml'],
    ];
    for (const [p, type] of cases) {
      const res = await get(withUi, p);
      expectStatus(res, 200, p);
      assert.equal(res.header('content-type'), type, p);
      assert.equal(res.header('x-content-type-options'), 'nosniff', p);
    }
    assert.equal((await get(withUi, '/assets/app.js')).text, APP_JS);
  });

  void it('lets the browser keep content-hashed assets, and revalidate everything else', async () => {
    const hashed = await get(withUi, '/assets/index-B4x_9kQz.js');
    expectStatus(hashed, 200);
    assert.equal(hashed.text, HASHED_JS);
    assert.equal(hashed.header('cache-control'), IMMUTABLE);
    for (const p of ['/assets/app.js', '/favicon.svg']) {
      assert.equal((await get(withUi, p)).header('cache-control'), 'no-cache', p);
    }
  });

  void it('falls back to index.html for client routes, but 404s a missing asset', async () => {
    const route = await get(withUi, '/files/abc/details');
    expectStatus(route, 200);
    assert.equal(route.text, INDEX);
    assert.equal(route.header('content-security-policy'), CSP);
    assert.equal(route.header('cache-control'), 'no-cache');
    const missing = await get(withUi, '/assets/missing.js');
    expectStatus(missing, 404);
    assert.equal(missing.header('cache-control'), 'no-store');
  });

  void it('never serves a file outside the UI folder', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/leak.txt',
      `/${encodeURIComponent(path.join(root, 'secret.txt'))}`,
    ];
    for (const p of attempts) {
      const res = await get(withUi, p);
      assert.ok(!res.text.includes(SECRET), `${p} leaked the secret\n${res.describe()}`);
      assert.notEqual(res.status, 200, `${p} answered 200\n${res.describe()}`);
    }
    expectStatus(await get(withUi, '/a%00b'), 400);
  });

  void it('applies the Host and Origin checks to UI files and refuses writes', async () => {
    const port = new URL(withUi.controlUrl()).port;
    expectStatus(await get(withUi, '/', { Host: `evil.example:${port}` }), 403);
    expectStatus(await get(withUi, '/assets/app.js', { Origin: 'http://evil.example' }), 403);
    expectStatus(await get(withUi, '/assets/app.js', { Origin: `http://127.0.0.1:${port}` }), 200);
    const post = await get(withUi, '/', {}, 'POST');
    expectStatus(post, 405);
    assert.equal(post.header('allow'), 'GET, HEAD');
  });

  void it('keeps /v1 for the API: no token, no UI', async () => {
    for (const p of ['/v1', '/v1/', '/v1/files']) expectStatus(await get(withUi, p), 401, p);
  });

  void it('without a built UI, explains how to build it', async () => {
    const res = await get(withoutUi, '/');
    expectStatus(res, 200);
    assert.match(res.text, /npm run build:ui/);
    assert.equal(res.header('content-security-policy'), CSP);
    assert.equal(res.header('cache-control'), 'no-store', 'gives way to the UI once there is one');
    expectStatus(await get(withoutUi, '/v1/status'), 401);
  });
});

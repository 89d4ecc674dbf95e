// The request log over the control API: paging newest-first with a cursor, filters, redaction of
// access tokens at the exit (unless one record is revealed), and clearing.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { RequestPage, RequestRecord, StatusView } from '../../server/contracts';
import { createWorkbench } from '../../server/workbench';
import type { Workbench } from '../../server/workbench';
import { checkFileInfo, expectStatus, getFile, lock, sendRequest, unlock } from '../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../helpers/wopi-client';

let root: string;
let wb: Workbench;
let targetA: WopiTarget;
let targetB: WopiTarget;
let fileA: string;
let fileB: string;

async function call(method: string, route: string): Promise<WopiResponse> {
  return sendRequest({
    method,
    url: `${wb.controlUrl()}${route}`,
    headers: { Authorization: `Bearer ${wb.controlToken}` },
  });
}

async function getJson<T>(route: string): Promise<T> {
  const res = await call('GET', route);
  expectStatus(res, 200, route);
  return JSON.parse(res.text) as T;
}

/** Records are written when each WOPI response has closed; wait (bounded) until `n` are in. */
async function waitForLogged(n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await getJson<StatusView>('/v1/status')).requestCount >= n) return;
    await sleep(10);
  }
  assert.fail(`the request log never reached ${n} records`);
}

async function allPages(query: string, limit: number): Promise<RequestPage[]> {
  const pages: RequestPage[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const sep = query ? '&' : '';
    const page = await getJson<RequestPage>(
      `/v1/requests?${query}${sep}limit=${limit}${cursor ? `&before=${cursor}` : ''}`,
    );
    pages.push(page);
    cursor = page.nextCursor;
    if (!cursor) return pages;
  }
  return assert.fail('paging did not end');
}

before(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'wb-control-requests-'));
  const folder = path.join(root, 'folder');
  await fsp.mkdir(folder);
  await fsp.writeFile(path.join(folder, 'a.docx'), 'A');
  await fsp.writeFile(path.join(folder, 'b.xlsx'), 'B');
  wb = createWorkbench({ folder, dataDir: path.join(root, 'data'), watch: false });
  await wb.start();
  const files = await wb.index.list();
  fileA = files.find((f) => f.path === 'a.docx')!.id;
  fileB = files.find((f) => f.path === 'b.xlsx')!.id;
  const grant = (id: string): WopiTarget => {
    const g = wb.mintTokenForId(id);
    return { wopiSrc: g.wopiSrc, accessToken: g.accessToken };
  };
  targetA = grant(fileA);
  targetB = grant(fileB);

  // Eight requests, in this order (the log pages newest first). A record is written when its response
  // has closed on the server, which can be after the client has read it: wait for each before the next.
  const steps: Array<[() => Promise<WopiResponse>, number]> = [
    [() => checkFileInfo(targetA), 200],
    [() => checkFileInfo(targetA), 200],
    [() => checkFileInfo(targetA, { headers: { 'X-Test-Marker': 'needle-123' } }), 200],
    [() => getFile(targetB), 200],
    [() => checkFileInfo(targetA, { token: 'wb1bogus' }), 401],
    [() => lock(targetA, 'L1'), 200],
    [() => lock(targetA, 'L2'), 409],
    [() => unlock(targetA, 'L1'), 200],
  ];
  for (const [i, [send, status]] of steps.entries()) {
    expectStatus(await send(), status);
    await waitForLogged(i + 1);
  }
});

after(async () => {
  await wb?.stop();
  if (root) await fsp.rm(root, { recursive: true, force: true });
});

void describe('GET /v1/requests', () => {
  void it('pages newest first with a cursor, without gaps or overlap', async () => {
    const pages = await allPages('', 3);
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [3, 3, 2],
    );
    assert.deepEqual(
      pages.map((p) => p.total),
      [8, 8, 8],
      'total counts every match, on every page',
    );
    const items = pages.flatMap((p) => p.items);
    assert.equal(new Set(items.map((r) => r.id)).size, 8);
    assert.deepEqual(
      items.map((r) => r.operation),
      [
        'Unlock',
        'Lock',
        'Lock',
        'CheckFileInfo',
        'GetFile',
        'CheckFileInfo',
        'CheckFileInfo',
        'CheckFileInfo',
      ],
    );
  });

  void it('filters by operation, file, status class, exact status and text', async () => {
    const ids = async (query: string): Promise<RequestRecord[]> =>
      (await allPages(query, 100)).flatMap((p) => p.items);
    const cfi = await ids('operation=CheckFileInfo');
    assert.equal(cfi.length, 4);
    assert.ok(
      cfi.every((r) => r.operation === 'CheckFileInfo'),
      'operation filter',
    );
    const b = await ids(`fileId=${fileB}`);
    assert.deepEqual(
      b.map((r) => r.operation),
      ['GetFile'],
    );
    assert.deepEqual((await ids('status=4xx')).map((r) => r.status).sort(), [401, 409]);
    assert.deepEqual(
      (await ids('status=409')).map((r) => r.operation),
      ['Lock'],
    );
    const marked = await ids('q=NEEDLE-123');
    assert.equal(marked.length, 1);
    assert.equal(marked[0]!.requestHeaders['x-test-marker'], 'needle-123');
    assert.equal((await ids('operation=Lock&status=2xx')).length, 1);
    assert.equal((await getJson<RequestPage>('/v1/requests?status=5xx')).total, 0);
  });

  void it('refuses malformed query parameters', async () => {
    for (const q of [
      'limit=0',
      'limit=1001',
      'limit=x',
      'before=-1',
      'operation=Bogus',
      'status=abc',
      'status=600',
    ]) {
      const res = await call('GET', `/v1/requests?${q}`);
      expectStatus(res, 400, q);
      assert.equal((JSON.parse(res.text) as { error: { code: string } }).error.code, 'bad-request');
    }
  });

  void it('redacts access tokens in pages, and in one record unless reveal=1', async () => {
    const res = await call('GET', '/v1/requests?limit=100');
    for (const secret of [targetA.accessToken, targetB.accessToken]) {
      assert.ok(!res.text.includes(secret), 'a token leaked into a page');
    }
    const page = JSON.parse(res.text) as RequestPage;
    const rec = page.items.find((r) => r.fileId === fileB)!;
    assert.equal(rec.redacted, true);
    assert.match(rec.query, /access_token=\[redacted \d+ chars\]/);
    assert.match(rec.requestHeaders['authorization'] ?? '', /^Bearer \[redacted/);

    const one = await call('GET', `/v1/requests/${rec.id}`);
    expectStatus(one, 200);
    assert.ok(!one.text.includes(targetB.accessToken), 'one record is redacted by default');
    const revealed = await call('GET', `/v1/requests/${rec.id}?reveal=1`);
    expectStatus(revealed, 200);
    const clear = JSON.parse(revealed.text) as RequestRecord;
    assert.ok(
      clear.query.includes(`access_token=${targetB.accessToken}`),
      'revealed query carries the token',
    );
    assert.equal(clear.requestHeaders['authorization'], `Bearer ${targetB.accessToken}`);
    assert.notEqual(clear.redacted, true);
    expectStatus(await call('GET', '/v1/requests/no-such-id'), 404);
  });
});

void describe('DELETE /v1/requests', () => {
  void it('clears the log, and later requests are logged again', async () => {
    const res = await call('DELETE', '/v1/requests');
    expectStatus(res, 200);
    assert.deepEqual(JSON.parse(res.text), { cleared: 8 });
    assert.equal((await getJson<RequestPage>('/v1/requests')).total, 0);
    assert.equal((await getJson<StatusView>('/v1/status')).requestCount, 0);
    expectStatus(await checkFileInfo(targetB), 200);
    await waitForLogged(1);
    const page = await getJson<RequestPage>('/v1/requests');
    assert.equal(page.items[0]?.fileId, fileB);
  });
});

// Proxy mode's launches: the host page, launch links and POST /v1/launch open a file of the upstream
// host (test/helpers/mini-host.ts) with a token that host minted. The WOPISrc is this workbench's
// public URL, so the client's calls come back through the proxy: in Chromium, the simulator loads
// the file, saves it through signed requests, and the upstream host holds the new bytes; every
// exchange is a proxy record with a valid proof verdict and no finding. Our own host's launches are
// unchanged (a token in a launch there is refused).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { RequestRecord } from '../../server/contracts/api';
import { buildDocx } from '../../server/simulator/ooxml/samples';
import { startWiredEngine } from '../helpers/engine-fixture';
import type { WiredBench } from '../helpers/engine-fixture';
import { startMiniHost } from '../helpers/mini-host';
import type { MiniHost } from '../helpers/mini-host';
import { sendRequest } from '../helpers/wopi-client';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const NO_BROWSER = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;
const WAIT = { timeout: 20_000 };

describe('launching an upstream file in proxy mode', () => {
  let mini: MiniHost;
  let bench: WiredBench;
  let fileId = '';
  const records: RequestRecord[] = [];

  before(async () => {
    mini = await startMiniHost({
      files: { 'Report.docx': buildDocx(['Upstream report', 'Kept upstream.']) },
    });
    fileId = mini.wopiSrc('Report.docx').split('/').pop()!;
    bench = await startWiredEngine({
      prefix: 'wb-proxy-launch-',
      files: {},
      engine: { upstream: mini.url },
      beforeStart: (wb) => wb.bus.on('request:completed', (e) => records.push(e.data)),
    });
  });
  after(async () => {
    await bench?.dispose();
    await mini?.close();
  });

  const launch = (body: Record<string, unknown>) =>
    sendRequest({
      method: 'POST',
      url: `${bench.wb.controlUrl()}/v1/launch`,
      headers: { Authorization: `Bearer ${bench.wb.controlToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('says what is missing or wrong: no token, a token the host refuses, a file it does not have', async () => {
    const none = await launch({ fileId });
    assert.equal(none.status, 400);
    assert.match(none.text, /no access token for upstream file .*accessToken, or serve --token/);
    const refused = await launch({ fileId, accessToken: 'not-a-token-of-that-host' });
    assert.equal(refused.status, 403);
    assert.match(refused.text, /upstream host refused the access token/);
    const missing = await launch({ fileId: 'no-such-file', accessToken: mini.token('Report.docx') });
    assert.equal(missing.status, 404);
    assert.match(missing.text, /has no file no-such-file/);
  });

  it('gives a launch link whose host page posts the upstream token, with this workbench as WOPISrc', async () => {
    const token = mini.token('Report.docx', 'grace');
    const res = await launch({ fileId, accessToken: token, accessTokenTtl: Date.now() + 3_600_000 });
    assert.equal(res.status, 200, res.describe());
    const link = res.json() as { url: string; action: string; profile: string };
    assert.equal(link.action, 'edit', 'the upstream says the user may write');
    assert.ok(link.url.startsWith(`${bench.wb.publicBase()}/host/${fileId}?action=edit&l=`), link.url);
    const page = await sendRequest({ method: 'GET', url: link.url });
    assert.equal(page.status, 200);
    assert.match(page.text, /<title>Report\.docx<\/title>/);
    assert.ok(page.text.includes(token), 'the form carries the token the upstream minted');
    const wopiSrc = encodeURIComponent(`${bench.wb.publicBase()}/wopi/files/${fileId}`);
    assert.ok(
      page.text.includes(wopiSrc) || page.text.includes(wopiSrc.replace(/%/g, '%25')),
      'WOPISrc is ours',
    );
  });

  it(
    'opens and saves the file through the proxy in Chromium: signed, recorded, clean',
    { skip: NO_BROWSER, timeout: 60_000 },
    async () => {
      const before = mini.bytes('Report.docx')!;
      const from = records.length;
      const res = await launch({ fileId, accessToken: mini.token('Report.docx') });
      assert.equal(res.status, 200, res.describe());
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      });
      try {
        const page = await browser.newPage();
        await page.goto((res.json() as { url: string }).url, WAIT);
        const app = page.frameLocator('#office_frame');
        await app.locator('#sim[data-state="ready"]').waitFor(WAIT);
        assert.match(await app.locator('#summary').innerText(), /Upstream report/);
        await app.locator('#save').click();
        await app.locator('#sim[data-state="saved"]').waitFor(WAIT);
      } finally {
        await browser.close();
      }
      assert.ok(!mini.bytes('Report.docx')!.equals(before), 'the upstream host holds the saved bytes');
      const mine = records.slice(from).filter((r) => r.source === 'proxy');
      const ops = new Set(mine.map((r) => r.operation));
      for (const op of ['CheckFileInfo', 'GetFile', 'Lock', 'PutFile'] as const) assert.ok(ops.has(op), op);
      for (const r of mine) {
        assert.equal(r.proof?.outcome, 'valid', `${r.operation}: ${r.proof?.reason}`);
        assert.equal(r.fileId, fileId);
        assert.deepEqual(r.findings, undefined, `${r.operation}: ${JSON.stringify(r.findings)}`);
      }
      assert.ok(mini.seen.some((s) => s.override === 'PUT' && s.status === 200));
    },
  );
});

describe('launches with serve --token, and our own host unchanged', () => {
  it('uses the serve token when a launch brings none', async () => {
    const mini = await startMiniHost({ files: { 'Sheet.xlsx': Buffer.from('x') } });
    const bench = await startWiredEngine({
      prefix: 'wb-proxy-token-',
      files: {},
      engine: { upstream: mini.url, upstreamToken: mini.token('Sheet.xlsx') },
    });
    try {
      const id = mini.wopiSrc('Sheet.xlsx').split('/').pop()!;
      const link = await bench.wb.api.launch({ fileId: id, action: 'view' });
      assert.equal(link.action, 'view');
      assert.equal((await bench.wb.api.status()).upstream, mini.url);
      assert.equal((await bench.wb.api.settings()).upstream, mini.url);
    } finally {
      await bench.dispose();
      await mini.close();
    }
  });

  it('refuses an access token in a launch of our own host (it mints its own)', async () => {
    const bench = await startWiredEngine({ prefix: 'wb-own-launch-', files: { 'a.docx': 'x' } });
    try {
      await assert.rejects(
        bench.wb.api.launch({ fileId: bench.ids['a.docx']!, accessToken: 'abc' }),
        /accessToken is for proxy mode/,
      );
      const link = await bench.wb.api.launch({ fileId: bench.ids['a.docx']! });
      assert.match(link.url, /\/host\//);
      assert.equal((await bench.wb.api.settings()).upstream, null);
    } finally {
      await bench.dispose();
    }
  });
});

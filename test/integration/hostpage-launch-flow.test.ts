// End to end in Chromium: a launch link opens the host page, the host page form-POSTs the token
// into its iframe, the simulator's action page loads there, edits and saves through signed WOPI
// requests, and closes back to the host. Also: a proof signed for another URL is diagnosed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { RequestRecord } from '../../server/contracts/api';
import type { HostPageMessage } from '../../server/contracts/events';
import { createWorkbench } from '../../server/workbench';
import type { Workbench } from '../../server/workbench';
import { buildDocx } from '../../server/simulator/ooxml/samples';
import { readZip } from '../../server/simulator/ooxml/zip';

const UI_WAIT = { timeout: 20_000 };
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

async function waitFor<T>(what: string, get: () => T | undefined): Promise<T> {
  const deadline = Date.now() + UI_WAIT.timeout;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Without a browser the suite is reported as skipped (apt-get install chromium, or set CHROMIUM_PATH).
const NO_BROWSER = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;

describe('launch flow in Chromium', { skip: NO_BROWSER }, () => {
  let root: string;
  let folder: string;
  let wb: Workbench;
  let rooms: Workbench['rooms'];
  let browser: Browser;
  const ids: Record<string, string> = {};
  const records: RequestRecord[] = [];
  const messages: HostPageMessage[] = [];

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wb-e2e-'));
    folder = path.join(root, 'folder');
    await mkdir(folder);
    await writeFile(path.join(folder, 'report.docx'), buildDocx(['Quarterly report', 'Numbers went up.']));
    await writeFile(path.join(folder, 'notes.txt'), 'draft\n');
    wb = createWorkbench({ folder, dataDir: path.join(root, 'data'), watch: false, proofMode: 'enforce' });
    wb.bus.on('request:completed', (e) => records.push(e.data));
    wb.bus.on('hostpage:message', (e) => messages.push(e.data));
    rooms = wb.rooms;
    await wb.start();
    for (const f of wb.files.listPresent()) ids[f.path] = f.id;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  after(async () => {
    await browser?.close();
    await wb.stop();
    await rm(root, { recursive: true, force: true, maxRetries: 5 });
  });

  async function openLink(url: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(url, UI_WAIT);
    return page;
  }

  test('edit a .docx: iframe by script, form POST, signed WOPI calls, a new version on disk, close to CloseUrl', async () => {
    const id = ids['report.docx']!;
    const before = await readFile(path.join(folder, 'report.docx'));
    const fromRecord = records.length;
    const link = rooms.hostPage.launch({ fileId: id, action: 'edit', personaId: 'editor' });
    const page = await openLink(
      `${link.url}&wdOrigin=BROWSELINK&wdPreviousSession=prev123&wdPreviousCorrelation=corr456`,
    );
    try {
      assert.equal(await page.title(), 'report.docx');
      const frame = page.locator('#office_frame');
      await frame.waitFor(UI_WAIT);
      assert.equal(await frame.getAttribute('name'), 'office_frame');
      assert.equal(await frame.getAttribute('title'), 'Office Frame');
      assert.equal(await frame.getAttribute('allowfullscreen'), 'true');
      assert.equal(
        await frame.getAttribute('sandbox'),
        'allow-scripts allow-same-origin allow-forms allow-popups allow-top-navigation allow-popups-to-escape-sandbox',
      );
      assert.equal(await frame.getAttribute('src'), null, 'the token is posted, never put in the iframe URL');
      await page.waitForFunction(() => !location.search.includes('wdPrevious'), undefined, UI_WAIT);
      assert.ok(page.url().includes('wdOrigin=BROWSELINK'), `other wd* parameters stay: ${page.url()}`);

      const app = page.frameLocator('#office_frame');
      await app.locator('#sim[data-state="ready"]').waitFor(UI_WAIT);
      const hostOrigin = new URL(wb.publicBase()).origin;
      await app.locator('#ready', { hasText: `yes, from ${hostOrigin}` }).waitFor(UI_WAIT);
      assert.match(await app.locator('#summary').innerText(), /Quarterly report/);
      await app.locator('#save').click();
      await app.locator('#sim[data-state="saved"]').waitFor(UI_WAIT);
      await app.locator('#close').click();
      await page.waitForURL(/\/host-session\/closed$/, UI_WAIT);
      assert.match(await page.locator('h1').innerText(), /session has ended/);
    } finally {
      await page.close();
    }

    const after = await readFile(path.join(folder, 'report.docx'));
    assert.ok(!after.equals(before), 'the file on disk changed');
    const doc = readZip(after)
      .find((e) => e.name === 'word/document.xml')!
      .data.toString('utf8');
    assert.match(doc, /Numbers went up\..*Edited by the WOPI Workbench simulator at \d{4}-/s);
    const versions = wb.versions.list(id);
    assert.ok(
      versions.some((v) => v.reason === 'put' && v.size === before.length),
      JSON.stringify(versions),
    );

    const mine = await waitFor('the six WOPI requests of the session in the log', () => {
      const found = records.slice(fromRecord).filter((r) => r.fileId === id);
      return found.length >= 6 ? found : undefined;
    });
    assert.deepEqual(
      mine.map((r) => `${r.operation} ${r.status}`),
      ['CheckFileInfo 200', 'Lock 200', 'GetFile 200', 'PutFile 200', 'RefreshLock 200', 'Unlock 200'],
    );
    for (const r of mine) {
      assert.equal(r.proof?.outcome, 'valid', `${r.operation}: ${r.proof?.reason}`);
      assert.equal(r.proof?.mode, 'enforce');
    }

    const session = await waitFor('App_LoadingStatus forwarded to the bus', () =>
      messages.find((m) => m.fileId === id && m.messageId === 'App_LoadingStatus'),
    );
    assert.equal(session.direction, 'from-client');
    assert.equal(typeof session.values['DocumentLoadedTime'], 'number');
    const ready = messages.find(
      (m) =>
        m.sessionId === session.sessionId &&
        m.messageId === 'Host_PostmessageReady' &&
        m.direction === 'to-client',
    );
    assert.ok(ready, 'Host_PostmessageReady was sent to the frame and reported');
  });

  test('edit a text file in the simulator textarea and save it', async () => {
    const id = ids['notes.txt']!;
    const page = await openLink(rooms.hostPage.launch({ fileId: id, action: 'edit' }).url);
    try {
      const app = page.frameLocator('#office_frame');
      await app.locator('#sim[data-state="ready"]').waitFor(UI_WAIT);
      assert.equal(await app.locator('#text').inputValue(), 'draft\n');
      await app.locator('#text').fill('final text from the browser\n');
      await app.locator('#save').click();
      await app.locator('#sim[data-state="saved"]').waitFor(UI_WAIT);
      assert.equal(await readFile(path.join(folder, 'notes.txt'), 'utf8'), 'final text from the browser\n');
      await app.locator('#close').click();
      await page.waitForURL(/\/host-session\/closed$/, UI_WAIT);
    } finally {
      await page.close();
    }
    assert.equal(wb.locks.current(id), null, 'closing unlocked the file');
  });

  test('a request signed for another URL is refused, and the frame shows the URL that would have worked', async () => {
    const id = ids['notes.txt']!;
    const from = records.length;
    rooms.hostPage.simulator.setMisbehaviour(['wrong-url']);
    const page = await openLink(rooms.hostPage.launch({ fileId: id, action: 'view' }).url);
    try {
      const app = page.frameLocator('#office_frame');
      await app.locator('#sim[data-state="failed"]').waitFor(UI_WAIT);
      const step = app.locator('#steps li[data-operation="CheckFileInfo"]');
      assert.equal(await step.getAttribute('data-status'), '500');
      // A request refused for its proof is logged before the file is resolved: match it by path.
      const rec = await waitFor('the refused CheckFileInfo in the request log', () =>
        records.slice(from).find((r) => r.path === `/wopi/files/${id}` && r.operation === 'CheckFileInfo'),
      );
      assert.equal(rec.status, 500);
      assert.equal(rec.proof?.outcome, 'invalid');
      const wouldWork = rec.proof!.urlVerified.replace(/^http:/, 'https:');
      assert.deepEqual(rec.proof?.wouldVerifyWith, [wouldWork]);
      // The host's X-WOPI-ServerError reaches the client page with the diagnosis.
      assert.ok(
        (await step.innerText()).includes(`The proof was signed for ${wouldWork}`),
        await step.innerText(),
      );
    } finally {
      rooms.hostPage.simulator.setMisbehaviour([]);
      await page.close();
    }
  });
});

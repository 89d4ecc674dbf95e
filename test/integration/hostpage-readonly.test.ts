// In Chromium: the host page's product header (file, persona with view/edit, client) above the frame,
// and the simulator's action page falling back to read-only like Office when another persona holds
// the lock: a banner naming the holder, the persona it acts as, and a refused save with the bytes on
// disk unchanged. A screenshot of each page is kept next to the test's temp folder for a look.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { buildDocx } from '../../server/simulator/ooxml/samples';
import { startWiredEngine } from '../helpers/engine-fixture';
import type { WiredBench } from '../helpers/engine-fixture';

const UI_WAIT = { timeout: 20_000 };
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const NO_BROWSER = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;
/** Where the screenshots go (set SCREENSHOT_DIR to keep them). */
const SHOTS = process.env['SCREENSHOT_DIR'];

describe('host page header and read-only fallback in Chromium', { skip: NO_BROWSER }, () => {
  let bench: WiredBench;
  let browser: Browser;

  before(async () => {
    bench = await startWiredEngine({
      prefix: 'wb-readonly-',
      files: { 'report.docx': buildDocx(['Quarterly report', 'Numbers went up.']) },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  after(async () => {
    await browser?.close();
    await bench.dispose();
  });

  test('Grace opens for editing while Ada holds the lock: read-only banner naming Ada, save refused', async () => {
    const { wb, rooms, ids, folder } = bench;
    const id = ids['report.docx']!;
    const before = await readFile(path.join(folder, 'report.docx'));
    const ada = await wb.api.startSimSession({ fileId: id, personaId: 'editor' });
    assert.equal(ada.state, 'editing');

    const link = rooms.hostPage.launch({ fileId: id, action: 'edit', personaId: 'coauthor' });
    const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
    try {
      await page.goto(link.url, UI_WAIT);
      // The host page's header: what is open, as whom, in which client.
      assert.equal((await page.locator('#wb-file').textContent())?.trim(), 'report.docx');
      assert.match((await page.locator('#wb-persona').textContent()) ?? '', /Grace Coauthor\s+can edit/);
      assert.match(
        (await page.locator('#wb-client').textContent()) ?? '',
        /Built-in simulated client\s+edit/,
      );
      const header = await page.locator('#wb-header').boundingBox();
      const frame = await page.locator('#office_frame').boundingBox();
      assert.ok(header && frame && frame.y >= header.y + header.height, 'the frame starts below the header');

      const app = page.frameLocator('#office_frame');
      await app.locator('#sim[data-state="read-only"]').waitFor(UI_WAIT);
      assert.equal(
        await app.locator('#banner.read-only').textContent(),
        'Ada Editor is editing report.docx. You can view it read-only.',
      );
      assert.equal(await app.locator('#persona-name').textContent(), 'Grace Coauthor');
      assert.equal(await app.locator('#persona-mode').textContent(), 'read-only');
      assert.equal(await app.locator('#steps li[data-operation="Lock"]').getAttribute('data-status'), '409');
      if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'hostpage-read-only.png') });

      await app.locator('#save').click();
      await app.locator('#banner.rejected').waitFor(UI_WAIT);
      assert.match(
        (await app.locator('#banner').textContent()) ?? '',
        /^Save rejected: the host answered 409 \(lock conflict\); Ada Editor holds the lock/,
      );
      assert.deepEqual(await readFile(path.join(folder, 'report.docx')), before, 'bytes unchanged');
      if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'hostpage-save-rejected.png') });
    } finally {
      await page.close();
      await wb.api.closeSimSession(ada.id);
    }
  });
});

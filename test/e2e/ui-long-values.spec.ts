// Long values are shown whole: a 409's why quoting a 1024-character lock id, a proof reason and the URLs
// that would have verified, lock ids in the lock lab and on a file, deep file paths. Each wraps inside
// its pane; none is cut off by an ellipsis or by a clipping parent. And the live table's floating "Jump
// to latest" button never covers the last row.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signProof } from '../../server/proof/sign';
import { msToTicks } from '../../server/proof/ticks';
import { startServe, type ServeHandle } from '../helpers/cli-process';
import {
  checkFileInfo,
  lock,
  putFile,
  putRelativeFile,
  sendRequest,
  type WopiTarget,
} from '../helpers/wopi-client';
import { shoot } from '../helpers/screenshots';
import { discoveryXmlWithKeys } from '../helpers/proof-discovery';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// WOPI lock ids may be 1024 characters; one without a break opportunity is the hardest to wrap.
const LONG_LOCK = `editor-session-${'9f3a'.repeat(252)}`.slice(0, 1024);
const DEEP_LOCK = `deep-${LONG_LOCK}`.slice(0, 1024);
// A name without a break opportunity, quoted by the host in a 409's why.
const LONG_NAME = `Northwind-Traders-Consolidated-Financial-Statements-FY2024-${'Q1Q2Q3Q4'.repeat(14)}.docx`;
const DEEP_PATH =
  'Engagements/Northwind-Traders-Annual-Consolidated-Financial-Statements-FY2024/Working-papers/Revenue-recognition-memo-final-reviewed.docx';

/**
 * Everything `locator` shows can be read: no element in it scrolls or ellipsises horizontally, and its
 * text lies inside every ancestor that clips (overflow other than visible).
 */
async function expectUncut(locator: Locator): Promise<void> {
  await expect(locator).toBeVisible();
  const problems = await locator.evaluate((el) => {
    const out: string[] = [];
    const name = (n: Element) => `${n.tagName.toLowerCase()}.${[...n.classList].join('.')}`;
    for (const n of [el, ...el.querySelectorAll('*')]) {
      const style = getComputedStyle(n);
      if (style.overflowX !== 'visible' && n.scrollWidth > n.clientWidth + 1)
        out.push(`${name(n)} overflows by ${n.scrollWidth - n.clientWidth}px (${style.textOverflow})`);
    }
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible') continue;
      const box = a.getBoundingClientRect();
      if (text.right > box.right + 1 || text.left < box.left - 1)
        out.push(
          `text ${Math.round(text.left)}–${Math.round(text.right)} clipped by ${name(a)} ${Math.round(box.left)}–${Math.round(box.right)}`,
        );
    }
    return out;
  });
  expect(problems).toEqual([]);
}

// A WOPI client of our own (its discovery, its keys), so a call can be signed for the URL a proxy would
// present instead of the one the host checks.
const current = generateKeyPairSync('rsa', { modulusLength: 2048 });
const old = generateKeyPairSync('rsa', { modulusLength: 2048 });

test.describe.serial('long values wrap; nothing floats over the last row', () => {
  let handle: ServeHandle;
  let discovery: http.Server;
  let doc: WopiTarget;
  let deep: WopiTarget;

  test.beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
      throw new Error('The UI is not built: run `npm run build:ui` before the e2e tests');
    }
    const xml = discoveryXmlWithKeys(current.publicKey, old.publicKey);
    discovery = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(xml));
    await new Promise<void>((resolve) => discovery.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}/hosting/discovery`;
    handle = await startServe({
      files: {
        'Proposal.docx': Buffer.alloc(2_000, 7),
        [LONG_NAME]: Buffer.alloc(1_000, 2),
        [DEEP_PATH]: Buffer.alloc(3_000, 1),
      },
      args: ['--discovery-url', url, '--proof', 'report'],
    });
    doc = await handle.token('Proposal.docx', { user: 'editor' });
    deep = await handle.token(DEEP_PATH, { user: 'editor' });
  });

  test.afterAll(async () => {
    await handle?.stop();
    discovery?.close();
  });

  async function open(page: Page, view = 'requests'): Promise<void> {
    await page.goto(`${handle.controlUrl}/#token=${handle.controlToken}&view=${view}`);
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
  }

  test('a 409 whose why quotes a long name, and a 1024-character lock id, show all of it, wrapped', async ({
    page,
  }) => {
    expect((await lock(doc, LONG_LOCK)).status).toBe(200);
    expect((await putFile(doc, 'new', { lock: 'someone-else' })).status).toBe(409);
    const taken = await putRelativeFile(doc, 'copy', {
      relativeTarget: LONG_NAME,
      overwriteRelativeTarget: false,
    });
    expect(taken.status).toBe(409);
    await open(page);
    await page
      .locator('[data-testid="request-row"][data-operation="PutRelativeFile"][data-status="409"]')
      .click();
    const why = page.getByTestId('request-why');
    await expect(why).toContainText(LONG_NAME);
    await expectUncut(why);
    await shoot(page, 'requests-why');

    await page.locator('[data-testid="request-row"][data-operation="PutFile"][data-status="409"]').click();
    await expect(page.getByTestId('detail-lock')).toContainText(LONG_LOCK);
    await expectUncut(page.getByTestId('detail-lock'));
  });

  test('a proof reason and the URLs that would have verified wrap in the Proof tab', async ({ page }) => {
    // Signed for the https URL a TLS-terminating proxy would show; the host checks the http one it got.
    const url = `${doc.wopiSrc}?access_token=${doc.accessToken}`;
    const signedUrl = url.replace(/^http:/, 'https:');
    const ticks = msToTicks(Date.now());
    const payload = { accessToken: doc.accessToken, url: signedUrl, timestampTicks: ticks };
    const res = await sendRequest({
      method: 'GET',
      url,
      headers: {
        'X-WOPI-TimeStamp': ticks.toString(),
        'X-WOPI-Proof': signProof(current.privateKey, payload),
        'X-WOPI-ProofOld': signProof(old.privateKey, payload),
      },
    });
    expect(res.status).toBe(200);
    await open(page);
    await page.locator('[data-testid="request-row"] [data-outcome="invalid"]').first().click();
    await page.getByTestId('detail-tab-proof').click();
    const would = page.getByTestId('proof-would-verify');
    await expect(would).toContainText(signedUrl.split('?')[0]!);
    await expectUncut(would);
    await expectUncut(page.getByTestId('proof-reason'));
    await expectUncut(page.getByTestId('proof-url'));
    await shoot(page, 'requests-proof');
  });

  test('lock ids and deep paths wrap in the lock lab and the file detail', async ({ page }) => {
    expect((await lock(deep, DEEP_LOCK)).status).toBe(200);
    await open(page, 'locks');
    const row = page.locator('[data-testid="lock-row"]').filter({ hasText: 'Revenue-recognition' });
    await expect(row.getByTestId('lock-id')).toHaveText(DEEP_LOCK);
    await expectUncut(row.getByTestId('lock-id'));
    await expectUncut(row.locator('td').first());
    await shoot(page, 'locks-long');

    await page.getByTestId('nav-files').click();
    await page.locator(`[data-testid="file-row"][data-path="${DEEP_PATH}"]`).click();
    await expectUncut(page.locator('.file-title'));
    await expect(page.getByTestId('file-lock-id')).toHaveText(DEEP_LOCK);
    await expectUncut(page.getByTestId('file-lock'));
    await page.getByTestId('mint-token').click();
    await expectUncut(page.getByTestId('grant-wopisrc'));
  });

  test('"Jump to latest" never covers the last row', async ({ page }) => {
    await open(page);
    // More rows than the list can show, so there is somewhere to jump from.
    for (let i = 0; i < 40; i++) expect((await checkFileInfo(deep)).status).toBe(200);
    const list = page.getByTestId('request-list');
    await expect
      .poll(async () => Number(await list.getAttribute('data-row-count')))
      .toBeGreaterThanOrEqual(40);

    // Rows are recycled slots: the last one is the lowest on the page, not the last in the DOM.
    const lastRow = async () => {
      const rows = await page.getByTestId('request-row').evaluateAll((els) =>
        els.map((el) => ({
          id: el.getAttribute('data-request-id')!,
          top: (el as HTMLElement).offsetTop,
          box: el.getBoundingClientRect().toJSON() as DOMRect,
        })),
      );
      return rows.sort((a, b) => b.top - a.top)[0]!;
    };
    const jump = page.getByTestId('request-follow');
    const overlap = async () => {
      const { box: a } = await lastRow();
      const b = (await jump.boundingBox())!;
      return a.bottom > b.y && a.top < b.y + b.height && a.right > b.x && a.left < b.x + b.width;
    };

    // Selecting the last row stops following, so the button appears over the tail of the list.
    const { id } = await lastRow();
    await page.locator(`[data-testid="request-row"][data-request-id="${id}"]`).click();
    await expect(jump).toBeVisible();
    await expect.poll(overlap).toBe(false);
    await shoot(page, 'requests-jump');

    // Scrolled to the very end by hand, too.
    await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(overlap).toBe(false);
  });
});

// The inspector UI in a real browser against a real `serve`: live requests over SSE, the request detail
// (why, payload, reveal), filters, pause, clearing (this window) and deleting (the host's log), the lock
// lab, files (token, versions), the favicon, and screenshots of every view.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe, type ServeHandle } from '../helpers/cli-process';
import { checkFileInfo, lock, putFile, unlockAndRelock, type WopiTarget } from '../helpers/wopi-client';
import { shoot } from '../helpers/screenshots';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shots = path.join(repoRoot, 'docs', 'screenshots');
const VIEWS = ['requests', 'findings', 'files', 'locks', 'discovery', 'tunnel', 'conformance'] as const;

/** Page object: every selector the specs use lives here. */
class Inspector {
  constructor(readonly page: Page) {}
  root = (): Locator => this.page.getByTestId('app-root');
  nav = (view: string): Locator => this.page.getByTestId(`nav-${view}`);
  connection = (): Locator => this.page.getByTestId('connection-status');
  rows = (): Locator => this.page.getByTestId('request-row');
  row = (operation: string, status: number): Locator =>
    this.page.locator(`[data-testid="request-row"][data-operation="${operation}"][data-status="${status}"]`);
  detail = (): Locator => this.page.getByTestId('request-detail');
  lockRow = (fileId: string): Locator =>
    this.page.locator(`[data-testid="lock-row"][data-file-id="${fileId}"]`);
  fileRow = (relPath: string): Locator =>
    this.page.locator(`[data-testid="file-row"][data-path="${relPath}"]`);

  async open(handle: ServeHandle): Promise<void> {
    await this.page.goto(`${handle.controlUrl}/#token=${handle.controlToken}`);
    await expect(this.root()).toHaveAttribute('data-ready', 'true');
    await expect(this.connection()).toHaveAttribute('data-state', 'connected');
  }

  async show(view: string): Promise<void> {
    await this.nav(view).click();
    await expect(this.page.getByTestId(`view-${view}`)).toBeVisible();
  }

  shoot(name: string): Promise<void> {
    return shoot(this.page, name);
  }
}

async function hostTotal(handle: ServeHandle): Promise<number> {
  const res = await fetch(`${handle.controlUrl}/v1/requests?limit=1`, {
    headers: { Authorization: `Bearer ${handle.controlToken}` },
  });
  return ((await res.json()) as { total: number }).total;
}

async function fileIdOf(handle: ServeHandle, relPath: string): Promise<string> {
  const res = await fetch(`${handle.controlUrl}/v1/files`, {
    headers: { Authorization: `Bearer ${handle.controlToken}` },
  });
  const files = (await res.json()) as { id: string; path: string }[];
  const file = files.find((f) => f.path === relPath);
  if (!file) throw new Error(`no file ${relPath}`);
  return file.id;
}

test.describe.serial('inspector UI', () => {
  let handle: ServeHandle;
  let target: WopiTarget;
  let docId: string;

  test.beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
      throw new Error('The UI is not built: run `npm run build:ui` before the e2e tests');
    }
    await mkdir(shots, { recursive: true });
    handle = await startServe({
      files: {
        'Proposal.docx': Buffer.alloc(18_000, 7),
        'Reports/q3-forecast.xlsx': Buffer.alloc(24_000, 3),
        'Design/roadmap.pptx': Buffer.alloc(40_000, 1),
        'notes.txt': 'hello',
      },
      proof: 'report',
    });
    target = await handle.token('Proposal.docx', { user: 'editor' });
    docId = await fileIdOf(handle, 'Proposal.docx');
  });

  test.afterAll(async () => {
    await handle?.stop();
  });

  test('boots from the token in the fragment and hides it from the URL', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    expect(page.url()).not.toContain(handle.controlToken);
    await expect(page.getByTestId('requests-empty')).toBeVisible();
    await ui.shoot('requests-empty');
  });

  test('a page without the token says how to get one', async ({ page }) => {
    await page.goto(handle.controlUrl);
    await expect(page.getByTestId('token-missing')).toBeVisible();
  });

  test('WOPI calls appear live, named by operation, with the why of a 409', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    expect((await checkFileInfo(target)).status).toBe(200);
    expect((await lock(target, 'lock-A')).status).toBe(200);
    expect((await putFile(target, 'abc', { lock: 'lock-A' })).status).toBe(200);
    expect((await putFile(target, 'v3', { lock: 'someone-else' })).status).toBe(409);
    expect((await unlockAndRelock(target, 'lock-B', 'lock-A')).status).toBe(200);

    await expect(ui.row('UnlockAndRelock', 200)).toHaveCount(1);
    await expect(ui.row('CheckFileInfo', 200)).toHaveCount(1);
    await expect(ui.rows()).toHaveCount(5);

    await ui.row('PutFile', 409).click();
    await expect(ui.detail()).toBeVisible();
    await expect(page.getByTestId('request-why')).toContainText(/lock/i);
    await expect(page.getByTestId('detail-url')).toContainText('redacted');
    await ui.shoot('requests-detail');

    // Refused before its body was read: the 2 bytes sent are said to be unread, not "No body.".
    await page.getByTestId('detail-tab-payload').click();
    await expect(page.getByTestId('request-body')).toHaveAttribute('data-body', 'unread');
    await expect(page.getByTestId('request-body')).toContainText('2 B (2 bytes) was sent');
    await page.getByTestId('detail-tab-headers').click();

    await page.getByTestId('reveal-secrets').click();
    await expect(page.getByTestId('secrets-revealed')).toBeVisible();
    await expect(page.getByTestId('detail-url')).toContainText(target.accessToken);
    await page.getByTestId('hide-secrets').click();
    await expect(page.getByTestId('detail-url')).not.toContainText(target.accessToken);
  });

  test('the Payload tab of a 3-byte PutFile gives its size and SHA-256, not "No body."', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    await ui.row('PutFile', 200).click();
    await page.getByTestId('detail-tab-payload').click();
    const body = page.getByTestId('request-body');
    await expect(body).toHaveAttribute('data-body', 'summary');
    await expect(page.getByTestId('request-body-size')).toHaveText('3 bytes');
    const sha = createHash('sha256').update('abc').digest('hex');
    await expect(page.getByTestId('request-body-sha256')).toContainText(sha);
    await expect(body).not.toContainText('No body');
    await ui.shoot('requests-payload');
    // A call that really had no body still says so.
    await ui.row('CheckFileInfo', 200).click();
    await page.getByTestId('detail-tab-payload').click();
    await expect(page.getByTestId('request-body')).toHaveAttribute('data-body', 'empty');
  });

  test('filters narrow the loaded rows; pause holds new rows back', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    await expect(ui.rows()).toHaveCount(5);
    // Everything the host has is loaded: nothing older to offer, whatever the filter.
    await expect(page.getByTestId('request-load-older')).toHaveCount(0);
    await page.getByTestId('filter-status').selectOption('4xx');
    await expect(ui.rows()).toHaveCount(1);
    await expect(page.getByTestId('request-load-older')).toHaveCount(0);
    await page.getByTestId('filter-status').selectOption('');
    await page.getByTestId('filter-operation').selectOption('PutFile');
    await expect(ui.rows()).toHaveCount(2);
    await page.getByTestId('filter-clear').click();
    await page.getByTestId('filter-search').fill('someone-else');
    await expect(ui.rows()).toHaveCount(1);
    await page.getByTestId('filter-clear').click();

    await page.getByTestId('request-pause').click();
    expect((await checkFileInfo(target)).status).toBe(200);
    await expect(page.getByTestId('paused-banner')).toContainText('1 new request');
    await expect(ui.rows()).toHaveCount(5);
    await page.getByTestId('request-resume').click();
    await expect(ui.rows()).toHaveCount(6);
    await ui.shoot('requests');
  });

  test('the lock lab shows the live lock and can steal, expire and unlock it', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    await ui.show('locks');
    const row = ui.lockRow(docId);
    await expect(row).toHaveAttribute('data-lock-id', 'lock-B');
    await expect(row.getByTestId('lock-countdown')).toContainText(/\d\d:\d\d/);
    await ui.shoot('locks');

    await row.getByTestId('lock-steal').click();
    await page.getByTestId('lock-steal-id').fill('stolen-by-qa');
    await page.getByTestId('lock-steal-submit').click();
    await expect(row).toHaveAttribute('data-lock-id', 'stolen-by-qa');
    // Replacing someone's lock can be undone from its notice.
    await expect(
      page.getByTestId('notice-success').filter({ hasText: 'Locked' }).getByTestId('notice-action'),
    ).toHaveText('Undo');
    // The editor's next save now meets the stolen lock.
    expect((await putFile(target, 'v4', { lock: 'lock-B' })).status).toBe(409);

    await row.getByTestId('lock-expire').click();
    await expect(row).toHaveCount(0);
    await expect(page.getByTestId('locks-empty')).toBeVisible();
    // One click removed it; the notice can put the same lock back.
    await page
      .getByTestId('notice-success')
      .filter({ hasText: 'Expired' })
      .getByTestId('notice-action')
      .click();
    await expect(row).toHaveAttribute('data-lock-id', 'stolen-by-qa');
    await row.getByTestId('lock-force-unlock').click();
    await expect(row).toHaveCount(0);

    await page.getByTestId('lock-set-id').fill('injected');
    await page.getByTestId('lock-set-file').selectOption(docId);
    await page.getByTestId('lock-set-submit').click();
    await expect(row).toHaveAttribute('data-lock-id', 'injected');
    await row.getByTestId('lock-force-unlock').click();
    await expect(row).toHaveCount(0);
  });

  test('files show identity, hash, versions and mint a WOPISrc + token', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    await ui.show('files');
    await ui.fileRow('Proposal.docx').click();
    const detail = page.getByTestId('file-detail');
    await expect(detail).toHaveAttribute('data-file-id', docId);
    await expect(page.getByTestId('file-sha256')).toContainText(/[0-9a-f]{64}/);
    await expect(page.getByTestId('version-row').first()).toBeVisible();
    await page.getByTestId('mint-token').click();
    await expect(page.getByTestId('grant-wopisrc')).toContainText(`/wopi/files/${docId}`);
    await ui.shoot('files');

    const versions = await page.getByTestId('version-row').count();
    await page.getByTestId('version-restore').first().click();
    await expect(page.getByTestId('version-row')).toHaveCount(versions + 1);
  });

  test('discovery shows the simulated client, its keys and actions per extension', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    await ui.show('discovery');
    await expect(page.getByTestId('discovery-status')).toHaveText('ok');
    await expect(page.getByTestId('discovery-profile')).toHaveText('simulator');
    await expect(page.getByTestId('key-current')).not.toBeEmpty();
    await expect(page.locator('[data-testid="discovery-ext-row"][data-ext="docx"]')).toBeVisible();
    await ui.shoot('discovery');
  });

  test('"Open in" launches the simulated client, whose signed calls show a valid proof', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    await ui.show('files');
    await ui.fileRow('Reports/q3-forecast.xlsx').click();
    const [popup] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByTestId('open-action-edit').click(),
    ]);
    await expect(page.getByTestId('launch-url')).toContainText('/host/');
    await ui.show('requests');
    await expect(page.locator('[data-testid="request-row"] [data-outcome="valid"]').first()).toBeVisible({
      timeout: 15_000,
    });
    await popup.close();
    // The verdict names the URL it checked, token and all: hidden until the person reveals it.
    await page.locator('[data-testid="request-row"]:has([data-outcome="valid"])').first().click();
    await page.getByTestId('detail-tab-proof').click();
    await expect(page.getByTestId('proof-url')).toContainText(/access_token=\[redacted \d+ chars\]/);
    await page.getByTestId('reveal-secrets').click();
    await expect(page.getByTestId('proof-url')).toContainText(/access_token=wb1[0-9a-f]+/);
  });

  test('the tunnel view starts a public-URL tunnel, checks it and stops it', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    await ui.show('tunnel');
    await ui.shoot('tunnel');
    await page.getByTestId('tunnel-provider-public-url').click();
    await page.getByTestId('tunnel-public-url').fill('https://wopi.example.test');
    await page.getByTestId('tunnel-start').click();
    // A configured URL is not online until a check meets this workbench behind it (this one cannot).
    await expect(page.locator('[data-testid="tunnel-status"] [data-status]')).toHaveAttribute(
      'data-status',
      'unverified',
    );
    await expect(page.getByTestId('notice-error')).toHaveCount(0);
    await page.getByTestId('tunnel-check').click();
    await expect(page.getByTestId('reachability-hop').first()).toBeVisible();
    await expect(page.locator('[data-testid="tunnel-status"] [data-status]')).toHaveAttribute(
      'data-status',
      'unverified',
    );
    await page.getByTestId('tunnel-stop').click();
    await expect(page.locator('[data-testid="tunnel-status"] [data-status]')).toHaveAttribute(
      'data-status',
      'off',
    );
  });

  test('Clear hides the listed requests in this window only; the host keeps its log', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    await expect(ui.rows().first()).toBeVisible();
    const total = await hostTotal(handle);
    const listed = await ui.rows().count();
    await page.getByTestId('request-clear').click();
    const cleared = page.getByTestId('requests-cleared');
    await expect(cleared).toContainText(`${listed} requests are hidden in this window`);
    await expect(cleared).toContainText(`the host still has ${total}`);
    expect(await hostTotal(handle)).toBe(total);
    await expect(page.getByTestId('request-total')).toHaveText('0 requests');
    await ui.shoot('requests-cleared');
    // Views reading the list do not claim nothing happened, either.
    await ui.show('discovery');
    await expect(page.getByTestId('proof-verdicts-empty')).toContainText('cleared at');
    await ui.show('requests');

    // New calls still arrive; the hidden ones come back on request.
    expect((await checkFileInfo(target)).status).toBe(200);
    await expect(ui.rows()).toHaveCount(1);
    await page.getByTestId('request-clear').click();
    await page.getByTestId('requests-unhide').click();
    await expect(ui.rows()).toHaveCount(total + 1);

    // Another inspector never saw this window's clear.
    const other = new Inspector(await page.context().newPage());
    await other.open(handle);
    await expect(other.rows()).toHaveCount(total + 1);
    await other.page.close();
  });

  test("deleting the host's log asks first, says what goes, and then empties every list", async ({
    page,
  }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    const total = await hostTotal(handle);
    expect(total).toBeGreaterThan(0);
    await page.getByTestId('request-delete-host').click();
    const dialog = page.getByTestId('delete-host-log');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`all ${total} requests`);
    await expect(dialog).toContainText('cannot be undone');
    await expect(page.getByTestId('delete-host-log-confirm')).toHaveText(`Delete ${total} requests`);
    await ui.shoot('requests-delete');

    // Escape (or Cancel) deletes nothing.
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    expect(await hostTotal(handle)).toBe(total);
    await expect(ui.rows()).toHaveCount(total);

    const other = new Inspector(await page.context().newPage());
    await other.open(handle);
    await page.bringToFront();
    await page.getByTestId('request-delete-host').click();
    await page.getByTestId('delete-host-log-confirm').click();
    await expect(page.getByTestId('requests-empty')).toBeVisible();
    await expect(page.getByTestId('notice-success')).toContainText(`Deleted ${total} requests`);
    expect(await hostTotal(handle)).toBe(0);
    await expect(other.page.getByTestId('requests-empty')).toBeVisible();
    await other.page.close();
  });

  test('the page has a favicon, served as a PNG the browser may keep', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    const href = await page.locator('link[rel="icon"][sizes="32x32"]').getAttribute('href');
    expect(href).toBeTruthy();
    const res = await page.request.get(new URL(href!, page.url()).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('image/png');
    expect(res.headers()['cache-control']).toContain('immutable');
    expect(
      Buffer.from(await res.body()).equals(readFileSync(path.join(repoRoot, 'assets/icons/32x32.png'))),
    ).toBe(true);
    // The page itself is revalidated on every load: a rebuilt UI loads at once.
    const index = await page.request.get(handle.controlUrl);
    expect(index.headers()['cache-control']).toBe('no-cache');
  });

  test('every view is reachable from the navigation', async ({ page }) => {
    const ui = new Inspector(page);
    await ui.open(handle);
    for (const view of VIEWS) await ui.show(view);
  });
});

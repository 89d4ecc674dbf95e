// The inspector must show the truth of the host: WOPI calls made from outside appear, locks come and
// go with WOPI Lock/Unlock, outside edits show a new version, and the lock lab's force-unlock is
// what the next WOPI call sees.
import { expect, test, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe, type ServeHandle } from '../helpers/cli-process';
import { checkFileInfo, lock, unlock, type WopiTarget } from '../helpers/wopi-client';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

test.describe.serial('the inspector shows the truth', () => {
  let handle: ServeHandle;
  let target: WopiTarget;
  let fileId: string;

  test.beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
      throw new Error('The UI is not built: run `npm run build:ui` before the e2e tests');
    }
    handle = await startServe({ files: { 'Budget.xlsx': Buffer.alloc(4_000, 2), 'memo.txt': 'first' } });
    target = await handle.token('memo.txt', { user: 'editor' });
    fileId = target.wopiSrc.split('/').pop()!;
  });

  test.afterAll(async () => {
    await handle?.stop();
  });

  async function open(page: Page, view: string): Promise<void> {
    await page.goto(`${handle.controlUrl}/#token=${handle.controlToken}`);
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId(`nav-${view}`).click();
    await expect(page.getByTestId(`view-${view}`)).toBeVisible();
  }

  test('a WOPI Lock appears in Locks and disappears on Unlock', async ({ page }) => {
    await open(page, 'locks');
    const row = page.locator(`[data-testid="lock-row"][data-file-id="${fileId}"]`);
    await expect(row).toHaveCount(0);
    expect((await lock(target, 'outside-lock')).status).toBe(200);
    await expect(row).toHaveAttribute('data-lock-id', 'outside-lock', { timeout: 3_000 });
    expect((await unlock(target, 'outside-lock')).status).toBe(200);
    await expect(row).toHaveCount(0, { timeout: 3_000 });
  });

  test('calls made from outside appear in Requests live, with operation and lock columns', async ({
    page,
  }) => {
    await open(page, 'requests');
    expect((await checkFileInfo(target)).status).toBe(200);
    expect((await lock(target, 'L-1')).status).toBe(200);
    expect((await unlock(target, 'other-id')).status).toBe(409);
    await expect(
      page.locator('[data-testid="request-row"][data-operation="CheckFileInfo"][data-status="200"]'),
    ).toHaveCount(1, {
      timeout: 3_000,
    });
    const conflict = page.locator('[data-testid="request-row"][data-operation="Unlock"][data-status="409"]');
    await expect(conflict).toHaveCount(1, { timeout: 3_000 });
    await expect(conflict).toContainText('L-1');
    expect((await unlock(target, 'L-1')).status).toBe(200);
  });

  test('a file changed on disk shows a new version', async ({ page }) => {
    await open(page, 'files');
    await page.locator('[data-testid="file-row"][data-path="memo.txt"]').click();
    const version = page.getByTestId('file-version');
    await expect(version).toBeVisible();
    const before = (await version.textContent())!.trim();
    await writeFile(path.join(handle.folder, 'memo.txt'), 'changed behind the workbench');
    await expect(version).not.toHaveText(before, { timeout: 5_000 });
    await expect(page.getByTestId('file-sha256')).toContainText(/[0-9a-f]{64}/);
  });

  test('force-unlock in the lock lab is what the next WOPI call sees', async ({ page }) => {
    expect((await lock(target, 'held-by-office')).status).toBe(200);
    await open(page, 'locks');
    const row = page.locator(`[data-testid="lock-row"][data-file-id="${fileId}"]`);
    await expect(row).toHaveAttribute('data-lock-id', 'held-by-office');
    await row.getByTestId('lock-force-unlock').click();
    await expect(row).toHaveCount(0);
    const r = await unlock(target, 'held-by-office');
    expect(r.status).toBe(409);
    expect(r.header('x-wopi-lock')).toBe('');
    expect((await lock(target, 'someone-else')).status).toBe(200);
  });
});

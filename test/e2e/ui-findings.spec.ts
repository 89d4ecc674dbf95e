// Linter findings in a real browser: `serve --upstream` in front of a deliberately broken host
// (test/helpers/mini-host.ts), real traffic through the proxy, and what the protocol linter found on
// it shown as a badge on the row, in the detail pane (rule, severity, message, with the record's source
// and upstream), and in the Findings list (newest first; a finding opens its request).
import { expect, test, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RequestPage } from '../../server/contracts';
import { FLAGS } from '../../server/cli/flags';
import { repoRoot, startServe, type ServeHandle } from '../helpers/cli-process';
import { startMiniHost, type MiniHost } from '../helpers/mini-host';
import { shoot } from '../helpers/screenshots';
import { checkFileInfo, lock, putFile, type WopiTarget } from '../helpers/wopi-client';

/** The proxy (`serve --upstream URL`) is what puts another host's traffic, and its findings, in the log. */
const PROXY = Object.hasOwn(FLAGS, 'upstream');

async function open(page: Page, handle: ServeHandle): Promise<void> {
  await page.goto(`${handle.controlUrl}/#token=${handle.controlToken}`);
  await expect(page.getByTestId('app-root')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
}

test.describe.serial('linter findings UI', () => {
  test.skip(!PROXY, 'needs `serve --upstream` (the inspecting proxy) to carry another host’s traffic');
  let mini: MiniHost;
  let handle: ServeHandle;
  let target: WopiTarget;

  test.beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
      throw new Error('The UI is not built: run `npm run build:ui` before the e2e tests');
    }
    mini = await startMiniHost({
      files: { 'Budget.xlsx': Buffer.alloc(4_000, 2) },
      mistakes: ['conflict-without-lock-header', 'unknown-file-500'],
    });
    handle = await startServe({ files: {}, args: ['--upstream', mini.url] });
    // The upstream's file id and token, called on the workbench's WOPI listener.
    const fileId = new URL(mini.wopiSrc('Budget.xlsx')).pathname.split('/').pop()!;
    target = { wopiSrc: `${handle.wopiUrl}/wopi/files/${fileId}`, accessToken: mini.token('Budget.xlsx') };
  });

  test.afterAll(async () => {
    await handle?.stop();
    await mini?.close();
  });

  test('a request with findings has a badge, and its findings in the detail pane', async ({ page }) => {
    expect((await checkFileInfo(target)).status).toBe(200);
    expect((await lock(target, 'lock-A')).status).toBe(200);
    // A conflict the broken host answers 409 without X-WOPI-Lock.
    expect((await putFile(target, 'v2', { lock: 'someone-else' })).status).toBe(409);
    // An unknown file id the broken host answers 500.
    expect((await checkFileInfo({ ...target, wopiSrc: `${handle.wopiUrl}/wopi/files/nope` })).status).toBe(
      500,
    );

    await open(page, handle);
    const conflict = page.locator('[data-testid="request-row"][data-operation="PutFile"][data-status="409"]');
    await expect(conflict).toHaveCount(1);
    const badge = conflict.getByTestId('findings-badge');
    await expect(badge).toHaveAttribute('data-severity', 'error');
    await expect(badge).toHaveAttribute('data-count', /[1-9]/);
    // A clean exchange carries none.
    const clean = page.locator('[data-testid="request-row"][data-operation="Lock"][data-status="200"]');
    await expect(clean.getByTestId('findings-badge')).toHaveCount(0);

    await conflict.click();
    const finding = page.locator('[data-testid="request-finding"][data-rule="lock-conflict-missing-header"]');
    await expect(finding).toHaveAttribute('data-severity', 'error');
    await expect(finding).toContainText('X-WOPI-Lock');
    await expect(page.getByTestId('detail-source').locator('[data-source]')).toHaveAttribute(
      'data-source',
      'proxy',
    );
    await expect(page.getByTestId('detail-upstream')).toContainText(mini.url);
    // Proxied tokens are redacted like ours.
    await expect(page.getByTestId('request-detail')).not.toContainText(target.accessToken);
    await shoot(page, 'requests-findings');
  });

  test('Findings lists every finding with its request, newest first; one opens its request', async ({
    page,
  }) => {
    const res = await fetch(`${handle.controlUrl}/v1/requests?limit=1000`, {
      headers: { Authorization: `Bearer ${handle.controlToken}` },
    });
    const log = (await res.json()) as RequestPage;
    const total = log.items.reduce((n, record) => n + (record.findings?.length ?? 0), 0);
    expect(total).toBeGreaterThanOrEqual(2);

    await open(page, handle);
    await expect(page.getByTestId('nav-findings-count')).toHaveText(String(total));
    await page.getByTestId('nav-findings').click();
    const rows = page.getByTestId('finding-row');
    await expect(rows).toHaveCount(total);
    // The 500 for an unknown id came last, so it is first; selecting it opens its request.
    await expect(rows.first()).toHaveAttribute('data-rule', 'unknown-file-server-error');
    await rows.first().click();
    await expect(page.getByTestId('request-detail')).toHaveAttribute(
      'data-request-id',
      (await rows.first().getAttribute('data-request-id')) ?? '',
    );
    await expect(page.getByTestId('request-finding').first()).toHaveAttribute(
      'data-rule',
      'unknown-file-server-error',
    );
    await shoot(page, 'findings');

    await page.getByTestId('findings-rule').selectOption('lock-conflict-missing-header');
    await expect(rows).toHaveCount(1);
    await rows.first().click();
    const id = await rows.first().getAttribute('data-request-id');
    await expect(page.getByTestId('request-detail')).toHaveAttribute('data-request-id', id ?? '');
    await page.getByTestId('show-in-requests').click();
    await expect(page.getByTestId('view-requests')).toBeVisible();
    await expect(page.getByTestId('request-detail')).toHaveAttribute('data-request-id', id ?? '');
  });
});

// The PostMessages view against a real `serve`: a launch link opens the host page in one tab, the built-in
// simulated client loads in its frame and talks to the host page; the inspector in another tab lists every
// message live, both directions, with values, filterable by file, direction and session. An inspector
// opened later loads what the host kept and continues live, each message once.
import { expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileView, LaunchLink } from '../../server/contracts';
import { buildDocx } from '../../server/simulator/ooxml/samples';
import { startServe, type ServeHandle } from '../helpers/cli-process';
import { shoot } from '../helpers/screenshots';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shots = path.join(repoRoot, 'docs', 'screenshots');

async function control<T>(handle: ServeHandle, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${handle.controlUrl}/v1${route}`, {
    method,
    headers: { Authorization: `Bearer ${handle.controlToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Open a launch link (POST /v1/launch) in its own tab and wait until the simulated client is ready. */
async function launch(handle: ServeHandle, page: Page, fileId: string, action: string): Promise<Page> {
  const link = await control<LaunchLink>(handle, 'POST', '/launch', { fileId, action });
  const host = await page.context().newPage();
  await host.goto(link.url);
  await expect(host.frameLocator('#office_frame').locator('#sim')).toHaveAttribute('data-state', 'ready', {
    timeout: 20_000,
  });
  // Back to the inspector tab, as a person would: a background tab's timers are throttled.
  await page.bringToFront();
  return host;
}

const rows = (page: Page): Locator => page.getByTestId('postmessage-row');
const row = (page: Page, messageId: string, fileId: string): Locator =>
  page.locator(`[data-testid="postmessage-row"][data-message-id="${messageId}"][data-file-id="${fileId}"]`);

test.describe.serial('PostMessages view', () => {
  let handle: ServeHandle;
  let docId: string;
  let txtId: string;
  let context: BrowserContext;
  let inspector: Page;

  test.beforeAll(async ({ browser }) => {
    if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
      throw new Error('The UI is not built: run `npm run build:ui` before the e2e tests');
    }
    await mkdir(shots, { recursive: true });
    handle = await startServe({
      files: {
        'Report.docx': buildDocx(['Quarterly report', 'Numbers went up.']),
        'notes.txt': 'draft\n',
      },
    });
    const files = await control<FileView[]>(handle, 'GET', '/files');
    docId = files.find((f) => f.path === 'Report.docx')!.id;
    txtId = files.find((f) => f.path === 'notes.txt')!.id;
    // The inspector and the host pages share one context, as two tabs of one browser.
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    inspector = await context.newPage();
    await inspector.goto(`${handle.controlUrl}/#token=${handle.controlToken}&view=messages`);
    await expect(inspector.getByTestId('app-root')).toHaveAttribute('data-ready', 'true');
    await expect(inspector.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
  });

  test.afterAll(async () => {
    await context?.close();
    await handle?.stop();
  });

  test('says what the view is for before any message', async () => {
    await expect(inspector.getByTestId('postmessages-empty')).toBeVisible();
    await expect(inspector.getByTestId('nav-messages')).toContainText('0');
  });

  test('messages of a launch appear live in both directions, with their values', async () => {
    const host = await launch(handle, inspector, docId, 'edit');

    const ready = row(inspector, 'Host_PostmessageReady', docId).first();
    await expect(ready).toHaveAttribute('data-direction', 'to-client');
    await expect(ready.getByTestId('postmessage-direction')).toHaveText('host → client');
    const loaded = row(inspector, 'App_LoadingStatus', docId);
    await expect(loaded).toHaveCount(1);
    await expect(loaded).toHaveAttribute('data-direction', 'from-client');
    await expect(loaded.getByTestId('postmessage-direction')).toHaveText('client → host');
    await expect(loaded.getByTestId('postmessage-values')).toContainText('DocumentLoadedTime');

    // A rename in the client frame is announced to the host page with the new name.
    const frame = host.frameLocator('#office_frame');
    await frame.locator('#new-name').fill('Report-final');
    await frame.locator('#rename').click();
    const renamed = row(inspector, 'File_Rename', docId);
    await expect(renamed.getByTestId('postmessage-values')).toContainText('"NewName": "Report-final"');

    await renamed.click();
    const detail = inspector.getByTestId('postmessage-detail');
    await expect(detail).toHaveAttribute('data-message-id', 'File_Rename');
    await expect(inspector.getByTestId('postmessage-meaning')).toContainText('renamed');
    await expect(inspector.getByTestId('postmessage-json')).toContainText('"NewName": "Report-final"');
    await expect(detail).toContainText('Report-final.docx');
    await shoot(inspector, 'postmessages');
    await host.close();
  });

  test('filters by file, direction and session; clear empties the list', async () => {
    const host = await launch(handle, inspector, txtId, 'view');
    await expect(row(inspector, 'App_LoadingStatus', txtId)).toHaveCount(1);
    const all = await rows(inspector).count();

    await inspector.getByTestId('postmessage-filter-file').selectOption(txtId);
    await expect(row(inspector, 'App_LoadingStatus', txtId)).toHaveCount(1);
    await expect(
      inspector.locator(`[data-testid="postmessage-row"]:not([data-file-id="${txtId}"])`),
    ).toHaveCount(0);
    const forTxt = await rows(inspector).count();
    expect(forTxt).toBeLessThan(all);
    await expect(inspector.getByTestId('postmessage-count')).toHaveText(`${forTxt} of ${all}`);

    await inspector.getByTestId('postmessage-filter-direction').selectOption('from-client');
    await expect(
      inspector.locator('[data-testid="postmessage-row"][data-direction="to-client"]'),
    ).toHaveCount(0);
    await expect(row(inspector, 'App_LoadingStatus', txtId)).toHaveCount(1);

    await inspector.getByTestId('postmessage-filter-clear').click();
    await expect(rows(inspector)).toHaveCount(all);

    // "Only this session": one launch's messages, whichever file.
    await row(inspector, 'App_LoadingStatus', docId).click();
    await inspector.getByTestId('postmessage-session-filter').click();
    await expect(inspector.getByTestId('postmessage-session-chip')).toBeVisible();
    await expect(row(inspector, 'File_Rename', docId)).toHaveCount(1);
    await expect(inspector.locator(`[data-testid="postmessage-row"][data-file-id="${txtId}"]`)).toHaveCount(
      0,
    );
    await inspector.getByTestId('postmessage-session-chip').click();
    await expect(rows(inspector)).toHaveCount(all);

    // Cleared here, and the empty list says so rather than "No PostMessages yet".
    await inspector.getByTestId('postmessage-clear').click();
    await expect(inspector.getByTestId('postmessages-cleared')).toBeVisible();
    await host.close();
  });

  test('a cleared list stays cleared when the view opens again', async () => {
    await reopenMessages(inspector);
    await expect(inspector.getByTestId('postmessages-cleared')).toBeVisible();
  });

  test('messages sent before the view opened are shown, then it continues live, each message once', async () => {
    // A second inspector, opened on another view after both launches above.
    const late = await context.newPage();
    await late.goto(`${handle.controlUrl}/#token=${handle.controlToken}&view=requests`);
    await expect(late.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
    // Counted from the start, before the view ever opened.
    const kept = (await control<{ items: unknown[] }>(handle, 'GET', '/hostpage/messages')).items.length;
    expect(kept).toBeGreaterThan(0);
    await expect(late.getByTestId('nav-messages').locator('.nav-count')).toHaveText(String(kept));

    await reopenMessages(late);
    const renamed = row(late, 'File_Rename', docId);
    await expect(renamed).toHaveCount(1);
    await expect(renamed.getByTestId('postmessage-values')).toContainText('"NewName": "Report-final"');
    await expect(row(late, 'App_LoadingStatus', docId)).toHaveCount(1);
    await expect(row(late, 'App_LoadingStatus', txtId)).toHaveCount(1);

    // Live from here: a launch while the view is open adds its messages after the history, once.
    const host = await launch(handle, late, txtId, 'view');
    await expect(row(late, 'App_LoadingStatus', txtId)).toHaveCount(2);
    await expectSeqsOnce(late);

    // Leaving and coming back merges the history again: nothing doubles.
    const shown = await rows(late).count();
    await reopenMessages(late);
    await expect(rows(late)).toHaveCount(shown);
    await expectSeqsOnce(late);
    await host.close();
    await late.close();
  });
});

/** Rows in event-seq order from top to bottom, no seq twice. */
async function expectSeqsOnce(page: Page): Promise<void> {
  const placed = await rows(page).evaluateAll((els) =>
    els.map((el) => ({ top: (el as HTMLElement).offsetTop, seq: Number(el.getAttribute('data-seq')) })),
  );
  const seqs = placed.sort((a, b) => a.top - b.top).map((r) => r.seq);
  expect(seqs.length).toBeGreaterThan(0);
  expect(new Set(seqs).size).toBe(seqs.length);
  expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
}

/** Open the PostMessages view from another one, and wait until it merged the host's history once more. */
async function reopenMessages(page: Page): Promise<void> {
  const view = page.getByTestId('postmessages-view');
  // Not shown yet: the read at start (one or more) is all that can be counted on.
  const reads = (await view.count()) > 0 ? Number(await view.getAttribute('data-history-reads')) : 0;
  await page.getByTestId('nav-files').click();
  await page.getByTestId('nav-messages').click();
  await expect(view).toHaveAttribute('data-history', 'loaded');
  await expect.poll(async () => Number(await view.getAttribute('data-history-reads'))).toBeGreaterThan(reads);
}

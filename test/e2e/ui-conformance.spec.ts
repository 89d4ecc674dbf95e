// The Conformance view in a real browser against a real `serve`: a one-click run against this workbench
// followed live to a pass, a case's exchanges opened in the request detail pane, a deliberately broken
// host (test/helpers/mini-host.ts) failing with expected vs actual exactly as the host's run says, and a
// run that cannot start saying why. Screenshots of the running and the failed run.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CheckRunView } from '../../server/contracts';
import { repoRoot, startServe, type ServeHandle } from '../helpers/cli-process';
import { startMiniHost, type MiniHost } from '../helpers/mini-host';
import { shoot } from '../helpers/screenshots';

const RUN_TIMEOUT = 60_000;

/** Page object: the selectors the specs use. */
class Conformance {
  constructor(readonly page: Page) {}
  run = (): Locator => this.page.getByTestId('check-run');
  verdict = (): Locator => this.page.locator('[data-testid="check-run-verdict"] [data-verdict]');
  counts = (): Locator => this.page.getByTestId('check-run-counts');
  cases = (status?: string): Locator =>
    this.page.locator(`[data-testid="check-case"]${status ? `[data-status="${status}"]` : ''}`);
  caseById = (id: string): Locator => this.page.locator(`[data-testid="check-case"][data-case-id="${id}"]`);
  group = (id: string): Locator => this.page.locator(`[data-testid="check-group"][data-group-id="${id}"]`);

  async open(handle: ServeHandle): Promise<void> {
    await this.page.goto(`${handle.controlUrl}/#token=${handle.controlToken}`);
    await expect(this.page.getByTestId('app-root')).toHaveAttribute('data-ready', 'true');
    await expect(this.page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
    await this.page.getByTestId('nav-conformance').click();
    await expect(this.page.getByTestId('conformance-view')).toBeVisible();
  }

  /** Starts a run with the form as filled, and waits until that new run is the one shown. */
  async start(): Promise<void> {
    const items = this.page.getByTestId('check-run-item');
    const before = await items.count();
    await this.page.getByTestId('check-start').click();
    await expect(items).toHaveCount(before + 1);
    const newest = await items.first().getAttribute('data-run-id');
    await expect(this.page.getByTestId('check-run-meta')).toHaveAttribute('data-run-id', newest ?? '');
  }

  /** Waits for the shown run to end and answers its verdict. */
  async finished(): Promise<string> {
    await expect(this.verdict()).not.toHaveAttribute('data-verdict', 'running', { timeout: RUN_TIMEOUT });
    return (await this.verdict().getAttribute('data-verdict')) ?? '';
  }

  async runId(): Promise<string> {
    return (await this.page.getByTestId('check-run-meta').getAttribute('data-run-id')) ?? '';
  }
}

async function controlGet<T>(handle: ServeHandle, route: string): Promise<T> {
  const res = await fetch(`${handle.controlUrl}${route}`, {
    headers: { Authorization: `Bearer ${handle.controlToken}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

test.describe.serial('conformance UI', () => {
  let handle: ServeHandle;
  let mini: MiniHost;

  test.beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
      throw new Error('The UI is not built: run `npm run build:ui` before the e2e tests');
    }
    handle = await startServe({
      files: { 'Proposal.docx': Buffer.alloc(9_000, 7), 'notes.txt': 'hello' },
    });
    // Someone else's host with two classic mistakes, on a scratch file the checks may write to.
    mini = await startMiniHost({
      files: { 'broken.wopitest': Buffer.from('scratch') },
      mistakes: ['conflict-without-lock-header', 'unknown-file-500'],
    });
  });

  test.afterAll(async () => {
    await handle?.stop();
    await mini?.close();
  });

  test('before any run, the view says what a run is and offers to start one', async ({ page }) => {
    const ui = new Conformance(page);
    await ui.open(handle);
    await expect(page.getByTestId('checks-empty')).toContainText('No conformance run yet');
    await expect(page.getByTestId('check-start')).toBeEnabled();
  });

  test('one click runs the suite against this workbench, live, to a pass', async ({ page }) => {
    const ui = new Conformance(page);
    await ui.open(handle);
    await ui.start();
    // The run shows at once, running; results come in from check:updated events.
    await expect(ui.run()).toBeVisible();
    const firstVerdict = await ui.verdict().getAttribute('data-verdict');
    if (firstVerdict === 'running') {
      await expect(page.getByTestId('check-run-progress')).toBeVisible();
      await shoot(page, 'conformance-running');
    }
    expect(await ui.finished()).toBe('passed');
    await expect(page.getByTestId('check-run-progress')).toHaveCount(0);
    await expect(page.getByTestId('notice-success')).toContainText('Conformance run passed');

    // What the UI counts is what the host's run says, and nothing failed.
    const run = await controlGet<CheckRunView>(handle, `/v1/checks/${await ui.runId()}`);
    expect(run.state).toBe('done');
    const all = run.groups.flatMap((g) => g.cases);
    const passed = all.filter((c) => c.status === 'pass').length;
    expect(passed).toBeGreaterThan(0);
    await expect(ui.counts()).toHaveAttribute('data-pass', String(passed));
    await expect(ui.counts()).toHaveAttribute('data-fail', '0');
    await expect(ui.counts()).toHaveAttribute('data-error', '0');
    await expect(page.getByTestId('check-run-item')).toHaveCount(1);

    // Skipped groups name the CheckFileInfo property (or the missing signer) that skipped them.
    for (const group of run.groups.filter((g) => g.status === 'skipped')) {
      await expect(ui.group(group.id).getByTestId('check-group-skipped')).toContainText(
        group.skippedBecause ?? '',
      );
    }
  });

  test('a case opens its exchanges: the same records, redaction and detail as Requests', async ({ page }) => {
    const ui = new Conformance(page);
    await ui.open(handle);
    const run = await controlGet<CheckRunView>(handle, `/v1/checks/${await ui.runId()}`);
    // The case that sent the most requests (the prerequisites' one CheckFileInfo when no group ran).
    const kase = run.groups
      .flatMap((g) => g.cases)
      .reduce((most, c) => (c.exchanges.length > most.exchanges.length ? c : most));
    expect(kase.exchanges.length).toBeGreaterThan(0);
    const group = run.groups.find((g) => g.cases.includes(kase));

    // Passing groups start closed.
    await ui.group(group!.id).getByTestId('check-group-toggle').click();
    await ui.caseById(kase.id).getByTestId('check-case-toggle').click();
    const exchanges = ui.caseById(kase.id).getByTestId('case-exchange');
    await expect(exchanges).toHaveCount(kase.exchanges.length);
    await expect(exchanges.first()).toHaveAttribute('data-status', /\d+/);

    await exchanges.first().click();
    const detail = page.getByTestId('request-detail');
    await expect(detail).toHaveAttribute('data-request-id', kase.exchanges[0]!);
    await expect(page.getByTestId('detail-check')).toContainText(kase.id);
    await expect(page.getByTestId('detail-url')).toContainText('redacted');

    // "In Requests" shows the same record among all requests.
    await page.getByTestId('show-in-requests').click();
    await expect(page.getByTestId('view-requests')).toBeVisible();
    await expect(page.getByTestId('request-detail')).toHaveAttribute('data-request-id', kase.exchanges[0]!);
    // ...and its check tag leads back to the case, opened.
    await page.getByTestId('detail-check').getByRole('button').click();
    await expect(page.getByTestId('conformance-view')).toBeVisible();
    await expect(ui.caseById(kase.id).getByTestId('case-exchanges')).toBeVisible();
  });

  test("the workbench's own rules are marked, with the rule and its source", async ({ page }) => {
    const ui = new Conformance(page);
    await ui.open(handle);
    const run = await controlGet<CheckRunView>(handle, `/v1/checks/${await ui.runId()}`);
    const group = run.groups.find((g) => g.cases.some((c) => c.origin === 'workbench' && c.rationale));
    expect(group, 'a case of the workbench’s own, with its rationale').toBeTruthy();
    const own = group!.cases.find((c) => c.origin === 'workbench' && c.rationale)!;
    const validator = group!.cases.find((c) => c.origin === 'validator');

    await ui.group(group!.id).getByTestId('check-group-toggle').click();
    const badge = ui.caseById(own.id).getByTestId('case-workbench-rule');
    await expect(badge).toHaveText('workbench rule');
    await expect(badge).toHaveAttribute('title', own.rationale!);
    if (validator) await expect(ui.caseById(validator.id).getByTestId('case-workbench-rule')).toHaveCount(0);
    await ui.caseById(own.id).getByTestId('check-case-toggle').click();
    await expect(ui.caseById(own.id).getByTestId('case-rationale')).toHaveText(own.rationale!);
  });

  test('a broken host fails with expected vs actual, one line each, as the host reports it', async ({
    page,
  }) => {
    const ui = new Conformance(page);
    await ui.open(handle);
    const token = mini.token('broken.wopitest');
    await page.getByTestId('check-mode-remote').click();
    await page.getByTestId('check-wopisrc').fill(mini.wopiSrc('broken.wopitest'));
    await page.getByTestId('check-token').fill(token);
    await expect(page.getByTestId('check-token')).toHaveAttribute('type', 'password');
    await ui.start();
    expect(await ui.finished()).toBe('failed');
    await expect(page.getByTestId('notice-error')).toContainText('Conformance run failed');

    const run = await controlGet<CheckRunView>(handle, `/v1/checks/${await ui.runId()}`);
    const failed = run.groups.flatMap((g) => g.cases).filter((c) => c.status === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    await expect(ui.cases('fail')).toHaveCount(failed.length);
    for (const kase of failed) {
      const row = ui.caseById(kase.id);
      await expect(row.getByTestId('case-expected')).toHaveText(kase.expected ?? '–');
      await expect(row.getByTestId('case-actual')).toHaveText(kase.actual ?? '–');
    }
    await expect(page.getByTestId('check-run-item')).toHaveCount(2);

    // The token was typed into a password field and goes nowhere else on the page.
    await expect(page.locator('body')).not.toContainText(token);

    // Its exchanges are the client side of the run (source check), tokens redacted.
    const first = failed[0]!;
    await ui.caseById(first.id).getByTestId('check-case-toggle').click();
    await ui.caseById(first.id).getByTestId('case-exchange').last().click();
    await expect(page.getByTestId('detail-source').locator('[data-source]')).toHaveAttribute(
      'data-source',
      'check',
    );
    await expect(page.getByTestId('request-detail')).not.toContainText(token);
    // The picture: the failed case at the top, its expected vs actual and the exchange opened beside.
    await ui.caseById(first.id).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shoot(page, 'conformance-failed');
  });

  test('a run that cannot go on says why', async ({ page }) => {
    const ui = new Conformance(page);
    await ui.open(handle);
    await page.getByTestId('check-mode-remote').click();
    await page.getByTestId('check-wopisrc').fill(mini.wopiSrc('broken.wopitest'));
    await page.getByTestId('check-token').fill('not-a-token-the-host-minted');
    await ui.start();
    expect(await ui.finished()).toBe('broken');
    await expect(page.getByTestId('check-run-error')).toContainText('CheckFileInfo');
    // The step that stopped it is a failed case of its own, with what was expected and what came.
    const pre = ui.cases('fail').first();
    await expect(pre.getByTestId('case-expected')).not.toBeEmpty();
    await expect(pre.getByTestId('case-actual')).toContainText('401');
  });
});

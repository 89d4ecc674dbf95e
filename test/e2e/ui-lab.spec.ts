// The QA lab in a real browser against a real `serve`: a fault preset added from the Faults view answers
// its documented status on the matching requests only (and never touches the file's bytes), the request
// row and detail say the answer was injected; the rules round-trip through Export and Import; in the
// Simulator "user B's save is rejected while user A holds the lock" is three clicks, and a misbehaviour
// is one; a lock-lab action shows up among the requests as a timeline event; a shipped scenario and a
// pasted one run from Scenarios. Screenshots of each.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createControlClient, type ControlClient } from '../../server/contracts';
import type { FaultPresetView } from '../../server/contracts/lab';
import { repoRoot, startServe, type ServeHandle } from '../helpers/cli-process';
import { shoot } from '../helpers/screenshots';
import { checkFileInfo, lock, unlock, type WopiTarget } from '../helpers/wopi-client';

const RUN_TIMEOUT = 60_000;
const DOC = 'Proposal.docx';
const NOTES = 'notes.txt';
const DRAFT = 'draft.txt';
const BUDGET = 'Budget.xlsx';

/** Page object: the selectors the specs use. */
class Lab {
  constructor(readonly page: Page) {}
  rows = (): Locator => this.page.getByTestId('request-row');
  row = (operation: string, status: number, fileId?: string): Locator =>
    this.page.locator(
      `[data-testid="request-row"][data-operation="${operation}"][data-status="${status}"]${fileId ? `[data-file-id="${fileId}"]` : ''}`,
    );
  preset = (id: string): Locator => this.page.locator(`[data-testid="fault-preset"][data-preset-id="${id}"]`);
  rules = (): Locator => this.page.getByTestId('fault-rule');
  session = (persona: string): Locator =>
    this.page.locator(`[data-testid="sim-session"][data-persona="${persona}"]:not([data-state="closed"])`);

  async open(handle: ServeHandle): Promise<void> {
    await this.page.goto(`${handle.controlUrl}/#token=${handle.controlToken}`);
    await expect(this.page.getByTestId('app-root')).toHaveAttribute('data-ready', 'true');
    await expect(this.page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
  }

  /** Notices fade on their own; a screenshot does not wait for them. */
  async shoot(name: string): Promise<void> {
    const dismiss = this.page.locator('.notice button[aria-label="Dismiss"]');
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await shoot(this.page, name);
  }

  async show(view: string): Promise<void> {
    await this.page.getByTestId(`nav-${view}`).click();
    await expect(this.page.getByTestId(`view-${view}`)).toBeVisible();
  }
}

test.describe.serial('QA lab UI', () => {
  let handle: ServeHandle;
  let client: ControlClient;
  let doc: WopiTarget;
  let notes: WopiTarget;
  let docId: string;
  let notesId: string;
  let draftId: string;
  let budgetId: string;
  let docBytes: Buffer;
  let notesBytes: Buffer;

  test.beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
      throw new Error('The UI is not built: run `npm run build:ui` before the e2e tests');
    }
    handle = await startServe({
      files: {
        [DOC]: Buffer.alloc(12_000, 7),
        [NOTES]: 'hello, lab\n',
        [DRAFT]: 'a draft\n',
        [BUDGET]: Buffer.alloc(20_000, 3),
      },
    });
    client = createControlClient({ baseUrl: handle.controlUrl, token: handle.controlToken });
    doc = await handle.token(DOC, { user: 'editor' });
    notes = await handle.token(NOTES, { user: 'editor' });
    const files = await client.files();
    docId = files.find((f) => f.path === DOC)!.id;
    notesId = files.find((f) => f.path === NOTES)!.id;
    draftId = files.find((f) => f.path === DRAFT)!.id;
    budgetId = files.find((f) => f.path === BUDGET)!.id;
    docBytes = await readFile(path.join(handle.folder, DOC));
    notesBytes = await readFile(path.join(handle.folder, NOTES));
  });

  test.afterAll(async () => {
    await handle?.stop();
  });

  test('a preset added from Faults answers its status on the matching requests only, and says so in Requests', async ({
    page,
  }) => {
    const ui = new Lab(page);
    await ui.open(handle);
    await ui.show('faults');
    await expect(page.getByTestId('fault-rules-empty')).toBeVisible();

    // The preset the host documents for "lock held elsewhere", limited to one file from its options.
    const presets = await client.faultPresets();
    const preset = presets.find((p) => p.id === 'lock-held-elsewhere') as FaultPresetView;
    expect(preset.rule.effect.kind).toBe('status');
    await expect(page.getByTestId('fault-preset')).toHaveCount(presets.length);
    const card = ui.preset(preset.id);
    await expect(card).toContainText(preset.officeBehaviour);
    await card.getByTestId('fault-preset-more').click();
    await card.getByTestId('fault-preset-file').selectOption(docId);
    await card.getByTestId('fault-preset-add').click();
    await expect(ui.rules()).toHaveCount(1);
    const rule = ui.rules().first();
    await expect(rule.getByTestId('fault-rule-name')).toHaveText(preset.rule.name ?? preset.title);
    await expect(rule.getByTestId('fault-rule-match')).toContainText(DOC);
    await expect(page.getByTestId('nav-faults-count')).toHaveText('1');

    // Matching: Lock on that file gets exactly the preset's answer; the rest is answered for real.
    const effect = preset.rule.effect as Extract<FaultPresetView['rule']['effect'], { kind: 'status' }>;
    expect((await checkFileInfo(doc)).status).toBe(200);
    const refused = await lock(doc, 'lab-lock-1');
    expect(refused.status).toBe(effect.status);
    expect(refused.header('x-wopi-lock')).toBe(effect.lock);
    const other = await lock(notes, 'lab-lock-2');
    expect(other.status).toBe(200);
    expect((await unlock(notes, 'lab-lock-2')).status).toBe(200);
    await expect(rule.getByTestId('fault-rule-counts')).toHaveAttribute('data-hits', '1');
    await page
      .getByTestId('view-faults')
      .locator('.page')
      .evaluate((el) => el.scrollTo(0, 0));
    await ui.shoot('faults');

    // The row a fault touched wears the badge with the rule's name; the others do not.
    await ui.show('requests');
    const injected = ui.row('Lock', effect.status, docId);
    await expect(injected).toHaveCount(1);
    await expect(injected.getByTestId('fault-badge')).toContainText(preset.rule.name ?? preset.title);
    await expect(ui.row('Lock', 200, notesId).getByTestId('fault-badge')).toHaveCount(0);
    await expect(ui.row('CheckFileInfo', 200, docId).getByTestId('fault-badge')).toHaveCount(0);
    await injected.click();
    const banner = page.getByTestId('detail-fault');
    await expect(banner).toContainText(`Injected by fault rule ${preset.rule.name ?? preset.title}`);
    await expect(page.getByTestId('detail-fault-summary')).not.toBeEmpty();
    await ui.shoot('requests-fault');

    // No fault changes a byte on disk.
    expect((await readFile(path.join(handle.folder, DOC))).equals(docBytes)).toBe(true);

    // Off: the next Lock is the host's own answer again.
    await ui.show('faults');
    await ui.rules().first().getByTestId('fault-rule-toggle').click({ force: true });
    await expect(ui.rules().first()).toHaveAttribute('data-enabled', 'false');
    expect((await lock(doc, 'lab-lock-3')).status).toBe(200);
    expect((await unlock(doc, 'lab-lock-3')).status).toBe(200);
  });

  test('the rules export as a file and import back', async ({ page }) => {
    const ui = new Lab(page);
    await ui.open(handle);
    await ui.show('faults');
    await expect(ui.rules()).toHaveCount(1);

    const download = page.waitForEvent('download');
    await page.getByTestId('fault-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('faults.json');
    const text = await readFile(await file.path(), 'utf8');
    const exported = JSON.parse(text) as { format: string; rules: unknown[] };
    expect(exported.format).toBe('wopi-workbench-faults');
    expect(exported.rules).toHaveLength(1);

    await page.getByTestId('fault-clear').click();
    await page
      .getByTestId('fault-clear-confirm')
      .getByRole('button', { name: /Remove 1 rule/ })
      .click();
    await expect(page.getByTestId('fault-rules-empty')).toBeVisible();
    expect(await client.faults()).toHaveLength(0);

    // A wrong paste says what is wrong; the exported text brings the rule back.
    await page.getByTestId('fault-import-open').click();
    await page.getByTestId('fault-import-text').fill('{"rules": []}');
    await page.getByTestId('fault-import-submit').click();
    await expect(page.getByTestId('fault-import-problem')).toContainText('wopi-workbench-faults');
    await page.getByTestId('fault-import-text').fill(text);
    await page.getByTestId('fault-import-submit').click();
    await expect(ui.rules()).toHaveCount(1);
    expect(await client.faults()).toHaveLength(1);
    await client.clearFaults();
    await expect(ui.rules()).toHaveCount(0);
  });

  test("user B's save is rejected while user A holds the lock: three clicks in Simulator", async ({
    page,
  }) => {
    const ui = new Lab(page);
    await ui.open(handle);
    await ui.show('simulator');
    await page.getByTestId('sim-file').selectOption(notesId);
    const [editor, coauthor] = (await client.personas()).filter((p) => p.permissions === 'edit');
    expect(coauthor).toBeDefined();

    // 1. A opens to edit: it takes the lock.
    await page.locator(`[data-testid="sim-open-as"][data-persona="${editor!.id}"]`).click();
    await expect(ui.session(editor!.id)).toHaveAttribute('data-state', 'editing');
    // 2. B opens: its Lock meets A's, so it falls back to read-only and names who is editing.
    await page.locator(`[data-testid="sim-open-as"][data-persona="${coauthor!.id}"]`).click();
    const b = ui.session(coauthor!.id);
    await expect(b).toHaveAttribute('data-state', 'read-only');
    await expect(b.getByTestId('sim-session-banner')).toContainText(editor!.name);
    // 3. B saves: the host refuses the PutFile with 409.
    await b.getByTestId('sim-session-save').click();
    await expect(b.locator('[data-testid="sim-step"][data-operation="PutFile"]').last()).toHaveAttribute(
      'data-status',
      '409',
    );
    await page.getByTestId('simulator-view').evaluate((el) => el.scrollTo(0, 0));
    await ui.shoot('simulator');
    // The refused save wrote nothing.
    expect((await readFile(path.join(handle.folder, NOTES))).equals(notesBytes)).toBe(true);

    // Both close; A's Unlock frees the file.
    await b.getByTestId('sim-session-close').click();
    await ui.session(editor!.id).getByTestId('sim-session-close').click();
    await expect(page.getByTestId('sim-sessions-empty')).toBeVisible();
    await expect.poll(async () => (await client.locks()).some((l) => l.fileId === notesId)).toBe(false);
  });

  test('a misbehaviour is one click: a whole session runs and shows what the host answered', async ({
    page,
  }) => {
    const ui = new Lab(page);
    await ui.open(handle);
    await ui.show('simulator');
    await page.getByTestId('sim-file').selectOption(draftId);
    const item = page.locator('[data-testid="sim-misbehaviour"][data-misbehaviour="wrong-lock"]');
    await item.getByTestId('sim-misbehaviour-run').click();
    const result = page.getByTestId('sim-run-result');
    await expect(result).toHaveAttribute('data-misbehaviour', 'wrong-lock');
    // The PutFile under a lock other than its own is refused with 409, as the misbehaviour asks.
    await expect(
      result.locator('[data-testid="sim-step"][data-operation="PutFile"]').first(),
    ).toHaveAttribute('data-status', '409');
    await expect.poll(async () => (await client.locks()).some((l) => l.fileId === draftId)).toBe(false);
  });

  test('a lock-lab action is a timeline event among the requests, and the lock names its holder', async ({
    page,
  }) => {
    const ui = new Lab(page);
    await ui.open(handle);
    await ui.show('locks');
    const holder = (await client.personas()).find((p) => p.permissions === 'edit')!;
    await page.getByTestId('lock-set-file').selectOption(budgetId);
    await page.getByTestId('lock-set-persona').selectOption(holder.id);
    await page.getByTestId('lock-set-submit').click();
    const lockRow = page.locator(`[data-testid="lock-row"][data-file-id="${budgetId}"]`);
    await expect(lockRow.getByTestId('lock-holder')).toContainText(holder.name);
    await lockRow.getByTestId('lock-expire').click();

    await ui.show('requests');
    const events = page.locator('[data-testid="request-row"][data-source="event"]');
    await expect(events.locator('[data-kind="lock-set"]')).toHaveCount(1);
    await expect(events.locator('[data-kind="lock-expire"]')).toHaveCount(1);
    const set = events.filter({ has: page.locator('[data-kind="lock-set"]') });
    await expect(set.getByTestId('event-summary')).not.toBeEmpty();
    await set.click();
    await expect(page.getByTestId('request-detail')).toHaveAttribute('data-source', 'event');
    await expect(page.getByTestId('detail-event-summary')).not.toBeEmpty();
    await ui.shoot('requests-events');
  });

  test('a shipped scenario runs from Scenarios and reads like a conformance run', async ({ page }) => {
    const ui = new Lab(page);
    await ui.open(handle);
    await ui.show('scenarios');
    const shipped = await client.scenarios();
    expect(shipped.length).toBeGreaterThan(0);
    await expect(page.getByTestId('scenario')).toHaveCount(shipped.length);
    // The flagship one when shipped (B's save refused while A edits), else the first.
    const pick = shipped.find((s) => s.id === 'second-user-save-rejected') ?? shipped[0]!;
    const first = page.locator(`[data-testid="scenario"][data-scenario-id="${pick.id}"]`);
    await first.getByTestId('scenario-run').click();
    await expect(page.getByTestId('check-run-item')).toHaveCount(1);
    const verdict = page.locator('[data-testid="check-run-verdict"] [data-verdict]');
    await expect(verdict).not.toHaveAttribute('data-verdict', 'running', { timeout: RUN_TIMEOUT });
    await expect(verdict).toHaveAttribute('data-verdict', 'passed');
    const runId = (await page.getByTestId('check-run-meta').getAttribute('data-run-id')) ?? '';
    const run = await client.check({ params: { runId } });
    expect(run.kind).toBe('scenario');
    await expect(page.getByTestId('check-run-counts')).toHaveAttribute(
      'data-pass',
      String(run.groups.flatMap((g) => g.cases).filter((c) => c.status === 'pass').length),
    );
    await ui.shoot('scenarios');

    // Conformance lists conformance runs only.
    await ui.show('conformance');
    await expect(page.getByTestId('check-run-item')).toHaveCount(0);
  });

  test('a pasted scenario runs, and a broken one is refused with the step and field named', async ({
    page,
  }) => {
    const ui = new Lab(page);
    await ui.open(handle);
    await ui.show('scenarios');
    await page.getByTestId('scenario-text').fill('title: broken\nsteps: []\n');
    await page.getByTestId('scenario-run-text').click();
    await expect(page.getByTestId('notice-error')).toContainText('steps');

    await page.getByTestId('scenario-text').fill(PASTED);
    await page.getByTestId('scenario-run-text').click();
    await expect(page.getByTestId('check-run-item')).toHaveCount(2);
    const verdict = page.locator('[data-testid="check-run-verdict"] [data-verdict]');
    await expect(verdict).not.toHaveAttribute('data-verdict', 'running', { timeout: RUN_TIMEOUT });
    await expect(verdict).toHaveAttribute('data-verdict', 'passed');
    await expect(page.getByTestId('check-run')).toContainText('Pasted lock conflict');
  });
});

/** A scenario as a QA engineer would paste it: A locks, B's Lock is refused with A's lock id ({{lock:NAME}}). */
const PASTED = `title: Pasted lock conflict
personas: [editor, coauthor]
steps:
  - wopi: Lock
    as: editor
    lock: lock-A
  - wopi: Lock
    as: coauthor
    lock: lock-B
    expect: { status: 409, headers: { X-WOPI-Lock: '{{lock:lock-A}}' } }
  - wopi: Unlock
    as: editor
    lock: lock-A
`;

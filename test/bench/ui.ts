// `node --import tsx test/bench/ui.ts`: what the inspector UI costs with a big request log, next to a
// small one in the same run. For each size (default 1,000 then 100,000; UI_BENCH_SIZES=a,b to change):
// seed the engine's log, open the built UI (dist/renderer) in Chromium and measure the first request
// rows, filter latency (operation, text), jumps to the top/bottom of the list and a fast scroll sweep;
// then stream as many synthetic request:completed events through the engine's bus as fast as it emits
// them and measure when the UI shows the last one, its long tasks and a click's latency meanwhile; then
// filters and scrolling again on the list that burst filled. Prints a table, writes .bench/ui-results.json.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import type { RequestRecord } from '../../server/contracts';
import { createWorkbench } from '../../server/index';
import { makeRecord } from '../helpers/request-records';
import * as probes from './ui-probes';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const UI_DIR = path.join(repoRoot, 'dist', 'renderer');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SIZES = (process.env['UI_BENCH_SIZES'] ?? '1000,100000').split(',').map(Number);
const ROW_HEIGHT = 26;
/** Events emitted per turn of the engine's event loop while streaming. */
const EMIT_CHUNK = 1_000;
const SWEEP_FRAMES = 60;
/** Quiet time after the last row that counts as "idle again". */
const SETTLE_MS = 1_500;
/** A first, discarded pass. */
const WARM_UP_SIZE = 500;

type Files = { id: string; path: string }[];

/** makeRecord, pointed at the engine's real files so the file filter and links work. */
function recordFor(i: number, files: Files, id: string, startedAt: number): RequestRecord {
  const r = makeRecord(i);
  const f = files[i % files.length]!;
  return {
    ...r,
    id,
    startedAt,
    fileId: f.id,
    filePath: f.path,
    path: r.path.replace(/\/wopi\/files\/[^/]+/, `/wopi/files/${f.id}`),
  };
}

interface LongTasks {
  count: number;
  totalMs: number;
  maxMs: number;
}
interface ListMeasures {
  rows: number;
  operationFilterMs: number;
  textFilterMs: number;
  jumpTopMs: number;
  jumpBottomMs: number;
  filterLongTasks: LongTasks;
  sweep: { worstFrameMs: number; ms: number; longTasks: LongTasks };
}
interface SizeResult {
  size: number;
  seedMs: number;
  firstRowMs: number;
  history: ListMeasures;
  live: {
    emitMs: number;
    lastRowMs: number;
    idleMs: number;
    clickMs: number | null;
    longTasks: LongTasks;
    streamConnections: number;
    reloads: number;
    rowsAfter: number;
    heapMb: number | null;
  };
  afterLive: ListMeasures;
}

const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

async function longTasksSince(page: Page, from: number): Promise<LongTasks> {
  return page.evaluate(probes.longTasksBetween, { from, to: await pageNow(page) });
}

/** ms from the user's input to rendered rows that satisfy `cond`. */
async function timed(page: Page, cond: probes.RowCondition, act: () => Promise<void>): Promise<number> {
  await page.evaluate(probes.armWatch, { cond, fromNow: false });
  await act();
  return page.evaluate(probes.collectWatch);
}

async function resetFilters(page: Page, rows: number): Promise<void> {
  await page.getByTestId('filter-clear').click();
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid="request-list"]')?.getAttribute('data-row-count') === String(n),
    rows,
  );
}

async function measureList(page: Page): Promise<ListMeasures> {
  const { rows, height } = await page.evaluate(probes.listSize);
  const t0 = await pageNow(page);
  const operationFilterMs = await timed(page, { kind: 'all', attr: 'operation', value: 'PutFile' }, () =>
    page
      .getByTestId('filter-operation')
      .selectOption('PutFile')
      .then(() => undefined),
  );
  await resetFilters(page, rows);
  // The 409s name the other client's lock in a response header: a search over headers finds only them.
  const textFilterMs = await timed(page, { kind: 'all', attr: 'status', value: '409' }, () =>
    page.getByTestId('filter-search').fill('someone-else'),
  );
  await resetFilters(page, rows);
  const filterLongTasks = await longTasksSince(page, t0);

  const first: probes.RowCondition = { kind: 'top', px: 0 };
  await page.evaluate(probes.armWatch, { cond: first, fromNow: true, scrollTo: 0 });
  const jumpTopMs = await page.evaluate(probes.collectWatch);
  const last: probes.RowCondition = { kind: 'top', px: (rows - 1) * ROW_HEIGHT };
  await page.evaluate(probes.armWatch, { cond: last, fromNow: true, scrollTo: rows * ROW_HEIGHT - height });
  const jumpBottomMs = await page.evaluate(probes.collectWatch);

  const s0 = await pageNow(page);
  const sweep = await page.evaluate(probes.sweepList, SWEEP_FRAMES);
  return {
    rows,
    operationFilterMs,
    textFilterMs,
    jumpTopMs,
    jumpBottomMs,
    filterLongTasks,
    sweep: { ...sweep, longTasks: await longTasksSince(page, s0) },
  };
}

/**
 * A click on the theme toggle through Chromium's input pipeline (queued behind whatever the main
 * thread is doing): ms from the click's platform timestamp to the re-rendered button.
 */
async function clickLatency(page: Page, box: { x: number; y: number }): Promise<number> {
  await page.evaluate(probes.armClick, '[data-testid="theme-toggle"]');
  await page.mouse.click(box.x, box.y);
  return page.evaluate(probes.collectWatch);
}

async function runSize(size: number, browser: Awaited<ReturnType<typeof chromium.launch>>) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'wb-ui-bench-'));
  const folder = path.join(root, 'folder');
  await mkdir(path.join(folder, 'Reports'), { recursive: true });
  for (const name of ['Proposal.docx', 'Reports/q3-forecast.xlsx', 'roadmap.pptx', 'notes.txt'])
    await writeFile(path.join(folder, name), `content of ${name}`);
  const wb = createWorkbench({
    folder,
    dataDir: path.join(root, 'data'),
    uiDir: UI_DIR,
    watch: false,
    proofMode: 'off',
    requestLogRetention: Math.max(100_000, size * 2 + 10_000),
  });
  const ready = await wb.start();
  const files: Files = wb.files.listPresent().map((f) => ({ id: f.id, path: f.path }));
  try {
    const s0 = performance.now();
    const base = Date.now() - size * 10 - 60_000;
    for (let i = 0; i < size; i++) wb.requestLog.append(recordFor(i, files, `seed-${i}`, base + i * 10));
    wb.requestLog.flush();
    const seedMs = performance.now() - s0;

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // tsx (esbuild, keepNames) wraps inner functions in __name(); the probes run in the page, which has none.
    await context.addInitScript({ content: 'window.__name = (f) => f;' });
    await context.addInitScript(probes.installProbes);
    const page = await context.newPage();
    let connections = 0;
    let reloads = 0;
    page.on('crash', () => console.error('  the inspector page crashed'));
    page.on('pageerror', (err) => console.error(`  page error: ${err.message}`));
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname === '/v1/events') connections++;
      if (url.pathname === '/v1/status') reloads++;
    });
    await page.goto(ready.uiUrl);
    await page.waitForFunction(
      () => (window as unknown as { __bench: probes.BenchState }).__bench.firstRow !== null,
    );
    const firstRowMs = await page.evaluate(
      () => (window as unknown as { __bench: probes.BenchState }).__bench.firstRow!,
    );
    await page.waitForSelector('[data-testid="connection-status"][data-state="connected"]');
    const history = await measureList(page);
    console.error(`  history measured; streaming ${size.toLocaleString('en-US')} events`);

    // Live: back to the newest row (follow), then the burst.
    await page.getByTestId('request-list').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastId = `live-${size - 1}`;
    await page.evaluate(probes.watchForId, lastId);
    const toggle = (await page.getByTestId('theme-toggle').boundingBox())!;
    const toggleAt = { x: toggle.x + toggle.width / 2, y: toggle.y + toggle.height / 2 };
    const [c0, r0, p0] = [connections, reloads, await pageNow(page)];
    const t0 = Date.now();
    let emitMs = 0;
    let click: Promise<number> | null = null;
    await profiled(page, `live-${size}`, async () => {
      for (let i = 0; i < size; i += EMIT_CHUNK) {
        const end = Math.min(size, i + EMIT_CHUNK);
        for (let k = i; k < end; k++)
          wb.bus.emit('request:completed', recordFor(k, files, `live-${k}`, Date.now()));
        if (!click && end >= size / 2) click = clickLatency(page, toggleAt);
        await new Promise((r) => setImmediate(r));
      }
      emitMs = Date.now() - t0;
      console.error(`  emitted in ${emitMs} ms; waiting for the last row`);
      await page.waitForFunction(
        (id) => (window as unknown as { __bench: probes.BenchState }).__bench.seen[id] !== undefined,
        lastId,
        { timeout: 600_000, polling: 100 },
      );
    });
    const clickMs = click ? await (click as Promise<number>).catch(() => null) : null;
    const seenAt = await page.evaluate(
      (id) => (window as unknown as { __bench: probes.BenchState }).__bench.seen[id]!,
      lastId,
    );
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const { lastEnd, heap } = await page.evaluate(() => {
      const b = (window as unknown as { __bench: probes.BenchState }).__bench;
      const end = b.longtasks.reduce((m, [s, d]) => Math.max(m, s + d), 0);
      const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return { lastEnd: performance.timeOrigin + end, heap: mem ? mem.usedJSHeapSize / 2 ** 20 : null };
    });
    const longTasks = await longTasksSince(page, p0);
    const rowsText = (await page.getByTestId('request-total').textContent()) ?? '';
    const live = {
      emitMs,
      lastRowMs: seenAt - t0,
      idleMs: Math.max(seenAt, lastEnd) - t0,
      clickMs,
      longTasks,
      streamConnections: connections - c0,
      reloads: reloads - r0,
      rowsAfter: Number(rowsText.replace(/\D/g, '')),
      heapMb: heap,
    };
    console.error(`  last row after ${Math.round(seenAt - t0)} ms; measuring the filled list`);
    const afterLive = await profiled(page, `after-live-${size}`, () => measureList(page));
    await context.close();
    return { size, seedMs, firstRowMs, history, live, afterLive } satisfies SizeResult;
  } finally {
    await wb.stop();
    await rm(root, { recursive: true, force: true, maxRetries: 5 });
  }
}

// --- profiling (UI_BENCH_PROFILE=1) --------------------------------------------------------------------

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Run `work` under the page's CPU profiler (when asked for); save it and print the top self-time frames. */
async function profiled<T>(page: Page, name: string, work: () => Promise<T>): Promise<T> {
  if (!process.env['UI_BENCH_PROFILE']) return work();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await work();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  const file = path.join(repoRoot, '.bench', `ui-${name}.cpuprofile`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(profile));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFrame = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + (self.get(node.id) ?? 0) / 1000);
  }
  const top = [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.error(`  profile ${name} (${path.relative(repoRoot, file)}):`);
  for (const [frame, ms] of top) console.error(`    ${ms.toFixed(0).padStart(6)} ms  ${frame}`);
  await cdp.detach();
  return result;
}

// --- report ---------------------------------------------------------------------------------------------

type Row = [label: string, pick: (r: SizeResult) => number | null];

const listRows = (key: 'history' | 'afterLive', label: string): Row[] => [
  [`${label}: rows in the list`, (r) => r[key].rows],
  [`${label}: operation filter (ms)`, (r) => r[key].operationFilterMs],
  [`${label}: text filter, incl. 150 ms debounce (ms)`, (r) => r[key].textFilterMs],
  [`${label}: longest long task while filtering (ms)`, (r) => r[key].filterLongTasks.maxMs],
  [`${label}: jump to top (ms)`, (r) => r[key].jumpTopMs],
  [`${label}: jump to bottom (ms)`, (r) => r[key].jumpBottomMs],
  [`${label}: scroll sweep, worst frame (ms)`, (r) => r[key].sweep.worstFrameMs],
  [`${label}: scroll sweep, longest long task (ms)`, (r) => r[key].sweep.longTasks.maxMs],
];

const ROWS: Row[] = [
  ['seed the log (ms)', (r) => r.seedMs],
  ['first request rows after navigation (ms)', (r) => r.firstRowMs],
  ...listRows('history', 'history'),
  ['live: engine emit time (ms)', (r) => r.live.emitMs],
  ['live: last row on screen (ms)', (r) => r.live.lastRowMs],
  ['live: idle again (ms)', (r) => r.live.idleMs],
  ['live: click → re-render mid-burst (ms)', (r) => r.live.clickMs],
  ['live: long tasks (count)', (r) => r.live.longTasks.count],
  ['live: long tasks (total ms)', (r) => r.live.longTasks.totalMs],
  ['live: longest long task (ms)', (r) => r.live.longTasks.maxMs],
  ['live: stream connections', (r) => r.live.streamConnections],
  ['live: full reloads (stream reset)', (r) => r.live.reloads],
  ['live: rows kept after', (r) => r.live.rowsAfter],
  ['live: JS heap after (MB)', (r) => r.live.heapMb],
  ...listRows('afterLive', 'after live'),
];

const fmt = (v: number | null): string =>
  v === null
    ? '–'
    : Math.abs(v) >= 100 || Number.isInteger(v)
      ? Math.round(v).toLocaleString('en-US')
      : v.toFixed(1);

function printTable(results: SizeResult[]): void {
  const head = ['measure', ...results.map((r) => r.size.toLocaleString('en-US')), 'ratio'];
  const body = ROWS.map(([label, pick]) => {
    const values = results.map(pick);
    const first = values[0];
    const last = values.at(-1);
    const ratio =
      results.length > 1 && first && last !== null && last !== undefined
        ? `×${(last / first).toFixed(1)}`
        : '';
    return [label, ...values.map(fmt), ratio];
  });
  const widths = head.map((_, c) => Math.max(...[head, ...body].map((row) => row[c]!.length)));
  const line = (row: string[]): string =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const results: SizeResult[] = [];
  const loadAtStart = os.loadavg();
  try {
    // The first page a fresh browser opens pays for fonts, JIT and caches: measured, that is noise.
    console.error('ui bench: warm-up…');
    await runSize(WARM_UP_SIZE, browser);
    for (const size of SIZES) {
      console.error(`ui bench: ${size.toLocaleString('en-US')} requests…`);
      results.push(await runSize(size, browser));
    }
  } finally {
    await browser.close();
  }
  printTable(results);
  const out = path.join(repoRoot, '.bench', 'ui-results.json');
  await mkdir(path.dirname(out), { recursive: true });
  const meta = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    chromium: CHROMIUM,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg() },
  };
  await writeFile(out, `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
  const load = meta.loadAverage.atStart.map((x) => x.toFixed(2)).join(' ');
  console.log(`\nwrote ${path.relative(repoRoot, out)} (load average at start ${load}; ${meta.cpus} CPUs)`);
}

await main();

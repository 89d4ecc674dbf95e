// In-page probes for the UI benchmark (test/bench/ui.ts). Each function here is serialised by
// Playwright and runs in the inspector page, so it must be self-contained: no imports, no closures.
// Times are performance.now() in the page; long tasks come from PerformanceObserver('longtask').

/** Window state the probes share. */
export interface BenchState {
  longtasks: [start: number, duration: number][];
  firstRow: number | null;
  pending: Promise<number> | null;
  seen: Record<string, number>;
}

export type RowCondition =
  { kind: 'all'; attr: string; value: string } | { kind: 'top'; px: number } | { kind: 'id'; id: string };

/** Installed before any page script runs: long-task log and the first rendered request row. */
export function installProbes(): void {
  const bench: BenchState = { longtasks: [], firstRow: null, pending: null, seen: {} };
  (window as unknown as { __bench: BenchState }).__bench = bench;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longtasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const mo = new MutationObserver(() => {
    if (bench.firstRow === null && document.querySelector('[data-testid="request-row"]')) {
      bench.firstRow = performance.now();
      mo.disconnect();
    }
  });
  mo.observe(document, { childList: true, subtree: true });
}

/**
 * Arm a watch: resolves with ms from the next user input (or from now, for `fromNow`) until the rendered
 * request rows satisfy `cond`. Collect it with `collectWatch` after the action.
 */
export function armWatch(arg: { cond: RowCondition; fromNow: boolean; scrollTo?: number }): void {
  const bench = (window as unknown as { __bench: BenchState }).__bench;
  const { cond } = arg;
  let start = arg.fromNow ? performance.now() : NaN;
  const onInput = (event: Event): void => {
    if (Number.isNaN(start)) start = event.timeStamp;
  };
  document.addEventListener('input', onInput, true);
  document.addEventListener('change', onInput, true);
  const ok = (): boolean => {
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="request-row"]')];
    if (cond.kind === 'id') return rows.some((r) => r.dataset['requestId'] === cond.id);
    // Chromium serialises lengths past 1e6 px with 6 digits (1.29912e+06px): compare within half a row.
    if (cond.kind === 'top') return rows.some((r) => Math.abs(parseFloat(r.style.top) - cond.px) < 13);
    return rows.length > 0 && rows.every((r) => r.getAttribute(`data-${cond.attr}`) === cond.value);
  };
  bench.pending = new Promise<number>((resolve) => {
    const done = (): void => {
      mo.disconnect();
      document.removeEventListener('input', onInput, true);
      document.removeEventListener('change', onInput, true);
      resolve(performance.now() - start);
    };
    const mo = new MutationObserver(() => {
      if (!Number.isNaN(start) && ok()) done();
    });
    mo.observe(document.body, { childList: true, subtree: true, attributes: true });
  });
  if (arg.scrollTo !== undefined) {
    // A scrollbar drag: one jump, then the list renders the rows now in view.
    const list = document.querySelector<HTMLElement>('[data-testid="request-list"]')!;
    list.scrollTop = arg.scrollTo;
  }
}

/** The armed watch's result; fails with what the list shows if it never comes (a probe must not hang). */
export async function collectWatch(): Promise<number> {
  const timeoutMs = 60_000;
  const bench = (window as unknown as { __bench: BenchState }).__bench;
  let timer = 0;
  const timeout = new Promise<never>((_, reject) => {
    timer = window.setTimeout(() => {
      const list = document.querySelector<HTMLElement>('[data-testid="request-list"]');
      const tops = [...document.querySelectorAll<HTMLElement>('[data-testid="request-row"]')].map(
        (r) => r.style.top,
      );
      const where = list
        ? `scrollTop ${list.scrollTop} of ${list.scrollHeight}, rows ${list.dataset['rowCount']}`
        : 'no list';
      reject(
        new Error(
          `watch timed out: ${where}; rendered tops ${tops.slice(0, 3).join(',')}…${tops.slice(-2).join(',')}`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([bench.pending!, timeout]);
  } finally {
    window.clearTimeout(timer);
    bench.pending = null;
  }
}

/** Rows in the request list and the list's height in px. */
export function listSize(): { rows: number; height: number } {
  const list = document.querySelector<HTMLElement>('[data-testid="request-list"]')!;
  return { rows: Number(list.dataset['rowCount']), height: list.clientHeight };
}

/** Scroll the whole list top to bottom in `steps` frames (a fast wheel); the worst frame gap, in ms. */
export async function sweepList(steps: number): Promise<{ worstFrameMs: number; ms: number }> {
  const list = document.querySelector<HTMLElement>('[data-testid="request-list"]')!;
  list.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(r));
  const step = Math.max(1, (list.scrollHeight - list.clientHeight) / steps);
  const t0 = performance.now();
  let last = t0;
  let worst = 0;
  for (let i = 1; i <= steps; i++) {
    list.scrollTop = i * step;
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }
  return { worstFrameMs: worst, ms: performance.now() - t0 };
}

/** Long tasks that started in [from, to] (page time): count, total and the longest. */
export function longTasksBetween(arg: { from: number; to: number }): {
  count: number;
  totalMs: number;
  maxMs: number;
} {
  const bench = (window as unknown as { __bench: BenchState }).__bench;
  const hits = bench.longtasks.filter(([start]) => start >= arg.from && start <= arg.to);
  return {
    count: hits.length,
    totalMs: hits.reduce((sum, [, d]) => sum + d, 0),
    maxMs: hits.reduce((max, [, d]) => Math.max(max, d), 0),
  };
}

/** Watch for a row id to appear; its first appearance is kept as epoch ms in __bench.seen[id]. */
export function watchForId(id: string): void {
  const bench = (window as unknown as { __bench: BenchState }).__bench;
  const check = (): boolean => {
    if (document.querySelector(`[data-request-id="${id}"]`)) {
      bench.seen[id] = performance.timeOrigin + performance.now();
      return true;
    }
    return false;
  };
  if (check()) return;
  const mo = new MutationObserver(() => {
    if (check()) mo.disconnect();
  });
  // Recycled rows change their data-request-id instead of being inserted.
  mo.observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['data-request-id'],
  });
}

/** Arm a click watch on `selector`: from the click event's timestamp to the element's next attribute change. */
export function armClick(selector: string): void {
  const bench = (window as unknown as { __bench: BenchState }).__bench;
  const el = document.querySelector<HTMLElement>(selector)!;
  let clickedAt = NaN;
  el.addEventListener('click', (e) => (clickedAt = e.timeStamp), { capture: true, once: true });
  bench.pending = new Promise<number>((resolve) => {
    const mo = new MutationObserver(() => {
      if (Number.isNaN(clickedAt)) return;
      mo.disconnect();
      resolve(performance.now() - clickedAt);
    });
    mo.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-theme-choice'] });
  });
}

// The live request log, bounded end to end (STYLE-ANCHORS §2.3.8, §3 "unbounded live logs"):
// SSE events are queued, flushed on the next animation frame or a timer (whichever comes first, so a
// throttled background tab still catches up), applied in chunks, capped, and pausable.
import type { RequestPage, RequestRecord } from '../../server/contracts';
import { browserEnv, FlushScheduler, type SchedulerEnv } from './flush-scheduler';
import { EMPTY_FILTER, isFilterActive, makeMatcher, type RequestFilter } from './request-filter';
import { SlicedFilter } from './sliced-filter';
import { Store } from './store';

export const ROW_CAP = 50_000;
export const FLUSH_TIMER_MS = 250;
/** At most ~10 list updates a second: each one costs a render and a layout, whatever its size. */
export const MIN_FLUSH_GAP_MS = 100;
/** Events applied per flush, so a burst never blocks the main thread in one go. */
export const CHUNK = 2_000;
/** Text searches over more rows than this run in slices (see sliced-filter.ts). */
export const SYNC_TEXT_FILTER_ROWS = 5_000;

export interface OlderPaging {
  cursor?: string;
  /** Filter the cursor belongs to; a cursor is meaningless under another filter. */
  filterKey: string;
  exhausted: boolean;
  loading: boolean;
  error?: string;
}

export interface RequestLogState {
  /** Every loaded row, oldest first. Mutated in place; `version` changes on every flush. */
  rows: readonly RequestRecord[];
  /** Rows passing the filter, same order. While `filtering`, still the previous filter's rows. */
  visible: readonly RequestRecord[];
  /** A text search over a long list is being applied in slices. */
  filtering: boolean;
  version: number;
  filter: RequestFilter;
  paused: boolean;
  /** Events held back while paused. */
  pending: number;
  /** Rows evicted by the cap since the last clear. */
  evicted: number;
  /** Rows in the host's log (hidden ones included): the host keeps what a local clear hides. */
  serverTotal: number;
  /** `exhausted` whenever every row the host could send is already here or hidden by a local clear. */
  older: OlderPaging;
  /** The last local clear, while it hides rows; null when nothing is hidden. */
  cleared: LocalClear | null;
  /**
   * Rows added at the front of `visible` minus rows removed from it (older pages, cap eviction), so a
   * list scrolled away from the tail can keep the same rows under the eyes.
   */
  frontOffset: number;
}

/** A local clear: what this inspector hides (the host keeps its log). */
export interface LocalClear {
  /** Wall-clock ms of the clear, to say when. */
  at: number;
  /** Rows hidden by it (loaded or waiting at the time). */
  hidden: number;
}

export function filterKey(filter: RequestFilter): string {
  return JSON.stringify(filter);
}

const UNFILTERED = filterKey(EMPTY_FILTER);

/**
 * When a call completed on the host. Records are emitted as calls complete, so this orders them the way
 * the stream delivers them; a start time would not (a call in flight at a clear started before it).
 */
function endOf(record: RequestRecord): number {
  return record.startedAt + record.durationMs;
}

export class RequestLogStore extends Store<RequestLogState> {
  private rows: RequestRecord[] = [];
  private visible: RequestRecord[] = [];
  private index = new Map<string, RequestRecord>();
  private paging = new Map<string, OlderPaging>();
  private frontOffset = 0;
  private queue: RequestRecord[] = [];
  private readonly env: SchedulerEnv;
  private readonly scheduler: FlushScheduler;
  private slicer: SlicedFilter<RequestRecord> | null = null;
  /** Rows that completed before this are hidden by a local clear... */
  private floorEnd = Number.NEGATIVE_INFINITY;
  /** ...and so are these, which completed exactly at the floor (a later row may share the millisecond). */
  private floorIds = new Set<string>();

  constructor(
    private readonly cap = ROW_CAP,
    env?: SchedulerEnv,
  ) {
    super({
      rows: [],
      visible: [],
      filtering: false,
      version: 0,
      filter: EMPTY_FILTER,
      paused: false,
      pending: 0,
      evicted: 0,
      serverTotal: 0,
      older: { filterKey: UNFILTERED, exhausted: false, loading: false },
      frontOffset: 0,
      cleared: null,
    });
    this.env = env ?? browserEnv();
    this.scheduler = new FlushScheduler(() => this.flush(), {
      timerMs: FLUSH_TIMER_MS,
      minGapMs: MIN_FLUSH_GAP_MS,
      env: this.env,
    });
  }

  /** Replace everything with a first page (newest rows) from the server. */
  load(page: RequestPage): void {
    this.queue = [];
    this.cancelFlush();
    this.rows = [];
    this.index.clear();
    this.paging.clear();
    const reachedFloor = this.insert(page.items);
    this.recompute();
    // The first page is unfiltered, so its cursor belongs to the empty filter. Past a local clear's
    // floor everything older is hidden, so there is nothing more to page.
    const unfiltered: OlderPaging = {
      cursor: page.nextCursor,
      filterKey: UNFILTERED,
      exhausted: !page.nextCursor || reachedFloor,
      loading: false,
    };
    this.paging.set(unfiltered.filterKey, unfiltered);
    const key = filterKey(this.state.filter);
    const older =
      key === unfiltered.filterKey ? unfiltered : { filterKey: key, exhausted: false, loading: false };
    this.commit({ serverTotal: page.total, evicted: 0, pending: 0, older });
  }

  enqueue(record: RequestRecord): void {
    this.queue.push(record);
    // While paused, keep memory bounded too: the oldest held-back events go first.
    if (this.queue.length > this.cap) this.queue.splice(0, this.queue.length - this.cap);
    this.scheduleFlush();
  }

  pause(): void {
    this.update({ paused: true });
  }

  resume(): void {
    this.update({ paused: false });
    // The idle timer armed while paused would delay the catch-up; take the next frame instead.
    this.cancelFlush();
    this.scheduleFlush();
  }

  /**
   * Hide every row up to now, in this inspector only: the host keeps its log. Rows loaded later (a
   * reload, "Load older") stay hidden when they completed before the newest row hidden here.
   */
  clearLocal(at: number): void {
    const known = this.rows.concat(this.queue);
    for (const row of known) {
      const end = endOf(row);
      if (end > this.floorEnd) {
        this.floorEnd = end;
        this.floorIds.clear();
      }
      if (end === this.floorEnd) this.floorIds.add(row.id);
    }
    const hidden = known.length + (this.state.cleared?.hidden ?? 0);
    this.dropAll();
    // Every older row on the host is hidden now, whatever the filter.
    this.paging.set(UNFILTERED, { filterKey: UNFILTERED, exhausted: true, loading: false });
    this.commit({
      evicted: 0,
      pending: 0,
      older: { filterKey: filterKey(this.state.filter), exhausted: true, loading: false },
      cleared: { at, hidden },
    });
  }

  /**
   * Show again what local clears hid: merge a fresh first page from the host. Unlike `load`, live rows
   * waiting in the queue are kept (the stream runs on while the page is fetched).
   */
  unhide(page: RequestPage): void {
    this.floorEnd = Number.NEGATIVE_INFINITY;
    this.floorIds.clear();
    this.paging.clear();
    this.insert(page.items);
    this.recompute();
    const unfiltered: OlderPaging = {
      cursor: page.nextCursor,
      filterKey: UNFILTERED,
      exhausted: !page.nextCursor,
      loading: false,
    };
    this.paging.set(UNFILTERED, unfiltered);
    const key = filterKey(this.state.filter);
    const older = key === UNFILTERED ? unfiltered : { filterKey: key, exhausted: false, loading: false };
    this.commit({ serverTotal: Math.max(this.state.serverTotal, page.total), older, cleared: null });
  }

  /** The host deleted its log (DELETE /v1/requests, from any inspector): nothing is left anywhere. */
  hostCleared(): void {
    this.dropAll();
    this.floorEnd = Number.NEGATIVE_INFINITY;
    this.floorIds.clear();
    this.paging.set(UNFILTERED, { filterKey: UNFILTERED, exhausted: true, loading: false });
    this.commit({
      serverTotal: 0,
      evicted: 0,
      pending: 0,
      older: { filterKey: filterKey(this.state.filter), exhausted: true, loading: false },
      cleared: null,
    });
  }

  private dropAll(): void {
    this.queue = [];
    this.cancelFlush();
    this.cancelSlicing();
    this.rows = [];
    this.visible = [];
    this.index.clear();
    this.paging.clear();
  }

  private hidden(record: RequestRecord): boolean {
    const end = endOf(record);
    return end < this.floorEnd || (end === this.floorEnd && this.floorIds.has(record.id));
  }

  setFilter(filter: RequestFilter): void {
    const key = filterKey(filter);
    this.paging.set(this.state.older.filterKey, { ...this.state.older, loading: false });
    this.state = { ...this.state, filter };
    if (filter.text.trim() && this.rows.length > SYNC_TEXT_FILTER_ROWS) this.startSlicing();
    else this.recompute();
    // Each filter pages on its own cursor; coming back to a filter resumes where it stopped.
    const older = this.paging.get(key) ?? { filterKey: key, exhausted: false, loading: false };
    this.commit({ older });
  }

  setOlder(older: Partial<OlderPaging>): void {
    this.update({ older: { ...this.state.older, ...older } });
  }

  /** Merge a page of older rows; returns how many were new. */
  addOlder(page: RequestPage, key: string): number {
    const before = this.rows.length;
    const firstVisible = this.visible[0];
    const reachedFloor = this.insert(page.items);
    const added = this.rows.length - before;
    if (added > 0) {
      this.recompute();
      const at = firstVisible ? this.visible.indexOf(firstVisible) : -1;
      if (at > 0) this.frontOffset += at;
    }
    const older: OlderPaging = {
      cursor: page.nextCursor,
      filterKey: key,
      exhausted: !page.nextCursor || reachedFloor,
      loading: false,
    };
    this.commit({ serverTotal: Math.max(this.state.serverTotal, page.total), older });
    return added;
  }

  byId(id: string): RequestRecord | undefined {
    return this.index.get(id);
  }

  /** Swap in a fuller copy of a row (e.g. fetched for the detail pane). */
  replace(record: RequestRecord): void {
    if (!this.index.has(record.id)) return;
    this.index.set(record.id, record);
    const at = this.rows.findIndex((row) => row.id === record.id);
    if (at >= 0) this.rows[at] = record;
    const vis = this.visible.findIndex((row) => row.id === record.id);
    if (vis >= 0) this.visible[vis] = record;
    // A search in progress may already hold the old copy.
    if (this.slicer) this.startSlicing();
    this.commit({});
  }

  private scheduleFlush(): void {
    // While paused only the held-back count changes: a timer is enough.
    if (this.state.paused) this.scheduler.scheduleIdle();
    else this.scheduler.schedule();
  }

  private cancelFlush(): void {
    this.scheduler.cancel();
  }

  private flush(): void {
    if (this.state.paused) {
      if (this.state.pending !== this.queue.length) this.update({ pending: this.queue.length });
      return;
    }
    // Live rows wait for a search in progress (it must not see rows evicted under it); it flushes when done.
    if (this.slicer) return;
    const batch = this.queue.splice(0, CHUNK);
    if (batch.length === 0) {
      if (this.state.pending !== 0) this.update({ pending: 0 });
      return;
    }
    const matches = makeMatcher(this.state.filter);
    const filtered = isFilterActive(this.state.filter);
    let replaced = false;
    for (const record of batch) {
      if (this.hidden(record)) continue;
      const existing = this.index.get(record.id);
      this.index.set(record.id, record);
      if (existing) {
        const at = this.rows.indexOf(existing);
        if (at >= 0) this.rows[at] = record;
        replaced = true;
        continue;
      }
      this.rows.push(record);
      if (!filtered || matches(record)) this.visible.push(record);
    }
    const evicted = this.enforceCap();
    if (replaced) this.recompute();
    this.commit({
      serverTotal: this.state.serverTotal + batch.length,
      evicted: this.state.evicted + evicted,
      pending: this.queue.length,
    });
    if (this.queue.length > 0) this.scheduleFlush();
  }

  /** Add rows we don't have yet, keeping oldest-first order; true when the page reached rows a clear hides. */
  private insert(items: readonly RequestRecord[]): boolean {
    const shown = items.filter((item) => !this.hidden(item));
    const reachedFloor = shown.length < items.length;
    const fresh = shown.filter((item) => !this.index.has(item.id));
    if (fresh.length === 0) return reachedFloor;
    for (const item of fresh) this.index.set(item.id, item);
    const oldest = this.rows[0];
    fresh.sort((a, b) => a.startedAt - b.startedAt);
    const newestFresh = fresh[fresh.length - 1];
    if (!oldest || (newestFresh && newestFresh.startedAt <= oldest.startedAt)) {
      this.rows = fresh.concat(this.rows);
    } else {
      this.rows = this.rows.concat(fresh).sort((a, b) => a.startedAt - b.startedAt);
    }
    this.enforceCap();
    return reachedFloor;
  }

  private enforceCap(): number {
    const excess = this.rows.length - this.cap;
    if (excess <= 0) return 0;
    const gone = this.rows.splice(0, excess);
    for (const row of gone) this.index.delete(row.id);
    let drop = 0;
    while (drop < this.visible.length) {
      const row = this.visible[drop];
      if (!row || this.index.get(row.id) === row) break;
      drop++;
    }
    if (drop > 0) {
      this.visible.splice(0, drop);
      this.frontOffset -= drop;
    }
    return excess;
  }

  private startSlicing(): void {
    this.cancelSlicing();
    const slicer = new SlicedFilter(this.env, this.rows, makeMatcher(this.state.filter), (visible) => {
      if (this.slicer !== slicer) return;
      this.slicer = null;
      this.visible = visible;
      this.commit({});
      if (this.queue.length > 0) this.scheduleFlush();
    });
    this.slicer = slicer;
    slicer.start();
  }

  private cancelSlicing(): void {
    this.slicer?.cancel();
    this.slicer = null;
  }

  private recompute(): void {
    this.cancelSlicing();
    if (!isFilterActive(this.state.filter)) {
      this.visible = this.rows.slice();
      return;
    }
    this.visible = this.rows.filter(makeMatcher(this.state.filter));
  }

  /**
   * Every row the host could still send is here or hidden: the unfiltered paging ran out (or a local clear
   * hid everything older) and the cap dropped nothing since. Then no filter has anything older either.
   */
  private holdsEverything(older: OlderPaging, evicted: number): boolean {
    const unfiltered = older.filterKey === UNFILTERED ? older : this.paging.get(UNFILTERED);
    return evicted === 0 && unfiltered?.exhausted === true;
  }

  private commit(patch: Partial<RequestLogState>): void {
    const next = { ...this.state, ...patch };
    if (!next.older.exhausted && this.holdsEverything(next.older, next.evicted)) {
      next.older = { ...next.older, exhausted: true, loading: false };
    }
    this.set({
      ...next,
      rows: this.rows,
      visible: this.visible,
      filtering: this.slicer !== null,
      frontOffset: this.frontOffset,
      version: this.state.version + 1,
    });
  }
}

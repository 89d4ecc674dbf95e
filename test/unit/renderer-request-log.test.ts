// renderer/state/request-log.ts: the live request list, bounded end to end (STYLE-ANCHORS §2.3.8) —
// queued events applied in chunks on a frame or timer, a row cap with eviction, rows kept under the
// reader's eyes (frontOffset) when older pages arrive or old rows are evicted, pause, filters, paging.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestPage, RequestRecord } from '../../server/contracts';
import { EMPTY_FILTER } from '../../renderer/state/request-filter';
import { CHUNK, RequestLogStore, SYNC_TEXT_FILTER_ROWS, filterKey } from '../../renderer/state/request-log';
import { FakeScheduler } from '../helpers/fake-scheduler';
import { makeRecord } from '../helpers/request-records';

const range = (from: number, to: number): RequestRecord[] =>
  Array.from({ length: to - from }, (_, k) => makeRecord(from + k));

/** A server page: newest first, as GET /v1/requests answers. */
const page = (records: RequestRecord[], nextCursor?: string, total = records.length): RequestPage => {
  const out: RequestPage = { items: [...records].reverse(), total };
  if (nextCursor !== undefined) out.nextCursor = nextCursor;
  return out;
};

function setup(cap?: number) {
  const env = new FakeScheduler();
  const store = new RequestLogStore(cap, env);
  let notifications = 0;
  store.subscribe(() => notifications++);
  return { env, store, notified: () => notifications };
}

const idsOf = (rows: readonly RequestRecord[]): string[] => rows.map((r) => r.id);

void describe('request log store', () => {
  void it('loads a first page oldest-first and keeps its cursor for "load older"', () => {
    const { store } = setup();
    store.load(page(range(100, 110), '100', 500));
    const s = store.get();
    assert.deepEqual(idsOf(s.rows), idsOf(range(100, 110)));
    assert.equal(s.visible.length, 10);
    assert.equal(s.serverTotal, 500);
    assert.deepEqual(s.older, {
      cursor: '100',
      filterKey: filterKey(EMPTY_FILTER),
      exhausted: false,
      loading: false,
    });
    assert.equal(store.byId('r105')?.id, 'r105');
  });

  void it('applies live events only when the scheduler flushes, in one notification per flush', () => {
    const { env, store, notified } = setup();
    store.load(page([]));
    const before = notified();
    for (const r of range(0, 50)) store.enqueue(r);
    assert.equal(store.get().rows.length, 0, 'nothing applied synchronously');
    assert.equal(notified(), before, 'and nobody re-renders yet');
    env.frame();
    assert.equal(store.get().rows.length, 50);
    assert.equal(notified(), before + 1);
    assert.equal(store.get().serverTotal, 50);
  });

  void it('applies a burst in chunks, one chunk per flush, spaced by the minimum gap', () => {
    const { env, store } = setup();
    store.load(page([]));
    const burst = CHUNK * 2 + 500;
    for (const r of range(0, burst)) store.enqueue(r);
    env.frame();
    assert.equal(store.get().rows.length, CHUNK);
    assert.equal(store.get().pending, burst - CHUNK);
    env.frame();
    assert.equal(store.get().rows.length, CHUNK, 'no second flush in the same breath');
    env.drain();
    assert.equal(store.get().rows.length, burst);
    assert.equal(store.get().pending, 0);
    assert.deepEqual(idsOf(store.get().rows.slice(-3)), idsOf(range(burst - 3, burst)), 'order kept');
  });

  void it('catches up on timers alone when no frame ever comes (background tab)', () => {
    const env = new FakeScheduler();
    const store = new RequestLogStore(undefined, env.withoutFrames());
    store.load(page([]));
    for (const r of range(0, CHUNK + 10)) store.enqueue(r);
    env.drain({ frames: false });
    assert.equal(store.get().rows.length, CHUNK + 10);
  });

  void it('caps the rows, evicting the oldest, counting them, and keeps the index in step', () => {
    const { env, store } = setup(100);
    store.load(page(range(0, 60)));
    for (const r of range(60, 130)) store.enqueue(r);
    env.drain();
    const s = store.get();
    assert.equal(s.rows.length, 100);
    assert.equal(s.rows[0]?.id, 'r30');
    assert.equal(s.rows.at(-1)?.id, 'r129');
    assert.equal(s.evicted, 30);
    assert.equal(store.byId('r29'), undefined, 'evicted rows leave the index');
    assert.equal(s.visible.length, 100);
  });

  void it('a first page larger than the cap keeps its newest rows', () => {
    const { store } = setup(10);
    store.load(page(range(0, 25)));
    assert.deepEqual(idsOf(store.get().rows), idsOf(range(15, 25)));
  });

  void it('holds the reading position: eviction lowers frontOffset by the visible rows it removed', () => {
    const { env, store } = setup(100);
    store.load(page(range(0, 100)));
    store.setFilter({ ...EMPTY_FILTER, operation: 'CheckFileInfo' });
    const visibleBefore = store.get().visible.length;
    const offsetBefore = store.get().frontOffset;
    for (const r of range(100, 140)) store.enqueue(r);
    env.drain();
    const s = store.get();
    // 40 evicted rows r0..r39, of which every 8th is a CheckFileInfo: 5 visible rows gone, 5 new ones in.
    assert.equal(s.frontOffset, offsetBefore - 5);
    assert.equal(s.visible.length, visibleBefore);
    assert.ok(s.visible.every((r) => r.operation === 'CheckFileInfo'));
    assert.equal(s.visible[0]?.id, 'r40');
  });

  void it('holds the reading position: an older page raises frontOffset by the rows it put above', () => {
    const { store } = setup();
    store.load(page(range(50, 60), '50', 60));
    const key = filterKey(EMPTY_FILTER);
    const added = store.addOlder(page(range(40, 50), '40', 60), key);
    const s = store.get();
    assert.equal(added, 10);
    assert.equal(s.frontOffset, 10);
    assert.deepEqual(idsOf(s.rows.slice(0, 2)), ['r40', 'r41']);
    assert.deepEqual(s.older, { cursor: '40', filterKey: key, exhausted: false, loading: false });
    assert.equal(store.addOlder(page(range(40, 50)), key), 0, 'a page we already have adds nothing');
    assert.equal(store.get().frontOffset, 10);
    assert.equal(store.get().older.exhausted, true, 'a page without a cursor ends the paging');
  });

  void it('under a filter, only matching older rows move the view', () => {
    const { store } = setup();
    store.load(page(range(16, 32), '16'));
    const filter = { ...EMPTY_FILTER, operation: 'GetFile' };
    store.setFilter(filter);
    store.addOlder(
      page(
        range(0, 16).filter((r) => r.operation === 'GetFile'),
        undefined,
      ),
      filterKey(filter),
    );
    assert.equal(store.get().frontOffset, 2, 'r1 and r9 are the older GetFile rows');
  });

  void it('replaces a row that arrives again (same id) instead of duplicating it', () => {
    const { env, store } = setup();
    store.load(page(range(0, 5)));
    store.enqueue(makeRecord(2, { status: 500, why: 'retried' }));
    env.drain();
    const s = store.get();
    assert.equal(s.rows.length, 5);
    assert.equal(s.rows[2]?.status, 500);
    assert.equal(store.byId('r2')?.why, 'retried');
    assert.equal(s.visible[2]?.status, 500);
  });

  void it('pause holds events back (bounded, counted); resume applies them', () => {
    const { env, store } = setup(100);
    store.load(page(range(0, 10)));
    store.pause();
    for (const r of range(10, 250)) store.enqueue(r);
    env.drain();
    assert.equal(store.get().rows.length, 10, 'nothing applied while paused');
    assert.equal(store.get().pending, 100, 'the queue keeps at most the cap, newest kept');
    store.resume();
    env.drain();
    const s = store.get();
    assert.equal(s.paused, false);
    assert.equal(s.pending, 0);
    assert.equal(s.rows.at(-1)?.id, 'r249');
    assert.equal(store.byId('r149'), undefined, 'the oldest held-back events were dropped first');
  });

  void it('live rows join the visible list only if they match the filter', () => {
    const { env, store } = setup();
    store.load(page([]));
    store.setFilter({ ...EMPTY_FILTER, statusClass: '4xx' });
    for (const r of range(0, 80)) store.enqueue(r);
    env.drain();
    const s = store.get();
    assert.equal(s.rows.length, 80);
    assert.deepEqual(idsOf(s.visible), ['r20', 'r60']);
    store.setFilter(EMPTY_FILTER);
    assert.equal(store.get().visible.length, 80);
  });

  void it('a text search over a long list runs in slices; live rows wait for it, then follow', () => {
    const { env, store } = setup();
    const size = 45_000;
    assert.ok(size > SYNC_TEXT_FILTER_ROWS);
    store.load(page(range(0, size)));
    store.setFilter({ ...EMPTY_FILTER, text: 'someone-else' });
    assert.equal(store.get().filtering, true, 'not done in one go');
    assert.equal(store.get().visible.length, size, 'the previous rows stay until the search is done');
    store.enqueue(makeRecord(45_004)); // a PutFile that succeeded: no match
    store.enqueue(makeRecord(45_020)); // a PutFile refused with 409, naming someone-else's lock
    env.frame();
    assert.equal(store.get().rows.length, size, 'live rows are held while the search runs');
    env.drain();
    const s = store.get();
    assert.equal(s.filtering, false);
    assert.equal(s.rows.length, size + 2);
    assert.ok(s.visible.length > 0);
    assert.ok(s.visible.every((r) => r.status === 409));
    assert.equal(s.visible.at(-1)?.id, 'r45020', 'the live 409 joined the result');
  });

  void it('a newer search replaces one still running', () => {
    const { env, store } = setup();
    store.load(page(range(0, 45_000)));
    store.setFilter({ ...EMPTY_FILTER, text: 'someone-else' });
    store.setFilter({ ...EMPTY_FILTER, text: 'corr-44999' });
    env.drain();
    assert.deepEqual(idsOf(store.get().visible), ['r44999']);
    store.setFilter({ ...EMPTY_FILTER, text: 'someone-else' });
    store.setFilter(EMPTY_FILTER);
    assert.equal(store.get().filtering, false, 'a filter without text is applied at once');
    env.drain();
    assert.equal(store.get().visible.length, 45_000);
  });

  void it('remembers the paging cursor of each filter', () => {
    const { store } = setup();
    store.load(page(range(10, 20), '10'));
    const lockFilter = { ...EMPTY_FILTER, operation: 'Lock' };
    store.setFilter(lockFilter);
    assert.deepEqual(store.get().older, {
      filterKey: filterKey(lockFilter),
      exhausted: false,
      loading: false,
    });
    store.setOlder({ cursor: '3', loading: true });
    store.setFilter(EMPTY_FILTER);
    assert.equal(store.get().older.cursor, '10');
    store.setFilter(lockFilter);
    assert.equal(store.get().older.cursor, '3');
    assert.equal(store.get().older.loading, false, 'a request in flight for another filter is forgotten');
  });

  void it('the host deleting its log drops rows, queue and paging', () => {
    const { env, store } = setup();
    store.load(page(range(0, 10), '0'));
    store.enqueue(makeRecord(10));
    store.hostCleared();
    env.drain();
    const s = store.get();
    assert.equal(s.rows.length, 0);
    assert.equal(s.visible.length, 0);
    assert.equal(s.serverTotal, 0);
    assert.equal(s.older.exhausted, true);
    assert.equal(s.cleared, null, 'nothing is hidden: the host has nothing left');
    assert.equal(store.byId('r3'), undefined);
  });
});

void describe('request log store: "Load older" only while the host has more', () => {
  void it('a filter set after everything was loaded has nothing older to fetch', () => {
    const { store } = setup();
    store.load(page(range(0, 10))); // no cursor: the host had these 10 and no more
    store.setFilter({ ...EMPTY_FILTER, operation: 'Lock' });
    assert.equal(store.get().older.exhausted, true);
    store.setFilter({ ...EMPTY_FILTER, text: 'someone-else' });
    assert.equal(store.get().older.exhausted, true);
  });

  void it('a reload under a filter, when the first page was all there is, has nothing older either', () => {
    const { store } = setup();
    store.setFilter({ ...EMPTY_FILTER, statusClass: '4xx' });
    store.load(page(range(0, 10)));
    assert.equal(store.get().older.exhausted, true);
  });

  void it('a filter may still page while the unfiltered log has older rows on the host', () => {
    const { store } = setup();
    store.load(page(range(50, 60), '50', 60));
    store.setFilter({ ...EMPTY_FILTER, operation: 'Lock' });
    assert.equal(store.get().older.exhausted, false);
  });

  void it('once the cap evicted rows, the host has rows this list lacks again', () => {
    const { env, store } = setup(10);
    store.load(page(range(0, 10)));
    store.enqueue(makeRecord(10));
    env.drain();
    assert.equal(store.get().evicted, 1);
    store.setFilter({ ...EMPTY_FILTER, operation: 'Lock' });
    assert.equal(store.get().older.exhausted, false);
  });
});

void describe('request log store: a local clear hides rows here, the host keeps them', () => {
  const at = 1_700_000_999_000;

  void it('hides what was listed and queued, keeps the host total, and says when and how many', () => {
    const { env, store } = setup();
    store.load(page(range(0, 10), undefined, 10));
    store.enqueue(makeRecord(10));
    store.clearLocal(at);
    env.drain();
    const s = store.get();
    assert.equal(s.rows.length, 0, 'the queued row was listed "up to now" too');
    assert.equal(s.serverTotal, 10, 'the host still has its log');
    assert.deepEqual(s.cleared, { at, hidden: 11 });
    assert.equal(s.older.exhausted, true, 'everything older is hidden: nothing to load');
  });

  void it('rows completed later still arrive live', () => {
    const { env, store } = setup();
    store.load(page(range(0, 10)));
    store.clearLocal(at);
    store.enqueue(makeRecord(11));
    env.drain();
    assert.deepEqual(idsOf(store.get().rows), ['r11']);
  });

  void it('a reload (stream reset) or an older page does not bring hidden rows back', () => {
    const { env, store } = setup();
    store.load(page(range(0, 10)));
    store.clearLocal(at);
    store.enqueue(makeRecord(10));
    env.drain();
    // After a stream reset the first page comes again: the hidden rows and the new one.
    store.load(page(range(0, 11), undefined, 11));
    assert.deepEqual(idsOf(store.get().rows), ['r10']);
    assert.equal(store.get().older.exhausted, true);
    assert.equal(store.addOlder(page(range(0, 10)), filterKey(EMPTY_FILTER)), 0);
    assert.deepEqual(idsOf(store.get().rows), ['r10']);
  });

  void it('a row completed in the same millisecond as the newest hidden one is not hidden with it', () => {
    const { env, store } = setup();
    const last = makeRecord(9);
    store.load(page([...range(0, 9), last]));
    store.clearLocal(at);
    // Same end time as r9, but not listed when the person cleared.
    store.enqueue(makeRecord(99, { startedAt: last.startedAt, durationMs: last.durationMs }));
    env.drain();
    assert.deepEqual(idsOf(store.get().rows), ['r99']);
  });

  void it('"show them again" merges the host\'s first page back, keeping live rows that wait', () => {
    const { env, store } = setup();
    store.load(page(range(0, 10)));
    store.clearLocal(at);
    store.enqueue(makeRecord(10));
    store.unhide(page(range(0, 10), undefined, 10));
    assert.equal(store.get().cleared, null);
    env.drain();
    assert.deepEqual(idsOf(store.get().rows), idsOf(range(0, 11)));
  });
});

// One conformance suite every LockStore must pass (server/state/lock-store.ts): the store contract
// itself (compare-and-swap, snapshots, 1024-character ids, distinct files, expired locks kept, list,
// concurrent writers) and the WOPI lock rules of wopi/lock-service.ts run on top of it. A store for a
// team deployment (Redis, Postgres, …) is accepted when it passes this suite too.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LockView } from '../../server/contracts/api';
import type { LockStore } from '../../server/state/lock-store';
import type { LockChange } from '../../server/wopi/lock-service';
import { createLockService } from '../../server/wopi/lock-service';

/** One test's store and the plumbing around it. */
export interface LockStoreFixture {
  store: LockStore;
  /** Makes `fileId` a file the store may hold a lock for (SQLite: a row in `files`). */
  addFile(fileId: string): void;
  /** Another handle on the same locks, as a second host sharing the store would hold. */
  peer(): LockStore;
  /** Closes every handle and opens the backing again (persistent stores only). */
  reopen?(): LockStore;
  close(): void | Promise<void>;
}

export interface LockStoreTraits {
  /** True when a reopened store must still hold what the closed one held. */
  persistent: boolean;
}

const MINUTE = 60_000;
const DURATION = 30 * MINUTE;
const T0 = 1_700_000_000_000;
/** Every printable ASCII character (what a WOPI lock id may hold), cycled to 1024 characters. */
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const LONGEST_ID = PRINTABLE.repeat(11).slice(0, 1024);

/** A clock the rules read and the test moves (no engine needed here). */
function manualClock(start: number) {
  let t = start;
  return { now: (): number => t, advance: (ms: number): void => void (t += ms) };
}

const lockOf = (lockId: string, at = T0, expiresAt = at + DURATION): LockView => ({
  lockId,
  createdAt: at,
  refreshedAt: at,
  expiresAt,
});

export function lockStoreConformance(
  name: string,
  open: () => LockStoreFixture | Promise<LockStoreFixture>,
  traits: LockStoreTraits,
): void {
  let fx: LockStoreFixture;
  let files: (...ids: string[]) => void;

  void describe(`LockStore conformance: ${name}`, () => {
    beforeEach(async () => {
      fx = await open();
      files = (...ids) => ids.forEach((id) => fx.addFile(id));
    });
    afterEach(() => fx.close());

    void it('an unknown file has no lock, and an empty store lists none', () => {
      files('f1');
      assert.equal(fx.store.get('f1'), null);
      assert.equal(fx.store.get('never-added'), null);
      assert.deepEqual(fx.store.list(), []);
    });

    void it('a swap from no lock stores exactly the lock given', () => {
      files('f1');
      const l = { lockId: 'L1', createdAt: T0, refreshedAt: T0 + 5, expiresAt: T0 + DURATION };
      assert.equal(fx.store.compareAndSwap('f1', null, l), true);
      assert.deepEqual(fx.store.get('f1'), l);
    });

    void it('a second take from no lock fails and keeps the first', () => {
      files('f1');
      assert.equal(fx.store.compareAndSwap('f1', null, lockOf('L1')), true);
      assert.equal(fx.store.compareAndSwap('f1', null, lockOf('L2', T0 + 1)), false);
      assert.deepEqual(fx.store.get('f1'), lockOf('L1'));
    });

    void it('a swap expecting a lock that differs in any one field fails and changes nothing', () => {
      files('f1');
      const stored = lockOf('L1');
      fx.store.compareAndSwap('f1', null, stored);
      const variants: Array<[string, LockView]> = [
        ['lockId', { ...stored, lockId: 'L2' }],
        ['lockId case', { ...stored, lockId: 'l1' }],
        ['createdAt', { ...stored, createdAt: stored.createdAt - 1 }],
        ['refreshedAt', { ...stored, refreshedAt: stored.refreshedAt + 1 }],
        ['expiresAt', { ...stored, expiresAt: stored.expiresAt + 1 }],
      ];
      for (const [field, expected] of variants) {
        assert.equal(fx.store.compareAndSwap('f1', expected, lockOf('X')), false, `stale ${field}: replace`);
        assert.equal(fx.store.compareAndSwap('f1', expected, null), false, `stale ${field}: remove`);
      }
      assert.equal(fx.store.compareAndSwap('f1', null, null), false, 'expecting no lock while locked');
      assert.deepEqual(fx.store.get('f1'), stored);
    });

    void it('a swap expecting the stored lock replaces it: refresh keeps createdAt, relock takes a new id', () => {
      files('f1');
      const first = lockOf('L1');
      fx.store.compareAndSwap('f1', null, first);
      // A copy, never the object handed in: the match is by value.
      const refreshed = { ...first, refreshedAt: T0 + MINUTE, expiresAt: T0 + MINUTE + DURATION };
      assert.equal(fx.store.compareAndSwap('f1', { ...first }, refreshed), true, 'refresh');
      assert.deepEqual(fx.store.get('f1'), refreshed);
      const relocked = lockOf('L2', T0 + 2 * MINUTE);
      assert.equal(fx.store.compareAndSwap('f1', fx.store.get('f1'), relocked), true, 'relock');
      assert.deepEqual(fx.store.get('f1'), relocked);
      assert.equal(fx.store.compareAndSwap('f1', refreshed, first), false, 'the refreshed lock is gone');
    });

    void it('a swap to no lock removes it; once gone, only "no lock" matches', () => {
      files('f1');
      const l = lockOf('L1');
      fx.store.compareAndSwap('f1', null, l);
      assert.equal(fx.store.compareAndSwap('f1', l, null), true, 'remove');
      assert.equal(fx.store.get('f1'), null);
      assert.deepEqual(fx.store.list(), []);
      assert.equal(fx.store.compareAndSwap('f1', l, null), false, 'remove again');
      assert.equal(fx.store.compareAndSwap('f1', l, lockOf('L2')), false, 'replace what is gone');
      assert.equal(fx.store.compareAndSwap('f1', null, null), true, 'no lock, and none wanted');
      assert.equal(fx.store.get('f1'), null);
      assert.equal(fx.store.compareAndSwap('f1', null, lockOf('L3')), true, 'take it again');
      assert.equal(fx.store.get('f1')?.lockId, 'L3');
    });

    void it('values are snapshots: changing what went in or came out changes nothing stored', () => {
      files('f1');
      const given = lockOf('L1');
      fx.store.compareAndSwap('f1', null, given);
      given.lockId = 'changed';
      given.expiresAt = 0;
      const seen = fx.store.get('f1')!;
      seen.lockId = 'changed too';
      fx.store.list()[0]!.expiresAt = 1;
      assert.deepEqual(fx.store.get('f1'), lockOf('L1'));
    });

    void it('1024-character ids of every printable character are stored and compared exactly', () => {
      files('f1', 'f2');
      assert.equal(LONGEST_ID.length, 1024);
      const l = lockOf(LONGEST_ID);
      assert.equal(fx.store.compareAndSwap('f1', null, l), true);
      assert.deepEqual(fx.store.get('f1'), l);
      assert.deepEqual(fx.store.list(), [{ ...l, fileId: 'f1' }]);
      // Differs only in the last character: a different lock.
      const almost = { ...l, lockId: `${LONGEST_ID.slice(0, 1023)}!` };
      assert.notEqual(almost.lockId, LONGEST_ID);
      assert.equal(fx.store.compareAndSwap('f1', almost, null), false);
      assert.equal(fx.store.compareAndSwap('f2', null, almost), true);
      assert.equal(fx.store.compareAndSwap('f1', l, null), true);
      assert.deepEqual(fx.store.get('f2'), almost);
    });

    void it('each file has its own lock', () => {
      const ids = ['doc-a', 'doc-b', 'DOC-A', 'doc-a '];
      files(...ids);
      ids.forEach((id, i) =>
        assert.equal(fx.store.compareAndSwap(id, null, lockOf(`L-${i}`, T0 + i)), true, id),
      );
      ids.forEach((id, i) => assert.deepEqual(fx.store.get(id), lockOf(`L-${i}`, T0 + i), id));
      // A lock only matches on its own file.
      assert.equal(fx.store.compareAndSwap('doc-a', lockOf('L-1', T0 + 1), null), false);
      assert.equal(fx.store.compareAndSwap('doc-a', lockOf('L-0', T0), null), true);
      assert.equal(fx.store.get('doc-a'), null);
      assert.deepEqual(
        fx.store.list().map((l) => [l.fileId, l.lockId]),
        [
          ['doc-b', 'L-1'],
          ['DOC-A', 'L-2'],
          ['doc-a ', 'L-3'],
        ],
      );
    });

    void it('expired locks stay stored: the store never reads a clock', () => {
      files('f1');
      const long = lockOf('old', 1, 2); // expired in 1970
      assert.equal(fx.store.compareAndSwap('f1', null, long), true);
      assert.deepEqual(fx.store.get('f1'), long);
      assert.deepEqual(fx.store.list(), [{ ...long, fileId: 'f1' }]);
      assert.equal(
        fx.store.compareAndSwap('f1', null, lockOf('new')),
        false,
        'an expired lock is still a lock here',
      );
      assert.equal(fx.store.compareAndSwap('f1', long, lockOf('new')), true);
    });

    void it('list: every lock with its file, soonest expiry first, ties by file id', () => {
      files('a', 'b', 'c', 'd');
      fx.store.compareAndSwap('c', null, lockOf('Lc', T0, T0 + 3));
      fx.store.compareAndSwap('a', null, lockOf('La', T0, T0 + 9));
      fx.store.compareAndSwap('d', null, lockOf('Ld', T0, T0 + 1));
      fx.store.compareAndSwap('b', null, lockOf('Lb', T0, T0 + 3));
      assert.deepEqual(fx.store.list(), [
        { ...lockOf('Ld', T0, T0 + 1), fileId: 'd' },
        { ...lockOf('Lb', T0, T0 + 3), fileId: 'b' },
        { ...lockOf('Lc', T0, T0 + 3), fileId: 'c' },
        { ...lockOf('La', T0, T0 + 9), fileId: 'a' },
      ]);
    });

    void it('handles that read the same state and then swap: exactly one of N wins each round', () => {
      files('f1');
      const hosts = [fx.store, ...Array.from({ length: 7 }, () => fx.peer())];
      // Take: all see "no lock", all try.
      const seenFree = hosts.map((h) => h.get('f1'));
      assert.ok(seenFree.every((l) => l === null));
      const takes = hosts.map((h, i) => h.compareAndSwap('f1', seenFree[i] ?? null, lockOf(`host-${i}`)));
      assert.equal(takes.filter(Boolean).length, 1, `takes: ${takes.join(',')}`);
      const winner = `host-${takes.indexOf(true)}`;
      for (const h of hosts) assert.equal(h.get('f1')?.lockId, winner, 'every handle sees the winner');
      // Refresh: all see the winner's lock, all try to move its expiry.
      const seen = hosts.map((h) => h.get('f1')!);
      const refreshes = hosts.map((h, i) =>
        h.compareAndSwap('f1', seen[i]!, {
          ...seen[i]!,
          refreshedAt: T0 + i + 1,
          expiresAt: T0 + DURATION + i + 1,
        }),
      );
      assert.equal(refreshes.filter(Boolean).length, 1, `refreshes: ${refreshes.join(',')}`);
      const r = refreshes.indexOf(true);
      assert.equal(fx.store.get('f1')?.expiresAt, T0 + DURATION + r + 1);
      // Remove: all see the refreshed lock, all try to drop it.
      const last = hosts.map((h) => h.get('f1')!);
      const removes = hosts.map((h, i) => h.compareAndSwap('f1', last[i]!, null));
      assert.equal(removes.filter(Boolean).length, 1, `removes: ${removes.join(',')}`);
      for (const h of hosts) assert.equal(h.get('f1'), null);
    });

    if (traits.persistent) {
      void it('a lock survives closing and reopening the store, value for value', () => {
        files('f1', 'f2');
        const l = { lockId: LONGEST_ID, createdAt: T0, refreshedAt: T0 + 7, expiresAt: T0 + DURATION };
        fx.store.compareAndSwap('f1', null, l);
        fx.store.compareAndSwap('f2', null, lockOf('gone'));
        fx.store.compareAndSwap('f2', lockOf('gone'), null);
        const again = fx.reopen!();
        assert.deepEqual(again.get('f1'), l);
        assert.equal(again.get('f2'), null, 'a removed lock stays removed');
        assert.deepEqual(again.list(), [{ ...l, fileId: 'f1' }]);
        // The value read before the restart still matches exactly (no rounding on the way).
        assert.equal(again.compareAndSwap('f1', l, null), true);
      });
    }
  });

  void describe(`WOPI lock rules over ${name}`, () => {
    let clock: ReturnType<typeof manualClock>;
    let changes: LockChange[];
    const service = (store: LockStore = fx.store) =>
      createLockService({ store, now: clock.now, durationMs: DURATION, onChange: (c) => changes.push(c) });
    const said = (): string[] =>
      changes.splice(0).map((c) => `${c.action}:${c.before?.lockId ?? '-'}>${c.after?.lockId ?? '-'}`);

    beforeEach(async () => {
      fx = await open();
      fx.addFile('f1');
      fx.addFile('f2');
      clock = manualClock(T0);
      changes = [];
    });
    afterEach(() => fx.close());

    void it('Lock, same-id Lock, a conflict, RefreshLock, UnlockAndRelock and Unlock', () => {
      const locks = service();
      const taken = locks.lock('f1', 'A');
      assert.deepEqual(taken, { ok: true, before: null, after: lockOf('A') });
      clock.advance(MINUTE);
      const again = locks.lock('f1', 'A');
      assert.ok(again.ok);
      assert.deepEqual(again.after, {
        ...lockOf('A'),
        refreshedAt: T0 + MINUTE,
        expiresAt: T0 + MINUTE + DURATION,
      });
      assert.deepEqual(locks.lock('f1', 'B'), { ok: false, current: again.after });
      assert.deepEqual(locks.checkWrite('f1', undefined), { ok: false, current: again.after });
      assert.ok(locks.checkWrite('f1', 'A').ok);
      assert.ok(locks.checkWrite('f2', undefined).ok, 'an unlocked file is left to the caller');
      clock.advance(MINUTE);
      assert.equal(locks.refresh('f1', 'A').ok && fx.store.get('f1')?.expiresAt, T0 + 2 * MINUTE + DURATION);
      assert.equal(locks.refresh('f1', 'B').ok, false);
      assert.equal(locks.unlockAndRelock('f1', 'B', 'C').ok, false);
      assert.equal(locks.unlockAndRelock('f1', 'A', 'C').ok, true);
      assert.equal(fx.store.get('f1')?.lockId, 'C');
      assert.equal(locks.unlock('f1', 'A').ok, false);
      assert.equal(locks.unlock('f1', 'C').ok, true);
      assert.equal(fx.store.get('f1'), null);
      assert.equal(locks.unlock('f1', 'C').ok, false, 'unlocking an unlocked file is a mismatch');
      assert.deepEqual(said(), [
        'Lock:->A',
        'Lock:A>A',
        'RefreshLock:A>A',
        'UnlockAndRelock:A>C',
        'Unlock:C>-',
      ]);
    });

    void it('an expired lock is no lock: reported once as expired, then another id takes the file', () => {
      const locks = service();
      locks.lock('f1', 'A');
      said();
      clock.advance(DURATION - 1);
      assert.equal(locks.current('f1')?.lockId, 'A', 'live until the last millisecond');
      clock.advance(1);
      assert.equal(locks.refresh('f1', 'A').ok, false, 'too late to refresh');
      assert.equal(fx.store.get('f1'), null, 'the refusal still dropped the expired lock');
      assert.deepEqual(said(), ['expiry:A>-']);
      locks.lock('f2', 'A');
      clock.advance(DURATION);
      assert.equal(locks.lock('f2', 'B').ok, true);
      assert.deepEqual(said(), ['Lock:->A', 'expiry:A>-', 'Lock:->B']);
      assert.equal(fx.store.get('f2')?.createdAt, clock.now(), 'a new lock, not the old one refreshed');
    });

    void it('sweep reports each expired lock once and keeps the live ones; list shows only live locks', () => {
      const locks = service();
      locks.lock('f1', 'A');
      clock.advance(MINUTE);
      locks.lock('f2', 'B');
      clock.advance(DURATION - MINUTE);
      assert.deepEqual(
        locks.list().map((l) => l.fileId),
        ['f2'],
      );
      assert.equal(fx.store.list().length, 2, 'until swept, the expired lock is still stored');
      said();
      locks.sweep();
      locks.sweep();
      assert.deepEqual(said(), ['expiry:A>-']);
      assert.deepEqual(
        fx.store.list().map((l) => l.lockId),
        ['B'],
      );
    });

    void it('a second host writes between the read and the swap: the rule is decided again on its lock', () => {
      const other = service(fx.peer());
      /** A handle on the same store whose next swap lets `meddle` run first (the race, made certain). */
      const racing = (meddle: () => void): LockStore => {
        const own = fx.peer();
        let armed = true;
        return {
          get: (id) => own.get(id),
          list: () => own.list(),
          compareAndSwap: (id, expected, next) => {
            if (armed) {
              armed = false;
              meddle();
            }
            return own.compareAndSwap(id, expected, next);
          },
        };
      };
      // Both want the free file; the other host gets there first, so this Lock is a conflict.
      const loser = service(racing(() => other.lock('f1', 'B')));
      assert.deepEqual(loser.lock('f1', 'A'), { ok: false, current: lockOf('B') });
      // The other host refreshes between this host's read and swap: this refresh still succeeds.
      clock.advance(MINUTE);
      const refresher = service(racing(() => other.refresh('f1', 'B')));
      clock.advance(MINUTE);
      const d = refresher.refresh('f1', 'B');
      assert.ok(d.ok);
      assert.equal(d.before?.refreshedAt, T0 + 2 * MINUTE, 'decided on the lock the other host left');
      assert.deepEqual(
        said(),
        ['Lock:->B', 'RefreshLock:B>B'],
        'only the changes that happened are reported: the re-decided refresh moved nothing',
      );
    });
  });
}

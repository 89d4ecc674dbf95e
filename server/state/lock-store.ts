// Where WOPI locks are kept: a dumb record per file with one compare-and-swap write. The WOPI rules
// (who may take, refresh or drop a lock, and when a lock counts as expired) live in wopi/lock-service.
import type { LockView } from '../contracts/api';
import type { Db } from './db';

/** A stored lock together with the file it locks. */
export type StoredLock = LockView & { fileId: string };

/**
 * The seam between the lock rules and their storage. Today SQLite in the data dir; a team deployment
 * sharing one store between hosts (Redis, Postgres, …) implements these three calls and must pass the
 * same conformance suite (test/helpers/lock-store-conformance.ts).
 *
 * - The store never reads a clock and never decides anything: an expired lock stays stored until the
 *   lock service swaps it out. Times are epoch ms chosen by the service.
 * - `compareAndSwap` is the only write. It is atomic against every other writer of the same store,
 *   in this process or another: two callers that read the same lock and both try to replace it
 *   cannot both succeed. A lock matches `expected` only when all four fields are equal; the holder
 *   (holderId/holderName) is metadata stored with the lock, never part of the match.
 * - Values are snapshots: changing an object passed in or handed out never changes what is stored.
 * - Lock ids are opaque strings of up to 1024 characters, stored and compared exactly.
 * - Synchronous, like every caller today (the WOPI handlers decide inside a file's queue, and the
 *   SQLite store answers in microseconds). A networked store would make these async together with
 *   the service; nothing else depends on the store.
 */
export interface LockStore {
  /** The stored lock of a file, expired or not; null when there is none. */
  get(fileId: string): LockView | null;
  /**
   * Store `next` (null: remove the lock) if and only if the file's stored lock is exactly `expected`
   * (null: no lock stored). True when this call made the change; false when something else was stored.
   */
  compareAndSwap(fileId: string, expected: LockView | null, next: LockView | null): boolean;
  /** Every stored lock, expired ones included, soonest expiry first (ties by file id). */
  list(): StoredLock[];
}

const sameLock = (a: LockView | null, b: LockView | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.lockId === b.lockId &&
    a.createdAt === b.createdAt &&
    a.refreshedAt === b.refreshedAt &&
    a.expiresAt === b.expiresAt);

/** The holder fields, present only when set (a lock without a holder has no such keys). */
const holderOf = (holderId: string | null | undefined, holderName: string | null | undefined) => ({
  ...(holderId ? { holderId } : {}),
  ...(holderName ? { holderName } : {}),
});

const copy = (l: LockView): LockView => ({
  lockId: l.lockId,
  createdAt: l.createdAt,
  refreshedAt: l.refreshedAt,
  expiresAt: l.expiresAt,
  ...holderOf(l.holderId, l.holderName),
});

const byExpiry = (a: StoredLock, b: StoredLock): number =>
  a.expiresAt - b.expiresAt || (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0);

interface LockRow {
  file_id: string;
  lock_id: string;
  created_at: number;
  refreshed_at: number;
  expires_at: number;
  holder_id: string | null;
  holder_name: string | null;
}

const toView = (r: LockRow): LockView => ({
  lockId: r.lock_id,
  createdAt: r.created_at,
  refreshedAt: r.refreshed_at,
  expiresAt: r.expires_at,
  ...holderOf(r.holder_id, r.holder_name),
});

/**
 * Locks in the `locks` table of the data dir's database. Every swap is one conditional statement, so
 * SQLite's write lock makes it atomic across connections and processes sharing the file. The table's
 * foreign key means a lock can only be stored for a file the `files` table knows.
 */
export function createSqliteLockStore(db: Db): LockStore {
  const get = db.prepare<[string], LockRow>('SELECT * FROM locks WHERE file_id = ?');
  const all = db.prepare<[], LockRow>('SELECT * FROM locks ORDER BY expires_at, file_id');
  const matches =
    'file_id = @file_id AND lock_id = @old_lock_id AND created_at = @old_created_at ' +
    'AND refreshed_at = @old_refreshed_at AND expires_at = @old_expires_at';
  const insert = db.prepare(
    `INSERT INTO locks (file_id, lock_id, created_at, refreshed_at, expires_at, holder_id, holder_name)
     VALUES (@file_id, @lock_id, @created_at, @refreshed_at, @expires_at, @holder_id, @holder_name)
     ON CONFLICT(file_id) DO NOTHING`,
  );
  const update = db.prepare(
    `UPDATE locks SET lock_id = @lock_id, created_at = @created_at, refreshed_at = @refreshed_at,
       expires_at = @expires_at, holder_id = @holder_id, holder_name = @holder_name WHERE ${matches}`,
  );
  const remove = db.prepare(`DELETE FROM locks WHERE ${matches}`);

  const oldParams = (fileId: string, l: LockView) => ({
    file_id: fileId,
    old_lock_id: l.lockId,
    old_created_at: l.createdAt,
    old_refreshed_at: l.refreshedAt,
    old_expires_at: l.expiresAt,
  });
  const newParams = (l: LockView) => ({
    lock_id: l.lockId,
    created_at: l.createdAt,
    refreshed_at: l.refreshedAt,
    expires_at: l.expiresAt,
    holder_id: l.holderId ?? null,
    holder_name: l.holderName ?? null,
  });

  return {
    get(fileId) {
      const r = get.get(fileId);
      return r ? toView(r) : null;
    },
    compareAndSwap(fileId, expected, next) {
      if (!expected && !next) return !get.get(fileId);
      if (!expected) return insert.run({ file_id: fileId, ...newParams(next!) }).changes === 1;
      if (!next) return remove.run(oldParams(fileId, expected)).changes === 1;
      return update.run({ ...oldParams(fileId, expected), ...newParams(next) }).changes === 1;
    },
    list() {
      return all.all().map((r) => ({ ...toView(r), fileId: r.file_id }));
    },
  };
}

/**
 * Locks in this process's memory: for library users who want no database, and the reference the
 * conformance suite holds the SQLite store to. Forgotten when the process ends.
 */
export function createMemoryLockStore(): LockStore {
  const locks = new Map<string, LockView>();
  return {
    get(fileId) {
      const l = locks.get(fileId);
      return l ? copy(l) : null;
    },
    compareAndSwap(fileId, expected, next) {
      if (!sameLock(locks.get(fileId) ?? null, expected)) return false;
      if (next) locks.set(fileId, copy(next));
      else locks.delete(fileId);
      return true;
    },
    list() {
      return [...locks].map(([fileId, l]) => ({ ...copy(l), fileId })).sort(byExpiry);
    },
  };
}

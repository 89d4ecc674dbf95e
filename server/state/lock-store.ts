// Dumb lock persistence with compare-and-swap primitives; WOPI rules live in wopi/lock-service.
import type { LockView } from '../contracts/api';
import type { Db } from './db';

interface LockRow {
  file_id: string;
  lock_id: string;
  created_at: number;
  refreshed_at: number;
  expires_at: number;
}

const toView = (r: LockRow): LockView => ({
  lockId: r.lock_id,
  createdAt: r.created_at,
  refreshedAt: r.refreshed_at,
  expiresAt: r.expires_at,
});

export function createLockStore(db: Db) {
  const get = db.prepare<[string], LockRow>('SELECT * FROM locks WHERE file_id = ?');
  const all = db.prepare<[], LockRow>('SELECT * FROM locks ORDER BY expires_at');
  const put = db.prepare(
    `INSERT INTO locks (file_id, lock_id, created_at, refreshed_at, expires_at) VALUES (@file_id, @lock_id, @now, @now, @expires_at)
     ON CONFLICT(file_id) DO UPDATE SET lock_id = excluded.lock_id, created_at = excluded.created_at,
       refreshed_at = excluded.refreshed_at, expires_at = excluded.expires_at`,
  );
  const refresh = db.prepare('UPDATE locks SET refreshed_at = ?, expires_at = ? WHERE file_id = ?');
  const del = db.prepare('DELETE FROM locks WHERE file_id = ?');
  const expired = db.prepare<[number], LockRow>('SELECT * FROM locks WHERE expires_at <= ?');

  return {
    /** Run `fn` atomically: every lock decision is read-decide-write inside one transaction. */
    atomic<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    get(fileId: string): LockView | null {
      const r = get.get(fileId);
      return r ? toView(r) : null;
    },
    list(): Array<LockView & { fileId: string }> {
      return all.all().map((r) => ({ ...toView(r), fileId: r.file_id }));
    },
    set(fileId: string, lockId: string, now: number, expiresAt: number): LockView {
      put.run({ file_id: fileId, lock_id: lockId, now, expires_at: expiresAt });
      return toView(get.get(fileId)!);
    },
    refresh(fileId: string, now: number, expiresAt: number): LockView {
      refresh.run(now, expiresAt, fileId);
      return toView(get.get(fileId)!);
    },
    remove(fileId: string): void {
      del.run(fileId);
    },
    expiredAt(now: number): Array<LockView & { fileId: string }> {
      return expired.all(now).map((r) => ({ ...toView(r), fileId: r.file_id }));
    },
  };
}

export type LockStore = ReturnType<typeof createLockStore>;

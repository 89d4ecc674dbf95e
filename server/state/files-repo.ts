// File identity and metadata. Ids are stable across restarts and WOPI renames: they follow the
// record, not the path.
import type { Db } from './db';

export interface FileRow {
  id: string;
  path: string;
  present: number;
  version: number;
  size: number;
  mtime_ms: number;
  ino: number;
  sha256: string | null;
  owner_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface FileStatSig {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** The named parameters of a content update (setSig, setSigIf). */
const contentParams = (id: string, sig: FileStatSig, sha256: string | null, bump: boolean, now: number) => ({
  id,
  size: sig.size,
  mtime_ms: sig.mtimeMs,
  ino: sig.ino,
  sha256,
  bump: bump ? 1 : 0,
  now,
});

export function createFilesRepo(db: Db) {
  const byId = db.prepare<[string], FileRow>('SELECT * FROM files WHERE id = ?');
  const byPath = db.prepare<[string], FileRow>('SELECT * FROM files WHERE path = ? AND present = 1');
  const lastByPath = db.prepare<[string], FileRow>(
    'SELECT * FROM files WHERE path = ? AND present = 0 ORDER BY updated_at DESC LIMIT 1',
  );
  const listPresent = db.prepare<[], FileRow>('SELECT * FROM files WHERE present = 1 ORDER BY path');
  const insert = db.prepare(
    `INSERT INTO files (id, path, present, version, size, mtime_ms, ino, sha256, owner_id, created_at, updated_at)
     VALUES (@id, @path, 1, 1, @size, @mtime_ms, @ino, @sha256, @owner_id, @now, @now)`,
  );
  const revive = db.prepare('UPDATE files SET present = 1, updated_at = ? WHERE id = ?');
  const setSig = db.prepare(
    'UPDATE files SET size = @size, mtime_ms = @mtime_ms, ino = @ino, sha256 = @sha256, version = version + @bump, updated_at = @now WHERE id = @id',
  );
  // Compare-and-swap: applies only while the row still holds what the caller read (path, size, mtime,
  // inode, hash), so a refresh that read the row before a writer committed cannot record (and count) that write again.
  const setSigIf = db.prepare(
    `UPDATE files SET size = @size, mtime_ms = @mtime_ms, ino = @ino, sha256 = @sha256, version = version + @bump, updated_at = @now
     WHERE id = @id AND present = 1 AND path = @was_path AND size = @was_size AND mtime_ms = @was_mtime_ms AND ino = @was_ino AND sha256 IS @was_sha256`,
  );
  const setPath = db.prepare('UPDATE files SET path = ?, updated_at = ? WHERE id = ?');
  const setAbsent = db.prepare('UPDATE files SET present = 0, updated_at = ? WHERE id = ?');
  const setAbsentAt = db.prepare(
    'UPDATE files SET present = 0, updated_at = ? WHERE id = ? AND path = ? AND present = 1',
  );

  // Rows by id, read on every WOPI call. Every write below drops the row it touched, and a
  // compare-and-swap that fails drops it too (another process, e.g. `token`, may have written it), so a
  // cached row is never one this process knows to be out of date. A row read inside a transaction is
  // not cached: the transaction (or an outer one) may still roll back. Callers get copies.
  const rows = new Map<string, FileRow>();
  const ROWS_MAX = 10_000;
  const fresh = (id: string): FileRow | undefined => {
    const row = byId.get(id);
    if (row && !db.inTransaction) {
      if (rows.size >= ROWS_MAX) rows.clear();
      rows.set(id, row);
    } else rows.delete(id);
    return row && { ...row };
  };
  const get = (id: string): FileRow | undefined => {
    const row = rows.get(id);
    return row ? { ...row } : fresh(id);
  };
  const dropAll = (): void => rows.clear();

  return {
    get,
    getByPath: (p: string): FileRow | undefined => byPath.get(p),
    listPresent: (): FileRow[] => listPresent.all(),
    /**
     * Returns the row for a path, creating it if needed. A path that existed before (deleted, then
     * re-created) gets its old id back, so links and logs keep pointing at the same file.
     */
    ensure(
      p: string,
      sig: FileStatSig,
      sha256: string | null,
      ownerId: string,
      newId: () => string,
      now: number,
    ) {
      return db.transaction((): { row: FileRow; created: boolean } => {
        const existing = byPath.get(p);
        if (existing) return { row: existing, created: false };
        const old = lastByPath.get(p);
        if (old) {
          revive.run(now, old.id);
          return { row: fresh(old.id)!, created: true };
        }
        const id = newId();
        insert.run({
          id,
          path: p,
          size: sig.size,
          mtime_ms: sig.mtimeMs,
          ino: sig.ino,
          sha256,
          owner_id: ownerId,
          now,
        });
        return { row: fresh(id)!, created: true };
      })();
    },
    /** Record new content metadata; `bump` increments the version counter (content changed). */
    updateContent(id: string, sig: FileStatSig, sha256: string | null, bump: boolean, now: number): FileRow {
      setSig.run(contentParams(id, sig, sha256, bump, now));
      return fresh(id)!;
    },
    /**
     * Like updateContent, but only if the row still matches `was` (the row the caller read); null when
     * someone recorded a newer state first (theirs stands).
     */
    updateContentIf(
      was: FileRow,
      sig: FileStatSig,
      sha256: string | null,
      bump: boolean,
      now: number,
    ): FileRow | null {
      const r = setSigIf.run({
        ...contentParams(was.id, sig, sha256, bump, now),
        was_path: was.path,
        was_size: was.size,
        was_mtime_ms: was.mtime_ms,
        was_ino: was.ino,
        was_sha256: was.sha256,
      });
      const row = fresh(was.id);
      return r.changes === 1 ? row! : null;
    },
    /**
     * Record a rename. A present row still holding `newPath` is stale (the name was free on disk, or
     * the caller could not have taken it): it is marked absent first and returned, so the move cannot
     * break the one-present-row-per-path rule.
     */
    move(id: string, newPath: string, now: number): FileRow | undefined {
      return db.transaction((): FileRow | undefined => {
        const stale = byPath.get(newPath);
        if (stale && stale.id !== id) setAbsent.run(now, stale.id);
        setPath.run(newPath, now, id);
        dropAll();
        return stale && stale.id !== id ? stale : undefined;
      })();
    },
    markAbsent(id: string, now: number): void {
      setAbsent.run(now, id);
      rows.delete(id);
    },
    /** Mark absent only if the row is still present at `path` (not renamed or removed meanwhile). */
    markAbsentIf(id: string, path: string, now: number): boolean {
      const changed = setAbsentAt.run(now, id, path).changes === 1;
      rows.delete(id);
      return changed;
    },
  };
}

export type FilesRepo = ReturnType<typeof createFilesRepo>;

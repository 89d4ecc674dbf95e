// Version history rows; the bytes live in the blob store (storage/blobs).
import type { VersionReason, VersionView } from '../contracts/api';
import type { Db } from './db';

interface VersionRow {
  id: number;
  file_id: string;
  path: string;
  version: string;
  size: number;
  sha256: string;
  created_at: number;
  reason: string;
  blob: string | null;
}

const toView = (r: VersionRow): VersionView => ({
  id: r.id,
  fileId: r.file_id,
  path: r.path,
  version: r.version,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at,
  reason: r.reason as VersionReason,
  restorable: r.blob !== null,
});

export function createVersionsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO versions (file_id, path, version, size, sha256, created_at, reason, blob)
     VALUES (@file_id, @path, @version, @size, @sha256, @created_at, @reason, @blob)`,
  );
  const byId = db.prepare<[number], VersionRow>('SELECT * FROM versions WHERE id = ?');
  const forFile = db.prepare<[string], VersionRow>(
    'SELECT * FROM versions WHERE file_id = ? ORDER BY id DESC',
  );
  const overflow = db.prepare<[string, number], VersionRow>(
    'SELECT * FROM versions WHERE file_id = ? AND blob IS NOT NULL ORDER BY id DESC LIMIT -1 OFFSET ?',
  );
  const dropBlob = db.prepare('UPDATE versions SET blob = NULL WHERE id = ?');
  const blobUsers = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM versions WHERE blob = ?');

  return {
    add(v: Omit<VersionRow, 'id'>): VersionView {
      const info = insert.run(v);
      return toView(byId.get(Number(info.lastInsertRowid))!);
    },
    get(id: number): (VersionView & { blob: string | null }) | undefined {
      const r = byId.get(id);
      return r ? { ...toView(r), blob: r.blob } : undefined;
    },
    list(fileId: string): VersionView[] {
      return forFile.all(fileId).map(toView);
    },
    /** Forget blobs beyond the retention count; returns blob names no longer referenced by any row. */
    prune(fileId: string, keep: number): string[] {
      return db.transaction(() => {
        const freed: string[] = [];
        for (const r of overflow.all(fileId, keep)) {
          dropBlob.run(r.id);
          if (r.blob && blobUsers.get(r.blob)!.n === 0) freed.push(r.blob);
        }
        return freed;
      })();
    },
  };
}

export type VersionsRepo = ReturnType<typeof createVersionsRepo>;

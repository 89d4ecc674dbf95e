// The served folder as the engine sees it: stable ids, fresh metadata, versions kept for every
// byte that gets replaced, and one writer at a time per file.
import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileView, LockView, VersionReason } from '../contracts/api';
import type { EventBus } from '../events/bus';
import type { FileRow, FileStatSig, FilesRepo } from '../state/files-repo';
import type { VersionsRepo } from '../state/versions-repo';
import type { StagedFile } from './atomic-write';
import { syncDir } from './atomic-write';
import type { BlobStore } from './blobs';
import { fromFs, StorageError } from './errors';
import { sha256File } from './hashing';
import { isServedName, isServedRelPath, realInside, toAbs, toRel } from './paths';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function newFileId(): string {
  const bytes = randomBytes(16);
  let s = '';
  for (const b of bytes) s += ALNUM[b % 62];
  return s;
}

export interface FileIndexDeps {
  folder: string;
  files: FilesRepo;
  versions: VersionsRepo;
  blobs: BlobStore;
  bus: EventBus;
  now: () => number;
  ownerId: string;
  versionRetention: number;
  lockOf: (fileId: string) => LockView | null;
}

export interface FreshFile {
  row: FileRow;
  abs: string;
}

const sigOf = (st: { size: number; mtimeMs: number; ino: number }): FileStatSig => ({
  size: st.size,
  mtimeMs: st.mtimeMs,
  ino: st.ino,
});
const sameSig = (row: FileRow, s: FileStatSig): boolean =>
  row.size === s.size && row.mtime_ms === s.mtimeMs && row.ino === s.ino;

/** True when `row` was recorded for exactly the bytes `st` (a stat of them) describes. */
export const rowDescribes = (row: FileRow, st: { size: number; mtimeMs: number; ino: number }): boolean =>
  row.sha256 !== null && sameSig(row, sigOf(st));
const sameRow = (a: FileRow, b: FileRow): boolean =>
  a.path === b.path &&
  a.sha256 === b.sha256 &&
  a.version === b.version &&
  a.size === b.size &&
  a.mtime_ms === b.mtime_ms &&
  a.ino === b.ino;

export function createFileIndex(deps: FileIndexDeps) {
  const { folder, files, versions, blobs, bus, now } = deps;
  let realFolder = folder;
  /**
   * Until init() has walked the folder, a file found (by the walk, or looked up early, as a library user
   * minting a token before start does) is not news: file:added cause 'initial-scan', not 'external'.
   */
  let scanned = false;
  const queues = new Map<string, Promise<unknown>>();
  /** Ids whose file one of our writers is changing right now (between its disk change and its record). */
  const writing = new Map<string, number>();
  /** Paths one of our writers is creating or renaming to. */
  const claimed = new Map<string, number>();

  const view = (row: FileRow): FileView => {
    const name = row.path.split('/').pop()!;
    const dot = name.lastIndexOf('.');
    return {
      id: row.id,
      path: row.path,
      name,
      extension: dot > 0 ? name.slice(dot) : '',
      size: row.size,
      version: String(row.version),
      sha256: row.sha256 ?? undefined,
      lastModified: new Date(row.mtime_ms || row.updated_at).toISOString(),
      lock: deps.lockOf(row.id),
    };
  };

  /**
   * Stat a served path, refusing anything that resolves outside the folder. A regular file directly
   * in the folder can't escape (lstat says it is no link), so the realpath walk is only paid for
   * links and files in subfolders, whose parent directories could be links.
   */
  async function safeStat(rel: string, abs: string) {
    if (!rel.includes('/')) {
      // Sync on purpose: this runs on every WOPI call, the inode is cached, and fs.promises.lstat's
      // thread-pool round trip cost about a quarter of CheckFileInfo's CPU in profiles.
      const l = lstatSync(abs);
      if (!l.isSymbolicLink()) return l;
    }
    await realInside(realFolder, abs);
    return fs.stat(abs);
  }

  /**
   * Stat the file; if it changed on disk since `row` was read, re-hash and bump the version. Writers of
   * this engine record their own changes: a refresh never records a file while one of them is changing
   * it, and records nothing if the row moved on since it was read (compare-and-swap), so a refresh
   * racing a PutFile commit neither bumps the version a second time nor reports an outside edit.
   */
  async function refresh(
    row: FileRow,
    cause: 'external' | null = 'external',
    retried = false,
  ): Promise<FreshFile | null> {
    const abs = toAbs(folder, row.path);
    /** The row as it is now, when it moved on since `row` was read (renamed, rewritten, removed). */
    const again = (): Promise<FreshFile | null> | null => {
      const cur = files.get(row.id);
      if (retried || !cur || !cur.present || sameRow(cur, row)) return null;
      return refresh(cur, cause, true);
    };
    const gone = async (): Promise<FreshFile | null> => {
      const moved = again();
      if (moved) return moved;
      if (!writing.has(row.id) && files.markAbsentIf(row.id, row.path, now())) {
        const was = view(row);
        bus.emit('file:removed', {
          fileId: row.id,
          path: row.path,
          cause: 'external',
          previous: { size: was.size, version: was.version },
        });
      }
      return null;
    };
    let st;
    try {
      st = await safeStat(row.path, abs);
    } catch (e) {
      if (e instanceof StorageError && e.code === 'outside-folder') return null;
      return gone();
    }
    if (!st.isFile()) return null;
    const sig = sigOf(st);
    if (sameSig(row, sig) && row.sha256) return { row, abs };
    let sha: string;
    try {
      sha = await sha256File(abs);
    } catch (e) {
      if (fromFs(e, '').code === 'not-found') return gone();
      throw fromFs(e, `cannot read ${row.path}`);
    }
    const current = (): FreshFile | null => {
      const cur = files.get(row.id);
      return cur?.present ? { row: cur, abs: toAbs(folder, cur.path) } : null;
    };
    if (writing.has(row.id)) return current();
    const changed = sha !== row.sha256;
    const updated = files.updateContentIf(row, sig, sha, changed && row.sha256 !== null, now());
    if (!updated) return current();
    if (changed && row.sha256 !== null && cause) {
      const was = view(row);
      bus.emit('file:changed', {
        ...view(updated),
        cause,
        previous: { size: was.size, version: was.version },
      });
    }
    return { row: updated, abs };
  }

  async function ensure(rel: string): Promise<FreshFile | null> {
    // A path one of our writers is creating or renaming to is recorded by that writer.
    if (!isServedRelPath(rel) || claimed.has(rel)) return null;
    const abs = toAbs(folder, rel);
    let st;
    try {
      st = await safeStat(rel, abs);
    } catch {
      return null;
    }
    if (!st.isFile()) return null;
    const { row, created } = files.ensure(rel, sigOf(st), null, deps.ownerId, newFileId, now());
    const fresh = await refresh(row, created ? null : 'external');
    if (fresh && created)
      bus.emit('file:added', { ...view(fresh.row), cause: scanned ? 'external' : 'initial-scan' });
    return fresh;
  }

  /** Mark `key` (a file id or a path) as being changed by us for the duration of `fn`. */
  async function holding<T>(held: Map<string, number>, key: string, fn: () => Promise<T>): Promise<T> {
    // Counted: two creates of one path (different sources, no common queue) may overlap.
    held.set(key, (held.get(key) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const n = held.get(key)! - 1;
      if (n === 0) held.delete(key);
      else held.set(key, n);
    }
  }

  /** Serialize writers per file; readers never wait. */
  function exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = queues.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return run;
  }

  async function keepVersion(
    row: FileRow,
    abs: string,
    reason: VersionReason,
    replacing: boolean,
  ): Promise<void> {
    if (!row.sha256) return;
    let blob: string;
    try {
      blob = await blobs.keep(abs, row.sha256, replacing);
    } catch (e) {
      // A file that went away meanwhile is a race the caller answers (404); any other failure refuses
      // the write rather than lose the previous bytes.
      const err = fromFs(e, `${row.path} went away`);
      if (err.code === 'not-found') throw err;
      throw new StorageError(
        'io',
        `could not keep the previous version of ${row.path}; nothing was changed`,
        e,
      );
    }
    const v = versions.add({
      file_id: row.id,
      path: row.path,
      version: String(row.version),
      size: row.size,
      sha256: row.sha256,
      created_at: now(),
      reason,
      blob,
    });
    bus.emit('version:created', v);
    for (const freed of versions.prune(row.id, deps.versionRetention)) await blobs.remove(freed);
  }

  async function statAfterWrite(abs: string): Promise<FileStatSig> {
    return sigOf(await fs.stat(abs));
  }

  return {
    view,
    refresh,
    ensure,
    exclusive,
    async init(): Promise<void> {
      realFolder = await fs.realpath(folder);
      const seen = new Set<string>();
      const walk = async (dir: string): Promise<void> => {
        const entries = await fs.readdir(dir, { withFileTypes: true });
        for (const e of entries) {
          if (!isServedName(e.name)) continue;
          const abs = path.join(dir, e.name);
          if (e.isDirectory()) await walk(abs);
          else if (e.isFile()) {
            const rel = toRel(folder, abs);
            seen.add(rel);
            await ensure(rel);
          }
        }
      };
      try {
        await walk(folder);
      } finally {
        scanned = true;
      }
      for (const row of files.listPresent()) if (!seen.has(row.path)) await refresh(row);
    },
    /** A present file by id, with metadata brought up to date; null when unknown or gone. */
    async resolve(id: string): Promise<FreshFile | null> {
      const row = files.get(id);
      if (!row || !row.present) return null;
      return refresh(row);
    },
    async list(): Promise<FileView[]> {
      return files.listPresent().map(view);
    },
    /** Replace a file's content with staged bytes, keeping the old bytes as a version. */
    replace: (
      row: FileRow,
      abs: string,
      staged: StagedFile,
      reason: VersionReason,
      cause: 'wopi-put' | 'wopi-put-relative' | 'restore',
    ): Promise<FileRow> =>
      holding(writing, row.id, async () => {
        // Same bytes: still a save, so the version moves on (FileVersion requires it), nothing to keep.
        if (staged.sha256 !== row.sha256) await keepVersion(row, abs, reason, true);
        try {
          await staged.commit(abs);
        } catch (e) {
          throw fromFs(e, `cannot write ${row.path}`);
        }
        const updated = files.updateContent(row.id, await statAfterWrite(abs), staged.sha256, true, now());
        bus.emit('file:changed', { ...view(updated), cause });
        return updated;
      }),
    /**
     * Create a new file at `rel` from staged bytes; never replaces a file that exists. On 'exists' the
     * staged bytes stay, so the caller can pick another name; on any other failure they are discarded.
     */
    create: (rel: string, staged: StagedFile): Promise<FileRow> =>
      holding(claimed, rel, async () => {
        const abs = toAbs(folder, rel);
        try {
          await fs.link(staged.tempPath, abs); // EEXIST instead of overwriting a file created meanwhile
        } catch (e) {
          const err = fromFs(e, `cannot create ${rel}`);
          if (err.code !== 'exists') await staged.discard();
          throw err;
        }
        await staged.discard();
        await syncDir(path.dirname(abs));
        const sig = await statAfterWrite(abs);
        const { row } = files.ensure(rel, sig, staged.sha256, deps.ownerId, newFileId, now());
        const updated = files.updateContent(
          row.id,
          sig,
          staged.sha256,
          row.sha256 !== null && row.sha256 !== staged.sha256,
          now(),
        );
        bus.emit('file:added', { ...view(updated), cause: 'wopi-put-relative' });
        return updated;
      }),
    /** Rename unless `newRel` exists (a hard link, then unlink: never over another file). */
    rename: (row: FileRow, newRel: string): Promise<FileRow> =>
      holding(claimed, newRel, () =>
        holding(writing, row.id, async () => {
          const from = toAbs(folder, row.path);
          const to = toAbs(folder, newRel);
          try {
            await fs.link(from, to);
          } catch (e) {
            throw fromFs(e, `cannot rename ${row.path} to ${newRel}`);
          }
          let displaced;
          try {
            displaced = files.move(row.id, newRel, now());
          } catch (e) {
            await fs.rm(to, { force: true }); // undo: the file keeps its one old name
            throw e;
          }
          try {
            await fs.unlink(from);
          } catch (e) {
            // Already gone is fine (the rename stands); anything else leaves two names, never zero.
            if (fromFs(e, '').code !== 'not-found') throw fromFs(e, `renamed, but cannot remove ${row.path}`);
          }
          await syncDir(path.dirname(to));
          if (displaced) bus.emit('file:removed', { fileId: displaced.id, path: newRel, cause: 'external' });
          const updated = files.get(row.id)!;
          bus.emit('file:changed', { ...view(updated), cause: 'wopi-rename', previousPath: row.path });
          return updated;
        }),
      ),
    remove: (row: FileRow, abs: string): Promise<void> =>
      holding(writing, row.id, async () => {
        await keepVersion(row, abs, 'delete', true);
        try {
          await fs.unlink(abs);
        } catch (e) {
          throw fromFs(e, `cannot delete ${row.path}`);
        }
        // Recorded after the unlink: a failed unlink leaves the file served, not hidden.
        files.markAbsent(row.id, now());
        await syncDir(path.dirname(abs));
        bus.emit('file:removed', { fileId: row.id, path: row.path, cause: 'wopi-delete' });
      }),
    exists: async (rel: string): Promise<boolean> => {
      try {
        await fs.lstat(toAbs(folder, rel));
        return true;
      } catch {
        return false;
      }
    },
    blobPath: (sha256: string): string => blobs.pathOf(sha256),
    folder,
  };
}

export type FileIndex = ReturnType<typeof createFileIndex>;

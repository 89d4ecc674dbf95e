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
import { StorageError } from './errors';
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

export function createFileIndex(deps: FileIndexDeps) {
  const { folder, files, versions, blobs, bus, now } = deps;
  let realFolder = folder;
  const queues = new Map<string, Promise<unknown>>();

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

  /** Stat the file; if it changed on disk since we last looked, re-hash and bump the version. */
  async function refresh(row: FileRow, cause: 'external' | null = 'external'): Promise<FreshFile | null> {
    const abs = toAbs(folder, row.path);
    let st;
    try {
      st = await safeStat(row.path, abs);
    } catch (e) {
      if (e instanceof StorageError && e.code === 'outside-folder') return null;
      if (row.present) {
        files.markAbsent(row.id, now());
        bus.emit('file:removed', { fileId: row.id, path: row.path, cause: 'external' });
      }
      return null;
    }
    if (!st.isFile()) return null;
    const sig = sigOf(st);
    if (sameSig(row, sig) && row.sha256) return { row, abs };
    const sha = await sha256File(abs);
    const changed = sha !== row.sha256;
    const updated = files.updateContent(row.id, sig, sha, changed && row.sha256 !== null, now());
    if (changed && row.sha256 !== null && cause) bus.emit('file:changed', { ...view(updated), cause });
    return { row: updated, abs };
  }

  async function ensure(rel: string): Promise<FreshFile | null> {
    if (!isServedRelPath(rel)) return null;
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
    if (fresh && created) bus.emit('file:added', view(fresh.row));
    return fresh;
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
      // Refuse the write rather than lose the previous bytes.
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
      await walk(folder);
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
    async replace(
      row: FileRow,
      abs: string,
      staged: StagedFile,
      reason: VersionReason,
      cause: 'wopi-put' | 'wopi-put-relative' | 'restore',
    ): Promise<FileRow> {
      if (staged.sha256 === row.sha256) {
        // Same bytes: still a save, so the version moves on (FileVersion requires it), nothing to keep.
        await staged.commit(abs);
      } else {
        await keepVersion(row, abs, reason, true);
        await staged.commit(abs);
      }
      const updated = files.updateContent(row.id, await statAfterWrite(abs), staged.sha256, true, now());
      bus.emit('file:changed', { ...view(updated), cause });
      return updated;
    },
    /** Create a new file at `rel` from staged bytes; never replaces a file that exists. */
    async create(rel: string, staged: StagedFile): Promise<FileRow> {
      const abs = toAbs(folder, rel);
      try {
        await fs.link(staged.tempPath, abs); // fails with EEXIST instead of overwriting a file created meanwhile
      } catch (e) {
        // On EEXIST the staged bytes stay, so the caller can pick another name.
        if ((e as NodeJS.ErrnoException).code === 'EEXIST')
          throw new StorageError('exists', `${rel} already exists`);
        await staged.discard();
        throw new StorageError('io', `cannot create ${rel}`, e);
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
      bus.emit('file:added', view(updated));
      return updated;
    },
    async rename(row: FileRow, newRel: string): Promise<FileRow> {
      const from = toAbs(folder, row.path);
      const to = toAbs(folder, newRel);
      try {
        await fs.link(from, to); // atomic "rename unless exists"
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST')
          throw new StorageError('exists', `${newRel} already exists`);
        throw new StorageError('io', `cannot rename ${row.path}`, e);
      }
      const previousPath = row.path;
      files.move(row.id, newRel, now());
      await fs.unlink(from);
      await syncDir(path.dirname(to));
      const updated = files.get(row.id)!;
      bus.emit('file:changed', { ...view(updated), cause: 'wopi-rename', previousPath });
      return updated;
    },
    async remove(row: FileRow, abs: string): Promise<void> {
      await keepVersion(row, abs, 'delete', true);
      files.markAbsent(row.id, now());
      await fs.unlink(abs);
      await syncDir(path.dirname(abs));
      bus.emit('file:removed', { fileId: row.id, path: row.path, cause: 'wopi-delete' });
    },
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

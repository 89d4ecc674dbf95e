// Restoring a kept version goes through the same crash-safe write path as PutFile (stage beside the
// target, fsync, rename), so the bytes it replaces become a version too.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { FileView } from '../contracts/api';
import type { StagedFile } from '../storage/atomic-write';
import { stageStream } from '../storage/atomic-write';
import { toAbs } from '../storage/paths';
import { ApiModelError } from './errors';
import type { ApiEngine } from './types';

export const noFile = (id: string): ApiModelError => new ApiModelError('not-found', `no file with id ${id}`);

export async function restoreVersion(
  engine: ApiEngine,
  fileId: string,
  versionId: number,
  force: boolean,
): Promise<FileView> {
  const { index, files, versions, blobs, locks } = engine;
  const version = Number.isSafeInteger(versionId) ? versions.get(versionId) : undefined;
  if (!version || version.fileId !== fileId) {
    throw new ApiModelError('not-found', `file ${fileId} has no version ${String(versionId)}`);
  }
  if (!files.get(fileId)) throw noFile(fileId);
  const blob = version.blob;
  if (blob === null || !(await blobs.has(blob))) {
    throw new ApiModelError(
      'conflict',
      `version ${version.id} can no longer be restored: its bytes were pruned (versionRetention)`,
    );
  }
  return index.exclusive(fileId, async () => {
    // Decided inside the writer queue, so a WOPI lock taken meanwhile is seen.
    const lock = locks.current(fileId);
    if (lock && !force) {
      throw new ApiModelError(
        'conflict',
        `the file is locked by a WOPI client (lock "${lock.lockId}"); restoring would change it under the editor. Restore with force (force=1 on the control API) to do it anyway`,
      );
    }
    const fresh = await index.resolve(fileId);
    if (fresh) {
      const staged = await stageVersion(engine, path.dirname(fresh.abs), blob, version.sha256, version.id);
      try {
        return index.view(await index.replace(fresh.row, fresh.abs, staged, 'restore', 'restore'));
      } catch (e) {
        await staged.discard();
        throw e;
      }
    }
    // Deleted file: bring it back at its last path, never over a file that took that place.
    const row = files.get(fileId)!;
    const abs = toAbs(index.folder, row.path);
    await checkParentInside(index.folder, abs, row.path);
    const staged = await stageVersion(engine, path.dirname(abs), blob, version.sha256, version.id);
    try {
      return index.view(await index.create(row.path, staged));
    } catch (e) {
      await staged.discard();
      throw e;
    }
  });
}

async function stageVersion(
  engine: ApiEngine,
  dir: string,
  blob: string,
  sha256: string,
  id: number,
): Promise<StagedFile> {
  const staged = await stageStream(
    dir,
    fs.createReadStream(engine.blobs.pathOf(blob)),
    Number.MAX_SAFE_INTEGER,
  );
  if (staged.sha256 !== sha256) {
    await staged.discard();
    throw new ApiModelError(
      'internal',
      `the kept bytes of version ${id} do not match its SHA-256; nothing was restored`,
    );
  }
  return staged;
}

/** The folder a deleted file lived in must still exist and must not resolve outside the served folder. */
async function checkParentInside(folder: string, abs: string, rel: string): Promise<void> {
  let realFolder: string;
  let realDir: string;
  try {
    [realFolder, realDir] = await Promise.all([fsp.realpath(folder), fsp.realpath(path.dirname(abs))]);
  } catch {
    throw new ApiModelError('conflict', `cannot restore ${rel}: its folder no longer exists`);
  }
  const back = path.relative(realFolder, realDir);
  if (back.startsWith('..') || path.isAbsolute(back)) {
    throw new ApiModelError(
      'conflict',
      `cannot restore ${rel}: its folder now resolves outside the served folder`,
    );
  }
}

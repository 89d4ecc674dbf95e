// Crash-safe writes into the served folder: stream to a temp file beside the target, fsync,
// then rename over it. A crash leaves the old or the new content, never a torn file.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { fromFs, isFsError, StorageError } from './errors';
import { TEMP_PREFIX } from './paths';

export interface StagedFile {
  tempPath: string;
  size: number;
  sha256: string;
  /** Rename over `target` (fsyncing the directory), or discard. */
  commit(target: string): Promise<void>;
  discard(): Promise<void>;
}

export async function stageStream(dir: string, body: Readable, maxBytes: number): Promise<StagedFile> {
  const tempPath = path.join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}.tmp`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) {
        cb(
          new StorageError(
            'too-large',
            `the body is larger than the upload limit of ${maxBytes} bytes (maxUploadBytes)`,
          ),
        );
        return;
      }
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const out = createWriteStream(tempPath, { flags: 'wx' });
  try {
    await pipeline(body, meter, out);
    const fh = await fs.open(tempPath, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    await fs.rm(tempPath, { force: true });
    if (e instanceof StorageError) throw e;
    // The disk (ENOSPC, EACCES, a folder gone) is not the client's fault; a dropped body is.
    if (isFsError(e)) throw fromFs(e, `cannot write a temporary file in ${dir}`);
    throw new StorageError('aborted', 'the upload was interrupted before it completed', e);
  }
  return stagedAt(tempPath, size, hash.digest('hex'));
}

export async function stageBuffer(dir: string, data: Buffer): Promise<StagedFile> {
  const tempPath = path.join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tempPath, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return stagedAt(tempPath, data.length, createHash('sha256').update(data).digest('hex'));
}

function stagedAt(tempPath: string, size: number, sha256: string): StagedFile {
  return {
    tempPath,
    size,
    sha256,
    async commit(target) {
      await fs.rename(tempPath, target);
      await syncDir(path.dirname(target));
    },
    async discard() {
      await fs.rm(tempPath, { force: true });
    },
  };
}

export async function syncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename itself durable; not supported everywhere (e.g. Windows).
  try {
    const fh = await fs.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* best effort */
  }
}

/** Remove temp files a crash left behind (they never replaced anything). */
export async function removeStaleTemps(folder: string): Promise<number> {
  let removed = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) await walk(abs);
      else if (e.isFile() && e.name.startsWith(TEMP_PREFIX) && e.name.endsWith('.tmp')) {
        await fs.rm(abs, { force: true });
        removed++;
      }
    }
  };
  await walk(folder);
  return removed;
}

// GetFile and PutFile (PROTOCOL §3.2, §3.8): streamed both ways; memory does not grow with size.
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StagedFile } from '../storage/atomic-write';
import { stageStream } from '../storage/atomic-write';
import { fromFs, StorageError } from '../storage/errors';
import type { FreshFile } from '../storage/file-index';
import { rowDescribes } from '../storage/file-index';
import type { WopiContext } from './context';
import { lockIdOf } from './context';
import { WopiHeader } from '../protocol/headers';
import type { Outcome } from './outcomes';
import { badRequest, lockMismatch, mismatchWhy, notFound } from './outcomes';
import { guardedBody } from './request-body';

const INT32_MAX = 2 ** 31 - 1;

export async function getFile(ctx: WopiContext): Promise<Outcome> {
  const raw = ctx.req.headers[WopiHeader.maxExpectedSize];
  let max = INT32_MAX; // absent header: the maximum of a 4-byte integer (REST docs)
  if (typeof raw === 'string' && raw.trim() !== '') {
    if (!/^\d+$/.test(raw.trim())) return badRequest(`X-WOPI-MaxExpectedSize "${raw}" is not a whole number`);
    max = Number(raw.trim());
  }
  const opened = await openAsRecorded(ctx);
  if (!opened) return notFound('GetFile: the file was removed meanwhile');
  const { file, handle, size } = opened;
  if (size > max) {
    await handle.close();
    return {
      kind: 'precondition-failed',
      why: `the file is ${size} bytes, more than X-WOPI-MaxExpectedSize (${max})`,
    };
  }
  ctx.notes.responseBody = {
    size,
    sha256: file.row.sha256 ?? undefined,
    contentType: 'application/octet-stream',
  };
  return {
    kind: 'ok',
    headers: {
      [WopiHeader.itemVersion]: String(file.row.version),
      'content-type': 'application/octet-stream',
    },
    body: { handle, size },
  };
}

interface Opened {
  /** The row that describes exactly the bytes open in `handle`. */
  file: FreshFile;
  handle: FileHandle;
  size: number;
}

/** How often GetFile looks again, inside the writer queue, for a file that keeps changing on disk. */
const OPEN_ATTEMPTS = 3;

/**
 * The file opened (here, not when the body is written: a rename between the two would be a 500) with the
 * row recorded for the very bytes opened, so X-WOPI-ItemVersion names what is sent. The row was read
 * before the open; a save, rename or outside edit in between shows as a stat signature (inode, size,
 * mtime) the row does not have. Then the look-up and the open are done again inside the file's writer
 * queue, where no save of ours can land between the two. Readers queue there only in that race, and only
 * behind commits: uploads are staged outside the queue. null: the file is gone.
 */
async function openAsRecorded(ctx: WopiContext): Promise<Opened | null> {
  const first = await openIfRecorded(ctx.file);
  if (typeof first !== 'string') return first;
  const { index } = ctx.deps;
  const id = ctx.file.row.id;
  return index.exclusive(id, async () => {
    for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      const fresh = await index.resolve(id);
      if (!fresh) return null;
      const o = await openIfRecorded(fresh);
      if (typeof o !== 'string') return o;
    }
    // Only an outside program rewriting the file continuously gets here.
    throw new StorageError(
      'io',
      `GetFile: ${ctx.file.row.path} kept changing on disk while it was opened; retry`,
    );
  });
}

/** `file` opened if its row describes the bytes opened; 'missing' or 'changed' otherwise. */
async function openIfRecorded(file: FreshFile): Promise<Opened | 'missing' | 'changed'> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file.abs, 'r');
  } catch (e) {
    const err = fromFs(e, `GetFile: cannot open ${file.row.path}`);
    if (err.code === 'not-found') return 'missing';
    throw err;
  }
  try {
    const st = await handle.stat();
    if (rowDescribes(file.row, st)) return { file, handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
  await handle.close();
  return 'changed';
}

/** The request body staged beside `abs` (temp file, fsynced); storage errors are thrown as they are. */
export async function stageBody(ctx: WopiContext, abs: string): Promise<StagedFile> {
  const declared = Number(ctx.req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > ctx.deps.maxUploadBytes) {
    // Refused before a byte is read or written.
    throw new StorageError(
      'too-large',
      `the body is ${declared} bytes; the upload limit (maxUploadBytes) is ${ctx.deps.maxUploadBytes}`,
    );
  }
  return stageStream(path.dirname(abs), guardedBody(ctx.req, ctx.deps.bodyIdleMs), ctx.deps.maxUploadBytes);
}

export async function putFile(ctx: WopiContext): Promise<Outcome> {
  const { deps, req } = ctx;
  const fileId = ctx.file.row.id;
  const sent = req.headers[WopiHeader.lock] as string | undefined;
  const lockId = sent === '' ? undefined : sent;
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > deps.maxUploadBytes) {
    return {
      kind: 'too-large',
      why: `the body is ${declared} bytes; the upload limit (maxUploadBytes) is ${deps.maxUploadBytes}`,
    };
  }

  // Cheap refusal before reading a possibly large body; decided again, atomically, before commit.
  const decide = (size: number): Outcome | null => {
    const d = deps.locks.checkWrite(fileId, lockId);
    ctx.notes.lockBefore = d.ok ? lockIdOf(d.before) : lockIdOf(d.current);
    ctx.notes.lockAfter = ctx.notes.lockBefore;
    if (!d.ok) return lockMismatch(d.current, mismatchWhy('PutFile', d.current, lockId));
    if (!d.before && size !== 0) {
      return lockMismatch(
        null,
        `PutFile on an unlocked file is only allowed while it is empty (it is ${size} bytes): Lock it first`,
      );
    }
    return null;
  };
  const early = decide(ctx.file.row.size);
  if (early) return early;

  // The body is staged outside the per-file queue: no other operation on this file waits on this
  // client's upload. The queue is taken only to decide again and commit.
  const staged = await stageBody(ctx, ctx.file.abs);
  ctx.notes.requestBody = { size: staged.size, sha256: staged.sha256 };
  return deps.index.exclusive(fileId, async () => {
    try {
      const fresh = await deps.index.resolve(fileId);
      if (!fresh) return notFound('PutFile: the file was deleted while the body was uploading');
      const late = decide(fresh.row.size);
      if (late) return late;
      const updated = await deps.index.replace(fresh.row, fresh.abs, staged, 'put', 'wopi-put');
      return { kind: 'ok', headers: { [WopiHeader.itemVersion]: String(updated.version) } } as Outcome;
    } finally {
      await staged.discard(); // a no-op once committed (the temp name is gone)
    }
  });
}

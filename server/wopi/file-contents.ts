// GetFile and PutFile (PROTOCOL §3.2, §3.8): streamed both ways; memory does not grow with size.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StagedFile } from '../storage/atomic-write';
import { stageStream } from '../storage/atomic-write';
import { fromFs, StorageError } from '../storage/errors';
import type { WopiContext } from './context';
import { lockIdOf } from './context';
import { H } from './headers';
import type { Outcome } from './outcomes';
import { badRequest, lockMismatch, mismatchWhy, notFound } from './outcomes';
import { guardedBody } from './request-body';

const INT32_MAX = 2 ** 31 - 1;

export async function getFile(ctx: WopiContext): Promise<Outcome> {
  const raw = ctx.req.headers[H.maxExpectedSize];
  let max = INT32_MAX; // absent header: the maximum of a 4-byte integer (REST docs)
  if (typeof raw === 'string' && raw.trim() !== '') {
    if (!/^\d+$/.test(raw.trim())) return badRequest(`X-WOPI-MaxExpectedSize "${raw}" is not a whole number`);
    max = Number(raw.trim());
  }
  // Opened here, not when the body is written: a rename between the two would otherwise be a 500.
  let file = ctx.file;
  let handle;
  for (;;) {
    try {
      handle = await fs.open(file.abs, 'r');
      break;
    } catch (e) {
      const err = fromFs(e, `GetFile: cannot open ${file.row.path}`);
      if (err.code !== 'not-found' || file !== ctx.file) throw err;
      // Renamed or removed since it was resolved: look again, once.
      const again = await ctx.deps.index.resolve(file.row.id);
      if (!again) return notFound('GetFile: the file was removed meanwhile');
      file = again;
    }
  }
  // The length of what is open: a save committed meanwhile cannot make it lie.
  const size = (await handle.stat()).size;
  if (size > max) {
    await handle.close();
    return {
      kind: 'precondition-failed',
      why: `the file is ${size} bytes, more than X-WOPI-MaxExpectedSize (${max})`,
    };
  }
  ctx.notes.responseBody = {
    size,
    sha256: size === file.row.size ? (file.row.sha256 ?? undefined) : undefined,
    contentType: 'application/octet-stream',
  };
  return {
    kind: 'ok',
    headers: { [H.itemVersion]: String(file.row.version), 'content-type': 'application/octet-stream' },
    body: { handle, size },
  };
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
  if (ctx.claims.permissions !== 'edit') return notFound('PutFile: the access token grants view rights only');
  const sent = req.headers[H.lock] as string | undefined;
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
      return { kind: 'ok', headers: { [H.itemVersion]: String(updated.version) } } as Outcome;
    } finally {
      await staged.discard(); // a no-op once committed (the temp name is gone)
    }
  });
}

// GetFile and PutFile (PROTOCOL §3.2, §3.8): streamed both ways; memory does not grow with size.
import { stageStream } from '../storage/atomic-write';
import { StorageError } from '../storage/errors';
import path from 'node:path';
import type { WopiContext } from './context';
import { lockIdOf } from './context';
import { H } from './headers';
import type { Outcome } from './outcomes';
import { badRequest, lockMismatch, mismatchWhy, notFound } from './outcomes';

const INT32_MAX = 2 ** 31 - 1;

export function getFile(ctx: WopiContext): Outcome {
  const { row, abs } = ctx.file;
  const raw = ctx.req.headers[H.maxExpectedSize];
  let max = INT32_MAX; // absent header: the maximum of a 4-byte integer (REST docs)
  if (typeof raw === 'string' && raw.trim() !== '') {
    if (!/^\d+$/.test(raw.trim())) return badRequest(`X-WOPI-MaxExpectedSize "${raw}" is not a whole number`);
    max = Number(raw.trim());
  }
  if (row.size > max) {
    return {
      kind: 'precondition-failed',
      why: `the file is ${row.size} bytes, more than X-WOPI-MaxExpectedSize (${max})`,
    };
  }
  ctx.notes.responseBody = {
    size: row.size,
    sha256: row.sha256 ?? undefined,
    contentType: 'application/octet-stream',
  };
  return {
    kind: 'ok',
    headers: { [H.itemVersion]: String(row.version), 'content-type': 'application/octet-stream' },
    body: { file: abs, size: row.size },
  };
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

  return deps.index.exclusive(fileId, async () => {
    let staged;
    try {
      staged = await stageStream(path.dirname(ctx.file.abs), req, deps.maxUploadBytes);
    } catch (e) {
      if (e instanceof StorageError && e.code === 'too-large') {
        return {
          kind: 'too-large',
          why: `the body exceeds the upload limit (maxUploadBytes = ${deps.maxUploadBytes})`,
        } as Outcome;
      }
      if (e instanceof StorageError && e.code === 'aborted')
        return badRequest('the upload was interrupted; the file was not changed');
      throw e;
    }
    ctx.notes.requestBody = { size: staged.size, sha256: staged.sha256 };
    try {
      const fresh = await deps.index.resolve(fileId);
      if (!fresh) {
        await staged.discard();
        return notFound('PutFile: the file was deleted while the body was uploading');
      }
      const late = decide(fresh.row.size);
      if (late) {
        await staged.discard();
        return late;
      }
      const updated = await deps.index.replace(fresh.row, fresh.abs, staged, 'put', 'wopi-put');
      return { kind: 'ok', headers: { [H.itemVersion]: String(updated.version) } } as Outcome;
    } catch (e) {
      await staged.discard();
      throw e;
    }
  });
}

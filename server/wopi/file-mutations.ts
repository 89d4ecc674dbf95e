// RenameFile, DeleteFile, PutUserInfo (PROTOCOL §3.10–§3.12, §6.2).
import path from 'node:path';
import { StorageError } from '../storage/errors';
import type { WopiContext } from './context';
import { lockIdOf } from './context';
import { WopiHeader } from '../protocol/headers';
import { checkName, NoFreeNameError, sanitizeBase, splitExt, uniqueName } from './names';
import type { Outcome } from './outcomes';
import { badRequest, lockMismatch, mismatchWhy, notFound, ok } from './outcomes';
import { guardedBody, readSmallBody } from './request-body';
import { decodeUtf7, Utf7Error } from '../protocol/utf7';

export const MAX_USER_INFO = 1024;

export async function renameFile(ctx: WopiContext): Promise<Outcome> {
  const { deps } = ctx;
  const fileId = ctx.file.row.id;
  const raw = ctx.req.headers[WopiHeader.requestedName];
  const invalid = (why: string): Outcome =>
    badRequest(`RenameFile: ${why}`, { [WopiHeader.invalidFileNameError]: why });
  if (typeof raw !== 'string') return invalid('X-WOPI-RequestedName is missing');
  let requested: string;
  try {
    requested = decodeUtf7(raw);
  } catch (e) {
    if (e instanceof Utf7Error) return invalid(`X-WOPI-RequestedName is not valid UTF-7: ${e.message}`);
    throw e;
  }
  if (!requested.trim()) return invalid('the requested name is empty');
  const sent = ctx.req.headers[WopiHeader.lock] as string | undefined;

  // Decided at this request's turn, on the file as it is now: a rename or delete ahead of it in the
  // queue may have moved it, and the row resolved when the request arrived would name a path that is gone.
  return deps.index.exclusive(fileId, async () => {
    const fresh = await deps.index.resolve(fileId);
    if (!fresh) return notFound('RenameFile: the file no longer exists');
    const d = deps.locks.checkWrite(fileId, sent === '' ? undefined : sent);
    ctx.notes.filePath = fresh.row.path;
    ctx.notes.lockBefore = lockIdOf(d.ok ? d.before : d.current);
    ctx.notes.lockAfter = ctx.notes.lockBefore;
    if (!d.ok) return lockMismatch(d.current, mismatchWhy('RenameFile', d.current, sent));

    // The extension never changes; the requested name comes without one.
    const currentName = path.posix.basename(fresh.row.path);
    const { ext } = splitExt(currentName);
    const dirRel = path.posix.dirname(fresh.row.path);
    const relOf = (name: string): string => (dirRel === '.' ? name : `${dirRel}/${name}`);
    const baseOf = (name: string): string => name.slice(0, name.length - ext.length);
    // Derive a legal, free name where we can (the protocol asks hosts to); 400 only when nothing is left.
    const base = checkName(`${requested}${ext}`).ok ? requested : sanitizeBase(requested, ext);
    if (!base) return invalid(`"${requested}" has no characters usable in a file name`);
    for (let attempt = 0; attempt < 5; attempt++) {
      let name: string;
      try {
        name = await uniqueName(base, ext, (n) =>
          n === currentName ? Promise.resolve(false) : deps.index.exists(relOf(n)),
        );
      } catch (e) {
        if (e instanceof NoFreeNameError) return invalid(e.message);
        throw e;
      }
      if (name === currentName) return ok({ Name: baseOf(name) });
      try {
        await deps.index.rename(fresh.row, relOf(name));
        return ok({ Name: baseOf(name) });
      } catch (e) {
        // Taken between the look and the link: pick again.
        if (!(e instanceof StorageError && e.code === 'exists')) throw e;
      }
    }
    return invalid('could not find a free name');
  });
}

export async function deleteFile(ctx: WopiContext): Promise<Outcome> {
  const { deps } = ctx;
  const fileId = ctx.file.row.id;
  return deps.index.exclusive(fileId, async () => {
    const cur = deps.locks.current(fileId);
    ctx.notes.lockBefore = lockIdOf(cur);
    ctx.notes.lockAfter = lockIdOf(cur);
    // Any lock blocks deletion, even one the caller holds (PROTOCOL §5.3).
    if (cur)
      return lockMismatch(
        cur,
        'DeleteFile: the file is locked; unlock it first (the current lock is in X-WOPI-Lock)',
      );
    const fresh = await deps.index.resolve(fileId);
    if (!fresh) return notFound('DeleteFile: the file no longer exists');
    await deps.index.remove(fresh.row, fresh.abs);
    return ok();
  });
}

export async function putUserInfo(ctx: WopiContext): Promise<Outcome> {
  const body = await readSmallBody(guardedBody(ctx.req, ctx.deps.bodyIdleMs), MAX_USER_INFO * 4);
  const text = body?.toString('utf8');
  if (text === undefined || text.length > MAX_USER_INFO) {
    return badRequest(`PutUserInfo: the UserInfo string is longer than ${MAX_USER_INFO} characters`);
  }
  ctx.notes.requestBody = { size: body!.length, text, contentType: 'text/plain' };
  ctx.deps.kv.setUserInfo(ctx.claims.userId, text, ctx.deps.now());
  return ok();
}

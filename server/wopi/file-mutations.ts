// RenameFile, DeleteFile, PutUserInfo (PROTOCOL §3.10–§3.12, §6.2).
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { StorageError } from '../storage/errors';
import type { WopiContext } from './context';
import { lockIdOf } from './context';
import { H } from './headers';
import { checkName, sanitizeBase, splitExt, uniqueName } from './names';
import type { Outcome } from './outcomes';
import { badRequest, lockMismatch, mismatchWhy, notFound, ok } from './outcomes';
import { decodeUtf7, Utf7Error } from './utf7';

export const MAX_USER_INFO = 1024;

export async function renameFile(ctx: WopiContext): Promise<Outcome> {
  const { deps, file } = ctx;
  if (ctx.claims.permissions !== 'edit')
    return notFound('RenameFile: the access token grants view rights only');
  const raw = ctx.req.headers[H.requestedName];
  const invalid = (why: string): Outcome =>
    badRequest(`RenameFile: ${why}`, { [H.invalidFileNameError]: why });
  if (typeof raw !== 'string') return invalid('X-WOPI-RequestedName is missing');
  let requested: string;
  try {
    requested = decodeUtf7(raw);
  } catch (e) {
    if (e instanceof Utf7Error) return invalid(`X-WOPI-RequestedName is not valid UTF-7: ${e.message}`);
    throw e;
  }
  const sent = ctx.req.headers[H.lock] as string | undefined;
  const d = deps.locks.checkWrite(file.row.id, sent === '' ? undefined : sent);
  ctx.notes.lockBefore = lockIdOf(d.ok ? d.before : d.current);
  ctx.notes.lockAfter = ctx.notes.lockBefore;
  if (!d.ok) return lockMismatch(d.current, mismatchWhy('RenameFile', d.current, sent));

  // The extension never changes; the requested name comes without one.
  const currentName = file.row.path.split('/').pop()!;
  const { ext } = splitExt(currentName);
  const dirRel = path.posix.dirname(file.row.path);
  const relOf = (name: string): string => (dirRel === '.' ? name : `${dirRel}/${name}`);
  if (!requested.trim()) return invalid('the requested name is empty');
  // Derive a legal, free name where we can (the protocol asks hosts to); 400 only when nothing is left.
  let base = checkName(`${requested}${ext}`).ok ? requested : sanitizeBase(requested);
  if (!base.trim()) return invalid(`"${requested}" has no usable characters`);
  if (`${base}${ext}` === currentName) return ok({ Name: base });
  return deps.index.exclusive(file.row.id, async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = await uniqueName(base, ext, (n) =>
        n === currentName ? Promise.resolve(false) : deps.index.exists(relOf(n)),
      );
      base = splitExt(name).base;
      try {
        await deps.index.rename(file.row, relOf(name));
        return ok({ Name: base });
      } catch (e) {
        if (!(e instanceof StorageError && e.code === 'exists')) throw e;
      }
    }
    return invalid('could not find a free name');
  });
}

export async function deleteFile(ctx: WopiContext): Promise<Outcome> {
  const { deps, file } = ctx;
  if (ctx.claims.permissions !== 'edit')
    return notFound('DeleteFile: the access token grants view rights only');
  return deps.index.exclusive(file.row.id, async () => {
    const cur = deps.locks.current(file.row.id);
    ctx.notes.lockBefore = lockIdOf(cur);
    ctx.notes.lockAfter = lockIdOf(cur);
    // Any lock blocks deletion, even one the caller holds (PROTOCOL §5.3).
    if (cur)
      return lockMismatch(
        cur,
        'DeleteFile: the file is locked; unlock it first (the current lock is in X-WOPI-Lock)',
      );
    const fresh = await deps.index.resolve(file.row.id);
    if (!fresh) return notFound('DeleteFile: the file no longer exists');
    await deps.index.remove(fresh.row, fresh.abs);
    return ok();
  });
}

export async function readSmallBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function putUserInfo(ctx: WopiContext): Promise<Outcome> {
  const body = await readSmallBody(ctx.req, MAX_USER_INFO * 4);
  const text = body?.toString('utf8');
  if (text === undefined || text.length > MAX_USER_INFO) {
    return badRequest(`PutUserInfo: the UserInfo string is longer than ${MAX_USER_INFO} characters`);
  }
  ctx.notes.requestBody = { size: body!.length, text, contentType: 'text/plain' };
  ctx.deps.kv.setUserInfo(ctx.claims.userId, text, ctx.deps.now());
  return ok();
}

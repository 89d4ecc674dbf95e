// PutRelativeFile (PROTOCOL §6.1): suggested mode never fails on the name; specific mode uses the
// name exactly or explains why not (400/409), and never overwrites without being told to.
import path from 'node:path';
import { stageStream } from '../storage/atomic-write';
import { StorageError } from '../storage/errors';
import type { FreshFile } from '../storage/file-index';
import type { WopiContext } from './context';
import { lockIdOf } from './context';
import { H } from './headers';
import { checkName, sanitizeBase, splitExt, uniqueName } from './names';
import type { Outcome } from './outcomes';
import { badRequest, lockMismatch, notImplemented } from './outcomes';
import { decodeUtf7, encodeUtf7, Utf7Error } from './utf7';

const header = (ctx: WopiContext, name: string): string | undefined => {
  const v = ctx.req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

export async function putRelativeFile(ctx: WopiContext): Promise<Outcome> {
  const { deps, file, claims } = ctx;
  if (claims.permissions !== 'edit') {
    return notImplemented('PutRelativeFile: this user cannot create files (UserCanNotWriteRelative is true)');
  }
  const suggested = header(ctx, H.suggestedTarget);
  const relative = header(ctx, H.relativeTarget);
  if (suggested !== undefined && relative !== undefined) {
    return badRequest(
      'PutRelativeFile: X-WOPI-SuggestedTarget and X-WOPI-RelativeTarget are mutually exclusive',
    );
  }
  if (suggested === undefined && relative === undefined) {
    return badRequest('PutRelativeFile needs X-WOPI-SuggestedTarget or X-WOPI-RelativeTarget');
  }
  let decoded: string;
  try {
    decoded = decodeUtf7((suggested ?? relative)!);
  } catch (e) {
    const which = suggested !== undefined ? 'X-WOPI-SuggestedTarget' : 'X-WOPI-RelativeTarget';
    if (e instanceof Utf7Error) return badRequest(`${which} is not valid UTF-7: ${e.message}`);
    throw e;
  }
  const dirRel = path.posix.dirname(file.row.path);
  const relOf = (name: string): string => (dirRel === '.' ? name : `${dirRel}/${name}`);
  const taken = (name: string): Promise<boolean> => deps.index.exists(relOf(name));
  const overwrite = /^true$/i.test((header(ctx, H.overwriteRelativeTarget) ?? '').trim());

  let name: string;
  let target: FreshFile | null = null;
  if (suggested !== undefined) {
    // An extension alone means "same name, this extension"; the host may change the name, keeping the extension.
    const full = decoded.startsWith('.')
      ? `${splitExt(file.row.path.split('/').pop()!).base}${decoded}`
      : decoded;
    const { base, ext } = splitExt(full);
    const safeExt = checkName(`x${ext}`).ok ? ext : '';
    name = await uniqueName(sanitizeBase(base), safeExt, taken);
  } else {
    name = decoded;
    const problem = checkName(name);
    if (!problem.ok) {
      const { base, ext } = splitExt(name);
      const alt = await uniqueName(sanitizeBase(base), checkName(`x${ext}`).ok ? ext : '', taken);
      return badRequest(`PutRelativeFile: "${name}" is not a legal file name: ${problem.reason}`, {
        [H.validRelativeTarget]: encodeUtf7(alt),
      });
    }
    if (await taken(name)) {
      const existing = deps.index.ensure(relOf(name));
      const fresh = await existing;
      if (!overwrite || !fresh) {
        const { base, ext } = splitExt(name);
        const alt = await uniqueName(base, ext, taken);
        return {
          kind: 'conflict',
          why: `PutRelativeFile: "${name}" already exists and X-WOPI-OverwriteRelativeTarget is not true`,
          headers: { [H.validRelativeTarget]: encodeUtf7(alt) },
        };
      }
      const cur = deps.locks.current(fresh.row.id);
      if (cur) {
        ctx.notes.lockBefore = lockIdOf(cur);
        ctx.notes.lockAfter = lockIdOf(cur);
        return lockMismatch(
          cur,
          `PutRelativeFile: the existing target "${name}" is locked, so it cannot be overwritten`,
        );
      }
      target = fresh;
    }
  }

  const dirAbs = path.dirname(file.abs);
  let staged;
  try {
    staged = await stageStream(dirAbs, ctx.req, deps.maxUploadBytes);
  } catch (e) {
    if (e instanceof StorageError && e.code === 'too-large') {
      return {
        kind: 'too-large',
        why: `the body exceeds the upload limit (maxUploadBytes = ${deps.maxUploadBytes})`,
      };
    }
    if (e instanceof StorageError && e.code === 'aborted')
      return badRequest('the upload was interrupted; nothing was created');
    throw e;
  }
  ctx.notes.requestBody = { size: staged.size, sha256: staged.sha256 };

  let row;
  if (target) {
    const t = target;
    row = await deps.index.exclusive(t.row.id, async () => {
      if (deps.locks.current(t.row.id)) {
        await staged.discard();
        return null;
      }
      return deps.index.replace(t.row, t.abs, staged, 'put-relative-overwrite', 'wopi-put-relative');
    });
    if (!row)
      return lockMismatch(
        deps.locks.current(t.row.id),
        `PutRelativeFile: "${name}" was locked while uploading`,
      );
  } else {
    for (let attempt = 0; ; attempt++) {
      try {
        row = await deps.index.create(relOf(name), staged);
        break;
      } catch (e) {
        // Someone created the name meanwhile: suggested mode picks another, specific mode reports it.
        const exists = e instanceof StorageError && e.code === 'exists';
        if (exists && suggested !== undefined && attempt < 5) {
          const { base, ext } = splitExt(name);
          name = await uniqueName(base, ext, taken);
          continue;
        }
        await staged.discard();
        if (exists)
          return {
            kind: 'conflict',
            why: `PutRelativeFile: "${name}" was created by someone else meanwhile`,
          };
        throw e;
      }
    }
  }

  const expiresAt = Math.min(claims.expiresAt, deps.now() + deps.tokenTtlMs);
  const token = deps.tokens.mint({ ...claims, fileId: row.id, expiresAt });
  const wopiSrc = `${deps.publicBase()}/wopi/files/${row.id}`;
  const json: Record<string, string> = { Name: name, Url: `${wopiSrc}?access_token=${token}` };
  const urls = deps.hostUrls?.(row.id, { ...claims, fileId: row.id, expiresAt });
  if (urls?.view) json['HostViewUrl'] = urls.view;
  if (urls?.edit) json['HostEditUrl'] = urls.edit;
  deps.urlsIssued?.();
  return { kind: 'ok', json };
}

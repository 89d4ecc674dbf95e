// PutRelativeFile (PROTOCOL §6.1): suggested mode never fails on the name; specific mode uses the
// name exactly or explains why not (400/409), and never overwrites without being told to. The body is
// staged before any per-file queue is taken, and what the name holds is decided again at commit time.
import path from 'node:path';
import type { StagedFile } from '../storage/atomic-write';
import { StorageError } from '../storage/errors';
import type { FileRow } from '../state/files-repo';
import type { WopiContext } from './context';
import { lockIdOf } from './context';
import { stageBody } from './file-contents';
import { WopiHeader } from '../protocol/headers';
import { checkName, NoFreeNameError, sanitizeBase, splitExt, uniqueName, usableExt } from './names';
import type { Outcome } from './outcomes';
import { badRequest, lockMismatch } from './outcomes';
import { decodeUtf7, encodeUtf7, Utf7Error } from '../protocol/utf7';

const header = (ctx: WopiContext, name: string): string | undefined => {
  const v = ctx.req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/** How many times a specific-mode commit re-decides when the target keeps changing under it. */
const COMMIT_ATTEMPTS = 5;

export async function putRelativeFile(ctx: WopiContext): Promise<Outcome> {
  const { deps, file } = ctx;
  const suggested = header(ctx, WopiHeader.suggestedTarget);
  const relative = header(ctx, WopiHeader.relativeTarget);
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
  /** A legal, free name derived from `wanted` (its extension kept when it can be). */
  const derive = (wanted: string): Promise<string> => {
    const { base, ext } = splitExt(wanted);
    const keep = usableExt(ext);
    return uniqueName(sanitizeBase(base, keep) || 'Untitled', keep, taken);
  };
  const overwrite = /^true$/i.test((header(ctx, WopiHeader.overwriteRelativeTarget) ?? '').trim());

  try {
    if (suggested !== undefined) {
      // An extension alone means "same name, this extension"; the host may change the name, keeping the extension.
      const full = decoded.startsWith('.')
        ? `${splitExt(path.posix.basename(file.row.path)).base}${decoded}`
        : decoded;
      const name = await derive(full);
      const staged = await stageBody(ctx, file.abs);
      ctx.notes.requestBody = { size: staged.size, sha256: staged.sha256 };
      return await createSuggested(ctx, name, staged, relOf, taken);
    }

    const name = decoded;
    const problem = checkName(name);
    if (!problem.ok) {
      return badRequest(`PutRelativeFile: "${name}" is not a legal file name: ${problem.reason}`, {
        [WopiHeader.validRelativeTarget]: encodeUtf7(await derive(name)),
        [WopiHeader.invalidFileNameError]: problem.reason,
      });
    }
    // Cheap refusals before reading the body; all decided again at commit time.
    const early = await decideTarget(ctx, name, relOf, overwrite);
    if (early.kind === 'refuse') return early.outcome;
    const staged = await stageBody(ctx, file.abs);
    ctx.notes.requestBody = { size: staged.size, sha256: staged.sha256 };
    try {
      for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
        const d = await decideTarget(ctx, name, relOf, overwrite);
        if (d.kind === 'refuse') return d.outcome;
        const row =
          d.kind === 'create'
            ? await tryCreate(ctx, relOf(name), staged)
            : await tryOverwrite(ctx, d.row, relOf(name), staged);
        if (row && 'kind' in row) return row;
        if (row) return answer(ctx, name, row);
      }
      return conflict(`PutRelativeFile: "${name}" kept changing while this request tried to write it; retry`);
    } finally {
      await staged.discard(); // a no-op once committed
    }
  } catch (e) {
    if (e instanceof NoFreeNameError) return conflict(`PutRelativeFile: ${e.message}`);
    throw e;
  }
}

type Decision =
  { kind: 'refuse'; outcome: Outcome } | { kind: 'create' } | { kind: 'overwrite'; row: FileRow };

const conflict = (why: string, headers?: Record<string, string>): Outcome => ({
  kind: 'conflict',
  why,
  headers,
});

/** What specific mode may do with `name` as things are now. */
async function decideTarget(
  ctx: WopiContext,
  name: string,
  relOf: (name: string) => string,
  overwrite: boolean,
): Promise<Decision> {
  const { deps } = ctx;
  if (!(await deps.index.exists(relOf(name)))) return { kind: 'create' };
  const existing = await deps.index.ensure(relOf(name));
  if (!overwrite || !existing) {
    const { base, ext } = splitExt(name);
    const alt = await uniqueName(base, ext, (n) => deps.index.exists(relOf(n)));
    const why = existing
      ? `PutRelativeFile: "${name}" already exists and X-WOPI-OverwriteRelativeTarget is not true`
      : `PutRelativeFile: "${name}" is taken by something that is not a served file (a folder?)`;
    return { kind: 'refuse', outcome: conflict(why, { [WopiHeader.validRelativeTarget]: encodeUtf7(alt) }) };
  }
  const cur = deps.locks.current(existing.row.id);
  if (cur) {
    ctx.notes.lockBefore = lockIdOf(cur);
    ctx.notes.lockAfter = lockIdOf(cur);
    const why = `PutRelativeFile: the existing target "${name}" is locked, so it cannot be overwritten`;
    return { kind: 'refuse', outcome: lockMismatch(cur, why) };
  }
  return { kind: 'overwrite', row: existing.row };
}

/** Create `rel`; null when something took the name meanwhile (decide again). */
async function tryCreate(ctx: WopiContext, rel: string, staged: StagedFile): Promise<FileRow | null> {
  try {
    return await ctx.deps.index.create(rel, staged);
  } catch (e) {
    if (e instanceof StorageError && e.code === 'exists') return null;
    throw e;
  }
}

/**
 * Overwrite the file `row` (decided at its turn in that file's queue); null when it was renamed or
 * removed meanwhile (decide again), a lock mismatch when it was locked.
 */
function tryOverwrite(
  ctx: WopiContext,
  row: FileRow,
  rel: string,
  staged: StagedFile,
): Promise<FileRow | Outcome | null> {
  const { deps } = ctx;
  return deps.index.exclusive(row.id, async () => {
    const fresh = await deps.index.resolve(row.id);
    if (!fresh || fresh.row.path !== rel) return null;
    const cur = deps.locks.current(row.id);
    if (cur) {
      ctx.notes.lockBefore = lockIdOf(cur);
      ctx.notes.lockAfter = lockIdOf(cur);
      return lockMismatch(cur, `PutRelativeFile: "${rel}" was locked while the body was uploading`);
    }
    return deps.index.replace(fresh.row, fresh.abs, staged, 'put-relative-overwrite', 'wopi-put-relative');
  });
}

/** Suggested mode: the name may change (to make it free), never the answer. */
async function createSuggested(
  ctx: WopiContext,
  first: string,
  staged: StagedFile,
  relOf: (name: string) => string,
  taken: (name: string) => Promise<boolean>,
): Promise<Outcome> {
  let name = first;
  try {
    for (let attempt = 0; ; attempt++) {
      const row = await tryCreate(ctx, relOf(name), staged);
      if (row) return answer(ctx, name, row);
      if (attempt >= COMMIT_ATTEMPTS) return conflict(`PutRelativeFile: no free name near "${first}"; retry`);
      const { base, ext } = splitExt(name);
      name = await uniqueName(base, ext, taken);
    }
  } finally {
    await staged.discard(); // a no-op once committed
  }
}

function answer(ctx: WopiContext, name: string, row: FileRow): Outcome {
  const { deps, claims } = ctx;
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

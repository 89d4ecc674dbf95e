// Shared steps of the cases that make files next to the target (PutRelativeFile, RenameFile,
// DeleteFile, token scope): create one and have it unlocked and deleted after the case, check a
// PutRelativeFile answer the way the validator does, and read a file back.
import { randomBytes } from 'node:crypto';
import { targetFromUrl } from '../client';
import type { PutRelativeOptions, WopiResponse, WopiTarget } from '../client';
import { expectJson, expectStatus, validatorDocuments } from '../expect';
import { CaseFailure } from '../types';
import type { CaseContext } from '../types';

// The lock ids the validator uses.
export const LOCK = 'LockString';
export const NEW_LOCK = 'NewLockString';
export const INCORRECT_LOCK = 'IncorrectLockString';

/**
 * `<stem>-<6 hex><ext>`: a name no earlier run left behind. The validator uses fixed names, so one
 * file a host failed to delete (no Url, a broken DeleteFile) fails every later run; here it cannot.
 */
export function fresh(stem: string, ext = ''): string {
  return `${stem}-${randomBytes(3).toString('hex')}${ext}`;
}

/** A file a PutRelativeFile created, as its answer describes it. */
export interface Created {
  name: string;
  url: string;
  target: WopiTarget;
  body: Record<string, unknown>;
}

export function isAbsoluteHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Unlocks (with every lock id a case may have used) and deletes a file after the case, pass or fail. */
export function removeAfterCase(ctx: CaseContext, target: WopiTarget): void {
  ctx.cleanup(async () => {
    for (const lockId of [LOCK, NEW_LOCK]) await ctx.client.unlock(target, lockId);
    await ctx.client.deleteFile(target);
  });
}

/**
 * PutRelativeFile from the target. Whatever the case expects, a file the host created is removed
 * afterwards (also when the case wanted a refusal and the host created it anyway).
 */
export async function putRelative(
  ctx: CaseContext,
  options: PutRelativeOptions,
  body: Buffer = validatorDocuments.wordSimple,
  source: WopiTarget = ctx.target,
): Promise<WopiResponse> {
  const res = await ctx.client.putRelativeFile(source, body, options);
  const url = res.status === 200 ? res.json()?.['Url'] : undefined;
  const created = typeof url === 'string' ? targetFromUrl(url) : undefined;
  if (created) removeAfterCase(ctx, created);
  return res;
}

/**
 * The validator's checks on a successful PutRelativeFile: 200, Name (exact, or ending as asked), Url
 * absolute with an access_token, HostViewUrl/HostEditUrl absolute when present.
 */
export function expectCreated(
  res: WopiResponse,
  name: { exact?: string; endsWith?: string } = {},
  what = 'PutRelativeFile',
): Created {
  expectStatus(res, 200, what);
  const body = expectJson(res, what);
  const actualName = body['Name'];
  if (typeof actualName !== 'string' || actualName === '')
    throw new CaseFailure(`${what}: Name, a non-empty string`, res.summary(), res.recordId);
  if (name.exact !== undefined && actualName !== name.exact)
    throw new CaseFailure(
      `${what}: Name ${JSON.stringify(name.exact)}`,
      `Name ${JSON.stringify(actualName)}`,
      res.recordId,
    );
  if (name.endsWith !== undefined && !actualName.endsWith(name.endsWith))
    throw new CaseFailure(
      `${what}: Name ending in ${JSON.stringify(name.endsWith)}`,
      `Name ${JSON.stringify(actualName)}`,
      res.recordId,
    );
  const url = body['Url'];
  if (!isAbsoluteHttpUrl(url))
    throw new CaseFailure(
      `${what}: Url, an absolute http(s) URL`,
      `Url ${JSON.stringify(url)}`,
      res.recordId,
    );
  const target = targetFromUrl(url);
  if (!target)
    throw new CaseFailure(`${what}: Url carrying an access_token`, 'Url without access_token', res.recordId);
  for (const hostUrl of ['HostViewUrl', 'HostEditUrl']) {
    const value = body[hostUrl];
    if (value === undefined || value === '') continue;
    if (!isAbsoluteHttpUrl(value))
      throw new CaseFailure(
        `${what}: ${hostUrl} absolute when present`,
        `${hostUrl} ${JSON.stringify(value)}`,
        res.recordId,
      );
  }
  return { name: actualName, url, target, body };
}

/** GetFile answers 200; returns the bytes. */
export async function readContent(ctx: CaseContext, target: WopiTarget, what: string): Promise<Buffer> {
  const res = await ctx.client.getFile(target);
  expectStatus(res, 200, `GetFile (${what})`);
  return res.body;
}

/** GetFile answers 200 with exactly `expected`. */
export async function expectContent(
  ctx: CaseContext,
  target: WopiTarget,
  expected: Buffer,
  what: string,
): Promise<void> {
  const res = await ctx.client.getFile(target);
  expectStatus(res, 200, `GetFile (${what})`);
  if (!res.body.equals(expected))
    throw new CaseFailure(
      `GetFile (${what}): the ${expected.length} bytes written`,
      `${res.body.length} other bytes`,
      res.recordId,
    );
}

/** CheckFileInfo answers 200 with this BaseFileName; returns the body. */
export async function expectBaseFileName(
  ctx: CaseContext,
  target: WopiTarget,
  name: string,
  what: string,
): Promise<Record<string, unknown>> {
  const res = await ctx.client.checkFileInfo(target);
  expectStatus(res, 200, `CheckFileInfo (${what})`);
  const body = expectJson(res, `CheckFileInfo (${what})`);
  if (body['BaseFileName'] !== name)
    throw new CaseFailure(
      `CheckFileInfo (${what}): BaseFileName ${JSON.stringify(name)}`,
      `BaseFileName ${JSON.stringify(body['BaseFileName'])}`,
      res.recordId,
    );
  return body;
}

/** The created file opens through its Url: CheckFileInfo names it, GetFile returns what was sent. */
export async function expectOpens(ctx: CaseContext, file: Created, content: Buffer): Promise<void> {
  await expectBaseFileName(ctx, file.target, file.name, 'the returned Url');
  await expectContent(ctx, file.target, content, 'the returned Url');
}

/** A new file named exactly `name`, created in specific mode and checked as the validator does. */
export async function createNamed(
  ctx: CaseContext,
  name: string,
  body: Buffer = validatorDocuments.wordSimple,
): Promise<Created> {
  return expectCreated(await putRelative(ctx, { relativeTarget: name }, body), { exact: name });
}

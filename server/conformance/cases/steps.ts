// Steps the file, lock and version cases share: the validator's lock ids, cleanup that unlocks with
// every id a case used (the validator's CleanupRequests), content and version reads that fail with
// one-line expected/actual, and the case-level capability skip.
import { createHash } from 'node:crypto';
import { capabilityMismatch, expectJson, expectNonEmptyHeader, expectStatus, expectThat } from '../expect';
import { isAbsoluteHttpUrl } from '../file-info-schema';
import { CaseSkip } from '../types';
import type { CaseContext, WopiResponse } from '../types';

// The lock ids the validator uses.
export const LOCK = 'LockString';
export const NEW_LOCK = 'NewLockString';
export const INCORRECT_LOCK = 'IncorrectLockString';
/** LockLengthValidation: 256 characters, the length clients assume without SupportsExtendedLockLength. */
export const LOCK_256 = `${'1234567890'.repeat(25)}123456`;
/** ExtendedLockLengthValidation: 1024 characters. */
export const LOCK_1024 = LOCK_256.repeat(4);
/** LockFormatValidation: an Office lock, which looks like JSON (PROTOCOL §5.1). */
export const JSON_LOCK =
  '{"S":"0136ad16-9725-43c3-9ea0-5e01d2dbc162","E":2,"M":"DE997C5AC4E6","P":"6058AF1E-A36F-4691-9003-B8E2C7F50937"}';
/** The validator's AccessToken mutation. */
export const INVALID_TOKEN = 'INVALID';

export const ITEM_VERSION = 'X-WOPI-ItemVersion';

/** After the case, pass or fail, Unlock with each id (a wrong one is a harmless 409). */
export function unlockAfter(ctx: CaseContext, ...lockIds: string[]): void {
  for (const lockId of lockIds) ctx.cleanup(() => ctx.client.unlock(ctx.target, lockId));
}

/** Skips the case when the host's CheckFileInfo does not promise what the case needs. */
export function requireCapabilities(ctx: CaseContext, expected: Readonly<Record<string, boolean>>): void {
  const mismatch = capabilityMismatch(ctx.info, expected);
  if (mismatch !== undefined) throw new CaseSkip(mismatch);
}

export const sha256Base64 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('base64');

const describeBytes = (bytes: Buffer): string =>
  `${bytes.length} bytes (SHA-256 ${sha256Base64(bytes).slice(0, 12)}…)`;

/** GetFile answers 200 with exactly `expected`. */
export async function expectContent(ctx: CaseContext, expected: Buffer, what: string): Promise<WopiResponse> {
  const res = await ctx.client.getFile(ctx.target);
  expectStatus(res, 200, `GetFile ${what}`);
  expectThat(
    res.body.equals(expected),
    res,
    `GetFile ${what}: the ${describeBytes(expected)} written`,
    `200 with ${describeBytes(res.body)}`,
  );
  return res;
}

/** Lock, PutFile `bytes`, Unlock: the file holds known bytes and is unlocked again. */
export async function writeOwnBytes(ctx: CaseContext, bytes: Buffer): Promise<void> {
  unlockAfter(ctx, LOCK);
  expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock (to write known bytes)');
  expectStatus(await ctx.client.putFile(ctx.target, bytes, { lock: LOCK }), 200, 'PutFile (known bytes)');
  expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock (after writing known bytes)');
}

/** CheckFileInfo 200 with a JSON body; returns it. */
export async function fileInfo(
  ctx: CaseContext,
  what = 'CheckFileInfo',
): Promise<{ body: Record<string, unknown>; res: WopiResponse }> {
  const res = await ctx.client.checkFileInfo(ctx.target);
  expectStatus(res, 200, what);
  return { body: expectJson(res, what), res };
}

/** CheckFileInfo `Version`, a non-empty string (PROTOCOL §4.1: a string even when numeric). */
export async function currentVersion(ctx: CaseContext, what = 'CheckFileInfo'): Promise<string> {
  const { body, res } = await fileInfo(ctx, what);
  const version = body['Version'];
  expectThat(
    typeof version === 'string' && version !== '',
    res,
    `${what}: Version a non-empty string`,
    `Version: ${JSON.stringify(version)}`,
  );
  return version as string;
}

/** X-WOPI-ItemVersion, present and non-empty; returns it. */
export const itemVersion = (res: WopiResponse, what: string): string =>
  expectNonEmptyHeader(res, ITEM_VERSION, what);

/** A string property that is present and non-empty. */
export function expectNonEmptyString(
  body: Readonly<Record<string, unknown>>,
  name: string,
  res: WopiResponse,
  what = 'CheckFileInfo',
): void {
  const value = body[name];
  expectThat(
    typeof value === 'string' && value !== '',
    res,
    `${what}: ${name} a non-empty string`,
    `${name}: ${value === undefined ? 'absent' : JSON.stringify(value)}`,
  );
}

// The URLs the validator's ViewOnlySupport and BasicEdit hold to AbsoluteUrlProperty when set.
const NAVIGATION_URLS = [
  'BreadcrumbBrandUrl',
  'BreadcrumbDocUrl',
  'BreadcrumbFolderUrl',
  'DownloadUrl',
  'CloseUrl',
  'HostEditUrl',
  'HostViewUrl',
];

/**
 * The CheckFileInfo checks the validator makes before viewing or editing: BaseFileName, OwnerId and
 * Version non-empty strings, Size an integer and, with `urls`, every navigation URL that is set absolute.
 */
export function expectFileInfoBasics(res: WopiResponse, urls: boolean, what = 'CheckFileInfo'): void {
  expectStatus(res, 200, what);
  const body = expectJson(res, what);
  for (const name of ['BaseFileName', 'OwnerId', 'Version']) expectNonEmptyString(body, name, res, what);
  expectThat(
    Number.isInteger(body['Size']),
    res,
    `${what}: Size an integer`,
    `Size: ${JSON.stringify(body['Size'])}`,
  );
  if (!urls) return;
  for (const name of NAVIGATION_URLS) {
    const value = body[name];
    if (value === undefined || value === '') continue;
    expectThat(
      isAbsoluteHttpUrl(value),
      res,
      `${what}: ${name} an absolute http(s) URL`,
      `${name}: ${JSON.stringify(value)}`,
    );
  }
}

/** The extension of a file name, dot included ("" when it has none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

/**
 * FileExtension is optional; when sent (non-empty) it is the extension of BaseFileName. The validator
 * writes it as ".wopitest" because its prerequisite makes every target a .wopitest file.
 */
export function expectFileExtension(body: Readonly<Record<string, unknown>>, res: WopiResponse): void {
  const sent = body['FileExtension'];
  if (sent === undefined || sent === '') return;
  const name = body['BaseFileName'];
  const expected = typeof name === 'string' ? extensionOf(name) : '.wopitest';
  expectThat(
    sent === expected,
    res,
    `FileExtension ${JSON.stringify(expected)} (the extension of BaseFileName)`,
    `FileExtension: ${JSON.stringify(sent)}`,
  );
}

// Checks that send their own WOPI request and assert on the answer: the current lock, the file's bytes,
// its name. Assertions on a response already in hand are in wopi-client.ts.
import assert from 'node:assert/strict';
import { checkFileInfo, expectHeader, expectStatus, getFile, getLock } from './wopi-client';
import type { WopiResponse, WopiTarget } from './wopi-client';

/** GetLock answers 200 and always carries X-WOPI-Lock; returns it ("" when unlocked). */
export async function currentLock(target: WopiTarget): Promise<string> {
  const res = await getLock(target);
  expectStatus(res, 200, 'GetLock');
  const value = res.header('X-WOPI-Lock');
  assert.ok(value !== undefined, `GetLock must always carry X-WOPI-Lock\n${res.describe()}`);
  return value;
}

/** GetLock answers 200 with X-WOPI-Lock present and exactly `lockId` ("" when unlocked). */
export async function expectGetLock(target: WopiTarget, lockId: string, what = 'GetLock'): Promise<void> {
  const res = await getLock(target);
  expectStatus(res, 200, what);
  expectHeader(res, 'X-WOPI-Lock', lockId, what);
}

/** GetFile answers 200 with exactly `expected`. */
export async function expectContent(target: WopiTarget, expected: Buffer, what: string): Promise<void> {
  const res = await getFile(target);
  expectStatus(res, 200, `GetFile (${what})`);
  assert.deepEqual(res.body, expected, `GetFile (${what}) returned other bytes\n${res.describe()}`);
}

/** CheckFileInfo answers 200 with BaseFileName `name`; returns the response for further checks. */
export async function expectBaseFileName(
  target: WopiTarget,
  name: string,
  what: string,
): Promise<WopiResponse> {
  const res = await checkFileInfo(target);
  expectStatus(res, 200, `CheckFileInfo (${what})`);
  assert.equal(res.json()['BaseFileName'], name, `BaseFileName (${what})\n${res.describe()}`);
  return res;
}

// Validator groups Locks, GetLock and ExtendedLockLength (wopi-validator-core TestCases.xml), black-box
// against `wopi-workbench serve`. One .wopitest file per group; every test ends by unlocking with every lock
// ID the group uses, as the validator's CleanupRequests do.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startServe } from '../../helpers/cli-process';
import type { ServeHandle } from '../../helpers/cli-process';
import {
  checkFileInfo,
  expectCapabilities,
  expectHeader,
  expectLockMismatch,
  expectStatus,
  getFile,
  getLock,
  lock,
  putFile,
  refreshLock,
  unlock,
  unlockAndRelock,
  validatorDocuments,
} from '../../helpers/wopi-client';
import type { WopiTarget } from '../../helpers/wopi-client';

const LOCKS_FILE = 'locks.wopitest';
const GET_LOCK_FILE = 'get-lock.wopitest';
const EXTENDED_FILE = 'extended-lock.wopitest';
const TEST_TIMEOUT = { timeout: 60_000 };

const LOCK = 'LockString';
const NEW_LOCK = 'NewLockString';
const INCORRECT_LOCK = 'IncorrectLockString';
const LOCK_256 = `${'1234567890'.repeat(25)}123456`;
const LOCK_1024 = LOCK_256.repeat(4);
const JSON_LOCK =
  '{"S":"0136ad16-9725-43c3-9ea0-5e01d2dbc162","E":2,"M":"DE997C5AC4E6","P":"6058AF1E-A36F-4691-9003-B8E2C7F50937"}';
const ALL_LOCKS = [LOCK, NEW_LOCK, INCORRECT_LOCK, LOCK_256, LOCK_1024, JSON_LOCK];

let serve: ServeHandle;
let locksTarget: WopiTarget;
let getLockTarget: WopiTarget;
let extendedTarget: WopiTarget;

before(async () => {
  serve = await startServe({
    files: {
      // Not the body the mismatch test sends, so an unwanted write shows in GetFile.
      [LOCKS_FILE]: validatorDocuments.wordSimple,
      [GET_LOCK_FILE]: validatorDocuments.wordBlank,
      [EXTENDED_FILE]: validatorDocuments.wordBlank,
    },
  });
  // Each token command is a process of its own; mint them side by side.
  [locksTarget, getLockTarget, extendedTarget] = await Promise.all([
    serve.token(LOCKS_FILE),
    serve.token(GET_LOCK_FILE),
    serve.token(EXTENDED_FILE),
  ]);
});

after(async () => {
  await serve?.stop();
});

async function unlockAll(target: WopiTarget): Promise<void> {
  for (const lockId of ALL_LOCKS) await unlock(target, lockId);
}

void describe('Locks', () => {
  afterEach(() => unlockAll(locksTarget));

  void it('prerequisites: WopiValidatorPrereq, FileEditingPrereq, LocksPrereq', TEST_TIMEOUT, async () => {
    const res = await checkFileInfo(locksTarget);
    expectStatus(res, 200);
    const info = res.json();
    assert.ok(String(info['BaseFileName']).toLowerCase().endsWith('.wopitest'), res.describe());
    expectCapabilities(info, { SupportsUpdate: true, SupportsLocks: true });
  });

  void it('LockLengthValidation: 256-character lock ID', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK_256), 200, 'Lock');
    expectStatus(await unlock(locksTarget, LOCK_256), 200, 'Unlock');
  });

  void it('LockFormatValidation: JSON-looking lock ID', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, JSON_LOCK), 200, 'Lock');
    expectStatus(await unlock(locksTarget, JSON_LOCK), 200, 'Unlock');
  });

  void it('SuccessfulLockSequence: Lock, RefreshLock, UnlockAndRelock, Unlock', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK), 200, 'Lock');
    expectStatus(await refreshLock(locksTarget, LOCK), 200, 'RefreshLock');
    expectStatus(await unlockAndRelock(locksTarget, NEW_LOCK, LOCK), 200, 'UnlockAndRelock');
    expectStatus(await unlock(locksTarget, NEW_LOCK), 200, 'Unlock');
  });

  void it('LockMismatchAfterUnlockAndRelockRequest: the old lock stops working', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK), 200, 'Lock');
    expectStatus(await unlockAndRelock(locksTarget, NEW_LOCK, LOCK), 200, 'UnlockAndRelock');
    expectLockMismatch(await unlock(locksTarget, LOCK), NEW_LOCK, 'Unlock with the old lock');
    expectStatus(await unlock(locksTarget, NEW_LOCK), 200, 'Unlock with the new lock');
  });

  void it('DoubleLockSequence: Lock twice with the same ID', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK), 200, 'first Lock');
    expectStatus(await lock(locksTarget, LOCK), 200, 'second Lock');
    expectStatus(await unlock(locksTarget, LOCK), 200, 'Unlock');
  });

  void it('UnlockUnlockedFile: 409 with X-WOPI-Lock present and empty', TEST_TIMEOUT, async () => {
    expectLockMismatch(await unlock(locksTarget, LOCK), '', 'Unlock on an unlocked file');
  });

  void it('LockMismatchOnLockRequest', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK), 200, 'Lock');
    expectLockMismatch(await lock(locksTarget, INCORRECT_LOCK), LOCK, 'Lock with another ID');
    expectStatus(await unlock(locksTarget, LOCK), 200, 'Unlock');
  });

  void it('LockMismatchOnUnlockRequest', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK), 200, 'Lock');
    expectLockMismatch(await unlock(locksTarget, INCORRECT_LOCK), LOCK, 'Unlock with a wrong ID');
    expectStatus(await unlock(locksTarget, LOCK), 200, 'Unlock');
  });

  void it('LockMismatchOnRefreshLockRequest', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK), 200, 'Lock');
    expectLockMismatch(await refreshLock(locksTarget, INCORRECT_LOCK), LOCK, 'RefreshLock with a wrong ID');
    expectStatus(await unlock(locksTarget, LOCK), 200, 'Unlock');
  });

  void it('LockMismatchOnUnlockAndRelockRequest', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK), 200, 'Lock');
    expectLockMismatch(
      await unlockAndRelock(locksTarget, NEW_LOCK, INCORRECT_LOCK),
      LOCK,
      'UnlockAndRelock with a wrong old lock',
    );
    expectStatus(await unlock(locksTarget, LOCK), 200, 'Unlock');
  });

  void it('LockMismatchOnPutFileRequest', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK), 200, 'Lock');
    expectLockMismatch(
      await putFile(locksTarget, validatorDocuments.wordBlank, { lock: INCORRECT_LOCK }),
      LOCK,
      'PutFile with a wrong lock',
    );
    const file = await getFile(locksTarget);
    expectStatus(file, 200, 'GetFile');
    assert.deepEqual(
      file.body,
      validatorDocuments.wordSimple,
      `the refused PutFile must not write\n${file.describe()}`,
    );
    expectStatus(await unlock(locksTarget, LOCK), 200, 'Unlock');
  });

  void it('LockFileWithInvalidAccessToken: 401 or 404, and no lock is taken', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK, { token: 'INVALID' }), [401, 404], 'Lock with token INVALID');
    expectLockMismatch(await unlock(locksTarget, LOCK), '', 'Unlock afterwards finds the file unlocked');
  });

  void it('UnlockFileWithInvalidAccessToken: 401 or 404, and the lock stays', TEST_TIMEOUT, async () => {
    expectStatus(await lock(locksTarget, LOCK), 200, 'Lock');
    expectStatus(
      await unlock(locksTarget, LOCK, { token: 'INVALID' }),
      [401, 404],
      'Unlock with token INVALID',
    );
    expectStatus(await unlock(locksTarget, LOCK), 200, 'Unlock with the real token');
  });
});

void describe('GetLock', () => {
  afterEach(() => unlockAll(getLockTarget));

  void it('prerequisites: FileEditingPrereq, LocksPrereq, GetLockPrereq', TEST_TIMEOUT, async () => {
    const res = await checkFileInfo(getLockTarget);
    expectStatus(res, 200);
    const info = res.json();
    assert.ok(String(info['BaseFileName']).toLowerCase().endsWith('.wopitest'), res.describe());
    expectCapabilities(info, { SupportsUpdate: true, SupportsLocks: true, SupportsGetLock: true });
  });

  void it('files.GetLock: returns the current lock', TEST_TIMEOUT, async () => {
    expectStatus(await lock(getLockTarget, LOCK), 200, 'Lock');
    const res = await getLock(getLockTarget);
    expectStatus(res, 200, 'GetLock');
    expectHeader(res, 'X-WOPI-Lock', LOCK, 'GetLock');
  });

  void it('files.GetLockAfterChange: returns the lock set by UnlockAndRelock', TEST_TIMEOUT, async () => {
    expectStatus(await lock(getLockTarget, LOCK), 200, 'Lock');
    expectStatus(await unlockAndRelock(getLockTarget, NEW_LOCK, LOCK), 200, 'UnlockAndRelock');
    const res = await getLock(getLockTarget);
    expectStatus(res, 200, 'GetLock');
    expectHeader(res, 'X-WOPI-Lock', NEW_LOCK, 'GetLock');
  });

  void it('files.GetLockOnUnlockedFile: 200 with X-WOPI-Lock present and empty', TEST_TIMEOUT, async () => {
    expectStatus(await lock(getLockTarget, LOCK), 200, 'Lock');
    expectStatus(await unlock(getLockTarget, LOCK), 200, 'Unlock');
    const res = await getLock(getLockTarget);
    expectStatus(res, 200, 'GetLock');
    expectHeader(res, 'X-WOPI-Lock', '', 'GetLock');
  });
});

void describe('ExtendedLockLength', () => {
  afterEach(() => unlockAll(extendedTarget));

  void it('prerequisites: LocksPrereq, GetLockPrereq, ExtendedLockLengthPrereq', TEST_TIMEOUT, async () => {
    const res = await checkFileInfo(extendedTarget);
    expectStatus(res, 200);
    expectCapabilities(res.json(), {
      SupportsUpdate: true,
      SupportsLocks: true,
      SupportsGetLock: true,
      SupportsExtendedLockLength: true,
    });
  });

  void it('files.ExtendedLockLengthValidation: a 1024-character lock round-trips', TEST_TIMEOUT, async () => {
    assert.equal(LOCK_1024.length, 1024);
    const info = await checkFileInfo(extendedTarget);
    expectStatus(info, 200);
    expectCapabilities(info.json(), { SupportsExtendedLockLength: true }, 'CheckFileInfo');
    expectStatus(await lock(extendedTarget, LOCK_1024), 200, 'Lock');
    const current = await getLock(extendedTarget);
    expectStatus(current, 200, 'GetLock');
    expectHeader(current, 'X-WOPI-Lock', LOCK_1024, 'GetLock');
    expectStatus(await unlock(extendedTarget, LOCK_1024), 200, 'Unlock');
  });
});

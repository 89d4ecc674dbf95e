// Validator groups Locks, GetLock and ExtendedLockLength (wopi-validator-core TestCases.xml), black-box
// against `wopi-workbench serve`. One .wopitest file per group; every test ends by unlocking with every lock
// ID the group uses, as the validator's CleanupRequests do.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  INCORRECT_LOCK,
  LOCK,
  NEW_LOCK,
  TEST_TIMEOUT,
  expectPrerequisites,
  serveForSuite,
} from '../../helpers/conformance';
import {
  checkFileInfo,
  expectCapabilities,
  expectLockMismatch,
  expectStatus,
  lock,
  putFile,
  refreshLock,
  unlock,
  unlockAndRelock,
  validatorDocuments,
} from '../../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../../helpers/wopi-client';
import { expectContent, expectGetLock } from '../../helpers/wopi-expect';

const LOCKS_FILE = 'locks.wopitest';
const GET_LOCK_FILE = 'get-lock.wopitest';
const EXTENDED_FILE = 'extended-lock.wopitest';

const LOCK_256 = `${'1234567890'.repeat(25)}123456`;
const LOCK_1024 = LOCK_256.repeat(4);
const JSON_LOCK =
  '{"S":"0136ad16-9725-43c3-9ea0-5e01d2dbc162","E":2,"M":"DE997C5AC4E6","P":"6058AF1E-A36F-4691-9003-B8E2C7F50937"}';
const ALL_LOCKS = [LOCK, NEW_LOCK, INCORRECT_LOCK, LOCK_256, LOCK_1024, JSON_LOCK];

const fx = serveForSuite(
  {
    files: {
      // Not the body the mismatch test sends, so an unwanted write shows in GetFile.
      [LOCKS_FILE]: validatorDocuments.wordSimple,
      [GET_LOCK_FILE]: validatorDocuments.wordBlank,
      [EXTENDED_FILE]: validatorDocuments.wordBlank,
    },
  },
  { locks: LOCKS_FILE, getLock: GET_LOCK_FILE, extended: EXTENDED_FILE },
);

async function unlockAll(target: WopiTarget): Promise<void> {
  for (const lockId of ALL_LOCKS) await unlock(target, lockId);
}

void describe('Locks', () => {
  afterEach(() => unlockAll(fx.locks));

  void it('prerequisites: WopiValidatorPrereq, FileEditingPrereq, LocksPrereq', TEST_TIMEOUT, async () => {
    await expectPrerequisites(fx.locks, { SupportsUpdate: true, SupportsLocks: true });
  });

  for (const [title, lockId] of [
    ['LockLengthValidation: 256-character lock ID', LOCK_256],
    ['LockFormatValidation: JSON-looking lock ID', JSON_LOCK],
  ] as const) {
    void it(title, TEST_TIMEOUT, async () => {
      expectStatus(await lock(fx.locks, lockId), 200, 'Lock');
      expectStatus(await unlock(fx.locks, lockId), 200, 'Unlock');
    });
  }

  void it('SuccessfulLockSequence: Lock, RefreshLock, UnlockAndRelock, Unlock', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.locks, LOCK), 200, 'Lock');
    expectStatus(await refreshLock(fx.locks, LOCK), 200, 'RefreshLock');
    expectStatus(await unlockAndRelock(fx.locks, NEW_LOCK, LOCK), 200, 'UnlockAndRelock');
    expectStatus(await unlock(fx.locks, NEW_LOCK), 200, 'Unlock');
  });

  void it('LockMismatchAfterUnlockAndRelockRequest: the old lock stops working', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.locks, LOCK), 200, 'Lock');
    expectStatus(await unlockAndRelock(fx.locks, NEW_LOCK, LOCK), 200, 'UnlockAndRelock');
    expectLockMismatch(await unlock(fx.locks, LOCK), NEW_LOCK, 'Unlock with the old lock');
    expectStatus(await unlock(fx.locks, NEW_LOCK), 200, 'Unlock with the new lock');
  });

  void it('DoubleLockSequence: Lock twice with the same ID', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.locks, LOCK), 200, 'first Lock');
    expectStatus(await lock(fx.locks, LOCK), 200, 'second Lock');
    expectStatus(await unlock(fx.locks, LOCK), 200, 'Unlock');
  });

  void it('UnlockUnlockedFile: 409 with X-WOPI-Lock present and empty', TEST_TIMEOUT, async () => {
    expectLockMismatch(await unlock(fx.locks, LOCK), '', 'Unlock on an unlocked file');
  });

  // Lock, then a request with a wrong lock ID: 409 naming the current lock, nothing written, and Unlock
  // with the right ID still works.
  const mismatches: Array<[string, (t: WopiTarget) => Promise<WopiResponse>, string]> = [
    ['LockMismatchOnLockRequest', (t) => lock(t, INCORRECT_LOCK), 'Lock with another ID'],
    ['LockMismatchOnUnlockRequest', (t) => unlock(t, INCORRECT_LOCK), 'Unlock with a wrong ID'],
    [
      'LockMismatchOnRefreshLockRequest',
      (t) => refreshLock(t, INCORRECT_LOCK),
      'RefreshLock with a wrong ID',
    ],
    [
      'LockMismatchOnUnlockAndRelockRequest',
      (t) => unlockAndRelock(t, NEW_LOCK, INCORRECT_LOCK),
      'UnlockAndRelock with a wrong old lock',
    ],
    [
      'LockMismatchOnPutFileRequest',
      (t) => putFile(t, validatorDocuments.wordBlank, { lock: INCORRECT_LOCK }),
      'PutFile with a wrong lock',
    ],
  ];
  for (const [title, mismatch, what] of mismatches) {
    void it(title, TEST_TIMEOUT, async () => {
      expectStatus(await lock(fx.locks, LOCK), 200, 'Lock');
      expectLockMismatch(await mismatch(fx.locks), LOCK, what);
      // The validator checks the bytes after the refused PutFile; the other rows get the same check.
      await expectContent(fx.locks, validatorDocuments.wordSimple, `after the refused ${what}`);
      expectStatus(await unlock(fx.locks, LOCK), 200, 'Unlock');
    });
  }

  void it('LockFileWithInvalidAccessToken: 401 or 404, and no lock is taken', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.locks, LOCK, { token: 'INVALID' }), [401, 404], 'Lock with token INVALID');
    expectLockMismatch(await unlock(fx.locks, LOCK), '', 'Unlock afterwards finds the file unlocked');
  });

  void it('UnlockFileWithInvalidAccessToken: 401 or 404, and the lock stays', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.locks, LOCK), 200, 'Lock');
    expectStatus(await unlock(fx.locks, LOCK, { token: 'INVALID' }), [401, 404], 'Unlock with token INVALID');
    expectStatus(await unlock(fx.locks, LOCK), 200, 'Unlock with the real token');
  });
});

void describe('GetLock', () => {
  afterEach(() => unlockAll(fx.getLock));

  void it('prerequisites: FileEditingPrereq, LocksPrereq, GetLockPrereq', TEST_TIMEOUT, async () => {
    await expectPrerequisites(fx.getLock, {
      SupportsUpdate: true,
      SupportsLocks: true,
      SupportsGetLock: true,
    });
  });

  void it('files.GetLock: returns the current lock', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.getLock, LOCK), 200, 'Lock');
    await expectGetLock(fx.getLock, LOCK);
  });

  void it('files.GetLockAfterChange: returns the lock set by UnlockAndRelock', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.getLock, LOCK), 200, 'Lock');
    expectStatus(await unlockAndRelock(fx.getLock, NEW_LOCK, LOCK), 200, 'UnlockAndRelock');
    await expectGetLock(fx.getLock, NEW_LOCK);
  });

  void it('files.GetLockOnUnlockedFile: 200 with X-WOPI-Lock present and empty', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.getLock, LOCK), 200, 'Lock');
    expectStatus(await unlock(fx.getLock, LOCK), 200, 'Unlock');
    await expectGetLock(fx.getLock, '');
  });
});

void describe('ExtendedLockLength', () => {
  afterEach(() => unlockAll(fx.extended));

  void it('prerequisites: LocksPrereq, GetLockPrereq, ExtendedLockLengthPrereq', TEST_TIMEOUT, async () => {
    await expectPrerequisites(
      fx.extended,
      {
        SupportsUpdate: true,
        SupportsLocks: true,
        SupportsGetLock: true,
        SupportsExtendedLockLength: true,
      },
      { wopitestName: false },
    );
  });

  void it('files.ExtendedLockLengthValidation: a 1024-character lock round-trips', TEST_TIMEOUT, async () => {
    assert.equal(LOCK_1024.length, 1024);
    const info = await checkFileInfo(fx.extended);
    expectStatus(info, 200);
    expectCapabilities(info.json(), { SupportsExtendedLockLength: true }, 'CheckFileInfo');
    expectStatus(await lock(fx.extended, LOCK_1024), 200, 'Lock');
    await expectGetLock(fx.extended, LOCK_1024);
    expectStatus(await unlock(fx.extended, LOCK_1024), 200, 'Unlock');
  });
});

// Validator groups Locks, GetLock and ExtendedLockLength (wopi-validator-core TestCases.xml), and the
// lock rules of PROTOCOL.md §3.3–§3.8 and §5 the validator does not check: lock ids compared exactly,
// X-WOPI-Lock only on 409 and GetLock, a refused request changes nothing. Every case unlocks with
// each id it used afterwards, as the validator's CleanupRequests do.
import {
  expectHeader,
  expectLockMismatch,
  expectOkWithoutLock,
  expectStatus,
  expectThat,
  validatorDocuments,
} from '../expect';
import type { CaseContext, CheckCase, CheckGroup, WopiResponse } from '../types';
import {
  INCORRECT_LOCK,
  INVALID_TOKEN,
  JSON_LOCK,
  LOCK,
  LOCK_1024,
  LOCK_256,
  NEW_LOCK,
  expectContent,
  fileInfo,
  unlockAfter,
} from './steps';

/** Lock then Unlock with one id (LockLengthValidation, LockFormatValidation). */
function lockRoundTrip(name: string, title: string, lockId: string): CheckCase {
  return {
    name,
    title,
    origin: 'validator',
    async run(ctx) {
      unlockAfter(ctx, lockId);
      expectStatus(await ctx.client.lock(ctx.target, lockId), 200, 'Lock');
      expectStatus(await ctx.client.unlock(ctx.target, lockId), 200, 'Unlock');
    },
  };
}

/** Lock, a request with a wrong lock id (409 naming the current lock), Unlock still works. */
function lockMismatch(
  name: string,
  what: string,
  mismatch: (ctx: CaseContext) => Promise<WopiResponse>,
  extraIds: string[] = [],
): CheckCase {
  return {
    name,
    title: `${what}: 409 with X-WOPI-Lock: ${LOCK}`,
    origin: 'validator',
    async run(ctx) {
      unlockAfter(ctx, LOCK, INCORRECT_LOCK, ...extraIds);
      expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
      expectLockMismatch(await mismatch(ctx), LOCK, what);
      expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock with the lock still in place');
    },
  };
}

export const locks: CheckGroup = {
  id: 'Locks',
  title: 'Lock, RefreshLock, UnlockAndRelock, Unlock and lock conflicts',
  requires: { SupportsUpdate: true, SupportsLocks: true },
  cases: [
    lockRoundTrip('LockLengthValidation', 'A 256-character lock id locks and unlocks', LOCK_256),
    lockRoundTrip('LockFormatValidation', 'An Office lock id (JSON-looking) locks and unlocks', JSON_LOCK),
    {
      name: 'SuccessfulLockSequence',
      title: 'Lock, RefreshLock, UnlockAndRelock, Unlock',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK, NEW_LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        expectStatus(await ctx.client.refreshLock(ctx.target, LOCK), 200, 'RefreshLock');
        expectStatus(await ctx.client.unlockAndRelock(ctx.target, NEW_LOCK, LOCK), 200, 'UnlockAndRelock');
        expectStatus(await ctx.client.unlock(ctx.target, NEW_LOCK), 200, 'Unlock with the new lock');
      },
    },
    {
      name: 'LockMismatchAfterUnlockAndRelockRequest',
      title: 'After UnlockAndRelock the old lock id no longer unlocks',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK, NEW_LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        expectStatus(await ctx.client.unlockAndRelock(ctx.target, NEW_LOCK, LOCK), 200, 'UnlockAndRelock');
        expectLockMismatch(await ctx.client.unlock(ctx.target, LOCK), NEW_LOCK, 'Unlock with the old lock');
        expectStatus(await ctx.client.unlock(ctx.target, NEW_LOCK), 200, 'Unlock with the new lock');
      },
    },
    {
      name: 'DoubleLockSequence',
      title: 'Lock twice with the same id (the second refreshes)',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'first Lock');
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'second Lock with the same id');
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
    {
      name: 'UnlockUnlockedFile',
      title: 'Unlock on an unlocked file: 409 with X-WOPI-Lock present and empty',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        expectLockMismatch(await ctx.client.unlock(ctx.target, LOCK), '', 'Unlock on an unlocked file');
      },
    },
    lockMismatch('LockMismatchOnLockRequest', 'Lock with another id', (ctx) =>
      ctx.client.lock(ctx.target, INCORRECT_LOCK),
    ),
    lockMismatch('LockMismatchOnUnlockRequest', 'Unlock with a wrong id', (ctx) =>
      ctx.client.unlock(ctx.target, INCORRECT_LOCK),
    ),
    lockMismatch('LockMismatchOnRefreshLockRequest', 'RefreshLock with a wrong id', (ctx) =>
      ctx.client.refreshLock(ctx.target, INCORRECT_LOCK),
    ),
    lockMismatch(
      'LockMismatchOnUnlockAndRelockRequest',
      'UnlockAndRelock with a wrong old lock',
      (ctx) => ctx.client.unlockAndRelock(ctx.target, NEW_LOCK, INCORRECT_LOCK),
      [NEW_LOCK],
    ),
    lockMismatch('LockMismatchOnPutFileRequest', 'PutFile with a wrong lock', (ctx) =>
      ctx.client.putFile(ctx.target, validatorDocuments.wordBlank, { lock: INCORRECT_LOCK }),
    ),
    {
      name: 'LockFileWithInvalidAccessToken',
      title: 'Lock with an invalid access token: 401 or 404',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        const res = await ctx.client.lock(ctx.target, LOCK, { token: INVALID_TOKEN });
        expectStatus(res, [401, 404], `Lock with access_token=${INVALID_TOKEN}`);
      },
    },
    {
      name: 'UnlockFileWithInvalidAccessToken',
      title: 'Unlock with an invalid access token: 401 or 404, and the lock stays',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const res = await ctx.client.unlock(ctx.target, LOCK, { token: INVALID_TOKEN });
        expectStatus(res, [401, 404], `Unlock with access_token=${INVALID_TOKEN}`);
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock with the real token');
      },
    },
    {
      name: 'LockIdsCompareExactly',
      title: 'A lock id that differs only in letter case is another lock id',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §5.1: lock ids are opaque strings compared exactly; PITFALLS.md #12 (partial or tolerant ' +
        'comparisons). The validator compares X-WOPI-Lock case-insensitively (§5.2), so it cannot see this.',
      async run(ctx) {
        const lower = LOCK.toLowerCase();
        const upper = LOCK.toUpperCase();
        unlockAfter(ctx, LOCK, lower, upper);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        expectLockMismatch(
          await ctx.client.unlock(ctx.target, lower),
          LOCK,
          `Unlock with ${JSON.stringify(lower)}`,
        );
        expectLockMismatch(
          await ctx.client.refreshLock(ctx.target, upper),
          LOCK,
          `RefreshLock with ${JSON.stringify(upper)}`,
        );
        expectLockMismatch(
          await ctx.client.lock(ctx.target, lower),
          LOCK,
          `Lock with ${JSON.stringify(lower)}`,
        );
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock with the exact id');
      },
    },
    {
      name: 'NoLockHeaderOnSuccess',
      title: 'Lock, RefreshLock, UnlockAndRelock, PutFile and Unlock answer 200 without X-WOPI-Lock',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §5.2: X-WOPI-Lock belongs on a lock conflict (409) and on GetLock; it should not be sent ' +
        'with any other 200.',
      async run(ctx) {
        unlockAfter(ctx, LOCK, NEW_LOCK);
        expectOkWithoutLock(await ctx.client.lock(ctx.target, LOCK), 'Lock');
        expectOkWithoutLock(await ctx.client.refreshLock(ctx.target, LOCK), 'RefreshLock');
        expectOkWithoutLock(await ctx.client.unlockAndRelock(ctx.target, NEW_LOCK, LOCK), 'UnlockAndRelock');
        expectOkWithoutLock(
          await ctx.client.putFile(ctx.target, validatorDocuments.wordSimple, { lock: NEW_LOCK }),
          'PutFile',
        );
        expectOkWithoutLock(await ctx.client.unlock(ctx.target, NEW_LOCK), 'Unlock');
      },
    },
    {
      name: 'RefreshLockUnlockedFile',
      title: 'RefreshLock on an unlocked file: 409 with X-WOPI-Lock present and empty',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §3.5 and the table in §5.3: RefreshLock on an unlocked file is 409 with X-WOPI-Lock: "" ' +
        '(the validator checks this for Unlock only).',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        expectLockMismatch(
          await ctx.client.refreshLock(ctx.target, LOCK),
          '',
          'RefreshLock on an unlocked file',
        );
        // A refresh must not take the lock either.
        expectLockMismatch(
          await ctx.client.unlock(ctx.target, LOCK),
          '',
          'Unlock after the refused RefreshLock',
        );
      },
    },
    {
      name: 'LockMismatchOnPutFileWritesNothing',
      title: 'PutFile with a wrong lock is refused and leaves the bytes as they were',
      origin: 'workbench',
      rationale:
        "PROTOCOL.md §3.8: a PutFile whose X-WOPI-Lock differs is a 409; writing anyway overwrites the lock holder's " +
        'edits (the validator checks the status only).',
      async run(ctx) {
        unlockAfter(ctx, LOCK, INCORRECT_LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const kept = validatorDocuments.wordSimple;
        expectStatus(
          await ctx.client.putFile(ctx.target, kept, { lock: LOCK }),
          200,
          'PutFile with the lock',
        );
        const refused = await ctx.client.putFile(ctx.target, validatorDocuments.wordComplex, {
          lock: INCORRECT_LOCK,
        });
        expectLockMismatch(refused, LOCK, 'PutFile with a wrong lock');
        await expectContent(ctx, kept, 'after the refused PutFile');
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
    {
      name: 'RefusedLockTakesNoLock',
      title: 'A Lock refused for its access token leaves the file unlocked',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §1.3: an invalid token is refused (401/404), and a refused request changes nothing; a lock ' +
        'taken anyway locks every real editor out for 30 minutes (§5.1).',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        const res = await ctx.client.lock(ctx.target, LOCK, { token: INVALID_TOKEN });
        expectStatus(res, [401, 404], `Lock with access_token=${INVALID_TOKEN}`);
        expectLockMismatch(await ctx.client.unlock(ctx.target, LOCK), '', 'Unlock after the refused Lock');
      },
    },
  ],
};

export const getLock: CheckGroup = {
  id: 'GetLock',
  title: 'GetLock reports the current lock',
  requires: { SupportsUpdate: true, SupportsLocks: true, SupportsGetLock: true },
  cases: [
    {
      name: 'files.GetLock',
      title: 'Lock, then GetLock returns the lock id',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const res = await ctx.client.getLock(ctx.target);
        expectStatus(res, 200, 'GetLock');
        expectHeader(res, 'X-WOPI-Lock', LOCK, 'GetLock');
      },
    },
    {
      name: 'files.GetLockAfterChange',
      title: 'GetLock returns the lock id UnlockAndRelock set',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK, NEW_LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        expectStatus(await ctx.client.unlockAndRelock(ctx.target, NEW_LOCK, LOCK), 200, 'UnlockAndRelock');
        const res = await ctx.client.getLock(ctx.target);
        expectStatus(res, 200, 'GetLock');
        expectHeader(res, 'X-WOPI-Lock', NEW_LOCK, 'GetLock');
      },
    },
    {
      name: 'files.GetLockOnUnlockedFile',
      title: 'Lock, Unlock, then GetLock: 200 with X-WOPI-Lock present and empty',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
        const res = await ctx.client.getLock(ctx.target);
        expectStatus(res, 200, 'GetLock');
        expectHeader(res, 'X-WOPI-Lock', '', 'GetLock on an unlocked file');
      },
    },
    {
      name: 'GetLockReturnsOfficeLockVerbatim',
      title: 'GetLock returns an Office (JSON-looking) lock id byte for byte',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §5.1: Office lock ids look like JSON and are opaque: store and return them as sent, never ' +
        'parse or re-serialise them (PITFALLS.md #12).',
      async run(ctx) {
        unlockAfter(ctx, JSON_LOCK);
        expectStatus(await ctx.client.lock(ctx.target, JSON_LOCK), 200, 'Lock with an Office lock id');
        const res = await ctx.client.getLock(ctx.target);
        expectStatus(res, 200, 'GetLock');
        expectHeader(res, 'X-WOPI-Lock', JSON_LOCK, 'GetLock');
      },
    },
    {
      name: 'GetLockNeverLocks',
      title: 'GetLock on an unlocked file takes no lock',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §3.4: GetLock never creates a lock; on an unlocked file it is 200 with X-WOPI-Lock: "".',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        const res = await ctx.client.getLock(ctx.target);
        expectStatus(res, 200, 'GetLock on an unlocked file');
        expectHeader(res, 'X-WOPI-Lock', '', 'GetLock on an unlocked file');
        expectLockMismatch(await ctx.client.unlock(ctx.target, LOCK), '', 'Unlock after GetLock');
      },
    },
  ],
};

export const extendedLockLength: CheckGroup = {
  id: 'ExtendedLockLength',
  title: 'Lock ids of up to 1024 characters',
  requires: {
    SupportsUpdate: true,
    SupportsLocks: true,
    SupportsGetLock: true,
    SupportsExtendedLockLength: true,
  },
  cases: [
    {
      name: 'files.ExtendedLockLengthValidation',
      title: 'A 1024-character lock id: Lock, GetLock, Unlock',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK_1024);
        const { body, res } = await fileInfo(ctx);
        expectThat(
          body['SupportsExtendedLockLength'] === true,
          res,
          'CheckFileInfo SupportsExtendedLockLength: true',
          `SupportsExtendedLockLength: ${JSON.stringify(body['SupportsExtendedLockLength'])}`,
        );
        expectStatus(await ctx.client.lock(ctx.target, LOCK_1024), 200, 'Lock with 1024 characters');
        expectStatus(await ctx.client.getLock(ctx.target), 200, 'GetLock');
        expectStatus(await ctx.client.unlock(ctx.target, LOCK_1024), 200, 'Unlock with 1024 characters');
      },
    },
    {
      name: 'ExtendedLockIdReportedInFull',
      title: 'A 1024-character lock comes back whole from GetLock and in a conflict',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §4.2: SupportsExtendedLockLength promises lock ids of up to 1024 characters; §5.2: ' +
        'X-WOPI-Lock carries the current lock id, so a truncated one makes the client lose its own lock.',
      async run(ctx) {
        unlockAfter(ctx, LOCK_1024, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK_1024), 200, 'Lock with 1024 characters');
        const res = await ctx.client.getLock(ctx.target);
        expectStatus(res, 200, 'GetLock');
        expectThat(
          res.header('X-WOPI-Lock') === LOCK_1024,
          res,
          'GetLock X-WOPI-Lock: the 1024-character lock id',
          `X-WOPI-Lock of ${res.header('X-WOPI-Lock')?.length ?? 'no'} characters`,
        );
        const conflict = await ctx.client.lock(ctx.target, LOCK);
        expectThat(
          conflict.status === 409 && conflict.header('X-WOPI-Lock') === LOCK_1024,
          conflict,
          'Lock with another id: 409 with X-WOPI-Lock the 1024-character lock id',
          `${conflict.status} with X-WOPI-Lock of ${conflict.header('X-WOPI-Lock')?.length ?? 'no'} characters`,
        );
        expectStatus(await ctx.client.unlock(ctx.target, LOCK_1024), 200, 'Unlock with 1024 characters');
      },
    },
  ],
};

// Headers the validator always sends correctly, sent wrong or left out: lock operations without
// X-WOPI-Lock, UnlockAndRelock on an unlocked file, PutFile without a lock on a locked file, and
// GetFile's X-WOPI-MaxExpectedSize. Workbench cases, each from the rule PROTOCOL.md states.
import type { WopiResponse } from '../client';
import { capabilityMismatch, expectLockMismatch, expectStatus, validatorDocuments } from '../expect';
import { CaseFailure, CaseSkip } from '../types';
import type { CaseContext, CheckGroup } from '../types';
import { LOCK, NEW_LOCK, readContent } from './relative-files';
import { writeOwnBytes } from './steps';

/** Unlocks with every lock id the case used, after it, pass or fail. */
function unlockAfterCase(ctx: CaseContext): void {
  ctx.cleanup(async () => {
    for (const lockId of [LOCK, NEW_LOCK]) await ctx.client.unlock(ctx.target, lockId);
  });
}

// A lock id no case uses otherwise: taking it proves the file was unlocked.
const PROBE_LOCK = 'WorkbenchProbeLock';

/**
 * The file is unlocked: a Lock with a fresh id succeeds (then is released). Checked this way, and
 * not through the X-WOPI-Lock of a 409, so the case fails only for its own rule.
 */
async function expectUnlocked(ctx: CaseContext, what: string): Promise<void> {
  ctx.cleanup(() => ctx.client.unlock(ctx.target, PROBE_LOCK));
  expectStatus(
    await ctx.client.lock(ctx.target, PROBE_LOCK),
    200,
    `Lock with a fresh id ${what} (the file must be unlocked)`,
  );
  expectStatus(await ctx.client.unlock(ctx.target, PROBE_LOCK), 200, 'Unlock of that lock');
}

/** If a write the case expected to be refused went through, the previous bytes are put back. */
function restoreIfWritten(ctx: CaseContext, res: WopiResponse, before: Buffer): void {
  if (res.status < 200 || res.status > 299) return;
  ctx.cleanup(async () => {
    await ctx.client.unlock(ctx.target, LOCK);
    await ctx.client.lock(ctx.target, LOCK);
    await ctx.client.putFile(ctx.target, before, { lock: LOCK });
    await ctx.client.unlock(ctx.target, LOCK);
  });
}

export const lockHeadersGroup: CheckGroup = {
  id: 'LockHeaders',
  title: 'Lock operations with X-WOPI-Lock missing or empty, and lock states the validator does not try',
  requires: { SupportsUpdate: true, SupportsLocks: true },
  cases: [
    {
      name: 'LockWithoutLockId',
      title: 'Lock without X-WOPI-Lock, and with an empty one: 400, nothing locked',
      origin: 'workbench',
      rationale: 'PROTOCOL §3.3 and §5.3: Lock requires X-WOPI-Lock; missing or empty is 400 (§1.6).',
      async run(ctx) {
        unlockAfterCase(ctx);
        // A host that took the empty id as a lock is unlocked with it too.
        ctx.cleanup(() => ctx.client.unlock(ctx.target, ''));
        expectStatus(await ctx.client.lock(ctx.target, undefined), 400, 'Lock without X-WOPI-Lock');
        expectStatus(await ctx.client.lock(ctx.target, ''), 400, 'Lock with X-WOPI-Lock ""');
        await expectUnlocked(ctx, 'after the refused Locks');
      },
    },
    {
      name: 'LockOperationsWithoutLockId',
      title: 'Unlock, RefreshLock and UnlockAndRelock without X-WOPI-Lock: 400, the lock stays',
      origin: 'workbench',
      rationale:
        'PROTOCOL §3.5–§3.7 and §5.3: X-WOPI-Lock is required on RefreshLock, Unlock and UnlockAndRelock; without it 400 (§1.6), and a refused request changes nothing.',
      async run(ctx) {
        unlockAfterCase(ctx);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        expectStatus(await ctx.client.unlock(ctx.target, undefined), 400, 'Unlock without X-WOPI-Lock');
        expectStatus(
          await ctx.client.refreshLock(ctx.target, undefined),
          400,
          'RefreshLock without X-WOPI-Lock',
        );
        expectStatus(
          await ctx.client.unlockAndRelock(ctx.target, undefined, LOCK),
          400,
          'UnlockAndRelock without X-WOPI-Lock',
        );
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock with the lock still held');
      },
    },
    {
      name: 'UnlockAndRelockUnlockedFile',
      title: 'UnlockAndRelock on an unlocked file: 409 with X-WOPI-Lock "", nothing locked',
      origin: 'workbench',
      rationale:
        'PROTOCOL §3.7 and §5.3: UnlockAndRelock on an unlocked file is 409 + X-WOPI-Lock: ""; PITFALLS F: a host answered 200.',
      async run(ctx) {
        unlockAfterCase(ctx);
        expectLockMismatch(
          await ctx.client.unlockAndRelock(ctx.target, NEW_LOCK, LOCK),
          '',
          'UnlockAndRelock on an unlocked file',
        );
        expectLockMismatch(
          await ctx.client.unlock(ctx.target, NEW_LOCK),
          '',
          'Unlock with the new lock afterwards',
        );
      },
    },
    {
      name: 'PutFileWithoutLockOnLockedFile',
      title:
        'PutFile without X-WOPI-Lock on a locked file: 409 with X-WOPI-Lock naming the lock, nothing written',
      origin: 'workbench',
      rationale:
        'PROTOCOL §3.8 and §5.3: PutFile on a locked file whose X-WOPI-Lock differs or is missing is 409 + X-WOPI-Lock: <current>.',
      async run(ctx) {
        unlockAfterCase(ctx);
        const before = await readContent(ctx, ctx.target, 'before');
        // Bytes that differ from the file's, so a write that should not happen is visible.
        const body = before.equals(validatorDocuments.wordComplex)
          ? validatorDocuments.wordSimple
          : validatorDocuments.wordComplex;
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const res = await ctx.client.putFile(ctx.target, body);
        restoreIfWritten(ctx, res, before);
        expectLockMismatch(res, LOCK, 'PutFile without X-WOPI-Lock');
        const after = await readContent(ctx, ctx.target, 'after the refused PutFile');
        if (!after.equals(before))
          throw new CaseFailure(
            'the file unchanged after the refused PutFile',
            `${after.length} other bytes`,
          );
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
  ],
};

export const maxExpectedSizeGroup: CheckGroup = {
  id: 'MaxExpectedSize',
  title: 'GetFile honours X-WOPI-MaxExpectedSize',
  requires: {},
  cases: [
    {
      name: 'FileLargerThanMaxExpectedSize',
      title: 'X-WOPI-MaxExpectedSize one byte below the size: 412; equal to it: 200 with the whole file',
      origin: 'workbench',
      rationale:
        'PROTOCOL §3.2 and §7: GetFile answers 412 when the file is larger than X-WOPI-MaxExpectedSize (the linter flags it ignored).',
      async run(ctx) {
        let bytes = await readContent(ctx, ctx.target, 'its size');
        // An empty file cannot be larger than any limit: give it bytes first (when the host takes
        // writes), so the 412 half is always checked rather than passed by default.
        if (bytes.length === 0) {
          if (capabilityMismatch(ctx.info, { SupportsLocks: true, SupportsUpdate: true }) !== undefined)
            throw new CaseSkip('the file is empty and the host takes no writes, so no limit can be exceeded');
          await writeOwnBytes(ctx, validatorDocuments.wordBlank);
          bytes = await readContent(ctx, ctx.target, 'its size');
        }
        const size = bytes.length;
        if (size > 0)
          expectStatus(
            await ctx.client.getFile(ctx.target, { maxExpectedSize: size - 1 }),
            412,
            `GetFile with X-WOPI-MaxExpectedSize ${size - 1} for ${size} bytes`,
          );
        const exact = await ctx.client.getFile(ctx.target, { maxExpectedSize: size });
        expectStatus(exact, 200, `GetFile with X-WOPI-MaxExpectedSize ${size} for ${size} bytes`);
        if (!exact.body.equals(bytes))
          throw new CaseFailure(
            `the whole file (${size} bytes)`,
            `${exact.body.length} other bytes`,
            exact.recordId,
          );
      },
    },
  ],
};

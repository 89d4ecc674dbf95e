// Lock semantics of the engine over real HTTP (PROTOCOL §5), the lock operations: every row of the §5.3
// decision table for Lock, RefreshLock, Unlock, UnlockAndRelock and GetLock. The rows for the operations
// that check a lock (PutFile, RenameFile, …) are in engine-locks-file-ops.test.ts.
// In-process createWorkbench on port 0, temp folder, real SQLite file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineForSuite, manualClock, uniqueName as uniq, withEngine } from '../helpers/engine-fixture';
import {
  expectHeader,
  expectLockMismatch,
  expectNonEmptyHeader,
  expectOkWithoutLock,
  expectStatus,
  getLock,
  lock,
  refreshLock,
  unlock,
  unlockAndRelock,
} from '../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../helpers/wopi-client';
import { currentLock } from '../helpers/wopi-expect';

const MINUTE = 60_000;
const CONTENT = Buffer.from('original bytes of the document\n');

/**
 * Lock L1, let `minutes` pass, then `again` (a same-id Lock or RefreshLock): 200 without X-WOPI-Lock, still
 * L1, and the 30-minute timer restarted. An engine of its own, on a clock this test moves.
 */
function expectRefreshes(
  minutes: number,
  again: (t: WopiTarget) => Promise<WopiResponse>,
  what: string,
): Promise<void> {
  const clock = manualClock();
  return withEngine({ clock: clock.now }, async (own) => {
    const t = await own.file('refresh.docx', CONTENT);
    expectOkWithoutLock(await lock(t, 'L1'), 'first Lock');
    const first = own.engine.locks.current(t.id)!;
    clock.advance(minutes * MINUTE);
    expectOkWithoutLock(await again(t), what);
    const second = own.engine.locks.current(t.id)!;
    assert.equal(second.lockId, 'L1');
    assert.equal(second.expiresAt, first.expiresAt + minutes * MINUTE, `${what} resets the 30-minute timer`);
  });
}

describe('PROTOCOL §5.3 decision table over HTTP: lock operations', () => {
  const b = engineForSuite('wb-locks-');

  describe('Lock', () => {
    it('unlocked: takes the lock, 200 without X-WOPI-Lock', async () => {
      const t = await b.file(uniq('lock'), CONTENT);
      const res = await lock(t, 'L1');
      expectOkWithoutLock(res, 'Lock on an unlocked file');
      expectNonEmptyHeader(res, 'X-WOPI-ItemVersion', 'Lock');
      assert.equal(await currentLock(t), 'L1');
    });

    it('locked, same id: refreshes (expiry moves on), 200', () =>
      expectRefreshes(10, (t) => lock(t, 'L1'), 'Lock again with the same id'));

    it('locked, different id: 409 with the current lock, lock unchanged', async () => {
      const t = await b.file(uniq('lock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await lock(t, 'L2'), 'L1', 'Lock with another id');
      assert.equal(await currentLock(t), 'L1');
    });

    it('ids are opaque exact strings: case and JSON fields all count', async () => {
      const t = await b.file(uniq('lock'), CONTENT);
      const office = '{"S":"0136ad16-9725-43c3-9ea0-5e01d2dbc162","F":1,"E":2}';
      expectOkWithoutLock(await lock(t, office), 'Lock with a JSON-looking id');
      // Same "S" field, other fields differ: still another lock (PITFALLS §12).
      expectLockMismatch(await unlock(t, office.replace('"F":1', '"F":4')), office, 'Unlock, same S');
      expectLockMismatch(await unlock(t, office.toUpperCase()), office, 'Unlock, other case');
      expectOkWithoutLock(await unlock(t, office), 'Unlock with the exact id');
    });

    it('X-WOPI-Lock missing, empty or longer than 1024 characters: 400, nothing locked', async () => {
      const t = await b.file(uniq('lock'), CONTENT);
      expectStatus(await lock(t, undefined), 400, 'Lock without X-WOPI-Lock');
      expectStatus(await lock(t, ''), 400, 'Lock with an empty X-WOPI-Lock');
      expectStatus(await lock(t, 'x'.repeat(1025)), 400, 'Lock with a 1025-character id');
      assert.equal(await currentLock(t), '');
      expectOkWithoutLock(await lock(t, 'x'.repeat(1024)), 'Lock with a 1024-character id');
      assert.equal(await currentLock(t), 'x'.repeat(1024));
    });
  });

  describe('RefreshLock', () => {
    it('unlocked: 409 with X-WOPI-Lock present and empty, nothing locked', async () => {
      const t = await b.file(uniq('refresh'), CONTENT);
      expectLockMismatch(await refreshLock(t, 'L1'), '', 'RefreshLock on an unlocked file');
      assert.equal(await currentLock(t), '');
    });

    it('locked, same id: refreshes, 200 without X-WOPI-Lock', () =>
      expectRefreshes(25, (t) => refreshLock(t, 'L1'), 'RefreshLock'));

    it('locked, different or missing id: 409 with the current lock (missing: 400)', async () => {
      const t = await b.file(uniq('refresh'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await refreshLock(t, 'L2'), 'L1', 'RefreshLock with another id');
      expectStatus(await refreshLock(t, undefined), 400, 'RefreshLock without X-WOPI-Lock');
      assert.equal(await currentLock(t), 'L1');
    });
  });

  describe('Unlock', () => {
    it('unlocked: 409 with X-WOPI-Lock present and empty', async () => {
      const t = await b.file(uniq('unlock'), CONTENT);
      expectLockMismatch(await unlock(t, 'L1'), '', 'Unlock on an unlocked file');
    });

    it('locked, same id: releases, 200 without X-WOPI-Lock, carries X-WOPI-ItemVersion', async () => {
      const t = await b.file(uniq('unlock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      const res = await unlock(t, 'L1');
      expectOkWithoutLock(res, 'Unlock');
      expectNonEmptyHeader(res, 'X-WOPI-ItemVersion', 'Unlock');
      assert.equal(await currentLock(t), '');
    });

    it('locked, different id: 409 with the current lock, still locked; missing id: 400', async () => {
      const t = await b.file(uniq('unlock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await unlock(t, 'GetCurrentLockString-probe'), 'L1', 'Unlock with a probe id');
      expectStatus(await unlock(t, undefined), 400, 'Unlock without X-WOPI-Lock');
      assert.equal(await currentLock(t), 'L1');
    });
  });

  describe('UnlockAndRelock', () => {
    it('unlocked: 409 with X-WOPI-Lock empty, and no lock is taken', async () => {
      const t = await b.file(uniq('relock'), CONTENT);
      expectLockMismatch(await unlockAndRelock(t, 'NEW', 'OLD'), '', 'UnlockAndRelock on an unlocked file');
      assert.equal(await currentLock(t), '');
    });

    it('old id matches: atomically replaced, 200; the old id stops working', async () => {
      const t = await b.file(uniq('relock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'OLD'), 'Lock');
      expectOkWithoutLock(await unlockAndRelock(t, 'NEW', 'OLD'), 'UnlockAndRelock');
      assert.equal(await currentLock(t), 'NEW');
      expectLockMismatch(await unlock(t, 'OLD'), 'NEW', 'Unlock with the replaced id');
      expectLockMismatch(await refreshLock(t, 'OLD'), 'NEW', 'RefreshLock with the replaced id');
    });

    it('old id differs: 409 with the current lock, unchanged; new id missing: 400', async () => {
      const t = await b.file(uniq('relock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'CUR'), 'Lock');
      expectLockMismatch(await unlockAndRelock(t, 'NEW', 'WRONG'), 'CUR', 'UnlockAndRelock, wrong old id');
      expectStatus(await unlockAndRelock(t, undefined, 'CUR'), 400, 'UnlockAndRelock without X-WOPI-Lock');
      assert.equal(await currentLock(t), 'CUR');
    });
  });

  describe('GetLock', () => {
    it('unlocked: 200 with X-WOPI-Lock present and empty; never creates a lock', async () => {
      const t = await b.file(uniq('getlock'), CONTENT);
      const res = await getLock(t, { headers: { 'X-WOPI-Lock': 'SHOULD-NOT-BE-TAKEN' } });
      expectStatus(res, 200);
      expectHeader(res, 'X-WOPI-Lock', '', 'GetLock on an unlocked file');
      assert.equal(b.engine.locks.current(t.id), null);
    });

    it('locked: 200 with the current lock, whatever X-WOPI-Lock was sent', async () => {
      const t = await b.file(uniq('getlock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      for (const sent of [undefined, 'L1', 'OTHER']) {
        const res = await getLock(t, sent === undefined ? {} : { headers: { 'X-WOPI-Lock': sent } });
        expectStatus(res, 200, `GetLock sending ${String(sent)}`);
        expectHeader(res, 'X-WOPI-Lock', 'L1', `GetLock sending ${String(sent)}`);
      }
    });
  });
});

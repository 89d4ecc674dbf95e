// Lock semantics of the engine over real HTTP (PROTOCOL §5), over time and across callers: expiry on an
// injected clock, persistence across a restart, cross-user operations and racing Locks.
// In-process createWorkbench on port 0, temp folder, real SQLite file.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { engineForSuite, forSuite, makeRoot, manualClock, startEngine } from '../helpers/engine-fixture';
import {
  checkFileInfo,
  deleteFile,
  expectLockMismatch,
  expectOkWithoutLock,
  lock,
  putFile,
  refreshLock,
  renameFile,
  unlock,
  unlockAndRelock,
} from '../helpers/wopi-client';
import type { WopiTarget } from '../helpers/wopi-client';
import { currentLock } from '../helpers/wopi-expect';

const MINUTE = 60_000;
const LOCK_MS = 30 * MINUTE;
const CONTENT = Buffer.from('original bytes of the document\n');

describe('lock expiry on an injected clock', () => {
  const clock = manualClock();
  const b = engineForSuite('wb-locks-', {}, { clock: clock.now });

  it('held until 30 minutes, then treated exactly as unlocked', async () => {
    const t = await b.file('expiry.docx', CONTENT);
    expectOkWithoutLock(await lock(t, 'OLD'), 'Lock');
    clock.advance(LOCK_MS - 1);
    expectLockMismatch(await lock(t, 'OTHER'), 'OLD', 'one millisecond before expiry');
    clock.advance(1);
    assert.equal(await currentLock(t), '', 'GetLock at expiry');
    expectLockMismatch(await unlock(t, 'OLD'), '', 'Unlock with the expired id');
    expectLockMismatch(await refreshLock(t, 'OLD'), '', 'RefreshLock with the expired id');
    expectLockMismatch(await unlockAndRelock(t, 'NEW', 'OLD'), '', 'UnlockAndRelock from the expired id');
    expectLockMismatch(await putFile(t, 'late save', { lock: 'OLD' }), '', 'PutFile with the expired id');
    assert.deepEqual(await readFile(t.abs), CONTENT);
    expectOkWithoutLock(await lock(t, 'OTHER'), 'Lock with another id after expiry');
    assert.equal(await currentLock(t), 'OTHER');
  });

  it('RefreshLock and a same-id Lock each restart the 30 minutes', async () => {
    const t = await b.file('refreshed.docx', CONTENT);
    expectOkWithoutLock(await lock(t, 'L'), 'Lock');
    clock.advance(20 * MINUTE);
    expectOkWithoutLock(await refreshLock(t, 'L'), 'RefreshLock at +20');
    clock.advance(20 * MINUTE);
    expectOkWithoutLock(await lock(t, 'L'), 'Lock again at +40 (still held thanks to the refresh)');
    clock.advance(LOCK_MS - 1);
    assert.equal(await currentLock(t), 'L');
    clock.advance(1);
    assert.equal(await currentLock(t), '');
  });

  it('an expired lock does not block DeleteFile or RenameFile', async () => {
    const t = await b.file('expired-del.docx', CONTENT);
    expectOkWithoutLock(await lock(t, 'L'), 'Lock');
    clock.advance(LOCK_MS);
    expectOkWithoutLock(await renameFile(t, 'expired-renamed'), 'RenameFile after expiry');
    expectOkWithoutLock(await deleteFile(t), 'DeleteFile after expiry');
  });
});

describe('locks survive a restart and still expire on time', () => {
  const clock = manualClock();
  // The temp root outlives the first engine: the second one starts on the same folder and data dir.
  const dirs = forSuite(async () => {
    const root = await makeRoot('wb-locks-');
    return { root, dispose: () => rm(root, { recursive: true, force: true }) };
  });

  it('stop, new engine on the same data dir: same lock, same expiry', async () => {
    const first = await startEngine(dirs.root, { clock: clock.now });
    const t = await first.file('persist.docx', CONTENT);
    expectOkWithoutLock(await lock(t, 'PERSISTED'), 'Lock');
    const expiresAt = first.engine.locks.current(t.id)!.expiresAt;
    await first.stop();

    clock.advance(10 * MINUTE);
    const second = await startEngine(dirs.root, { clock: clock.now });
    try {
      // A token minted by the first run still works: the signing secret lives in the data dir.
      const again: WopiTarget = {
        wopiSrc: `${second.engine.wopiUrl()}/wopi/files/${t.id}`,
        accessToken: t.accessToken,
      };
      assert.equal(await currentLock(again), 'PERSISTED');
      assert.equal(second.engine.locks.current(t.id)!.expiresAt, expiresAt);
      expectLockMismatch(await lock(again, 'INTRUDER'), 'PERSISTED', 'Lock with another id after restart');
      clock.advance(20 * MINUTE - 1);
      expectLockMismatch(await unlock(again, 'INTRUDER'), 'PERSISTED', 'just before expiry');
      clock.advance(1);
      expectLockMismatch(await unlock(again, 'PERSISTED'), '', 'Unlock after expiry (30 min after Lock)');
      expectOkWithoutLock(await lock(again, 'INTRUDER'), 'Lock with another id after expiry');
    } finally {
      await second.stop();
    }
  });
});

describe('locks belong to the file, not the user', () => {
  const b = engineForSuite('wb-locks-');

  it('Lock by editor; RefreshLock, PutFile, UnlockAndRelock, Unlock by coauthor', async () => {
    const editor = await b.file('shared.docx', CONTENT, 'editor');
    const coauthor = b.target(editor.id, 'coauthor');
    assert.equal((await checkFileInfo(coauthor)).json()['UserId'], 'coauthor');
    expectOkWithoutLock(await lock(editor, 'SESSION'), 'Lock (editor)');
    expectOkWithoutLock(await refreshLock(coauthor, 'SESSION'), 'RefreshLock (coauthor)');
    expectOkWithoutLock(await putFile(coauthor, 'coauthored', { lock: 'SESSION' }), 'PutFile (coauthor)');
    expectOkWithoutLock(await unlockAndRelock(coauthor, 'SESSION2', 'SESSION'), 'UnlockAndRelock (coauthor)');
    expectOkWithoutLock(await unlock(editor, 'SESSION2'), 'Unlock (editor, of the coauthor relock)');
    expectOkWithoutLock(await lock(coauthor, 'C'), 'Lock (coauthor)');
    expectOkWithoutLock(await unlock(editor, 'C'), 'Unlock (editor)');
    assert.equal(await readFile(editor.abs, 'utf8'), 'coauthored');
  });

  it('a view-only token cannot take or release the lock', async () => {
    const editor = await b.file('viewer.docx', CONTENT, 'editor');
    const viewer = b.target(editor.id, 'viewer');
    const denied = await lock(viewer, 'V');
    assert.notEqual(denied.status, 200, denied.describe());
    expectOkWithoutLock(await lock(editor, 'E'), 'Lock (editor)');
    assert.notEqual((await unlock(viewer, 'E')).status, 200);
    assert.equal(await currentLock(viewer), 'E', 'GetLock is a read: the viewer may see the lock');
  });
});

describe('concurrent Lock requests', () => {
  const b = engineForSuite('wb-locks-');

  it('different ids at once: exactly one 200, every other answer is 409 naming the winner', async () => {
    for (let round = 0; round < 3; round++) {
      const t = await b.file(`race-${round}.docx`, CONTENT);
      const ids = Array.from({ length: 12 }, (_, i) => `R${round}-${i}`);
      const answers = await Promise.all(ids.map((id) => lock(t, id)));
      const winners = ids.filter((_, i) => answers[i]!.status === 200);
      assert.equal(winners.length, 1, `round ${round}: statuses ${answers.map((a) => a.status).join(',')}`);
      const winner = winners[0]!;
      for (const a of answers) if (a.status !== 200) expectLockMismatch(a, winner, `round ${round} loser`);
      assert.equal(await currentLock(t), winner);
    }
  });

  it('the same id at once: all 200 (a same-id Lock is a refresh)', async () => {
    const t = await b.file('race-same.docx', CONTENT);
    const answers = await Promise.all(Array.from({ length: 8 }, () => lock(t, 'SAME')));
    for (const a of answers) expectOkWithoutLock(a, 'concurrent same-id Lock');
  });
});

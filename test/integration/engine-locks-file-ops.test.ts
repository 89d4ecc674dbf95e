// Lock semantics of the engine over real HTTP (PROTOCOL §5), the operations that check a lock: the §5.3
// decision-table rows for PutFile, RenameFile, DeleteFile and PutRelativeFile, and no X-WOPI-Lock on the
// other 200s. In-process createWorkbench on port 0, temp folder, real SQLite file.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { engineForSuite, uniqueName as uniq } from '../helpers/engine-fixture';
import {
  checkFileInfo,
  deleteFile,
  expectLockMismatch,
  expectNonEmptyHeader,
  expectOkWithoutLock,
  getFile,
  lock,
  putFile,
  putRelativeFile,
  putUserInfo,
  renameFile,
} from '../helpers/wopi-client';
import { currentLock } from '../helpers/wopi-expect';

const CONTENT = Buffer.from('original bytes of the document\n');

describe('PROTOCOL §5.3 decision table over HTTP: operations that check the lock', () => {
  const b = engineForSuite('wb-locks-');

  describe('PutFile', () => {
    it('unlocked and 0 bytes: written, 200 (create-new flow)', async () => {
      const t = await b.file(uniq('put'), Buffer.alloc(0));
      expectOkWithoutLock(await putFile(t, 'first content'), 'PutFile on an empty unlocked file');
      assert.equal(await readFile(t.abs, 'utf8'), 'first content');
    });

    it('unlocked and not empty: 409 with X-WOPI-Lock empty, bytes unchanged (with or without a lock id)', async () => {
      const t = await b.file(uniq('put'), CONTENT);
      expectLockMismatch(await putFile(t, 'overwrite'), '', 'PutFile without a lock');
      expectLockMismatch(await putFile(t, 'overwrite', { lock: 'L1' }), '', 'PutFile with a made-up lock');
      assert.deepEqual(await readFile(t.abs), CONTENT);
    });

    it('locked, same id: written, 200 without X-WOPI-Lock, new X-WOPI-ItemVersion', async () => {
      const t = await b.file(uniq('put'), CONTENT);
      const v0 = expectNonEmptyHeader(await lock(t, 'L1'), 'X-WOPI-ItemVersion');
      const res = await putFile(t, 'new content', { lock: 'L1' });
      expectOkWithoutLock(res, 'PutFile with the lock');
      assert.notEqual(expectNonEmptyHeader(res, 'X-WOPI-ItemVersion'), v0);
      assert.equal(await readFile(t.abs, 'utf8'), 'new content');
      assert.equal(await currentLock(t), 'L1', 'PutFile keeps the lock');
    });

    it('locked, different or missing id: 409 with the current lock, bytes unchanged (even when empty)', async () => {
      const t = await b.file(uniq('put'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await putFile(t, 'x', { lock: 'L2' }), 'L1', 'PutFile with another lock');
      expectLockMismatch(await putFile(t, 'x'), 'L1', 'PutFile without a lock');
      assert.deepEqual(await readFile(t.abs), CONTENT);
      // The 0-byte exception is for unlocked files only.
      const empty = await b.file(uniq('put'), Buffer.alloc(0));
      expectOkWithoutLock(await lock(empty, 'E1'), 'Lock the empty file');
      expectLockMismatch(await putFile(empty, 'x'), 'E1', 'PutFile without a lock on a locked empty file');
      assert.equal((await stat(empty.abs)).size, 0);
    });
  });

  describe('RenameFile', () => {
    it('unlocked: renamed, 200', async () => {
      const t = await b.file(uniq('ren'), CONTENT);
      const name = uniq('renamed', '');
      const res = await renameFile(t, name);
      expectOkWithoutLock(res, 'RenameFile on an unlocked file');
      assert.equal(res.json()['Name'], name);
    });

    it('locked, same id: renamed, 200', async () => {
      const t = await b.file(uniq('ren'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      const name = uniq('locked-renamed', '');
      const res = await renameFile(t, name, { lock: 'L1' });
      expectOkWithoutLock(res, 'RenameFile with the lock');
      assert.equal(b.engine.files.get(t.id)!.path, `${name}.docx`);
    });

    it('locked, different or missing id: 409 with the current lock, name unchanged', async () => {
      const rel = uniq('ren');
      const t = await b.file(rel, CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await renameFile(t, 'nope', { lock: 'L2' }), 'L1', 'RenameFile with another lock');
      expectLockMismatch(await renameFile(t, 'nope'), 'L1', 'RenameFile without a lock');
      assert.equal(b.engine.files.get(t.id)!.path, rel);
    });
  });

  describe('DeleteFile', () => {
    it('unlocked: deleted, 200', async () => {
      const t = await b.file(uniq('del'), CONTENT);
      expectOkWithoutLock(await deleteFile(t), 'DeleteFile on an unlocked file');
      await assert.rejects(stat(t.abs), { code: 'ENOENT' });
    });

    it('locked: 409 with the current lock even when the caller sends that lock', async () => {
      const t = await b.file(uniq('del'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await deleteFile(t), 'L1', 'DeleteFile without a lock');
      expectLockMismatch(
        await deleteFile(t, { headers: { 'X-WOPI-Lock': 'L1' } }),
        'L1',
        'DeleteFile with the lock',
      );
      assert.deepEqual(await readFile(t.abs), CONTENT);
    });
  });

  describe('PutRelativeFile', () => {
    it('no lock check on the source: a locked source still gets a new file, 200', async () => {
      const t = await b.file(uniq('rel'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      const res = await putRelativeFile(t, 'copy', { suggestedTarget: '.docx' });
      expectOkWithoutLock(res, 'PutRelativeFile from a locked source');
      assert.equal(await currentLock(t), 'L1');
    });

    it('an existing locked target is not overwritten: 409 with the target lock', async () => {
      const src = await b.file(uniq('rel-src'), CONTENT);
      const targetRel = uniq('rel-target');
      const target = await b.file(targetRel, CONTENT);
      expectOkWithoutLock(await lock(target, 'TARGET-LOCK'), 'Lock the target');
      const res = await putRelativeFile(src, 'replacement', {
        relativeTarget: targetRel,
        overwriteRelativeTarget: true,
      });
      expectLockMismatch(res, 'TARGET-LOCK', 'PutRelativeFile over a locked target');
      assert.deepEqual(await readFile(target.abs), CONTENT);
    });
  });

  it('other 200s on a locked file never carry X-WOPI-Lock', async () => {
    const t = await b.file(uniq('others'), CONTENT);
    expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
    expectOkWithoutLock(await checkFileInfo(t), 'CheckFileInfo');
    expectOkWithoutLock(await getFile(t), 'GetFile');
    expectOkWithoutLock(await putUserInfo(t, 'info'), 'PutUserInfo');
  });
});

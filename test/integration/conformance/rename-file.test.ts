// Validator group RenameFileIfCreateChildFileIsNotSupported (wopi-validator-core TestCases.xml), black-box
// against `wopi-workbench serve`: files made with PutRelativeFile are renamed, locked, deleted. Extra checks:
// the file id survives the rename and the file is renamed on disk.
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { startServe } from '../../helpers/cli-process';
import type { ServeHandle } from '../../helpers/cli-process';
import {
  checkFileInfo,
  deleteFile,
  expectCapabilities,
  expectLockMismatch,
  expectStatus,
  getFile,
  lock,
  putRelativeFile,
  renameFile,
  targetFromUrl,
  unlock,
  validatorDocuments,
} from '../../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../../helpers/wopi-client';

const SOURCE_FILE = 'rename-source.wopitest';
const LOCK = 'LockString';
const INCORRECT_LOCK = 'IncorrectLockString';
const TEST_TIMEOUT = { timeout: 60_000 };

let serve: ServeHandle;
let source: WopiTarget;
let created: WopiTarget[] = [];

before(async () => {
  serve = await startServe({ files: { [SOURCE_FILE]: validatorDocuments.wordBlank } });
  source = await serve.token(SOURCE_FILE);
});

after(async () => {
  await serve?.stop();
});

afterEach(async () => {
  for (const target of created) {
    await unlock(target, LOCK);
    await deleteFile(target);
  }
  created = [];
  for (const entry of await readdir(serve.folder)) {
    if (entry !== SOURCE_FILE && !entry.startsWith('.'))
      await rm(path.join(serve.folder, entry), { force: true });
  }
});

/** PutRelativeFile in specific mode, checked as the validator does; returns the new file's target. */
async function createFile(name: string): Promise<WopiTarget> {
  const res = await putRelativeFile(source, validatorDocuments.wordSimple, { relativeTarget: name });
  expectStatus(res, 200, 'PutRelativeFile');
  const body = res.json();
  assert.equal(body['Name'], name, `PutRelativeFile Name\n${res.describe()}`);
  assert.ok(typeof body['Url'] === 'string', `PutRelativeFile Url\n${res.describe()}`);
  const target = targetFromUrl(body['Url']);
  created.push(target);
  return target;
}

async function expectRenamable(target: WopiTarget): Promise<void> {
  const res = await checkFileInfo(target);
  expectStatus(res, 200, 'CheckFileInfo on the new file');
  expectCapabilities(
    res.json(),
    { SupportsRename: true, UserCanRename: true },
    'CheckFileInfo on the new file',
  );
}

function expectRenamed(res: WopiResponse, name: string): void {
  expectStatus(res, 200, 'RenameFile');
  assert.equal(res.json()['Name'], name, `RenameFile Name (without extension)\n${res.describe()}`);
}

void describe('RenameFileIfCreateChildFileIsNotSupported', () => {
  void it(
    'prerequisites: FileEditing, Locks, DeleteFile, ContainersUnsupported, RenameFile, UserCanWriteRelative',
    TEST_TIMEOUT,
    async () => {
      const res = await checkFileInfo(source);
      expectStatus(res, 200);
      const info = res.json();
      assert.ok(String(info['BaseFileName']).toLowerCase().endsWith('.wopitest'), res.describe());
      expectCapabilities(info, {
        SupportsUpdate: true,
        SupportsLocks: true,
        SupportsDeleteFile: true,
        SupportsContainers: false,
        SupportsRename: true,
        UserCanNotWriteRelative: false,
      });
    },
  );

  void it('PutRelativeAndRenameFile.RenameShouldSucceed', TEST_TIMEOUT, async () => {
    const file = await createFile('ValidatorTestFile.wopitest');
    await expectRenamable(file);
    expectRenamed(await renameFile(file, 'ValidatorTestFileRenamed'), 'ValidatorTestFileRenamed');
    expectStatus(await deleteFile(file), 200, 'DeleteFile');
  });

  void it('PutRelativeAndRenameFile.FileNameAfterRenameIsCorrectlyEncoded', TEST_TIMEOUT, async () => {
    const file = await createFile('madeup_name.wopitestx');
    await expectRenamable(file);
    const res = await renameFile(file, 'madeup_renamed');
    assert.equal(res.request.headers['X-WOPI-RequestedName'], 'madeup+AF8-renamed');
    expectRenamed(res, 'madeup_renamed');
    expectStatus(await deleteFile(file), 200, 'DeleteFile');
  });

  void it(
    'PutRelativeAndRenameFile.RenamingALockedFileWithACorrectLockHeaderValueShouldSucceed',
    TEST_TIMEOUT,
    async () => {
      const file = await createFile('ValidatorTestFile.wopitest');
      await expectRenamable(file);
      expectStatus(await lock(file, LOCK), 200, 'Lock');
      expectRenamed(
        await renameFile(file, 'ValidatorTestFileRenamed', { lock: LOCK }),
        'ValidatorTestFileRenamed',
      );
      expectStatus(await unlock(file, LOCK), 200, 'Unlock');
      expectStatus(await deleteFile(file), 200, 'DeleteFile');
    },
  );

  void it(
    'PutRelativeAndRenameFile.RenamingALockedFileWithAnIncorrectLockHeaderValueShouldReturnA409',
    TEST_TIMEOUT,
    async () => {
      const file = await createFile('ValidatorTestFile.wopitest');
      await expectRenamable(file);
      expectStatus(await lock(file, LOCK), 200, 'Lock');
      // 409 per the validator; the current lock in X-WOPI-Lock per PROTOCOL §5.3.
      expectLockMismatch(
        await renameFile(file, 'ValidatorTestFileRenamed', { lock: INCORRECT_LOCK }),
        LOCK,
        'RenameFile',
      );
      const info = await checkFileInfo(file);
      expectStatus(info, 200);
      assert.equal(
        info.json()['BaseFileName'],
        'ValidatorTestFile.wopitest',
        `refused rename kept the name\n${info.describe()}`,
      );
      expectStatus(await unlock(file, LOCK), 200, 'Unlock');
      expectStatus(await deleteFile(file), 200, 'DeleteFile');
    },
  );

  void it('PutRelativeAndRenameFile.RenamingADeletedFileShouldReturnA404', TEST_TIMEOUT, async () => {
    const file = await createFile('ValidatorTestFile.wopitest');
    await expectRenamable(file);
    expectStatus(await deleteFile(file), 200, 'DeleteFile');
    expectStatus(await renameFile(file, 'ValidatorTestFileRenamed'), 404, 'RenameFile on a deleted file');
  });

  void it('PutRelativeAndRenameFile.RenameShouldNotChangeFileExtension', TEST_TIMEOUT, async () => {
    const file = await createFile('ValidatorTestFile.wopitest');
    await expectRenamable(file);
    expectRenamed(await renameFile(file, 'ValidatorTestFileRenamed'), 'ValidatorTestFileRenamed');
    const info = await checkFileInfo(file);
    expectStatus(info, 200, 'CheckFileInfo after RenameFile');
    const body = info.json();
    assert.equal(body['BaseFileName'], 'ValidatorTestFileRenamed.wopitest', info.describe());
    if (body['FileExtension'] !== undefined && body['FileExtension'] !== '') {
      assert.equal(body['FileExtension'], '.wopitest', info.describe());
    }
    expectStatus(await deleteFile(file), 200, 'DeleteFile');
  });

  void it('(extra) RenameFile keeps the file id and content, and renames on disk', TEST_TIMEOUT, async () => {
    const file = await createFile('ValidatorTestFile.wopitest');
    expectStatus(await checkFileInfo(file), 200);
    expectRenamed(await renameFile(file, 'Renamed äöü'), 'Renamed äöü');
    // Same WOPISrc, same token: the id did not change.
    const renamed = await checkFileInfo(file);
    expectStatus(renamed, 200, 'CheckFileInfo on the unchanged WOPISrc');
    assert.equal(renamed.json()['BaseFileName'], 'Renamed äöü.wopitest', renamed.describe());
    const bytes = await getFile(file);
    expectStatus(bytes, 200);
    assert.deepEqual(bytes.body, validatorDocuments.wordSimple, bytes.describe());
    const entries = await readdir(serve.folder);
    assert.ok(entries.includes('Renamed äöü.wopitest'), `renamed on disk: ${entries.join(', ')}`);
    assert.ok(!entries.includes('ValidatorTestFile.wopitest'), `old name gone: ${entries.join(', ')}`);
  });
});

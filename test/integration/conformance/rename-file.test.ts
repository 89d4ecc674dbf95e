// Validator group RenameFileIfCreateChildFileIsNotSupported (wopi-validator-core TestCases.xml), black-box
// against `wopi-workbench serve`: files made with PutRelativeFile are renamed, locked, deleted. Extra checks:
// the file id survives the rename and the file is renamed on disk.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  INCORRECT_LOCK,
  LOCK,
  TEST_TIMEOUT,
  cleanupCreatedAfterEach,
  expectPrerequisites,
  expectWopitestExtension,
  serveForSuite,
} from '../../helpers/conformance';
import {
  checkFileInfo,
  deleteFile,
  expectCapabilities,
  expectLockMismatch,
  expectStatus,
  lock,
  putRelativeFile,
  renameFile,
  targetFromUrl,
  unlock,
  validatorDocuments,
} from '../../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../../helpers/wopi-client';
import { expectBaseFileName, expectContent } from '../../helpers/wopi-expect';

const SOURCE_FILE = 'rename-source.wopitest';

const fx = serveForSuite({ files: { [SOURCE_FILE]: validatorDocuments.wordBlank } }, { source: SOURCE_FILE });
const created = cleanupCreatedAfterEach(fx, SOURCE_FILE);

/** PutRelativeFile in specific mode, checked as the validator does; returns the new file's target. */
async function createFile(name: string): Promise<WopiTarget> {
  const res = await putRelativeFile(fx.source, validatorDocuments.wordSimple, { relativeTarget: name });
  expectStatus(res, 200, 'PutRelativeFile');
  const body = res.json();
  assert.equal(body['Name'], name, `PutRelativeFile Name\n${res.describe()}`);
  assert.ok(typeof body['Url'] === 'string', `PutRelativeFile Url\n${res.describe()}`);
  const target = targetFromUrl(body['Url']);
  created.add(target);
  return target;
}

/** The validator's set-up of every rename case: a new file, whose CheckFileInfo allows renaming it. */
async function createRenamable(name = 'ValidatorTestFile.wopitest'): Promise<WopiTarget> {
  const target = await createFile(name);
  const res = await checkFileInfo(target);
  expectStatus(res, 200, 'CheckFileInfo on the new file');
  expectCapabilities(
    res.json(),
    { SupportsRename: true, UserCanRename: true },
    'CheckFileInfo on the new file',
  );
  return target;
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
      await expectPrerequisites(fx.source, {
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
    const file = await createRenamable();
    expectRenamed(await renameFile(file, 'ValidatorTestFileRenamed'), 'ValidatorTestFileRenamed');
    expectStatus(await deleteFile(file), 200, 'DeleteFile');
  });

  void it('PutRelativeAndRenameFile.FileNameAfterRenameIsCorrectlyEncoded', TEST_TIMEOUT, async () => {
    const file = await createRenamable('madeup_name.wopitestx');
    const res = await renameFile(file, 'madeup_renamed');
    assert.equal(res.request.headers['X-WOPI-RequestedName'], 'madeup+AF8-renamed');
    expectRenamed(res, 'madeup_renamed');
    expectStatus(await deleteFile(file), 200, 'DeleteFile');
  });

  void it(
    'PutRelativeAndRenameFile.RenamingALockedFileWithACorrectLockHeaderValueShouldSucceed',
    TEST_TIMEOUT,
    async () => {
      const file = await createRenamable();
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
      const file = await createRenamable();
      expectStatus(await lock(file, LOCK), 200, 'Lock');
      // 409 per the validator; the current lock in X-WOPI-Lock per PROTOCOL §5.3.
      expectLockMismatch(
        await renameFile(file, 'ValidatorTestFileRenamed', { lock: INCORRECT_LOCK }),
        LOCK,
        'RenameFile',
      );
      await expectBaseFileName(file, 'ValidatorTestFile.wopitest', 'refused rename kept the name');
      expectStatus(await unlock(file, LOCK), 200, 'Unlock');
      expectStatus(await deleteFile(file), 200, 'DeleteFile');
    },
  );

  void it('PutRelativeAndRenameFile.RenamingADeletedFileShouldReturnA404', TEST_TIMEOUT, async () => {
    const file = await createRenamable();
    expectStatus(await deleteFile(file), 200, 'DeleteFile');
    expectStatus(await renameFile(file, 'ValidatorTestFileRenamed'), 404, 'RenameFile on a deleted file');
  });

  void it('PutRelativeAndRenameFile.RenameShouldNotChangeFileExtension', TEST_TIMEOUT, async () => {
    const file = await createRenamable();
    expectRenamed(await renameFile(file, 'ValidatorTestFileRenamed'), 'ValidatorTestFileRenamed');
    const info = await checkFileInfo(file);
    expectStatus(info, 200, 'CheckFileInfo after RenameFile');
    const body = info.json();
    assert.equal(body['BaseFileName'], 'ValidatorTestFileRenamed.wopitest', info.describe());
    expectWopitestExtension(body, info);
    expectStatus(await deleteFile(file), 200, 'DeleteFile');
  });

  void it('(extra) RenameFile keeps the file id and content, and renames on disk', TEST_TIMEOUT, async () => {
    const file = await createFile('ValidatorTestFile.wopitest');
    expectStatus(await checkFileInfo(file), 200);
    expectRenamed(await renameFile(file, 'Renamed äöü'), 'Renamed äöü');
    // Same WOPISrc, same token: the id did not change.
    await expectBaseFileName(file, 'Renamed äöü.wopitest', 'the unchanged WOPISrc');
    await expectContent(file, validatorDocuments.wordSimple, 'the unchanged WOPISrc');
    const entries = await readdir(fx.serve.folder);
    assert.ok(entries.includes('Renamed äöü.wopitest'), `renamed on disk: ${entries.join(', ')}`);
    assert.ok(!entries.includes('ValidatorTestFile.wopitest'), `old name gone: ${entries.join(', ')}`);
  });
});

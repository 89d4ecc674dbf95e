// RenameFile (PROTOCOL §6.2) on files made with PutRelativeFile, as the validator's group
// RenameFileIfCreateChildFileIsNotSupported does (the target itself is never renamed), plus the
// workbench's checks: the file id survives a rename, every lock refusal names the current lock, and a
// name with a path is refused or made into a plain name.
import {
  capabilityMismatch,
  expectJson,
  expectLockMismatch,
  expectNonEmptyHeader,
  expectStatus,
} from '../expect';
import type { WopiResponse, WopiTarget } from '../client';
import { CaseFailure } from '../types';
import type { CaseContext, CheckCase, CheckGroup } from '../types';
import {
  INCORRECT_LOCK,
  LOCK,
  createNamed,
  expectBaseFileName,
  expectContent,
  fresh,
} from './relative-files';
import { validatorDocuments } from '../expect';

/** The validator's names, made unique per case (see `fresh`). */
const fileName = (): string => fresh('ValidatorTestFile', '.wopitest');
const renamed = (): string => fresh('ValidatorTestFileRenamed');

/** The validator's set-up: a new file whose CheckFileInfo allows renaming it. */
async function createRenamable(ctx: CaseContext, name = fileName()): Promise<WopiTarget> {
  const file = await createNamed(ctx, name);
  const res = await ctx.client.checkFileInfo(file.target);
  expectStatus(res, 200, 'CheckFileInfo on the new file');
  const missing = capabilityMismatch(expectJson(res), { SupportsRename: true, UserCanRename: true });
  if (missing) throw new CaseFailure('the new file allows RenameFile', missing, res.recordId);
  return file.target;
}

/** 200 with Name = the requested name (no extension). */
function expectRenamed(res: WopiResponse, name: string): void {
  expectStatus(res, 200, 'RenameFile');
  const actual = expectJson(res, 'RenameFile')['Name'];
  if (actual !== name)
    throw new CaseFailure(
      `RenameFile: Name ${JSON.stringify(name)} (without extension)`,
      `Name ${JSON.stringify(actual)}`,
      res.recordId,
    );
}

async function deleteOk(ctx: CaseContext, target: WopiTarget): Promise<void> {
  expectStatus(await ctx.client.deleteFile(target), 200, 'DeleteFile');
}

const validatorCases: CheckCase[] = [
  {
    name: 'RenameShouldSucceed',
    title: 'PutRelativeAndRenameFile.RenameShouldSucceed: 200 with the new Name, then DeleteFile',
    origin: 'validator',
    async run(ctx) {
      const to = renamed();
      const file = await createRenamable(ctx);
      expectRenamed(await ctx.client.renameFile(file, to), to);
      await deleteOk(ctx, file);
    },
  },
  {
    name: 'FileNameAfterRenameIsCorrectlyEncoded',
    title:
      'PutRelativeAndRenameFile.FileNameAfterRenameIsCorrectlyEncoded: madeup_renamed (UTF-7) comes back decoded',
    origin: 'validator',
    async run(ctx) {
      const file = await createRenamable(ctx, fresh('madeup_name', '.wopitestx'));
      const to = fresh('madeup_renamed');
      expectRenamed(await ctx.client.renameFile(file, to), to);
      await deleteOk(ctx, file);
    },
  },
  {
    name: 'RenamingALockedFileWithACorrectLockHeaderValueShouldSucceed',
    title: 'PutRelativeAndRenameFile: renaming a locked file with its lock: 200',
    origin: 'validator',
    async run(ctx) {
      const to = renamed();
      const file = await createRenamable(ctx);
      expectStatus(await ctx.client.lock(file, LOCK), 200, 'Lock');
      expectRenamed(await ctx.client.renameFile(file, to, { lock: LOCK }), to);
      expectStatus(await ctx.client.unlock(file, LOCK), 200, 'Unlock');
      await deleteOk(ctx, file);
    },
  },
  {
    name: 'RenamingALockedFileWithAnIncorrectLockHeaderValueShouldReturnA409',
    title: 'PutRelativeAndRenameFile: renaming a locked file with another lock: 409',
    origin: 'validator',
    async run(ctx) {
      const to = renamed();
      const file = await createRenamable(ctx);
      expectStatus(await ctx.client.lock(file, LOCK), 200, 'Lock');
      expectStatus(await ctx.client.renameFile(file, to, { lock: INCORRECT_LOCK }), 409, 'RenameFile');
      expectStatus(await ctx.client.unlock(file, LOCK), 200, 'Unlock');
      await deleteOk(ctx, file);
    },
  },
  {
    name: 'RenamingADeletedFileShouldReturnA404',
    title: 'PutRelativeAndRenameFile: renaming a deleted file: 404',
    origin: 'validator',
    async run(ctx) {
      const to = renamed();
      const file = await createRenamable(ctx);
      await deleteOk(ctx, file);
      expectStatus(await ctx.client.renameFile(file, to), 404, 'RenameFile on a deleted file');
    },
  },
  {
    name: 'RenameShouldNotChangeFileExtension',
    title: 'PutRelativeAndRenameFile: after a rename BaseFileName keeps the extension (FileExtension too)',
    origin: 'validator',
    async run(ctx) {
      const to = renamed();
      const file = await createRenamable(ctx);
      expectRenamed(await ctx.client.renameFile(file, to), to);
      const res = await ctx.client.checkFileInfo(file);
      expectStatus(res, 200, 'CheckFileInfo after RenameFile');
      const body = expectJson(res, 'CheckFileInfo after RenameFile');
      if (body['BaseFileName'] !== `${to}.wopitest`)
        throw new CaseFailure(
          `BaseFileName "${to}.wopitest"`,
          `BaseFileName ${JSON.stringify(body['BaseFileName'])}`,
          res.recordId,
        );
      const ext = body['FileExtension'];
      if (ext !== undefined && ext !== '' && ext !== '.wopitest')
        throw new CaseFailure(
          'FileExtension ".wopitest" when present',
          `FileExtension ${JSON.stringify(ext)}`,
          res.recordId,
        );
      await deleteOk(ctx, file);
    },
  },
];

const workbenchCases: CheckCase[] = [
  {
    name: 'RenameKeepsFileId',
    title:
      'after a rename the same WOPISrc and token still open the file, under its new name, with its bytes',
    origin: 'workbench',
    rationale:
      'PROTOCOL §3.10 and §6.2: the file ID / WOPISrc must not change on RenameFile; §1.1: a file id stays the same when the file is renamed.',
    async run(ctx) {
      const file = await createRenamable(ctx);
      const to = fresh('Renamed äöü');
      expectRenamed(await ctx.client.renameFile(file, to), to);
      await expectBaseFileName(ctx, file, `${to}.wopitest`, 'the unchanged WOPISrc');
      await expectContent(ctx, file, validatorDocuments.wordSimple, 'the unchanged WOPISrc');
    },
  },
  {
    name: 'LockMismatchCarriesLock',
    title:
      'renaming a locked file with a wrong or an empty X-WOPI-Lock: 409 with X-WOPI-Lock naming the lock, name kept',
    origin: 'workbench',
    rationale:
      'PROTOCOL §5.3: RenameFile on a locked file with a different or missing lock is 409 + X-WOPI-Lock: <current>; §5.2: every lock 409 carries it (PITFALLS #10).',
    async run(ctx) {
      const to = renamed();
      const name = fileName();
      const file = await createRenamable(ctx, name);
      expectStatus(await ctx.client.lock(file, LOCK), 200, 'Lock');
      expectLockMismatch(
        await ctx.client.renameFile(file, to, { lock: INCORRECT_LOCK }),
        LOCK,
        'RenameFile with a wrong lock',
      );
      expectLockMismatch(await ctx.client.renameFile(file, to), LOCK, 'RenameFile with X-WOPI-Lock ""');
      await expectBaseFileName(ctx, file, name, 'after the refused renames');
    },
  },
  {
    name: 'NameWithPath',
    title:
      'X-WOPI-RequestedName "../escaped": 400 with X-WOPI-InvalidFileNameError, or 200 with a plain name',
    origin: 'workbench',
    rationale:
      'PROTOCOL §6.2: for an invalid name the host derives a valid one or answers 400 with X-WOPI-InvalidFileNameError; Name and BaseFileName carry no path (§3.10, §4.1).',
    async run(ctx) {
      const file = await createRenamable(ctx);
      const res = await ctx.client.renameFile(file, '../escaped');
      expectStatus(res, [200, 400], 'RenameFile');
      if (res.status === 400) {
        expectNonEmptyHeader(res, 'X-WOPI-InvalidFileNameError', 'RenameFile 400');
        return;
      }
      const name = expectJson(res, 'RenameFile')['Name'];
      if (typeof name !== 'string' || name === '' || /[/\\]/.test(name))
        throw new CaseFailure(
          'Name, a file name without a path',
          `Name ${JSON.stringify(name)}`,
          res.recordId,
        );
      await expectBaseFileName(ctx, file, `${name}.wopitest`, 'after the rename');
    },
  },
];

export const renameFileGroup: CheckGroup = {
  id: 'RenameFileIfCreateChildFileIsNotSupported',
  title: 'RenameFile on files made with PutRelativeFile: names, locks, deleted files, extensions',
  requires: {
    SupportsUpdate: true,
    SupportsLocks: true,
    SupportsDeleteFile: true,
    SupportsContainers: false,
    SupportsRename: true,
    UserCanRename: true,
    UserCanNotWriteRelative: false,
  },
  cases: [...validatorCases, ...workbenchCases],
};

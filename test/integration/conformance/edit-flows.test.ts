// Validator group EditFlows (wopi-validator-core TestCases.xml), black-box against `wopi-workbench serve`.
// The tests share one .wopitest file and run in order, as the validator runs them.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  LOCK,
  TEST_TIMEOUT,
  expectFileInfoBasics,
  expectPrerequisites,
  serveForSuite,
} from '../../helpers/conformance';
import {
  checkFileInfo,
  expectLockMismatch,
  expectStatus,
  getFile,
  lock,
  putFile,
  unlock,
  validatorDocuments,
} from '../../helpers/wopi-client';
import { expectContent } from '../../helpers/wopi-expect';

const EDIT_FILE = 'edit-flows.wopitest';

const fx = serveForSuite({ files: { [EDIT_FILE]: validatorDocuments.wordBlank } }, { target: EDIT_FILE });

void describe('EditFlows', () => {
  afterEach(async () => {
    await unlock(fx.target, LOCK);
  });

  void it('prerequisites: UserCanWritePrereq, FileEditingPrereq, LocksPrereq', TEST_TIMEOUT, async () => {
    await expectPrerequisites(fx.target, { UserCanWrite: true, SupportsUpdate: true, SupportsLocks: true });
  });

  // BasicEdit and EditNoChange run the same sequence; BasicEdit also checks the URLs and the saved bytes.
  for (const [title, withUrls] of [
    ['BasicEdit: CheckFileInfo, Lock, GetFile, PutFile, Unlock, GetFile returns the new content', true],
    ['EditNoChange: save without changes', false],
  ] as const) {
    void it(title, TEST_TIMEOUT, async () => {
      expectFileInfoBasics(await checkFileInfo(fx.target), withUrls);
      expectStatus(await lock(fx.target, LOCK), 200, 'Lock');
      expectStatus(await getFile(fx.target), 200, 'GetFile');
      expectStatus(await putFile(fx.target, validatorDocuments.wordSimple, { lock: LOCK }), 200, 'PutFile');
      expectStatus(await unlock(fx.target, LOCK), 200, 'Unlock');
      if (withUrls) await expectContent(fx.target, validatorDocuments.wordSimple, 'after PutFile');
    });
  }

  void it('PutUnlockedFile: PutFile without a lock on a 0-byte file succeeds', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.target, LOCK), 200, 'Lock');
    expectStatus(
      await putFile(fx.target, validatorDocuments.zeroByte, { lock: LOCK }),
      200,
      'PutFile (0 bytes)',
    );
    expectStatus(await unlock(fx.target, LOCK), 200, 'Unlock');
    // Office reads Size 0 as "new file" before it sends the unlocked PutFile.
    const info = await checkFileInfo(fx.target);
    expectStatus(info, 200, 'CheckFileInfo');
    assert.equal(info.json()['Size'], 0, `Size after writing 0 bytes\n${info.describe()}`);
    expectStatus(await putFile(fx.target, validatorDocuments.wordBlank), 200, 'PutFile without X-WOPI-Lock');
    await expectContent(fx.target, validatorDocuments.wordBlank, 'after the unlocked PutFile');
  });

  void it(
    'PutUnlockedFileNotZeroBytes: PutFile without a lock on a non-empty file is 409',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await lock(fx.target, LOCK), 200, 'Lock');
      expectStatus(await putFile(fx.target, validatorDocuments.wordSimple, { lock: LOCK }), 200, 'PutFile');
      expectStatus(await unlock(fx.target, LOCK), 200, 'Unlock');
      // 409, and the file is unlocked, so X-WOPI-Lock is present and empty (PROTOCOL §3.8, §5.3).
      expectLockMismatch(
        await putFile(fx.target, validatorDocuments.wordBlank),
        '',
        'PutFile without X-WOPI-Lock',
      );
      await expectContent(fx.target, validatorDocuments.wordSimple, 'after the refused PutFile');
    },
  );

  void it('GetPutFileWithInvalidAccessToken: 401 or 404, nothing read or written', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.target, LOCK), 200, 'Lock');
    const denied = await getFile(fx.target, { token: 'INVALID' });
    expectStatus(denied, [401, 404], 'GetFile with token INVALID');
    assert.notDeepEqual(
      denied.body,
      validatorDocuments.wordSimple,
      `file bytes leaked\n${denied.describe()}`,
    );
    expectStatus(await getFile(fx.target), 200, 'GetFile');
    // The refused write carries other bytes than the file holds, so a write that slipped through shows.
    expectStatus(
      await putFile(fx.target, validatorDocuments.wordComplex, { lock: LOCK, token: 'INVALID' }),
      [401, 404],
      'PutFile with token INVALID',
    );
    await expectContent(fx.target, validatorDocuments.wordSimple, 'after the refused PutFile');
    expectStatus(await putFile(fx.target, validatorDocuments.wordSimple, { lock: LOCK }), 200, 'PutFile');
    expectStatus(await unlock(fx.target, LOCK), 200, 'Unlock');
  });
});

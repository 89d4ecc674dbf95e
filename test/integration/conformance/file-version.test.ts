// Validator group FileVersion (wopi-validator-core TestCases.xml, 2019 and later revisions merged), black-box
// against `wopi-workbench serve`: X-WOPI-ItemVersion on GetFile/Lock/Unlock/PutFile, equal to
// CheckFileInfo Version, new on every PutFile, unchanged by Lock/Unlock.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { LOCK, TEST_TIMEOUT, expectPrerequisites, serveForSuite } from '../../helpers/conformance';
import {
  checkFileInfo,
  expectHeader,
  expectNonEmptyHeader,
  expectStatus,
  getFile,
  lock,
  putFile,
  unlock,
  validatorDocuments,
} from '../../helpers/wopi-client';

const VERSION_FILE = 'file-version.wopitest';
const ITEM_VERSION = 'X-WOPI-ItemVersion';

const fx = serveForSuite(
  { files: { [VERSION_FILE]: validatorDocuments.wordBlank } },
  { target: VERSION_FILE },
);

async function currentVersion(): Promise<string> {
  const res = await checkFileInfo(fx.target);
  expectStatus(res, 200, 'CheckFileInfo');
  const version = res.json()['Version'];
  assert.ok(
    typeof version === 'string' && version !== '',
    `Version must be a non-empty string\n${res.describe()}`,
  );
  return version;
}

void describe('FileVersion', () => {
  afterEach(async () => {
    await unlock(fx.target, LOCK);
  });

  void it('prerequisites: WopiValidatorPrereq, LocksPrereq', TEST_TIMEOUT, async () => {
    await expectPrerequisites(fx.target, { SupportsLocks: true });
  });

  void it('files.GetFileReturnsVersion', TEST_TIMEOUT, async () => {
    const res = await getFile(fx.target);
    expectStatus(res, 200, 'GetFile');
    expectNonEmptyHeader(res, ITEM_VERSION, 'GetFile');
  });

  void it('files.LockReturnsVersion', TEST_TIMEOUT, async () => {
    const res = await lock(fx.target, LOCK);
    expectStatus(res, 200, 'Lock');
    expectNonEmptyHeader(res, ITEM_VERSION, 'Lock');
    expectStatus(await unlock(fx.target, LOCK), 200, 'Unlock');
  });

  void it('files.UnlockReturnsVersion', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.target, LOCK), 200, 'Lock');
    const res = await unlock(fx.target, LOCK);
    expectStatus(res, 200, 'Unlock');
    expectNonEmptyHeader(res, ITEM_VERSION, 'Unlock');
  });

  void it('files.PutFileReturnsVersion: the version after the write', TEST_TIMEOUT, async () => {
    expectStatus(await lock(fx.target, LOCK), 200, 'Lock');
    const res = await putFile(fx.target, validatorDocuments.wordSimple, { lock: LOCK });
    expectStatus(res, 200, 'PutFile');
    const written = expectNonEmptyHeader(res, ITEM_VERSION, 'PutFile');
    assert.equal(await currentVersion(), written, `CheckFileInfo Version after PutFile\n${res.describe()}`);
    expectStatus(await unlock(fx.target, LOCK), 200, 'Unlock');
  });

  void it(
    'files.PutFileReturnsDifferentVersion; CheckFileInfo Version equals Unlock ItemVersion',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await lock(fx.target, LOCK), 200, 'Lock');
      const original = await currentVersion();
      const first = await putFile(fx.target, validatorDocuments.wordSimple, { lock: LOCK });
      expectStatus(first, 200, 'first PutFile');
      const second = expectNonEmptyHeader(first, ITEM_VERSION, 'first PutFile');
      assert.notEqual(second, original, `first PutFile must change the version\n${first.describe()}`);
      const next = await putFile(fx.target, validatorDocuments.wordComplex, { lock: LOCK });
      expectStatus(next, 200, 'second PutFile');
      const third = expectNonEmptyHeader(next, ITEM_VERSION, 'second PutFile');
      assert.notEqual(third, second, `second PutFile must change the version\n${next.describe()}`);
      const unlocked = await unlock(fx.target, LOCK);
      expectStatus(unlocked, 200, 'Unlock');
      const onUnlock = expectNonEmptyHeader(unlocked, ITEM_VERSION, 'Unlock');
      assert.equal(
        await currentVersion(),
        onUnlock,
        `CheckFileInfo Version after Unlock\n${unlocked.describe()}`,
      );
    },
  );

  void it('files.LockAndUnlockAfterGetFileReturnsSameVersion', TEST_TIMEOUT, async () => {
    const original = await currentVersion();
    const file = await getFile(fx.target);
    expectStatus(file, 200, 'GetFile');
    expectHeader(file, ITEM_VERSION, original, 'GetFile');
    const locked = await lock(fx.target, LOCK);
    expectStatus(locked, 200, 'Lock');
    expectHeader(locked, ITEM_VERSION, original, 'Lock');
    const unlocked = await unlock(fx.target, LOCK);
    expectStatus(unlocked, 200, 'Unlock');
    expectHeader(unlocked, ITEM_VERSION, original, 'Unlock');
  });

  void it('(extra) versions never repeat and GetFile reports the latest', TEST_TIMEOUT, async () => {
    const seen = new Set([await currentVersion()]);
    expectStatus(await lock(fx.target, LOCK), 200, 'Lock');
    for (const body of [
      validatorDocuments.wordBlank,
      validatorDocuments.wordSimple,
      validatorDocuments.wordBlank,
    ]) {
      const res = await putFile(fx.target, body, { lock: LOCK });
      expectStatus(res, 200, 'PutFile');
      const version = expectNonEmptyHeader(res, ITEM_VERSION, 'PutFile');
      assert.ok(!seen.has(version), `version ${JSON.stringify(version)} was used before\n${res.describe()}`);
      seen.add(version);
      const file = await getFile(fx.target);
      expectHeader(file, ITEM_VERSION, version, 'GetFile after PutFile');
      assert.deepEqual(file.body, body, file.describe());
    }
    expectStatus(await unlock(fx.target, LOCK), 200, 'Unlock');
  });
});

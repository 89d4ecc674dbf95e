// Validator group EditFlows (wopi-validator-core TestCases.xml), black-box against `wopi-workbench serve`.
// The tests share one .wopitest file and run in order, as the validator runs them.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startServe } from '../../helpers/cli-process';
import type { ServeHandle } from '../../helpers/cli-process';
import {
  checkFileInfo,
  expectCapabilities,
  expectLockMismatch,
  expectStatus,
  getFile,
  lock,
  putFile,
  unlock,
  validatorDocuments,
} from '../../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../../helpers/wopi-client';

const EDIT_FILE = 'edit-flows.wopitest';
const LOCK = 'LockString';
const TEST_TIMEOUT = { timeout: 60_000 };

let serve: ServeHandle;
let target: WopiTarget;

before(async () => {
  serve = await startServe({ files: { [EDIT_FILE]: validatorDocuments.wordBlank } });
  target = await serve.token(EDIT_FILE);
});

after(async () => {
  await serve?.stop();
});

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The CheckFileInfo checks BasicEdit and EditNoChange make before editing. */
function expectEditableInfo(res: WopiResponse, withUrls: boolean): void {
  expectStatus(res, 200, 'CheckFileInfo');
  const body = res.json();
  for (const name of ['BaseFileName', 'OwnerId', 'Version']) {
    assert.ok(typeof body[name] === 'string' && body[name] !== '', `${name} required\n${res.describe()}`);
  }
  assert.ok(Number.isInteger(body['Size']), `Size must be an integer\n${res.describe()}`);
  if (!withUrls) return;
  for (const name of [
    'BreadcrumbBrandUrl',
    'BreadcrumbDocUrl',
    'BreadcrumbFolderUrl',
    'DownloadUrl',
    'CloseUrl',
    'HostEditUrl',
    'HostViewUrl',
  ]) {
    const value = body[name];
    if (value === undefined || value === '') continue;
    assert.ok(
      typeof value === 'string' && isAbsoluteHttpUrl(value),
      `${name} must be absolute\n${res.describe()}`,
    );
  }
}

async function expectContent(expected: Buffer, what: string): Promise<void> {
  const file = await getFile(target);
  expectStatus(file, 200, `GetFile (${what})`);
  assert.deepEqual(file.body, expected, `GetFile (${what}) returned other bytes\n${file.describe()}`);
}

void describe('EditFlows', () => {
  afterEach(async () => {
    await unlock(target, LOCK);
  });

  void it('prerequisites: UserCanWritePrereq, FileEditingPrereq, LocksPrereq', TEST_TIMEOUT, async () => {
    const res = await checkFileInfo(target);
    expectStatus(res, 200);
    const info = res.json();
    assert.ok(String(info['BaseFileName']).toLowerCase().endsWith('.wopitest'), res.describe());
    expectCapabilities(info, { UserCanWrite: true, SupportsUpdate: true, SupportsLocks: true });
  });

  void it(
    'BasicEdit: CheckFileInfo, Lock, GetFile, PutFile, Unlock, GetFile returns the new content',
    TEST_TIMEOUT,
    async () => {
      expectEditableInfo(await checkFileInfo(target), true);
      expectStatus(await lock(target, LOCK), 200, 'Lock');
      expectStatus(await getFile(target), 200, 'GetFile');
      expectStatus(await putFile(target, validatorDocuments.wordSimple, { lock: LOCK }), 200, 'PutFile');
      expectStatus(await unlock(target, LOCK), 200, 'Unlock');
      await expectContent(validatorDocuments.wordSimple, 'after PutFile');
    },
  );

  void it('EditNoChange: save without changes', TEST_TIMEOUT, async () => {
    expectEditableInfo(await checkFileInfo(target), false);
    expectStatus(await lock(target, LOCK), 200, 'Lock');
    expectStatus(await getFile(target), 200, 'GetFile');
    expectStatus(await putFile(target, validatorDocuments.wordSimple, { lock: LOCK }), 200, 'PutFile');
    expectStatus(await unlock(target, LOCK), 200, 'Unlock');
  });

  void it('PutUnlockedFile: PutFile without a lock on a 0-byte file succeeds', TEST_TIMEOUT, async () => {
    expectStatus(await lock(target, LOCK), 200, 'Lock');
    expectStatus(
      await putFile(target, validatorDocuments.zeroByte, { lock: LOCK }),
      200,
      'PutFile (0 bytes)',
    );
    expectStatus(await unlock(target, LOCK), 200, 'Unlock');
    // Office reads Size 0 as "new file" before it sends the unlocked PutFile.
    const info = await checkFileInfo(target);
    expectStatus(info, 200, 'CheckFileInfo');
    assert.equal(info.json()['Size'], 0, `Size after writing 0 bytes\n${info.describe()}`);
    expectStatus(await putFile(target, validatorDocuments.wordBlank), 200, 'PutFile without X-WOPI-Lock');
    await expectContent(validatorDocuments.wordBlank, 'after the unlocked PutFile');
  });

  void it(
    'PutUnlockedFileNotZeroBytes: PutFile without a lock on a non-empty file is 409',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await lock(target, LOCK), 200, 'Lock');
      expectStatus(await putFile(target, validatorDocuments.wordSimple, { lock: LOCK }), 200, 'PutFile');
      expectStatus(await unlock(target, LOCK), 200, 'Unlock');
      // 409, and the file is unlocked, so X-WOPI-Lock is present and empty (PROTOCOL §3.8, §5.3).
      expectLockMismatch(
        await putFile(target, validatorDocuments.wordBlank),
        '',
        'PutFile without X-WOPI-Lock',
      );
      await expectContent(validatorDocuments.wordSimple, 'after the refused PutFile');
    },
  );

  void it('GetPutFileWithInvalidAccessToken: 401 or 404, nothing read or written', TEST_TIMEOUT, async () => {
    expectStatus(await lock(target, LOCK), 200, 'Lock');
    const denied = await getFile(target, { token: 'INVALID' });
    expectStatus(denied, [401, 404], 'GetFile with token INVALID');
    assert.notDeepEqual(
      denied.body,
      validatorDocuments.wordSimple,
      `file bytes leaked\n${denied.describe()}`,
    );
    expectStatus(await getFile(target), 200, 'GetFile');
    // The refused write carries other bytes than the file holds, so a write that slipped through shows.
    expectStatus(
      await putFile(target, validatorDocuments.wordComplex, { lock: LOCK, token: 'INVALID' }),
      [401, 404],
      'PutFile with token INVALID',
    );
    await expectContent(validatorDocuments.wordSimple, 'after the refused PutFile');
    expectStatus(await putFile(target, validatorDocuments.wordSimple, { lock: LOCK }), 200, 'PutFile');
    expectStatus(await unlock(target, LOCK), 200, 'Unlock');
  });
});

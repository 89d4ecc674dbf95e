// Bad and hostile input the validator does not send, black-box against `wopi-workbench serve`: lock-ID
// limits, malformed UTF-7 names, path-traversal file ids, wrong or view-only tokens, unknown overrides,
// X-WOPI-MaxExpectedSize, and files removed behind the host's back.
import assert from 'node:assert/strict';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { startServe } from '../../helpers/cli-process';
import type { ServeHandle } from '../../helpers/cli-process';
import {
  checkFileInfo,
  deleteFile,
  expectHeader,
  expectLockMismatch,
  expectStatus,
  getFile,
  getLock,
  lock,
  postOverride,
  putFile,
  putRelativeFile,
  refreshLock,
  renameFile,
  sendRequest,
  unlock,
  unlockAndRelock,
  validatorDocuments,
} from '../../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../../helpers/wopi-client';

const MAIN_FILE = 'bad-input.wopitest';
const OTHER_FILE = 'other.wopitest';
const VIEW_FILE = 'view-only.wopitest';
const RENAME_FILE = 'rename-me.wopitest';
const DOOMED_FILE = 'doomed.wopitest';
const SECRET = 'TOP-SECRET-OUTSIDE-THE-SERVED-FOLDER';
const LOCK = 'LockString';
const TEST_TIMEOUT = { timeout: 60_000 };

let serve: ServeHandle;
let main: WopiTarget;
let other: WopiTarget;
let viewEdit: WopiTarget;
let viewOnly: WopiTarget;
let renameTarget: WopiTarget;
let doomed: WopiTarget;

before(async () => {
  serve = await startServe({
    files: {
      [MAIN_FILE]: validatorDocuments.wordSimple,
      [OTHER_FILE]: validatorDocuments.wordComplex,
      [VIEW_FILE]: validatorDocuments.wordBlank,
      [RENAME_FILE]: validatorDocuments.wordBlank,
      [DOOMED_FILE]: validatorDocuments.wordBlank,
    },
  });
  // A file next to the served folder: no file id may ever reach it.
  await writeFile(path.join(serve.root, 'outside-secret.txt'), SECRET);
  // Each token command is a process of its own; mint them side by side.
  [main, other, viewEdit, viewOnly, renameTarget, doomed] = await Promise.all([
    serve.token(MAIN_FILE),
    serve.token(OTHER_FILE),
    serve.token(VIEW_FILE),
    serve.token(VIEW_FILE, { permissions: 'view' }),
    serve.token(RENAME_FILE),
    serve.token(DOOMED_FILE),
  ]);
});

after(async () => {
  await serve?.stop();
});

afterEach(async () => {
  for (const target of [main, viewEdit]) {
    for (const lockId of [LOCK, 'NewLockString', 'L'.repeat(1024)]) await unlock(target, lockId);
  }
});

function expectNot2xx(res: WopiResponse, what: string): void {
  assert.ok(
    res.status < 200 || res.status > 299,
    `${what}: must be refused, got ${res.status}\n${res.describe()}`,
  );
}

async function expectUnlocked(target: WopiTarget, what: string): Promise<void> {
  const res = await getLock(target);
  expectStatus(res, 200, `GetLock (${what})`);
  expectHeader(res, 'X-WOPI-Lock', '', `GetLock (${what})`);
}

async function expectLockedWith(target: WopiTarget, lockId: string, what: string): Promise<void> {
  const res = await getLock(target);
  expectStatus(res, 200, `GetLock (${what})`);
  expectHeader(res, 'X-WOPI-Lock', lockId, `GetLock (${what})`);
}

async function expectContent(target: WopiTarget, expected: Buffer, what: string): Promise<void> {
  const res = await getFile(target);
  expectStatus(res, 200, `GetFile (${what})`);
  assert.deepEqual(res.body, expected, `GetFile (${what}) returned other bytes\n${res.describe()}`);
}

/** Names in the served folder and in the temp root around it, to prove nothing was written elsewhere. */
async function snapshotDisk(): Promise<{ folder: string[]; root: string[] }> {
  return { folder: (await readdir(serve.folder)).sort(), root: (await readdir(serve.root)).sort() };
}

void describe('lock ID limits', () => {
  void it('Lock without X-WOPI-Lock: 400, nothing locked', TEST_TIMEOUT, async () => {
    expectStatus(await lock(main, undefined), 400, 'Lock without X-WOPI-Lock');
    await expectUnlocked(main, 'after the refused Lock');
  });

  void it('Lock with an empty X-WOPI-Lock: 400, nothing locked', TEST_TIMEOUT, async () => {
    expectStatus(await lock(main, ''), 400, 'Lock with X-WOPI-Lock ""');
    await expectUnlocked(main, 'after the refused Lock');
  });

  void it(
    'Unlock, RefreshLock and UnlockAndRelock without X-WOPI-Lock: 400, lock kept',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await lock(main, LOCK), 200, 'Lock');
      expectStatus(await unlock(main, undefined), 400, 'Unlock without X-WOPI-Lock');
      expectStatus(await refreshLock(main, undefined), 400, 'RefreshLock without X-WOPI-Lock');
      expectStatus(await unlockAndRelock(main, undefined, LOCK), 400, 'UnlockAndRelock without X-WOPI-Lock');
      await expectLockedWith(main, LOCK, 'after the refused requests');
    },
  );

  void it('1025-character lock ID: 400 on Lock and on UnlockAndRelock', TEST_TIMEOUT, async () => {
    const tooLong = 'L'.repeat(1025);
    expectStatus(await lock(main, tooLong), 400, 'Lock with 1025 characters');
    await expectUnlocked(main, 'after the refused Lock');
    expectStatus(await lock(main, LOCK), 200, 'Lock');
    expectStatus(await unlockAndRelock(main, tooLong, LOCK), 400, 'UnlockAndRelock to 1025 characters');
    await expectLockedWith(main, LOCK, 'after the refused UnlockAndRelock');
  });

  void it('1024-character lock ID is accepted', TEST_TIMEOUT, async () => {
    const longest = 'L'.repeat(1024);
    expectStatus(await lock(main, longest), 200, 'Lock with 1024 characters');
    await expectLockedWith(main, longest, 'after Lock');
    expectStatus(await unlock(main, longest), 200, 'Unlock');
  });

  void it('UnlockAndRelock on an unlocked file: 409 with X-WOPI-Lock ""', TEST_TIMEOUT, async () => {
    expectLockMismatch(await unlockAndRelock(main, 'NewLockString', LOCK), '', 'UnlockAndRelock');
    await expectUnlocked(main, 'after the refused UnlockAndRelock');
  });

  void it(
    'PutFile without X-WOPI-Lock on a locked file: 409 with the current lock, nothing written',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await lock(main, LOCK), 200, 'Lock');
      expectLockMismatch(
        await putFile(main, validatorDocuments.wordBlank),
        LOCK,
        'PutFile without X-WOPI-Lock',
      );
      await expectContent(main, validatorDocuments.wordSimple, 'after the refused PutFile');
    },
  );
});

void describe('malformed and hostile names', () => {
  for (const raw of ['bad+*name.wopitestx', 'bad+AG-name.wopitestx']) {
    void it(
      `PutRelativeFile with malformed UTF-7 X-WOPI-RelativeTarget ${JSON.stringify(raw)}: 400`,
      TEST_TIMEOUT,
      async () => {
        const disk = await snapshotDisk();
        const res = await putRelativeFile(main, validatorDocuments.wordBlank, {
          relativeTarget: raw,
          rawTargets: true,
        });
        expectStatus(res, 400, 'PutRelativeFile');
        assert.deepEqual(await snapshotDisk(), disk, 'no file may be created');
      },
    );

    void it(
      `RenameFile with malformed UTF-7 X-WOPI-RequestedName ${JSON.stringify(raw.replace('.wopitestx', ''))}: 400`,
      TEST_TIMEOUT,
      async () => {
        const res = await renameFile(renameTarget, raw.replace('.wopitestx', ''), { rawName: true });
        expectStatus(res, 400, 'RenameFile');
        const info = await checkFileInfo(renameTarget);
        expectStatus(info, 200);
        assert.equal(info.json()['BaseFileName'], RENAME_FILE, `name unchanged\n${info.describe()}`);
      },
    );
  }

  void it(
    'PutRelativeFile with X-WOPI-RelativeTarget "../escape.wopitestx": 400, nothing outside the folder',
    TEST_TIMEOUT,
    async () => {
      const disk = await snapshotDisk();
      const res = await putRelativeFile(main, validatorDocuments.wordBlank, {
        relativeTarget: '../escape.wopitestx',
      });
      expectStatus(res, 400, 'PutRelativeFile');
      assert.deepEqual(await snapshotDisk(), disk, 'no file may be created');
    },
  );

  void it(
    'RenameFile to "../escaped": refused or sanitised, never outside the folder',
    TEST_TIMEOUT,
    async () => {
      const rootBefore = (await readdir(serve.root)).sort();
      const res = await renameFile(renameTarget, '../escaped');
      expectStatus(res, [200, 400], 'RenameFile');
      assert.deepEqual(
        (await readdir(serve.root)).sort(),
        rootBefore,
        'nothing may appear next to the folder',
      );
      if (res.status === 200) {
        const name = res.json()['Name'];
        assert.ok(typeof name === 'string' && !name.includes('/') && !name.includes('..'), res.describe());
        assert.ok(
          (await readdir(serve.folder)).includes(`${name}.wopitest`),
          `renamed inside the folder\n${res.describe()}`,
        );
        expectStatus(await renameFile(renameTarget, 'rename-me'), 200, 'rename back');
      }
    },
  );
});

void describe('file ids and tokens', () => {
  const traversalIds = [
    '..%2F..%2Foutside-secret.txt',
    '..%2Foutside-secret.txt',
    '%2e%2e%2f%2e%2e%2foutside-secret.txt',
    '%2E%2E%2Foutside-secret.txt',
    '..%5C..%5Coutside-secret.txt',
    '..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
    'does-not-exist',
  ];
  for (const id of traversalIds) {
    for (const suffix of ['', '/contents']) {
      void it(`GET /wopi/files/${id}${suffix}: 401 or 404, no file content`, TEST_TIMEOUT, async () => {
        const origin = new URL(main.wopiSrc).origin;
        const query = `?access_token=${encodeURIComponent(main.accessToken)}`;
        const res = await sendRequest({
          method: 'GET',
          url: origin,
          rawPath: `/wopi/files/${id}${suffix}${query}`,
          headers: { Authorization: `Bearer ${main.accessToken}` },
        });
        expectStatus(res, [401, 404]);
        assert.ok(!res.text.includes(SECRET), `secret leaked\n${res.describe()}`);
        assert.ok(!res.text.includes('root:'), `/etc/passwd leaked\n${res.describe()}`);
        assert.ok(
          !res.body.equals(validatorDocuments.wordSimple),
          `the token's own file was served\n${res.describe()}`,
        );
      });
    }
  }

  void it(
    'GET /wopi/files/../../outside-secret.txt (raw dot segments): 401 or 404, no content',
    TEST_TIMEOUT,
    async () => {
      const origin = new URL(main.wopiSrc).origin;
      const res = await sendRequest({
        method: 'GET',
        url: origin,
        rawPath: `/wopi/files/../../outside-secret.txt/contents?access_token=${encodeURIComponent(main.accessToken)}`,
      });
      expectStatus(res, [401, 404]);
      assert.ok(!res.text.includes(SECRET), `secret leaked\n${res.describe()}`);
    },
  );

  void it(
    "another file's token: 401 on CheckFileInfo, GetFile, PutFile and Lock; nothing read or written",
    TEST_TIMEOUT,
    async () => {
      const info = await checkFileInfo(main, { token: other.accessToken });
      expectStatus(info, 401, "CheckFileInfo with another file's token");
      const bytes = await getFile(main, { token: other.accessToken });
      expectStatus(bytes, 401, "GetFile with another file's token");
      assert.ok(!bytes.body.equals(validatorDocuments.wordSimple), `file leaked\n${bytes.describe()}`);
      assert.ok(
        !bytes.body.equals(validatorDocuments.wordComplex),
        `token's own file served\n${bytes.describe()}`,
      );
      expectStatus(
        await putFile(main, validatorDocuments.wordBlank, { token: other.accessToken }),
        401,
        'PutFile',
      );
      expectStatus(await lock(main, LOCK, { token: other.accessToken }), 401, 'Lock');
      await expectContent(main, validatorDocuments.wordSimple, 'after the refused PutFile');
      await expectUnlocked(main, 'after the refused Lock');
    },
  );

  void it('garbage or missing token: 401', TEST_TIMEOUT, async () => {
    expectStatus(
      await checkFileInfo(main, { token: 'garbage0token0that0was0never0minted' }),
      401,
      'CheckFileInfo',
    );
    expectStatus(await getFile(main, { token: 'x' }), 401, 'GetFile');
    const bare = await sendRequest({ method: 'GET', url: main.wopiSrc });
    expectStatus(bare, 401, 'CheckFileInfo without access_token');
  });

  void it(
    'view-only token: UserCanWrite false; PutFile, Lock, RenameFile and DeleteFile refused',
    TEST_TIMEOUT,
    async () => {
      const info = await checkFileInfo(viewOnly);
      expectStatus(info, 200, 'CheckFileInfo with a view token');
      assert.ok(info.json()['UserCanWrite'] !== true, `UserCanWrite must not be true\n${info.describe()}`);
      expectNot2xx(await putFile(viewOnly, validatorDocuments.wordSimple), 'PutFile with a view token');
      expectNot2xx(await lock(viewOnly, LOCK), 'Lock with a view token');
      await expectUnlocked(viewEdit, 'after the refused Lock');
      // Even with the right lock ID, a view token may not write.
      expectStatus(await lock(viewEdit, LOCK), 200, 'Lock with an edit token');
      expectNot2xx(
        await putFile(viewOnly, validatorDocuments.wordSimple, { lock: LOCK }),
        'PutFile with a view token',
      );
      expectStatus(await unlock(viewEdit, LOCK), 200, 'Unlock with an edit token');
      expectNot2xx(await renameFile(viewOnly, 'renamed-by-viewer'), 'RenameFile with a view token');
      expectNot2xx(await deleteFile(viewOnly), 'DeleteFile with a view token');
      await expectContent(viewEdit, validatorDocuments.wordBlank, 'after the refused writes');
      const afterInfo = await checkFileInfo(viewEdit);
      expectStatus(afterInfo, 200);
      assert.equal(afterInfo.json()['BaseFileName'], VIEW_FILE, afterInfo.describe());
    },
  );

  void it('unknown X-WOPI-Override: 501', TEST_TIMEOUT, async () => {
    expectStatus(await postOverride(main, 'NOT_A_WOPI_OPERATION'), 501, 'POST with an unknown override');
  });
});

void describe('GetFile and file state', () => {
  void it('X-WOPI-MaxExpectedSize below the file size: 412; equal or above: 200', TEST_TIMEOUT, async () => {
    const size = validatorDocuments.wordSimple.length;
    expectStatus(await getFile(main, { maxExpectedSize: size - 1 }), 412, 'MaxExpectedSize = size - 1');
    const exact = await getFile(main, { maxExpectedSize: size });
    expectStatus(exact, 200, 'MaxExpectedSize = size');
    assert.deepEqual(exact.body, validatorDocuments.wordSimple, exact.describe());
    expectStatus(await getFile(main, { maxExpectedSize: size + 1 }), 200, 'MaxExpectedSize = size + 1');
  });

  void it(
    'a file deleted on disk: CheckFileInfo becomes 404 (never 200 with stale data, never 5xx)',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await checkFileInfo(doomed), 200, 'CheckFileInfo before the delete');
      await rm(path.join(serve.folder, DOOMED_FILE));
      // The host may learn about the delete from its watcher; poll, bounded, and never accept a 5xx.
      let res = await checkFileInfo(doomed);
      for (let attempt = 0; attempt < 50 && res.status === 200; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        res = await checkFileInfo(doomed);
        assert.ok(res.status < 500, `5xx for a deleted file\n${res.describe()}`);
      }
      expectStatus(res, 404, 'CheckFileInfo after the file was deleted on disk');
      expectStatus(await getFile(doomed), 404, 'GetFile after the file was deleted on disk');
    },
  );
});

void describe('upload limit (serve --max-upload-mb 1)', () => {
  const LIMIT_FILE = 'limit.wopitest';
  const overLimit = Buffer.alloc(1024 * 1024 + 1, 0x61);
  const underLimit = Buffer.alloc(512 * 1024, 0x62);
  let limited: ServeHandle;
  let target: WopiTarget;

  before(async () => {
    limited = await startServe({
      files: { [LIMIT_FILE]: validatorDocuments.wordBlank },
      args: ['--max-upload-mb', '1'],
    });
    target = await limited.token(LIMIT_FILE);
  });

  after(async () => {
    await limited?.stop();
  });

  void it('PutFile over the limit: 413, nothing written; under the limit: 200', TEST_TIMEOUT, async () => {
    expectStatus(await lock(target, LOCK), 200, 'Lock');
    expectStatus(await putFile(target, overLimit, { lock: LOCK }), 413, 'PutFile of 1 MiB + 1 byte');
    await expectContent(target, validatorDocuments.wordBlank, 'after the refused PutFile');
    expectStatus(await putFile(target, underLimit, { lock: LOCK }), 200, 'PutFile of 512 KiB');
    await expectContent(target, underLimit, 'after PutFile');
    expectStatus(await unlock(target, LOCK), 200, 'Unlock');
  });

  void it('PutRelativeFile over the limit: 413, no file created', TEST_TIMEOUT, async () => {
    const listed = (await readdir(limited.folder)).sort();
    const res = await putRelativeFile(target, overLimit, { relativeTarget: 'too-big.wopitestx' });
    expectStatus(res, 413, 'PutRelativeFile of 1 MiB + 1 byte');
    assert.deepEqual((await readdir(limited.folder)).sort(), listed, 'no file may be created');
  });
});

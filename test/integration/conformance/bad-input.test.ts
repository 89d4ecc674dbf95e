// Bad and hostile input the validator does not send, black-box against `wopi-workbench serve`: lock-ID
// limits, malformed UTF-7 names, path-traversal file ids, wrong or view-only tokens, unknown overrides,
// X-WOPI-MaxExpectedSize, and files removed behind the host's back.
import assert from 'node:assert/strict';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { LOCK, NEW_LOCK, TEST_TIMEOUT, serveForSuite } from '../../helpers/conformance';
import {
  checkFileInfo,
  deleteFile,
  expectLockMismatch,
  expectStatus,
  getFile,
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
import { expectBaseFileName, expectContent, expectGetLock } from '../../helpers/wopi-expect';

const MAIN_FILE = 'bad-input.wopitest';
const OTHER_FILE = 'other.wopitest';
const VIEW_FILE = 'view-only.wopitest';
const RENAME_FILE = 'rename-me.wopitest';
const DOOMED_FILE = 'doomed.wopitest';
const SECRET = 'TOP-SECRET-OUTSIDE-THE-SERVED-FOLDER';

const fx = serveForSuite(
  {
    files: {
      [MAIN_FILE]: validatorDocuments.wordSimple,
      [OTHER_FILE]: validatorDocuments.wordComplex,
      [VIEW_FILE]: validatorDocuments.wordBlank,
      [RENAME_FILE]: validatorDocuments.wordBlank,
      [DOOMED_FILE]: validatorDocuments.wordBlank,
    },
  },
  {
    main: MAIN_FILE,
    other: OTHER_FILE,
    viewEdit: VIEW_FILE,
    viewOnly: [VIEW_FILE, { permissions: 'view' }],
    renameTarget: RENAME_FILE,
    doomed: DOOMED_FILE,
  },
  {
    // A file next to the served folder: no file id may ever reach it.
    setup: (serve) => writeFile(path.join(serve.root, 'outside-secret.txt'), SECRET),
  },
);

afterEach(async () => {
  for (const target of [fx.main, fx.viewEdit]) {
    for (const lockId of [LOCK, NEW_LOCK, 'L'.repeat(1024)]) await unlock(target, lockId);
  }
});

function expectNot2xx(res: WopiResponse, what: string): void {
  assert.ok(
    res.status < 200 || res.status > 299,
    `${what}: must be refused, got ${res.status}\n${res.describe()}`,
  );
}

const expectUnlocked = (target: WopiTarget, what: string): Promise<void> =>
  expectGetLock(target, '', `GetLock (${what})`);
const expectLockedWith = (target: WopiTarget, lockId: string, what: string): Promise<void> =>
  expectGetLock(target, lockId, `GetLock (${what})`);

/** Names in the served folder and in the temp root around it, to prove nothing was written elsewhere. */
async function snapshotDisk(): Promise<{ folder: string[]; root: string[] }> {
  return { folder: (await readdir(fx.serve.folder)).sort(), root: (await readdir(fx.serve.root)).sort() };
}

void describe('lock ID limits', () => {
  for (const [title, lockId, what] of [
    ['Lock without X-WOPI-Lock: 400, nothing locked', undefined, 'Lock without X-WOPI-Lock'],
    ['Lock with an empty X-WOPI-Lock: 400, nothing locked', '', 'Lock with X-WOPI-Lock ""'],
  ] as const) {
    void it(title, TEST_TIMEOUT, async () => {
      expectStatus(await lock(fx.main, lockId), 400, what);
      await expectUnlocked(fx.main, 'after the refused Lock');
    });
  }

  void it(
    'Unlock, RefreshLock and UnlockAndRelock without X-WOPI-Lock: 400, lock kept',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await lock(fx.main, LOCK), 200, 'Lock');
      expectStatus(await unlock(fx.main, undefined), 400, 'Unlock without X-WOPI-Lock');
      expectStatus(await refreshLock(fx.main, undefined), 400, 'RefreshLock without X-WOPI-Lock');
      expectStatus(
        await unlockAndRelock(fx.main, undefined, LOCK),
        400,
        'UnlockAndRelock without X-WOPI-Lock',
      );
      await expectLockedWith(fx.main, LOCK, 'after the refused requests');
    },
  );

  void it('1025-character lock ID: 400 on Lock and on UnlockAndRelock', TEST_TIMEOUT, async () => {
    const tooLong = 'L'.repeat(1025);
    expectStatus(await lock(fx.main, tooLong), 400, 'Lock with 1025 characters');
    await expectUnlocked(fx.main, 'after the refused Lock');
    expectStatus(await lock(fx.main, LOCK), 200, 'Lock');
    expectStatus(await unlockAndRelock(fx.main, tooLong, LOCK), 400, 'UnlockAndRelock to 1025 characters');
    await expectLockedWith(fx.main, LOCK, 'after the refused UnlockAndRelock');
  });

  void it('1024-character lock ID is accepted', TEST_TIMEOUT, async () => {
    const longest = 'L'.repeat(1024);
    expectStatus(await lock(fx.main, longest), 200, 'Lock with 1024 characters');
    await expectLockedWith(fx.main, longest, 'after Lock');
    expectStatus(await unlock(fx.main, longest), 200, 'Unlock');
  });

  void it('UnlockAndRelock on an unlocked file: 409 with X-WOPI-Lock ""', TEST_TIMEOUT, async () => {
    expectLockMismatch(await unlockAndRelock(fx.main, NEW_LOCK, LOCK), '', 'UnlockAndRelock');
    await expectUnlocked(fx.main, 'after the refused UnlockAndRelock');
  });

  void it(
    'PutFile without X-WOPI-Lock on a locked file: 409 with the current lock, nothing written',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await lock(fx.main, LOCK), 200, 'Lock');
      expectLockMismatch(
        await putFile(fx.main, validatorDocuments.wordBlank),
        LOCK,
        'PutFile without X-WOPI-Lock',
      );
      await expectContent(fx.main, validatorDocuments.wordSimple, 'after the refused PutFile');
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
        const res = await putRelativeFile(fx.main, validatorDocuments.wordBlank, {
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
        const res = await renameFile(fx.renameTarget, raw.replace('.wopitestx', ''), { rawName: true });
        expectStatus(res, 400, 'RenameFile');
        await expectBaseFileName(fx.renameTarget, RENAME_FILE, 'name unchanged');
      },
    );
  }

  void it(
    'PutRelativeFile with X-WOPI-RelativeTarget "../escape.wopitestx": 400, nothing outside the folder',
    TEST_TIMEOUT,
    async () => {
      const disk = await snapshotDisk();
      const res = await putRelativeFile(fx.main, validatorDocuments.wordBlank, {
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
      const rootBefore = (await readdir(fx.serve.root)).sort();
      const res = await renameFile(fx.renameTarget, '../escaped');
      expectStatus(res, [200, 400], 'RenameFile');
      assert.deepEqual(
        (await readdir(fx.serve.root)).sort(),
        rootBefore,
        'nothing may appear next to the folder',
      );
      if (res.status === 200) {
        const name = res.json()['Name'];
        assert.ok(typeof name === 'string' && !name.includes('/') && !name.includes('..'), res.describe());
        assert.ok(
          (await readdir(fx.serve.folder)).includes(`${name}.wopitest`),
          `renamed inside the folder\n${res.describe()}`,
        );
        expectStatus(await renameFile(fx.renameTarget, 'rename-me'), 200, 'rename back');
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
        const origin = new URL(fx.main.wopiSrc).origin;
        const query = `?access_token=${encodeURIComponent(fx.main.accessToken)}`;
        const res = await sendRequest({
          method: 'GET',
          url: origin,
          rawPath: `/wopi/files/${id}${suffix}${query}`,
          headers: { Authorization: `Bearer ${fx.main.accessToken}` },
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
      const origin = new URL(fx.main.wopiSrc).origin;
      const res = await sendRequest({
        method: 'GET',
        url: origin,
        rawPath: `/wopi/files/../../outside-secret.txt/contents?access_token=${encodeURIComponent(fx.main.accessToken)}`,
      });
      expectStatus(res, [401, 404]);
      assert.ok(!res.text.includes(SECRET), `secret leaked\n${res.describe()}`);
    },
  );

  void it(
    "another file's token: 401 on CheckFileInfo, GetFile, PutFile and Lock; nothing read or written",
    TEST_TIMEOUT,
    async () => {
      const info = await checkFileInfo(fx.main, { token: fx.other.accessToken });
      expectStatus(info, 401, "CheckFileInfo with another file's token");
      const bytes = await getFile(fx.main, { token: fx.other.accessToken });
      expectStatus(bytes, 401, "GetFile with another file's token");
      assert.ok(!bytes.body.equals(validatorDocuments.wordSimple), `file leaked\n${bytes.describe()}`);
      assert.ok(
        !bytes.body.equals(validatorDocuments.wordComplex),
        `token's own file served\n${bytes.describe()}`,
      );
      expectStatus(
        await putFile(fx.main, validatorDocuments.wordBlank, { token: fx.other.accessToken }),
        401,
        'PutFile',
      );
      expectStatus(await lock(fx.main, LOCK, { token: fx.other.accessToken }), 401, 'Lock');
      await expectContent(fx.main, validatorDocuments.wordSimple, 'after the refused PutFile');
      await expectUnlocked(fx.main, 'after the refused Lock');
    },
  );

  void it('garbage or missing token: 401', TEST_TIMEOUT, async () => {
    expectStatus(
      await checkFileInfo(fx.main, { token: 'garbage0token0that0was0never0minted' }),
      401,
      'CheckFileInfo',
    );
    expectStatus(await getFile(fx.main, { token: 'x' }), 401, 'GetFile');
    const bare = await sendRequest({ method: 'GET', url: fx.main.wopiSrc });
    expectStatus(bare, 401, 'CheckFileInfo without access_token');
  });

  void it(
    'view-only token: UserCanWrite false; PutFile, Lock, RenameFile and DeleteFile refused',
    TEST_TIMEOUT,
    async () => {
      const info = await checkFileInfo(fx.viewOnly);
      expectStatus(info, 200, 'CheckFileInfo with a view token');
      assert.ok(info.json()['UserCanWrite'] !== true, `UserCanWrite must not be true\n${info.describe()}`);
      expectNot2xx(await putFile(fx.viewOnly, validatorDocuments.wordSimple), 'PutFile with a view token');
      expectNot2xx(await lock(fx.viewOnly, LOCK), 'Lock with a view token');
      await expectUnlocked(fx.viewEdit, 'after the refused Lock');
      // Even with the right lock ID, a view token may not write.
      expectStatus(await lock(fx.viewEdit, LOCK), 200, 'Lock with an edit token');
      expectNot2xx(
        await putFile(fx.viewOnly, validatorDocuments.wordSimple, { lock: LOCK }),
        'PutFile with a view token',
      );
      expectStatus(await unlock(fx.viewEdit, LOCK), 200, 'Unlock with an edit token');
      expectNot2xx(await renameFile(fx.viewOnly, 'renamed-by-viewer'), 'RenameFile with a view token');
      expectNot2xx(await deleteFile(fx.viewOnly), 'DeleteFile with a view token');
      await expectContent(fx.viewEdit, validatorDocuments.wordBlank, 'after the refused writes');
      await expectBaseFileName(fx.viewEdit, VIEW_FILE, 'after the refused writes');
    },
  );

  void it('unknown X-WOPI-Override: 501', TEST_TIMEOUT, async () => {
    expectStatus(await postOverride(fx.main, 'NOT_A_WOPI_OPERATION'), 501, 'POST with an unknown override');
  });
});

void describe('GetFile and file state', () => {
  void it('X-WOPI-MaxExpectedSize below the file size: 412; equal or above: 200', TEST_TIMEOUT, async () => {
    const size = validatorDocuments.wordSimple.length;
    expectStatus(await getFile(fx.main, { maxExpectedSize: size - 1 }), 412, 'MaxExpectedSize = size - 1');
    const exact = await getFile(fx.main, { maxExpectedSize: size });
    expectStatus(exact, 200, 'MaxExpectedSize = size');
    assert.deepEqual(exact.body, validatorDocuments.wordSimple, exact.describe());
    expectStatus(await getFile(fx.main, { maxExpectedSize: size + 1 }), 200, 'MaxExpectedSize = size + 1');
  });

  void it(
    'a file deleted on disk: CheckFileInfo becomes 404 (never 200 with stale data, never 5xx)',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await checkFileInfo(fx.doomed), 200, 'CheckFileInfo before the delete');
      await rm(path.join(fx.serve.folder, DOOMED_FILE));
      // The host may learn about the delete from its watcher; poll, bounded, and never accept a 5xx.
      let res = await checkFileInfo(fx.doomed);
      for (let attempt = 0; attempt < 50 && res.status === 200; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        res = await checkFileInfo(fx.doomed);
        assert.ok(res.status < 500, `5xx for a deleted file\n${res.describe()}`);
      }
      expectStatus(res, 404, 'CheckFileInfo after the file was deleted on disk');
      expectStatus(await getFile(fx.doomed), 404, 'GetFile after the file was deleted on disk');
    },
  );
});

void describe('upload limit (serve --max-upload-mb 1)', () => {
  const LIMIT_FILE = 'limit.wopitest';
  const overLimit = Buffer.alloc(1024 * 1024 + 1, 0x61);
  const underLimit = Buffer.alloc(512 * 1024, 0x62);
  const limited = serveForSuite(
    { files: { [LIMIT_FILE]: validatorDocuments.wordBlank }, args: ['--max-upload-mb', '1'] },
    { target: LIMIT_FILE },
  );

  void it('PutFile over the limit: 413, nothing written; under the limit: 200', TEST_TIMEOUT, async () => {
    expectStatus(await lock(limited.target, LOCK), 200, 'Lock');
    expectStatus(await putFile(limited.target, overLimit, { lock: LOCK }), 413, 'PutFile of 1 MiB + 1 byte');
    await expectContent(limited.target, validatorDocuments.wordBlank, 'after the refused PutFile');
    expectStatus(await putFile(limited.target, underLimit, { lock: LOCK }), 200, 'PutFile of 512 KiB');
    await expectContent(limited.target, underLimit, 'after PutFile');
    expectStatus(await unlock(limited.target, LOCK), 200, 'Unlock');
  });

  void it('PutRelativeFile over the limit: 413, no file created', TEST_TIMEOUT, async () => {
    const listed = (await readdir(limited.serve.folder)).sort();
    const res = await putRelativeFile(limited.target, overLimit, { relativeTarget: 'too-big.wopitestx' });
    expectStatus(res, 413, 'PutRelativeFile of 1 MiB + 1 byte');
    assert.deepEqual((await readdir(limited.serve.folder)).sort(), listed, 'no file may be created');
  });
});

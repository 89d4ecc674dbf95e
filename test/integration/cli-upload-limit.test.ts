// `serve --max-upload-mb` reaches the WOPI host: an upload over the limit is refused with 413 and
// writes nothing (not PutFile's bytes, not a PutRelativeFile's new file); one under it is written.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServe } from '../helpers/cli-process';
import type { ServeHandle, TokenGrant } from '../helpers/cli-process';
import { expectStatus, lock, putFile, putRelativeFile, unlock } from '../helpers/wopi-client';

const FILE = 'limit.wopitest';
const CONTENT = Buffer.from('bytes before the uploads\n');
const MIB = 1024 * 1024;
const TIMEOUT = { timeout: 60_000 };

void describe('upload limit (serve --max-upload-mb 1)', () => {
  let serve: ServeHandle;
  let target: TokenGrant;
  const over = Buffer.alloc(MIB + 1, 0x61);
  const under = Buffer.alloc(MIB / 2, 0x62);

  before(async () => {
    serve = await startServe({ files: { [FILE]: CONTENT }, args: ['--max-upload-mb', '1'] });
    target = await serve.token(FILE);
  });
  after(() => serve?.stop());

  void it(
    'PutFile over the limit: 413, the bytes on disk unchanged; under it: 200, written',
    TIMEOUT,
    async () => {
      expectStatus(await lock(target, 'L'), 200, 'Lock');
      expectStatus(await putFile(target, over, { lock: 'L' }), 413, 'PutFile of 1 MiB + 1 byte');
      assert.deepEqual(await readFile(path.join(serve.folder, FILE)), CONTENT);
      expectStatus(await putFile(target, under, { lock: 'L' }), 200, 'PutFile of 512 KiB');
      assert.deepEqual(await readFile(path.join(serve.folder, FILE)), under);
      expectStatus(await unlock(target, 'L'), 200, 'Unlock');
    },
  );

  void it('PutRelativeFile over the limit: 413, no file created', TIMEOUT, async () => {
    const before = (await readdir(serve.folder)).sort();
    const res = await putRelativeFile(target, over, { relativeTarget: 'too-big.wopitestx' });
    expectStatus(res, 413, 'PutRelativeFile of 1 MiB + 1 byte');
    assert.deepEqual((await readdir(serve.folder)).sort(), before);
  });
});

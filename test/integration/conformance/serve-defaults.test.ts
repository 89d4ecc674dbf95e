// `serve` exactly as the CLI contract and the README quick start run it (no --proof, no --client): the
// token command exists for curl, Postman and Microsoft's validator, none of which sign requests, so a
// plain run must answer them. Every other conformance file runs the same plain `serve`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServe } from '../../helpers/cli-process';
import type { ServeHandle } from '../../helpers/cli-process';
import {
  checkFileInfo,
  expectStatus,
  getFile,
  lock,
  unlock,
  validatorDocuments,
} from '../../helpers/wopi-client';
import type { WopiTarget } from '../../helpers/wopi-client';

const FILE = 'defaults.wopitest';
const TEST_TIMEOUT = { timeout: 60_000 };

let serve: ServeHandle;
let target: WopiTarget;

before(async () => {
  serve = await startServe({ files: { [FILE]: validatorDocuments.wordBlank }, proof: 'default' });
  // The CLI's own token command, as the contract and README use it.
  target = await serve.tokenViaCli(FILE);
});

after(async () => {
  await serve?.stop();
});

void describe('serve with the contract flags only', () => {
  void it(
    'answers unsigned CheckFileInfo, GetFile, Lock and Unlock like the validator sends them',
    TEST_TIMEOUT,
    async () => {
      const info = await checkFileInfo(target);
      expectStatus(info, 200, 'CheckFileInfo without proof headers');
      assert.equal(info.json()['BaseFileName'], FILE, info.describe());
      const file = await getFile(target);
      expectStatus(file, 200, 'GetFile without proof headers');
      assert.deepEqual(file.body, validatorDocuments.wordBlank, file.describe());
      expectStatus(await lock(target, 'LockString'), 200, 'Lock without proof headers');
      expectStatus(await unlock(target, 'LockString'), 200, 'Unlock without proof headers');
    },
  );
});

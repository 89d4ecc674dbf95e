// `serve` exactly as the CLI contract and the README quick start run it (no --proof, no --client): the
// token command exists for curl, Postman and Microsoft's validator, none of which sign requests, so a
// plain run must answer them. Every other conformance file runs the same plain `serve`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCK, TEST_TIMEOUT, serveForSuite } from '../../helpers/conformance';
import { expectStatus, lock, unlock, validatorDocuments } from '../../helpers/wopi-client';
import { expectBaseFileName, expectContent } from '../../helpers/wopi-expect';

const FILE = 'defaults.wopitest';

// The CLI's own token command, as the contract and README use it.
const fx = serveForSuite(
  { files: { [FILE]: validatorDocuments.wordBlank }, proof: 'default' },
  { target: FILE },
  { viaCli: true },
);

void describe('serve with the contract flags only', () => {
  void it(
    'answers unsigned CheckFileInfo, GetFile, Lock and Unlock like the validator sends them',
    TEST_TIMEOUT,
    async () => {
      const info = await expectBaseFileName(fx.target, FILE, 'without proof headers');
      // The token command mints an edit token by default, so the edit groups run rather than skip.
      assert.equal(info.json()['UserCanWrite'], true, `UserCanWrite\n${info.describe()}`);
      await expectContent(fx.target, validatorDocuments.wordBlank, 'without proof headers');
      expectStatus(await lock(fx.target, LOCK), 200, 'Lock without proof headers');
      expectStatus(await unlock(fx.target, LOCK), 200, 'Unlock without proof headers');
    },
  );
});

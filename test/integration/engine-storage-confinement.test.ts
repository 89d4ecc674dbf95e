// Storage behaviour of the engine (DESIGN "Security model"), the folder boundary: symlinks and traversal
// never reach bytes outside the served folder, and a data dir inside it is refused before anything is
// written. In-process createWorkbench on port 0, real files and SQLite.
import assert from 'node:assert/strict';
import { readdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../server/config/options';
import { createWorkbench } from '../../server/workbench';
import { runCli } from '../helpers/cli-process';
import { forSuite, makeRoot, startEngine } from '../helpers/engine-fixture';
import { checkFileInfo, expectStatus, getFile, lock, putFile, sendRequest } from '../helpers/wopi-client';
import type { WopiResponse } from '../helpers/wopi-client';

describe('nothing outside the folder is ever served', () => {
  const SECRET = Buffer.from('TOP-SECRET bytes that live outside the served folder');
  const b = forSuite(async () => {
    const root = await makeRoot(
      'wb-storage-',
      { 'inside.docx': 'inside', 'swap.docx': 'will become a symlink' },
      { outside: true },
    );
    await writeFile(path.join(root, 'outside', 'secret.docx'), SECRET);
    await writeFile(path.join(root, 'secret.docx'), SECRET);
    await symlink(path.join(root, 'outside', 'secret.docx'), path.join(root, 'folder', 'link.docx'));
    await symlink(path.join(root, 'outside'), path.join(root, 'folder', 'linkdir'));
    return startEngine(root);
  });

  const neverSecret = (res: WopiResponse, what: string): void => {
    assert.ok(!res.body.includes(SECRET), `${what} served the outside bytes\n${res.describe()}`);
    assert.notEqual(res.status, 200, `${what} must not succeed\n${res.describe()}`);
  };

  it('symlinks to outside files or folders are not indexed, and the token command refuses them', async () => {
    assert.deepEqual(
      (await b.engine.index.list()).map((f) => f.path),
      ['inside.docx', 'swap.docx'],
    );
    const rels = ['link.docx', 'linkdir/secret.docx', '../secret.docx', '../outside/secret.docx'];
    for (const rel of rels) assert.equal(await b.engine.index.ensure(rel), null, rel);
    const outs = await Promise.all(
      ['link.docx', '../secret.docx'].map((rel) =>
        runCli(['token', '--data-dir', b.dataDir, '--file', rel, '--json']),
      ),
    );
    for (const out of outs) assert.notEqual(out.code, 0, `token should fail: ${out.stdout}`);
  });

  it('traversal in the file id (raw, encoded, absolute) never reaches outside bytes', async () => {
    const base = b.engine.wopiUrl();
    const ids = [
      '../secret.docx',
      '../outside/secret.docx',
      path.join(b.outside, 'secret.docx'),
      '..',
      '/etc/passwd',
    ];
    for (const id of ids) {
      // A token minted for exactly that id, so the token check is not what stops it.
      const t = b.target(id);
      const encoded = encodeURIComponent(id);
      for (const suffix of ['', '/contents']) {
        const url = `${base}/wopi/files/${encoded}${suffix}?access_token=${t.accessToken}`;
        neverSecret(await sendRequest({ method: 'GET', url }), `GET ${id}${suffix}`);
      }
    }
    const token = b.target('..%2fsecret.docx').accessToken;
    for (const raw of [
      '/wopi/files/../../secret.docx',
      '/wopi/files/..%2f..%2fsecret.docx/contents',
      '/wopi/files/%2e%2e%2f%2e%2e%2fsecret.docx/contents',
      '/wopi/files/%2E%2E/%2E%2E/secret.docx',
      `/wopi/files/${encodeURIComponent(path.join(b.root, 'secret.docx'))}/contents`,
    ]) {
      const res = await sendRequest({ method: 'GET', url: base, rawPath: `${raw}?access_token=${token}` });
      neverSecret(res, `GET ${raw}`);
    }
  });

  it('a served file swapped for a symlink to outside is gone, for reads and writes', async () => {
    const id = await b.idOf('swap.docx');
    const t = b.target(id);
    expectStatus(await lock(t, 'L'), 200);
    await unlink(b.abs('swap.docx'));
    await symlink(path.join(b.outside, 'secret.docx'), b.abs('swap.docx'));
    neverSecret(await checkFileInfo(t), 'CheckFileInfo');
    neverSecret(await getFile(t), 'GetFile');
    neverSecret(await putFile(t, 'overwrite the secret', { lock: 'L' }), 'PutFile');
    assert.deepEqual(await readFile(path.join(b.outside, 'secret.docx')), SECRET);
  });
});

describe('data dir rule', () => {
  it('a data dir inside the served folder is refused with a clear error, before anything is written', async () => {
    const root = await makeRoot('wb-storage-', { 'a.docx': 'A' });
    const folder = path.join(root, 'folder');
    try {
      for (const dataDir of [path.join(folder, '.wopi-data'), folder, path.join(folder, 'sub', 'deeper')]) {
        assert.throws(
          () => createWorkbench({ folder, dataDir, watch: false }),
          (e: unknown) =>
            e instanceof ConfigError && e.setting === 'dataDir' && /inside the served folder/.test(e.message),
          dataDir,
        );
      }
      assert.deepEqual(await readdir(folder), ['a.docx']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

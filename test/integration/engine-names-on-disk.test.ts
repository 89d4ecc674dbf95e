// What our host does on disk for the names and limits the conformance cases can only see over WOPI:
// decoded UTF-7 names become the real file names, a rename renames the file, names it refuses (a path,
// malformed UTF-7) create or move nothing anywhere, a refused overwrite keeps the existing file, and
// UserInfo belongs to the user. The protocol side of these is in server/conformance/cases.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { engineForSuite, uniqueName as uniq } from '../helpers/engine-fixture';
import {
  checkFileInfo,
  expectStatus,
  putRelativeFile,
  putUserInfo,
  renameFile,
} from '../helpers/wopi-client';

const CONTENT = Buffer.from('source bytes\n');

/** Names in the served folder and in the temp root around it (sorted), to see nothing appears elsewhere. */
async function snapshot(root: string, folder: string): Promise<{ folder: string[]; root: string[] }> {
  return { folder: (await readdir(folder)).sort(), root: (await readdir(root)).sort() };
}

describe('names on disk', () => {
  const b = engineForSuite('wb-names-disk-');

  for (const name of ['madeup_name.wopitestx', '文件1 ü.wopitestx']) {
    it(`PutRelativeFile ${JSON.stringify(name)} (sent UTF-7): the file on disk has the decoded name and the bytes`, async () => {
      const source = await b.file(uniq('source', '.wopitest'), CONTENT);
      const res = await putRelativeFile(source, 'new bytes', { relativeTarget: name });
      expectStatus(res, 200, 'PutRelativeFile');
      assert.equal(await readFile(path.join(b.folder, name), 'utf8'), 'new bytes');
    });
  }

  it('RenameFile renames the file on disk: the new name holds the bytes, the old one is gone', async () => {
    const rel = uniq('rename-me', '.wopitest');
    const t = await b.file(rel, CONTENT);
    expectStatus(await renameFile(t, 'Renamed äöü'), 200, 'RenameFile');
    const entries = await readdir(b.folder);
    assert.ok(!entries.includes(rel), `old name gone: ${entries.join(', ')}`);
    assert.deepEqual(await readFile(path.join(b.folder, 'Renamed äöü.wopitest')), CONTENT);
  });

  for (const raw of ['bad+*name.wopitestx', 'bad+AG-name.wopitestx']) {
    it(`X-WOPI-RelativeTarget ${JSON.stringify(raw)} (malformed UTF-7): 400, nothing created`, async () => {
      const source = await b.file(uniq('source', '.wopitest'), CONTENT);
      const before = await snapshot(b.root, b.folder);
      const res = await putRelativeFile(source, CONTENT, { relativeTarget: raw, rawTargets: true });
      expectStatus(res, 400, 'PutRelativeFile');
      assert.deepEqual(await snapshot(b.root, b.folder), before);
    });

    it(`X-WOPI-RequestedName ${JSON.stringify(raw.replace('.wopitestx', ''))} (malformed UTF-7): 400, name kept`, async () => {
      const rel = uniq('keep-name', '.wopitest');
      const t = await b.file(rel, CONTENT);
      expectStatus(await renameFile(t, raw.replace('.wopitestx', ''), { rawName: true }), 400, 'RenameFile');
      assert.ok((await readdir(b.folder)).includes(rel));
    });
  }

  it('PutRelativeFile onto an existing name without overwrite: 409, the existing file keeps its bytes', async () => {
    const source = await b.file(uniq('source', '.wopitest'), CONTENT);
    const existing = uniq('existing', '.wopitestx');
    await b.file(existing, 'the existing bytes');
    for (const overwrite of [undefined, false]) {
      const res = await putRelativeFile(source, 'other bytes', {
        relativeTarget: existing,
        ...(overwrite === undefined ? {} : { overwriteRelativeTarget: overwrite }),
      });
      expectStatus(res, 409, `PutRelativeFile, OverwriteRelativeTarget ${String(overwrite)}`);
      assert.equal(await readFile(path.join(b.folder, existing), 'utf8'), 'the existing bytes');
    }
  });

  it('X-WOPI-RelativeTarget "../escape.wopitestx": 400, nothing created in or next to the folder', async () => {
    const source = await b.file(uniq('source', '.wopitest'), CONTENT);
    const before = await snapshot(b.root, b.folder);
    expectStatus(
      await putRelativeFile(source, CONTENT, { relativeTarget: '../escape.wopitestx' }),
      400,
      'PutRelativeFile',
    );
    assert.deepEqual(await snapshot(b.root, b.folder), before);
  });

  it('RenameFile to "../escaped": whatever the answer, the file stays inside the folder', async () => {
    const rel = uniq('climber', '.wopitest');
    const t = await b.file(rel, CONTENT);
    const rootBefore = (await readdir(b.root)).sort();
    const res = await renameFile(t, '../escaped');
    assert.deepEqual((await readdir(b.root)).sort(), rootBefore, 'nothing appears next to the folder');
    if (res.status === 200) {
      const name = res.json()['Name'];
      assert.ok(typeof name === 'string', res.describe());
      assert.deepEqual(await readFile(path.join(b.folder, `${name}.wopitest`)), CONTENT);
    } else assert.ok((await readdir(b.folder)).includes(rel), res.describe());
  });
});

describe('UserInfo belongs to the user, not the file (PROTOCOL §3.12)', () => {
  const b = engineForSuite('wb-user-info-');

  it('the same user sees it on another file; another user does not', async () => {
    const one = await b.file(uniq('one', '.wopitest'), CONTENT);
    const other = await b.file(uniq('other', '.wopitest'), CONTENT);
    expectStatus(
      await putUserInfo(b.target(one.id, 'alice'), 'alice-subscription-state'),
      200,
      'PutUserInfo',
    );
    const aliceElsewhere = await checkFileInfo(b.target(other.id, 'alice'));
    assert.equal(aliceElsewhere.json()['UserInfo'], 'alice-subscription-state', aliceElsewhere.describe());
    const alice = (await checkFileInfo(b.target(one.id, 'alice'))).json();
    const bob = await checkFileInfo(b.target(one.id, 'bob'));
    assert.notEqual(bob.json()['UserId'], alice['UserId'], 'two users, two UserIds');
    const bobInfo = bob.json()['UserInfo'];
    assert.ok(
      bobInfo === undefined || bobInfo === '',
      `bob must not see alice's UserInfo\n${bob.describe()}`,
    );
  });
});

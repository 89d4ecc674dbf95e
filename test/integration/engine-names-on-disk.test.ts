// What our host does on disk for the names and limits the conformance cases can only see over WOPI:
// decoded UTF-7 names become the real file names, a rename renames the file, names it refuses (a path,
// malformed UTF-7) create or move nothing anywhere, UserInfo belongs to the user, and an upload over
// the limit writes nothing. The protocol side of these is in server/conformance/cases.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { engineForSuite, uniqueName as uniq } from '../helpers/engine-fixture';
import {
  checkFileInfo,
  expectStatus,
  lock,
  putFile,
  putRelativeFile,
  putUserInfo,
  renameFile,
  unlock,
} from '../helpers/wopi-client';

const CONTENT = Buffer.from('source bytes\n');
const LIMIT = 1024 * 1024;

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

describe(`upload limit (maxUploadBytes ${LIMIT})`, () => {
  const b = engineForSuite('wb-upload-limit-', {}, { maxUploadBytes: LIMIT });
  const over = Buffer.alloc(LIMIT + 1, 0x61);
  const under = Buffer.alloc(LIMIT / 2, 0x62);

  it('PutFile over the limit: 413, the bytes on disk unchanged; under it: 200, written', async () => {
    const t = await b.file(uniq('limit', '.wopitest'), CONTENT);
    expectStatus(await lock(t, 'L'), 200, 'Lock');
    expectStatus(await putFile(t, over, { lock: 'L' }), 413, 'PutFile of the limit + 1 byte');
    assert.deepEqual(await readFile(t.abs), CONTENT);
    expectStatus(await putFile(t, under, { lock: 'L' }), 200, 'PutFile of half the limit');
    assert.deepEqual(await readFile(t.abs), under);
    expectStatus(await unlock(t, 'L'), 200, 'Unlock');
  });

  it('PutRelativeFile over the limit: 413, no file created', async () => {
    const source = await b.file(uniq('limit-source', '.wopitest'), CONTENT);
    const before = (await readdir(b.folder)).sort();
    const res = await putRelativeFile(source, over, { relativeTarget: 'too-big.wopitestx' });
    expectStatus(res, 413, 'PutRelativeFile of the limit + 1 byte');
    assert.deepEqual((await readdir(b.folder)).sort(), before);
  });
});

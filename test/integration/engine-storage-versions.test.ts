// Storage behaviour of the engine (DESIGN "Data safety"), version blobs: every write that replaces or
// removes bytes keeps them as a blob first (PutFile, DeleteFile, PutRelativeFile overwrite), a blob
// restores, and retention prunes the oldest. In-process createWorkbench on port 0, real files and SQLite.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { stageStream } from '../../server/storage/atomic-write';
import { engineForSuite } from '../helpers/engine-fixture';
import { sha256, sha256b64 } from '../helpers/hash';
import {
  checkFileInfo,
  deleteFile,
  expectStatus,
  getFile,
  lock,
  putFile,
  putRelativeFile,
} from '../helpers/wopi-client';

describe('version blobs', () => {
  const b = engineForSuite(
    'wb-storage-',
    { 'put.docx': 'original put bytes', 'del.docx': 'bytes before delete', 'ret.docx': 'r0' },
    { versionRetention: 3 },
  );

  it('PutFile keeps the previous content as a blob with equal bytes, and it restores', async () => {
    const id = await b.idOf('put.docx');
    const t = b.target(id);
    const oldInfo = (await checkFileInfo(t)).json();
    expectStatus(await lock(t, 'L'), 200);
    expectStatus(await putFile(t, 'replacement bytes', { lock: 'L' }), 200);

    const [v] = b.engine.versions.list(id);
    assert.ok(v, 'a version row exists');
    assert.equal(v.reason, 'put');
    assert.equal(v.sha256, sha256('original put bytes'));
    assert.equal(v.version, oldInfo['Version']);
    assert.equal(v.restorable, true);
    const blob = b.engine.versions.get(v.id)!.blob!;
    assert.equal(await readFile(b.engine.blobs.pathOf(blob), 'utf8'), 'original put bytes');

    // Restore through the engine's own storage path (stage from the blob, replace), then check over WOPI.
    const fresh = (await b.engine.index.resolve(id))!;
    const staged = await stageStream(b.folder, createReadStream(b.engine.blobs.pathOf(blob)), 1024 * 1024);
    await b.engine.index.replace(fresh.row, fresh.abs, staged, 'restore', 'restore');
    const restored = (await checkFileInfo(t)).json();
    assert.equal(restored['SHA256'], sha256b64('original put bytes'));
    assert.notEqual(restored['Version'], oldInfo['Version'], 'a restore is a new version');
    assert.equal((await getFile(t)).text, 'original put bytes');
    assert.equal(
      b.engine.versions.list(id)[0]!.sha256,
      sha256('replacement bytes'),
      'the replaced bytes are kept too',
    );
  });

  it('DeleteFile keeps the deleted content as a blob', async () => {
    const id = await b.idOf('del.docx');
    expectStatus(await deleteFile(b.target(id)), 200);
    const [v] = b.engine.versions.list(id);
    assert.ok(v);
    assert.equal(v.reason, 'delete');
    assert.equal(v.restorable, true);
    assert.equal(
      await readFile(b.engine.blobs.pathOf(b.engine.versions.get(v.id)!.blob!), 'utf8'),
      'bytes before delete',
    );
  });

  it('PutRelativeFile overwriting a target keeps the target content', async () => {
    const src = b.target(await b.idOf('put.docx'));
    await writeFile(b.abs('over.docx'), 'target before overwrite');
    const targetId = (await b.engine.index.ensure('over.docx'))!.row.id;
    const res = await putRelativeFile(src, 'target after', {
      relativeTarget: 'over.docx',
      overwriteRelativeTarget: true,
    });
    expectStatus(res, 200);
    const [v] = b.engine.versions.list(targetId);
    assert.ok(v);
    assert.equal(v.reason, 'put-relative-overwrite');
    assert.equal(
      await readFile(b.engine.blobs.pathOf(b.engine.versions.get(v.id)!.blob!), 'utf8'),
      'target before overwrite',
    );
  });

  it('retention keeps the newest versionRetention blobs and deletes older ones', async () => {
    const id = await b.idOf('ret.docx');
    const t = b.target(id);
    expectStatus(await lock(t, 'L'), 200);
    for (let i = 1; i <= 5; i++) expectStatus(await putFile(t, `r${i}`, { lock: 'L' }), 200, `PutFile r${i}`);
    const list = b.engine.versions.list(id); // newest first: r4, r3, r2, r1, r0
    assert.deepEqual(
      list.map((v) => v.sha256),
      ['r4', 'r3', 'r2', 'r1', 'r0'].map((s) => sha256(s)),
    );
    assert.deepEqual(
      list.map((v) => v.restorable),
      [true, true, true, false, false],
    );
    for (const [i, s] of ['r4', 'r3', 'r2', 'r1', 'r0'].entries()) {
      const exists = await stat(b.engine.blobs.pathOf(sha256(s))).then(
        () => true,
        () => false,
      );
      assert.equal(exists, i < 3, `blob of ${s} ${i < 3 ? 'kept' : 'pruned'}`);
    }
  });
});

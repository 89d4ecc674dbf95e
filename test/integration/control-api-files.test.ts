// The control API's file, version and lock actions over real HTTP against a real engine: listing, restore
// (refused under a WOPI lock unless forced, and bringing back a deleted file), and lock list, set, steal,
// force-unlock and expire, each observed by a following WOPI call.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { FileView, LockView, VersionView } from '../../server/contracts';
import { controlApiForSuite, errorCode, itSentNoCorsHeaders, json } from '../helpers/control-api';
import {
  deleteFile,
  expectLockMismatch,
  expectStatus,
  getFile,
  getLock,
  lock,
  putFile,
  refreshLock,
  unlock,
} from '../helpers/wopi-client';

const ORIGINAL = 'original bytes of report.docx\n';
const FILES: Record<string, string> = {
  'report.docx': ORIGINAL,
  'notes/plan.xlsx': 'plan v1\n',
  'gone.pptx': 'doomed',
};

const api = controlApiForSuite(FILES);

void describe('files, versions and restore', () => {
  void it('lists files and gets one by id', async () => {
    const files = json<FileView[]>(await api.call('GET', '/v1/files'));
    assert.deepEqual(files.map((f) => f.path).sort(), ['gone.pptx', 'notes/plan.xlsx', 'report.docx']);
    const plan = files.find((f) => f.path === 'notes/plan.xlsx')!;
    const one = json<FileView>(await api.call('GET', `/v1/files/${plan.id}`));
    assert.equal(one.name, 'plan.xlsx');
    assert.equal(one.size, Buffer.byteLength(FILES['notes/plan.xlsx']!));
    assert.equal(one.lock, null);
    expectStatus(await api.call('GET', '/v1/files/unknown'), 404);
  });

  void it('restores old bytes through the engine, recording the replaced bytes as a version', async () => {
    const file = await api.fileByPath('report.docx');
    const target = await api.wopiTarget(file.id);
    expectStatus(await lock(target, 'edit-1'), 200);
    expectStatus(await putFile(target, 'second version\n', { lock: 'edit-1' }), 200);
    expectStatus(await unlock(target, 'edit-1'), 200);

    const history = json<VersionView[]>(await api.call('GET', `/v1/files/${file.id}/versions`));
    assert.equal(history.length, 1);
    const old = history[0]!;
    assert.equal(old.reason, 'put');
    assert.equal(old.restorable, true);
    assert.equal(old.size, Buffer.byteLength(ORIGINAL));

    const res = await api.call('POST', `/v1/files/${file.id}/versions/${old.id}/restore`);
    expectStatus(res, 200);
    assert.equal(json<FileView>(res).sha256, old.sha256);
    assert.equal(await fsp.readFile(path.join(api.wb.options.folder, 'report.docx'), 'utf8'), ORIGINAL);
    assert.equal((await getFile(target)).text, ORIGINAL, 'WOPI GetFile serves the restored bytes');

    const after = json<VersionView[]>(await api.call('GET', `/v1/files/${file.id}/versions`));
    assert.equal(after.length, 2);
    assert.equal(after[0]!.reason, 'restore');
    assert.equal(after[0]!.size, Buffer.byteLength('second version\n'));
  });

  void it('refuses to restore under a WOPI lock unless forced', async () => {
    const file = await api.fileByPath('report.docx');
    const target = await api.wopiTarget(file.id);
    const [version] = json<VersionView[]>(await api.call('GET', `/v1/files/${file.id}/versions`));
    expectStatus(await lock(target, 'held'), 200);
    const refused = await api.call('POST', `/v1/files/${file.id}/versions/${version!.id}/restore`);
    expectStatus(refused, 409);
    assert.equal(errorCode(refused), 'conflict');
    assert.match(refused.text, /force=1/);
    expectStatus(await api.call('POST', `/v1/files/${file.id}/versions/${version!.id}/restore?force=1`), 200);
    assert.equal(
      await fsp.readFile(path.join(api.wb.options.folder, 'report.docx'), 'utf8'),
      'second version\n',
    );
    expectStatus(await unlock(target, 'held'), 200, 'the lock survives a forced restore');
  });

  void it('brings back a deleted file under its id, and 404s unknown versions', async () => {
    const file = await api.fileByPath('gone.pptx');
    const target = await api.wopiTarget(file.id);
    expectStatus(await deleteFile(target), 200);
    expectStatus(await api.call('GET', `/v1/files/${file.id}`), 404);
    const [deleted] = json<VersionView[]>(await api.call('GET', `/v1/files/${file.id}/versions`));
    assert.equal(deleted!.reason, 'delete');
    expectStatus(await api.call('POST', `/v1/files/${file.id}/versions/${deleted!.id}/restore`), 200);
    assert.equal(await fsp.readFile(path.join(api.wb.options.folder, 'gone.pptx'), 'utf8'), 'doomed');
    assert.equal(json<FileView>(await api.call('GET', `/v1/files/${file.id}`)).path, 'gone.pptx');

    const other = await api.fileByPath('notes/plan.xlsx');
    expectStatus(
      await api.call('POST', `/v1/files/${other.id}/versions/${deleted!.id}/restore`),
      404,
      'version of another file',
    );
    expectStatus(await api.call('POST', `/v1/files/${file.id}/versions/999999/restore`), 404);
    expectStatus(await api.call('POST', `/v1/files/${file.id}/versions/abc/restore`), 404);
  });
});

void describe('locks', () => {
  interface LockResult {
    fileId: string;
    before: LockView | null;
    after: LockView | null;
  }

  void it('lists current locks with the file path', async () => {
    const file = await api.fileByPath('notes/plan.xlsx');
    const target = await api.wopiTarget(file.id);
    expectStatus(await lock(target, 'list-me'), 200);
    const locks = json<Array<LockView & { fileId: string; path: string }>>(
      await api.call('GET', '/v1/locks'),
    );
    const mine = locks.find((l) => l.fileId === file.id);
    assert.equal(mine?.lockId, 'list-me');
    assert.equal(mine?.path, 'notes/plan.xlsx');
    assert.ok(mine.expiresAt > Date.now(), 'the listed lock is live');
    expectStatus(await unlock(target, 'list-me'), 200);
    assert.ok(
      !json<Array<{ fileId: string }>>(await api.call('GET', '/v1/locks')).some((l) => l.fileId === file.id),
      'an unlocked file is not listed',
    );
  });

  void it('force-unlock really unlocks: the old lock id then gets 409 with an empty X-WOPI-Lock', async () => {
    const file = await api.fileByPath('notes/plan.xlsx');
    const target = await api.wopiTarget(file.id);
    expectStatus(await lock(target, 'L-old'), 200);
    const res = await api.call('DELETE', `/v1/locks/${file.id}`);
    expectStatus(res, 200);
    const r = json<LockResult>(res);
    assert.equal(r.before?.lockId, 'L-old');
    assert.equal(r.after, null);
    expectLockMismatch(await unlock(target, 'L-old'), '', 'Unlock after force-unlock');
    expectStatus(await api.call('DELETE', `/v1/locks/${file.id}`), 200, 'idempotent');
  });

  void it('sets a lock on an unlocked file and steals a held one', async () => {
    const file = await api.fileByPath('notes/plan.xlsx');
    const target = await api.wopiTarget(file.id);
    const set = json<LockResult>(
      await api.call('PUT', `/v1/locks/${file.id}`, { body: { lockId: 'From control' } }),
    );
    assert.equal(set.before, null);
    assert.equal(set.after?.lockId, 'From control');
    expectLockMismatch(await lock(target, 'client'), 'From control', 'Lock while control holds it');

    const stolen = json<LockResult>(
      await api.call('PUT', `/v1/locks/${file.id}`, { body: { lockId: '{"S":"stolen"}' } }),
    );
    assert.equal(stolen.before?.lockId, 'From control');
    const got = await getLock(target);
    expectStatus(got, 200);
    assert.equal(got.header('X-WOPI-Lock'), '{"S":"stolen"}');
    expectLockMismatch(await unlock(target, 'From control'), '{"S":"stolen"}', 'Unlock with the stolen id');
    expectStatus(await unlock(target, '{"S":"stolen"}'), 200);
  });

  void it('validates lock ids and file ids', async () => {
    const file = await api.fileByPath('notes/plan.xlsx');
    for (const lockId of ['', 'é', 'tab\there', 'x'.repeat(1025), 42]) {
      const res = await api.call('PUT', `/v1/locks/${file.id}`, { body: { lockId } });
      expectStatus(res, 400, JSON.stringify(lockId).slice(0, 40));
    }
    expectStatus(await api.call('PUT', `/v1/locks/${file.id}`, { body: { lockId: 'x'.repeat(1024) } }), 200);
    expectStatus(await api.call('DELETE', `/v1/locks/${file.id}`), 200);
    for (const [method, route] of [
      ['PUT', '/v1/locks/nope'],
      ['DELETE', '/v1/locks/nope'],
      ['POST', '/v1/locks/nope/expire'],
    ] as const) {
      expectStatus(
        await api.call(method, route, method === 'PUT' ? { body: { lockId: 'a' } } : {}),
        404,
        route,
      );
    }
  });

  void it('expires a lock now: GetLock sees none and RefreshLock with the old id fails', async () => {
    const file = await api.fileByPath('notes/plan.xlsx');
    const target = await api.wopiTarget(file.id);
    expectStatus(await lock(target, 'L-exp'), 200);
    const r = json<LockResult>(await api.call('POST', `/v1/locks/${file.id}/expire`));
    assert.equal(r.before?.lockId, 'L-exp');
    assert.equal(r.after, null);
    const got = await getLock(target);
    expectStatus(got, 200);
    assert.equal(got.header('X-WOPI-Lock'), '');
    expectLockMismatch(await refreshLock(target, 'L-exp'), '', 'RefreshLock after expiry');
  });
});

void describe('no CORS', () => {
  itSentNoCorsHeaders(api, 49);
});

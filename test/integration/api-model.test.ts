// The API model driven the way a library user drives it: plain method calls on a real engine with the
// real rooms (temp folder, real SQLite), no HTTP in between. It lists files, mints a token a WOPI client
// accepts, sets and steals a lock the WOPI side then honours, and every refusal is an ApiModelError whose
// `code` says what went wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiModelError } from '../../server/api';
import type { ApiErrorCode, ApiModel } from '../../server/api';
import { forSuite, logged, startWiredEngine } from '../helpers/engine-fixture';
import type { WiredBench } from '../helpers/engine-fixture';
import { checkFileInfo, expectLockMismatch, expectStatus, getLock, lock } from '../helpers/wopi-client';

const bench: WiredBench = forSuite(() =>
  startWiredEngine({
    prefix: 'wb-api-model-',
    files: { 'report.docx': 'report bytes\n', 'notes/plan.xlsx': 'plan\n' },
  }),
);

/** The workbench's own model: what the control routes, the CLI and main/ call. */
const api = (): ApiModel => bench.wb.api;

/** Asserts that `run` rejects with an ApiModelError carrying `code`. */
async function rejectsWith(code: ApiErrorCode, run: () => Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof ApiModelError, `${what}: ${String(e)} is not an ApiModelError`);
    assert.equal(e.code, code, `${what}: ${e.message}`);
    return true;
  });
}

void describe('API model, called directly', () => {
  void it('lists the served files and reads one', async () => {
    const files = await api().files();
    assert.deepEqual(files.map((f) => f.path).sort(), ['notes/plan.xlsx', 'report.docx']);
    const report = files.find((f) => f.path === 'report.docx')!;
    const one = await api().file(report.id);
    assert.equal(one.size, Buffer.byteLength('report bytes\n'));
    assert.equal(one.lock, null);
    await rejectsWith('not-found', () => api().file('no-such-id'), 'unknown file');
    await rejectsWith('bad-request', () => api().file(42 as unknown as string), 'a number as file id');
  });

  void it('mints a token a WOPI client accepts, and refuses bad requests with codes', async () => {
    const id = bench.ids['report.docx']!;
    const grant = await api().mintToken({ fileId: id, personaId: 'viewer', ttlMinutes: 5 });
    assert.equal(grant.wopiSrc, `${bench.wb.wopiUrl()}/wopi/files/${id}`);
    const info = await checkFileInfo({ wopiSrc: grant.wopiSrc, accessToken: grant.accessToken });
    expectStatus(info, 200);
    assert.equal(info.json()['UserId'], 'viewer');
    assert.equal(info.json()['UserCanWrite'], false);

    // The log keeps the token; the model hands it out only when asked to reveal.
    const rec = await logged(bench.wb, info);
    assert.ok(!JSON.stringify(await api().request(rec.id)).includes(grant.accessToken), 'redacted');
    assert.ok(JSON.stringify(await api().request(rec.id, { reveal: true })).includes(grant.accessToken));
    const page = await api().requests({ limit: 10, operation: 'CheckFileInfo' });
    assert.ok(page.items.some((r) => r.id === rec.id));
    assert.ok(!JSON.stringify(page).includes(grant.accessToken), 'pages are redacted');

    const bad: Array<[ApiErrorCode, unknown]> = [
      ['not-found', { fileId: 'no-such-id' }],
      ['bad-request', {}],
      ['bad-request', undefined],
      ['bad-request', [id]],
      ['bad-request', { fileId: id, permissions: 'admin' }],
      ['bad-request', { fileId: id, ttlMinutes: -1 }],
    ];
    for (const [code, input] of bad) {
      await rejectsWith(code, () => api().mintToken(input as never), JSON.stringify(input) ?? 'undefined');
    }
  });

  void it('sets and steals a lock that the WOPI side then honours, and releases it', async () => {
    const id = bench.ids['notes/plan.xlsx']!;
    const set = await api().setLock(id, { lockId: 'lab-1' });
    assert.equal(set.before, null);
    assert.equal(set.after?.lockId, 'lab-1');
    const stolen = await api().setLock(id, { lockId: 'lab-2' });
    assert.equal(stolen.before?.lockId, 'lab-1');
    assert.equal(stolen.after?.lockId, 'lab-2');
    assert.deepEqual(
      (await api().locks()).map((l) => [l.fileId, l.path, l.lockId]),
      [[id, 'notes/plan.xlsx', 'lab-2']],
    );

    const grant = await api().mintToken({ fileId: id });
    const target = { wopiSrc: grant.wopiSrc, accessToken: grant.accessToken };
    expectLockMismatch(await lock(target, 'wopi-client'), 'lab-2', 'a WOPI Lock meets the stolen lock');

    const released = await api().forceUnlock(id);
    assert.equal(released.before?.lockId, 'lab-2');
    assert.equal(released.after, null);
    expectStatus(await getLock(target), 200);
    assert.deepEqual(await api().locks(), []);

    await rejectsWith('bad-request', () => api().setLock(id, { lockId: '' }), 'empty lock id');
    await rejectsWith('bad-request', () => api().setLock(id, {} as never), 'no lock id');
    await rejectsWith('not-found', () => api().setLock('no-such-id', { lockId: 'x' }), 'unknown file');
    await rejectsWith('not-found', () => api().expireLock('no-such-id'), 'unknown file');
  });

  void it('checks queries and room requests, and passes on a room refusal with its code', async () => {
    await rejectsWith('bad-request', () => api().requests({ limit: 0 }), 'limit 0');
    await rejectsWith('bad-request', () => api().requests({ operation: 'Nope' as never }), 'operation');
    await rejectsWith('bad-request', () => api().requests({ before: 'x' }), 'cursor');
    await rejectsWith('not-found', () => api().request('no-such-request'), 'unknown request');
    await rejectsWith('bad-request', () => api().hostMessages({ limit: 0 }), 'limit 0');
    await rejectsWith('bad-request', () => api().startTunnel({ provider: 'ngrok' } as never), 'provider');
    await rejectsWith('not-found', () => api().restoreVersion(bench.ids['report.docx']!, 999_999), 'version');
    const fileId = bench.ids['report.docx']!;
    // The host page room's own refusal ('bad-request' for a name that is no WOPI action) keeps its code.
    await rejectsWith('bad-request', () => api().launch({ fileId, action: 'no such' }), 'action');
    const link = await api().launch({ fileId, action: 'view' });
    assert.ok(link.url.startsWith(`${bench.wb.wopiUrl()}/`), link.url);
  });
});

// Every fault preset, added through the control API over real HTTP, against a real engine: the
// matching requests get exactly the preset's documented answer (and their records carry the fault tag),
// while a request for another operation, another file or another persona is answered by the host as
// usual and carries no tag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FaultPresetView, FaultRuleView } from '../../server/contracts/lab';
import { FOREIGN_LOCK } from '../../server/faults';
import { controlApiForSuite, errorCode, itSentNoCorsHeaders, json } from '../helpers/control-api';
import { logged } from '../helpers/engine-fixture';
import { sha256 } from '../helpers/hash';
import type { WopiResponse, WopiTarget } from '../helpers/wopi-client';
import {
  checkFileInfo,
  expectStatus,
  getFile,
  lock,
  putFile,
  putRelativeFile,
  unlock,
} from '../helpers/wopi-client';

// Large enough that a throttle spans several slices and a cut body is visibly short.
const BIG = Buffer.alloc(24 * 1024, 'abcdefghij');
const FILES: Record<string, string> = { 'a.docx': BIG.toString(), 'b.docx': 'other file\n' };

const api = controlApiForSuite(FILES);

/** A token for `rel` as `persona` (default the editor). */
async function as(rel: string, persona = 'editor'): Promise<WopiTarget> {
  const f = await api.fileByPath(rel);
  const g = await api.client.mintToken({ body: { fileId: f.id, personaId: persona } });
  return { wopiSrc: g.wopiSrc, accessToken: g.accessToken };
}

/** Adds `preset` limited to a.docx and the editor persona; returns the rule. */
async function addScoped(preset: string): Promise<FaultRuleView> {
  const a = await api.fileByPath('a.docx');
  const res = await api.call('POST', '/v1/faults', {
    body: { preset, match: { fileId: a.id, personaId: 'editor' } },
  });
  expectStatus(res, 201, `add preset ${preset}`);
  const rule = json<FaultRuleView>(res);
  assert.equal(rule.preset, preset);
  assert.equal(rule.match.fileId, a.id);
  return rule;
}

/** The request's record carries the rule's tag (or, with `rule` null, no tag at all). */
async function tagged(res: WopiResponse, rule: FaultRuleView | null): Promise<void> {
  const rec = await logged(api.wb, res);
  if (!rule) return assert.equal(rec.fault, undefined, `unexpected fault tag on ${res.describe()}`);
  assert.ok(rec.fault, `no fault tag on ${res.describe()}`);
  assert.equal(rec.fault.ruleId, rule.id);
  assert.equal(rec.fault.preset, rule.preset);
  assert.match(rec.why ?? '', /injected by fault rule/);
}

/** A request the connection of which is cut (no complete answer): resolves with the error. */
async function failing(p: Promise<WopiResponse>): Promise<Error> {
  try {
    const res = await p;
    assert.fail(`expected the connection to be cut, got ${res.describe()}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e as Error;
  }
}

/** The record of the newest request for `fileId` that `rule` touched (its response never arrived). */
async function newestRecord(fileId: string, rule: FaultRuleView) {
  for (let i = 0; i < 500; i++) {
    const page = await api.wb.api.requests({ fileId, limit: 1 });
    const item = page.items[0];
    if (item?.fault?.ruleId === rule.id) return api.wb.requestLog.get(item.id)!;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`no record of ${fileId} touched by ${rule.id}`);
}

async function normalCallsAreUntouched(rule: FaultRuleView, op: (t: WopiTarget) => Promise<WopiResponse>) {
  // Another file, and another persona on the same file: answered by the host, no tag.
  const other = await op(await as('b.docx'));
  assert.ok(other.status < 400, other.describe());
  await tagged(other, null);
  const coauthor = await op(await as('a.docx', 'coauthor'));
  assert.ok(coauthor.status < 400, coauthor.describe());
  await tagged(coauthor, null);
  const after = json<FaultRuleView[]>(await api.call('GET', '/v1/faults')).find((r) => r.id === rule.id)!;
  assert.ok(after.hits >= 1, 'the rule counted its hit');
}

void describe('fault presets through the control API', () => {
  void it('lists every preset with its behaviour, response and a source', async () => {
    const presets = json<FaultPresetView[]>(await api.call('GET', '/v1/faults/presets'));
    assert.ok(presets.length >= 14);
    for (const p of presets) {
      assert.match(p.id, /^[a-z0-9-]+$/);
      assert.ok(p.officeBehaviour.length > 20 && p.response.length > 3, p.id);
      assert.match(p.source.url, /^https:\/\//, p.id);
      assert.equal(p.rule.preset, p.id);
    }
  });

  void it('lock-held-elsewhere: lock operations and saves get 409 with the foreign lock', async () => {
    const rule = await addScoped('lock-held-elsewhere');
    const t = await as('a.docx');
    const res = await lock(t, 'my-lock');
    expectStatus(res, 409);
    assert.equal(res.header('x-wopi-lock'), FOREIGN_LOCK);
    assert.ok(res.header('x-wopi-lockfailurereason'));
    await tagged(res, rule);
    const save = await putFile(t, 'x', { lock: 'my-lock' });
    expectStatus(save, 409);
    assert.equal(save.header('x-wopi-lock'), FOREIGN_LOCK);
    // Another operation (CheckFileInfo) is not touched.
    const info = await checkFileInfo(t);
    expectStatus(info, 200);
    await tagged(info, null);
    await normalCallsAreUntouched(rule, (x) => lock(x, 'their-lock'));
    // The untouched Lock calls above really locked: release them for the next tests.
    expectStatus(await unlock(await as('b.docx'), 'their-lock'), 200);
    await api.call('DELETE', '/v1/faults');
    expectStatus(await unlock(t, 'their-lock'), 200);
  });

  void it('token-expired: every call gets 401', async () => {
    const rule = await addScoped('token-expired');
    const t = await as('a.docx');
    for (const res of [await checkFileInfo(t), await getFile(t), await lock(t, 'L')]) {
      expectStatus(res, 401);
      await tagged(res, rule);
    }
    await normalCallsAreUntouched(rule, checkFileInfo);
    await api.call('DELETE', '/v1/faults');
  });

  for (const [preset, status, header] of [
    ['file-too-large', 413, undefined],
    ['host-unavailable-on-save', 503, ['retry-after', '30']],
    ['server-error-on-save', 500, ['x-wopi-servererror', 'Storage back end failed while writing the file']],
  ] as const) {
    void it(`${preset}: PutFile gets ${status}${header ? ` with ${header[0]}` : ''}, nothing else changes`, async () => {
      const t = await as('a.docx');
      expectStatus(await lock(t, 'L1'), 200);
      const rule = await addScoped(preset);
      const res = await putFile(t, 'new bytes', { lock: 'L1' });
      expectStatus(res, status);
      if (header) assert.equal(res.header(header[0]), header[1]);
      assert.equal(res.header('x-wopi-lock'), undefined, 'no lock header outside a 409');
      await tagged(res, rule);
      const body = await getFile(t);
      expectStatus(body, 200);
      assert.equal(sha256(body.body), sha256(BIG), 'the file kept its bytes');
      await tagged(body, null);
      await api.call('DELETE', '/v1/faults');
      expectStatus(await unlock(t, 'L1'), 200);
    });
  }

  for (const [preset, expected] of [
    ['file-changed-elsewhere', { Version: 'changed-elsewhere' }],
    ['read-only-user', { UserCanWrite: false, ReadOnly: true }],
    ['locks-unsupported', { SupportsLocks: false }],
  ] as const) {
    void it(`${preset}: CheckFileInfo says ${JSON.stringify(expected)}`, async () => {
      const rule = await addScoped(preset);
      const t = await as('a.docx');
      const res = await checkFileInfo(t);
      expectStatus(res, 200);
      const info = res.json();
      for (const [k, v] of Object.entries(expected)) assert.equal(info[k], v, k);
      assert.equal(info['BaseFileName'], 'a.docx', 'the rest of the answer is the host’s');
      await tagged(res, rule);
      // GetFile is another operation: untouched.
      const body = await getFile(t);
      expectStatus(body, 200);
      await tagged(body, null);
      const other = await checkFileInfo(await as('b.docx'));
      const otherInfo = other.json();
      for (const k of Object.keys(expected))
        assert.notEqual(otherInfo[k], (expected as Record<string, unknown>)[k]);
      await tagged(other, null);
      await normalCallsAreUntouched(rule, checkFileInfo);
      await api.call('DELETE', '/v1/faults');
    });
  }

  void it('file-not-found: every call gets 404', async () => {
    const rule = await addScoped('file-not-found');
    const t = await as('a.docx');
    for (const res of [await checkFileInfo(t), await getFile(t)]) {
      expectStatus(res, 404);
      await tagged(res, rule);
    }
    await normalCallsAreUntouched(rule, getFile);
    await api.call('DELETE', '/v1/faults');
  });

  void it('save-as-unsupported: PutRelativeFile gets 501, CheckFileInfo is untouched', async () => {
    const rule = await addScoped('save-as-unsupported');
    const t = await as('a.docx');
    const res = await putRelativeFile(t, 'copy', { suggestedTarget: '.docx' });
    expectStatus(res, 501);
    await tagged(res, rule);
    const info = await checkFileInfo(t);
    expectStatus(info, 200);
    await tagged(info, null);
    await api.call('DELETE', '/v1/faults');
  });

  void it('slow-download: GetFile sends the whole file, paced', async () => {
    const rule = await addScoped('slow-download');
    const t = await as('a.docx');
    const res = await getFile(t);
    expectStatus(res, 200);
    assert.equal(res.body.length, BIG.length);
    assert.equal(sha256(res.body), sha256(BIG));
    await tagged(res, rule);
    const rec = await logged(api.wb, res);
    assert.equal(rec.fault?.effect, 'throttle');
    await api.call('DELETE', '/v1/faults');
  });

  void it('download-cut: GetFile headers and 1024 bytes, then the connection closes; once', async () => {
    const rule = await addScoped('download-cut');
    const a = await api.fileByPath('a.docx');
    const t = await as('a.docx');
    await failing(getFile(t));
    const rec = await newestRecord(a.id, rule);
    assert.equal(rec.status, 200, 'the headers went out');
    assert.equal(rec.fault?.effect, 'abort-body');
    // next 1: spent, the following download is whole.
    const again = await getFile(t);
    expectStatus(again, 200);
    assert.equal(again.body.length, BIG.length);
    await tagged(again, null);
    const listed = json<FaultRuleView[]>(await api.call('GET', '/v1/faults'))[0]!;
    assert.equal(listed.remaining, 0);
    await api.call('DELETE', '/v1/faults');
  });

  void it('upload-cut and dropped-connection: no answer, and the next call is normal', async () => {
    const a = await api.fileByPath('a.docx');
    const t = await as('a.docx');
    expectStatus(await lock(t, 'L2'), 200);
    for (const preset of ['upload-cut', 'dropped-connection']) {
      const rule = await addScoped(preset);
      await failing(putFile(t, Buffer.alloc(8192, 'z'), { lock: 'L2' }));
      const rec = await newestRecord(a.id, rule);
      assert.equal(rec.status, 0, 'no status went out');
      const body = await getFile(t);
      assert.equal(sha256(body.body), sha256(BIG), `${preset} left the bytes`);
      await tagged(body, null);
      await api.call('DELETE', '/v1/faults');
    }
    expectStatus(await unlock(t, 'L2'), 200);
  });

  void it('an unknown preset is 404 naming the presets', async () => {
    const res = await api.call('POST', '/v1/faults', { body: { preset: 'no-such-preset' } });
    expectStatus(res, 404);
    assert.equal(errorCode(res), 'not-found');
    assert.match(res.text, /lock-held-elsewhere/);
  });
});

itSentNoCorsHeaders(api, 20);

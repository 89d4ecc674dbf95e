// The engine's request log (DESIGN "Security model"): one row per WOPI request with its operation, status
// and lock before/after, and redaction of tokens, Authorization and proof headers when a record is shown.
// In-process createWorkbench on port 0, real files and SQLite.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import { redactRecord } from '../../server/events/redact';
import { engineForSuite, logged } from '../helpers/engine-fixture';
import { sha256 } from '../helpers/hash';
import {
  checkFileInfo,
  expectStatus,
  getFile,
  lock,
  postOverride,
  putFile,
  putRelativeFile,
  unlock,
  unlockAndRelock,
} from '../helpers/wopi-client';
import type { WopiResponse } from '../helpers/wopi-client';

describe('request log', () => {
  const b = engineForSuite('wb-storage-', { 'log.docx': 'log me' });

  it('one row per request with operation, status and lock before/after', async () => {
    const id = await b.idOf('log.docx');
    const t = b.target(id);
    const start = b.engine.requestLog.count();
    // Sequential on purpose: each step's lock state depends on the previous one.
    const run = async (
      p: () => Promise<WopiResponse>,
      op: string,
      status: number,
      before: string | null | undefined,
      after: string | null | undefined,
    ): Promise<RequestRecord> => {
      const res = await p();
      expectStatus(res, status, op);
      const rec = await logged(b.engine, res);
      assert.equal(rec.operation, op);
      assert.equal(rec.status, status);
      assert.equal(rec.fileId, id);
      assert.equal(rec.filePath, 'log.docx');
      assert.equal(rec.lockBefore, before, `${op} lockBefore`);
      assert.equal(rec.lockAfter, after, `${op} lockAfter`);
      if (status >= 400) assert.ok(rec.why, `${op} ${status} explains why`);
      return rec;
    };
    await run(() => checkFileInfo(t), 'CheckFileInfo', 200, undefined, undefined);
    await run(() => lock(t, 'L1'), 'Lock', 200, null, 'L1');
    await run(() => lock(t, 'L2'), 'Lock', 409, 'L1', 'L1');
    await run(() => unlockAndRelock(t, 'L3', 'L1'), 'UnlockAndRelock', 200, 'L1', 'L3');
    const put = await run(() => putFile(t, 'logged body', { lock: 'L3' }), 'PutFile', 200, 'L3', 'L3');
    assert.deepEqual(put.requestBody, { size: 11, sha256: sha256('logged body') });
    await run(() => getFile(t), 'GetFile', 200, undefined, undefined);
    await run(() => unlock(t, 'L3'), 'Unlock', 200, 'L3', null);
    await run(() => postOverride(t, 'NOT_A_THING'), 'Unsupported', 501, undefined, undefined);
    const tail = t.accessToken.endsWith('0000') ? '1111' : '0000'; // always differs from the real token
    const bad = await checkFileInfo(t, { token: `${t.accessToken.slice(0, -4)}${tail}` });
    expectStatus(bad, 401);
    assert.equal((await logged(b.engine, bad)).status, 401);
    assert.equal(b.engine.requestLog.count() - start, 9, 'exactly one row per request');
  });

  it('redactRecord removes the access token, Authorization, proof headers and tokens in bodies', async () => {
    const src = b.target(await b.idOf('log.docx'));
    const res = await putRelativeFile(src, 'copy', {
      suggestedTarget: '.docx',
      headers: { 'X-WOPI-Proof': 'PROOF-SIGNATURE-VALUE', 'X-WOPI-ProofOld': 'OLD-PROOF-VALUE' },
    });
    expectStatus(res, 200);
    const newToken = new URL(res.json()['Url'] as string).searchParams.get('access_token')!;
    const raw = await logged(b.engine, res);
    const red = redactRecord(raw);
    const text = JSON.stringify(red);
    for (const secret of [src.accessToken, newToken, 'PROOF-SIGNATURE-VALUE', 'OLD-PROOF-VALUE']) {
      assert.ok(!text.includes(secret), `redacted record still contains ${secret.slice(0, 12)}…`);
    }
    assert.equal(red.redacted, true);
    assert.match(red.query, /access_token=\[redacted \d+ chars\]/);
    assert.match(red.requestHeaders['authorization']!, /^Bearer \[redacted \d+ chars\]$/);
    assert.match(red.responseBody!.text!, /access_token=\[redacted \d+ chars\]/);
    // Redaction is a view: the stored record is unchanged and the operation facts survive.
    assert.equal(red.operation, 'PutRelativeFile');
    assert.equal(red.status, 200);
    assert.ok(raw.query.includes(src.accessToken));
  });
});

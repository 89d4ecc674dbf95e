// No fault ever changes the bytes on disk: an upload that a rule cuts, drops, refuses with a 5xx, or
// paces until the client gives up leaves the file's bytes (sha256 on disk) and its version exactly as
// they were, while a successful PutFile afterwards (and a paced one that completes) changes them.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import type { FaultEffect } from '../../server/contracts/lab';
import { engineForSuite, nextEvent } from '../helpers/engine-fixture';
import { sha256 } from '../helpers/hash';
import { expectStatus, lock, openPutFile, putFile, unlock } from '../helpers/wopi-client';

const ORIGINAL = Buffer.alloc(16 * 1024, 'original ');
const bench = engineForSuite('wb-faults-bytes-', { 'doc.docx': ORIGINAL });

/** The file as it is on disk and in the index. */
async function state(id: string): Promise<{ sha: string; version: number }> {
  const row = bench.engine.files.get(id)!;
  return { sha: sha256(await readFile(bench.abs('doc.docx'))), version: row.version };
}

/** The next PutFile record a fault rule touched. */
const faultedPut = (): Promise<RequestRecord> =>
  nextEvent(
    bench.engine,
    'request:completed',
    (r) => r.operation === 'PutFile' && r.fault !== undefined,
  ).then((e) => e.data);

async function withRule<T>(effect: FaultEffect, run: () => Promise<T>): Promise<T> {
  await bench.engine.api.addFault({ match: { operations: ['PutFile'] }, effect });
  try {
    return await run();
  } finally {
    await bench.engine.api.clearFaults();
  }
}

void describe('faults never change the bytes on disk', () => {
  void it('a cut, a dropped, a refused and a paced-then-abandoned upload leave bytes and version', async () => {
    const id = await bench.idOf('doc.docx');
    const t = bench.target(id);
    expectStatus(await lock(t, 'L'), 200);
    const before = await state(id);
    assert.equal(before.sha, sha256(ORIGINAL));
    const upload = Buffer.alloc(12 * 1024, 'replacement ');

    // Cut after 100 bytes of the upload: no answer, nothing written.
    const cut = faultedPut();
    await assert.rejects(
      withRule({ kind: 'abort-body', afterBytes: 100 }, () => putFile(t, upload, { lock: 'L' })),
    );
    const cutRec = await cut;
    assert.equal(cutRec.status, 0);
    assert.equal(cutRec.fault?.effect, 'abort-body');
    assert.deepEqual(await state(id), before, 'abort-body');

    // Dropped before any answer.
    await assert.rejects(withRule({ kind: 'drop-connection' }, () => putFile(t, upload, { lock: 'L' })));
    assert.deepEqual(await state(id), before, 'drop-connection');

    // 500 and 503: answered, nothing run.
    for (const status of [500, 503] as const) {
      const res = await withRule({ kind: 'status', status }, () => putFile(t, upload, { lock: 'L' }));
      expectStatus(res, status);
      assert.deepEqual(await state(id), before, `status ${status}`);
    }

    // Paced at 2 KB/s; the client gives up part way through its 12 KB.
    await withRule({ kind: 'throttle', bytesPerSecond: 2048 }, async () => {
      const paced = faultedPut();
      const put = openPutFile(t, 'L', upload.length);
      put.req.write(upload.subarray(0, 6 * 1024));
      await new Promise((r) => setTimeout(r, 400));
      put.req.destroy();
      const result = await put.result;
      assert.ok(result instanceof Error, `the client's own abort: ${String(result)}`);
      const rec = await paced;
      assert.equal(rec.fault?.effect, 'throttle');
    });
    assert.deepEqual(await state(id), before, 'throttled then aborted');

    // Nothing above touched the file; a real save does.
    const saved = await putFile(t, upload, { lock: 'L' });
    expectStatus(saved, 200);
    const after = await state(id);
    assert.equal(after.sha, sha256(upload));
    assert.ok(after.version > before.version, 'a successful PutFile makes a new version');
    assert.equal(saved.header('x-wopi-itemversion'), String(after.version));

    // A paced upload that completes is written whole.
    const third = Buffer.alloc(3000, 'third ');
    const res = await withRule({ kind: 'throttle', bytesPerSecond: 8192 }, () =>
      putFile(t, third, { lock: 'L' }),
    );
    expectStatus(res, 200);
    assert.equal((await state(id)).sha, sha256(third));
    expectStatus(await unlock(t, 'L'), 200);
  });
});

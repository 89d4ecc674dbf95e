// Uploads whose connection does something other than deliver a body and wait: a body that arrived but
// whose connection closed before it was read leaves no temp file, and every such request still gets its
// record in the log.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import { TEMP_PREFIX } from '../../server/storage/paths';
import { engineForSuite, nextEvent } from '../helpers/engine-fixture';
import { rawRequest } from '../helpers/fuzz/raw-http';
import { expectStatus, lock } from '../helpers/wopi-client';

const WAIT_MS = 10_000;

const tempFiles = async (dir: string): Promise<string[]> =>
  (await readdir(dir)).filter((n) => n.startsWith(TEMP_PREFIX));

describe('an upload whose connection closes before its body was read', () => {
  const b = engineForSuite('wb-upload-gone-');

  /** The record of the next PutFile on `fileId` (subscribe before acting). */
  const nextPutRecord = (fileId: string): Promise<RequestRecord> =>
    nextEvent(b.engine, 'request:completed', (r) => r.operation === 'PutFile' && r.fileId === fileId).then(
      (e) => e.data,
    );

  it('whole body, then a malformed request on the same connection: no temp file left, the file unchanged, the request logged', async () => {
    const t = await b.file('sub/garbage-after.docx', 'before');
    expectStatus(await lock(t, 'LG'), 200);
    const origin = new URL(t.wopiSrc).origin;
    const logged = nextPutRecord(t.id);
    // The declared length ends mid-body: the rest reads as a malformed second request, and node's
    // parser answers it 400 and closes the socket before the PutFile handler has read its (whole) body.
    const body = Buffer.from('x'.repeat(64) + 'this is not an HTTP request\r\n\r\n');
    const o = await rawRequest(origin, {
      method: 'POST',
      target: `/wopi/files/${t.id}/contents?access_token=${t.accessToken}`,
      headers: [
        ['X-WOPI-Override', 'PUT'],
        ['X-WOPI-Lock', 'LG'],
      ],
      body,
      contentLength: 64,
      answerWithinMs: WAIT_MS,
    });
    assert.equal(o.kind, 'answered');
    const rec = await logged;
    assert.match(rec.why ?? '', /went away|disconnected/, 'the record says the client was gone');
    assert.deepEqual(await tempFiles(path.dirname(t.abs)), [], 'the staged body was discarded');
    assert.equal(await readFile(t.abs, 'utf8'), 'before', 'a body that was never read in full is not saved');
  });

  it('a client that hangs up mid-body is logged, and leaves no temp file', async () => {
    const t = await b.file('hang-up.docx', 'before');
    expectStatus(await lock(t, 'LH'), 200);
    const origin = new URL(t.wopiSrc).origin;
    const logged = nextPutRecord(t.id);
    const o = await rawRequest(origin, {
      method: 'POST',
      target: `/wopi/files/${t.id}/contents?access_token=${t.accessToken}`,
      headers: [
        ['X-WOPI-Override', 'PUT'],
        ['X-WOPI-Lock', 'LH'],
      ],
      body: Buffer.alloc(4096, 0x62),
      delivery: { kind: 'hang-up', after: 1024 },
      answerWithinMs: WAIT_MS,
    });
    assert.equal(o.kind, 'hung-up');
    const rec = await logged;
    assert.match(rec.why ?? '', /went away|disconnected/);
    assert.deepEqual(await tempFiles(b.folder), []);
  });
});

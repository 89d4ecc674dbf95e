// Uploads whose connection does something other than deliver a body and wait: an early answer (401,
// 413) to a large body sent with `Connection: close` must reach the client instead of a reset; a body
// that arrived but whose connection closed before it was read leaves no temp file; and every such
// request still gets its record in the log.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import { TEMP_PREFIX } from '../../server/storage/paths';
import { engineForSuite, nextEvent } from '../helpers/engine-fixture';
import { rawRequest } from '../helpers/fuzz/raw-http';
import { expectStatus, lock } from '../helpers/wopi-client';

/** Far more than socket buffers hold: the client is still sending when the answer comes. */
const BIG = 32 * 1024 * 1024;
const WAIT_MS = 10_000;

interface SendThenRead {
  /** The error the body's write failed with (a reset), if it did. */
  writeError?: string;
  /** The first line of the answer, read once the body was written. */
  statusLine: string;
}

/**
 * Sends the head and the whole body, then reads the answer, as most HTTP clients do: a write that fails
 * (the server reset the connection) ends the exchange, whatever bytes had arrived.
 */
function sendThenRead(origin: string, head: string, size: number): Promise<SendThenRead> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    let received = Buffer.alloc(0);
    let written = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of the exchange within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const done = (r: SendThenRead): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const statusLine = (): string => received.toString('latin1').split('\r\n')[0] ?? '';
    socket.on('data', (d: Buffer) => (received = Buffer.concat([received, d])));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (!written) done({ writeError: e.code ?? e.message, statusLine: '' });
      else done({ statusLine: statusLine() });
    });
    socket.on('end', () => {
      if (written) done({ statusLine: statusLine() });
    });
    socket.once('connect', () => {
      socket.write(head);
      socket.write(Buffer.alloc(size, 0x61), (e) => {
        if (e) return; // reported by 'error'
        written = true;
        if (socket.readableEnded) done({ statusLine: statusLine() });
      });
    });
  });
}

const tempFiles = async (dir: string): Promise<string[]> =>
  (await readdir(dir)).filter((n) => n.startsWith(TEMP_PREFIX));

describe('an answer sent before a large body was read, on a connection the client asked to close', () => {
  const b = engineForSuite('wb-early-answer-', {}, { maxUploadBytes: 1024 * 1024 });

  it('401 (no access token) reaches the client: the rest of the body is read and dropped, not reset', async () => {
    const t = await b.file('early-401.docx', '');
    const origin = new URL(t.wopiSrc).origin;
    const head =
      `POST /wopi/files/${t.id}/contents HTTP/1.1\r\nHost: x\r\nX-WOPI-Override: PUT\r\n` +
      `Content-Length: ${BIG}\r\nConnection: close\r\n\r\n`;
    const r = await sendThenRead(origin, head, BIG);
    assert.equal(r.writeError, undefined, 'the server reset the connection while the body was sent');
    assert.match(r.statusLine, /^HTTP\/1\.1 401 /);
  });

  it('413 (a declared body over maxUploadBytes) reaches the client the same way', async () => {
    const t = await b.file('early-413.docx', '');
    expectStatus(await lock(t, 'L413'), 200);
    const origin = new URL(t.wopiSrc).origin;
    const head =
      `POST /wopi/files/${t.id}/contents?access_token=${t.accessToken} HTTP/1.1\r\nHost: x\r\n` +
      `X-WOPI-Override: PUT\r\nX-WOPI-Lock: L413\r\nContent-Length: ${BIG}\r\nConnection: close\r\n\r\n`;
    const r = await sendThenRead(origin, head, BIG);
    assert.equal(r.writeError, undefined, 'the server reset the connection while the body was sent');
    assert.match(r.statusLine, /^HTTP\/1\.1 413 /);
  });
});

describe('a request node cannot parse, sent with a large body: its 4xx reaches the client, not a reset', () => {
  const b = engineForSuite('wb-parse-error-');

  it('431 for a header section over the limit', async () => {
    const origin = new URL(b.engine.mintTokenForId('any').wopiSrc).origin;
    const head =
      `POST /wopi/files/x/contents HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(20_000)}\r\n` +
      `Content-Length: ${BIG}\r\n\r\n`;
    const r = await sendThenRead(origin, head, BIG);
    assert.equal(r.writeError, undefined, 'the server reset the connection while the body was sent');
    assert.match(r.statusLine, /^HTTP\/1\.1 431 /);
  });

  it('400 for a Content-Length that is not a number', async () => {
    const origin = new URL(b.engine.mintTokenForId('any').wopiSrc).origin;
    const head = `POST /wopi/files/x/contents HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n`;
    const r = await sendThenRead(origin, head, BIG);
    assert.equal(r.writeError, undefined, 'the server reset the connection while the body was sent');
    assert.match(r.statusLine, /^HTTP\/1\.1 400 /);
  });
});

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

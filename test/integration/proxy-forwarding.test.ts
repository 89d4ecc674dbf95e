// The inspecting proxy (`serve --upstream`) on the wire: a workbench on port 0 forwards /wopi/… to a
// plain node:http upstream that keeps what it received. Bytes arrive identical both ways (multi-MB
// GetFile and PutFile, SHA-256 on both sides and in the record), end-to-end headers pass while
// hop-by-hop ones stay on their hop, X-Forwarded-* name the public URL, the path goes under the
// upstream's and the query passes verbatim, an unreachable upstream is a 502 said in one line, a
// client that leaves cuts the upstream request, and each exchange is a complete, redacted record.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import { parseUpstream, upstreamPath } from '../../server/proxy';
import { makeRoot, startEngine } from '../helpers/engine-fixture';
import type { EngineBench } from '../helpers/engine-fixture';
import { patternBytes, sha256Of, startEchoUpstream } from '../helpers/echo-upstream';
import type { EchoUpstream } from '../helpers/echo-upstream';
import { sendRequest } from '../helpers/wopi-client';

const MB = 1024 * 1024;
const SIZE = 3 * MB + 12_345;
const PUBLIC = 'https://wopi.example.test';
const TOKEN = 'Tok3n-For-The-Upstream_0123456789';

interface Raw {
  status: number;
  rawHeaders: string[];
  headers: IncomingMessage['headers'];
  sha256: string;
  size: number;
  text: string;
}

/** One request with exactly these raw headers; the answer's raw headers and body digest. */
function raw(
  url: string,
  method: string,
  headers: string[],
  body?: Iterable<Buffer>,
  agent: http.Agent | false = false,
): Promise<Raw> {
  // Raw headers are sent exactly as given: a Host of our own unless the test brings one.
  const all = headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'host')
    ? headers
    : ['Host', new URL(url).host, ...headers];
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: all, agent }, (res) => {
      const h = createHash('sha256');
      let size = 0;
      const keep: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        h.update(c);
        size += c.length;
        if (size <= 64 * 1024) keep.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          rawHeaders: res.rawHeaders,
          headers: res.headers,
          sha256: h.digest('hex'),
          size,
          text: Buffer.concat(keep).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) {
      (async () => {
        for (const c of body) if (!req.write(c)) await new Promise((r) => req.once('drain', r));
        req.end();
      })().catch(reject);
    } else req.end();
  });
}

const pairs = (rawHeaders: string[]): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < rawHeaders.length; i += 2) out.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return out;
};
const names = (rawHeaders: string[]): string[] => pairs(rawHeaders).map(([k]) => k.toLowerCase());

/** The record of the next request:completed matching `match`. */
function recordOf(b: EngineBench, match: (r: RequestRecord) => boolean): Promise<RequestRecord> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching record within 10 s')), 10_000);
    const off = b.engine.bus.on('request:completed', (e) => {
      if (!match(e.data)) return;
      clearTimeout(timer);
      off();
      resolve(e.data);
    });
  });
}

const GET_SEED = 7;

describe('the inspecting proxy forwards WOPI to the upstream host', () => {
  let up: EchoUpstream;
  let b: EngineBench;
  let slowClosed: (() => void) | undefined;
  let base = '';

  before(async () => {
    up = await startEchoUpstream(async (req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      if (path.endsWith('/contents') && req.method === 'GET') {
        if (req.headers['x-test'] === 'slow') {
          // Dribbles for ever: only the client leaving ends it.
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const tick = setInterval(() => res.write(Buffer.alloc(1024, 1)), 20);
          res.on('close', () => {
            clearInterval(tick);
            slowClosed?.();
          });
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(SIZE),
          'x-wopi-itemversion': 'v7',
        });
        for (const c of patternBytes(SIZE, GET_SEED))
          if (!res.write(c)) await new Promise((r) => res.once('drain', r));
        res.end();
        return;
      }
      if (path.endsWith('/contents') && req.method === 'POST') {
        // Answer once the whole body was read (it is hashed as it arrives).
        req.on('end', () => {
          res.writeHead(200, { 'x-wopi-itemversion': 'v8', 'content-length': '0' });
          res.end();
        });
        req.resume();
        return;
      }
      // CheckFileInfo and everything else: end-to-end headers, repeats, an empty lock header, and
      // hop-by-hop ones that must not reach the client.
      req.resume();
      const body = JSON.stringify({
        BaseFileName: 'Budget.xlsx',
        OwnerId: 'o1',
        Size: 10,
        UserId: 'u-42',
        UserFriendlyName: 'Upstream User',
        Version: 'v7',
      });
      res.writeHead(200, 'Fine Thanks', [
        'Content-Type',
        'application/json; charset=utf-8',
        'Content-Length',
        String(Buffer.byteLength(body)),
        'X-WOPI-Lock',
        '',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
        'X-Custom',
        'kept',
        'Connection',
        'X-Hop-Only',
        'X-Hop-Only',
        'dropped',
        'Keep-Alive',
        'timeout=77',
        'Proxy-Authenticate',
        'Basic',
        'Date',
        'Tue, 01 Dec 2026 10:00:00 GMT',
      ]);
      res.end(body);
    });
    b = await startEngine(await makeRoot('wb-proxy-fwd-'), { upstream: `${up.url}/api`, publicUrl: PUBLIC });
    base = `${b.engine.wopiUrl()}/wopi/files/F1`;
  });

  after(async () => {
    await b?.dispose();
    await up?.close();
  });

  it('maps paths under the upstream path (its own /wopi when it names one)', () => {
    const q = 'access_token=a%2Fb%2B%3D&x=%7E+y';
    assert.equal(upstreamPath(parseUpstream('http://h:1'), '/wopi/files/1', q), `/wopi/files/1?${q}`);
    assert.equal(upstreamPath(parseUpstream('http://h/api/'), '/wopi/files/1', ''), '/api/wopi/files/1');
    assert.equal(
      upstreamPath(parseUpstream('http://h/api/wopi'), '/wopi/files/1/contents', ''),
      '/api/wopi/files/1/contents',
    );
    assert.equal(
      upstreamPath(parseUpstream('http://h/x/wopi_test'), '/wopi/files/1', ''),
      '/x/wopi_test/files/1',
    );
  });

  it('passes the path under the upstream path and the query byte for byte', async () => {
    const q = `access_token=${TOKEN}%2F%2b&access_token_ttl=0&odd=%7e+x&empty=&dup=1&dup=2`;
    const seen = up.next();
    const res = await raw(`${base}?${q}`, 'GET', []);
    assert.equal(res.status, 200);
    assert.equal((await seen).url, `/api/wopi/files/F1?${q}`);
  });

  it('keeps end-to-end headers (case, repeats, an empty X-WOPI-Lock) and drops hop-by-hop ones both ways', async () => {
    const seen = up.next();
    const res = await raw(`${base}?access_token=${TOKEN}`, 'GET', [
      'Host',
      'client-side.example',
      'Connection',
      'keep-alive, X-Drop-Me',
      'X-Drop-Me',
      'please',
      'Keep-Alive',
      'timeout=9',
      'TE',
      'trailers',
      'Proxy-Authorization',
      'Basic c2VjcmV0',
      'Upgrade',
      'h2c',
      'X-WOPI-CorrelationId',
      'corr-1',
      'X-Repeat',
      'one',
      'X-Repeat',
      'two',
      'X-Forwarded-For',
      '203.0.113.9',
      'Authorization',
      `Bearer ${TOKEN}`,
    ]);
    const got = await seen;
    const upNames = names(got.rawHeaders);
    for (const hop of ['connection', 'x-drop-me', 'keep-alive', 'te', 'proxy-authorization', 'upgrade'])
      assert.ok(
        !upNames.includes(hop) || hop === 'connection',
        `${hop} reached the upstream: ${upNames.join(', ')}`,
      );
    // Node's client speaks its own Connection header to the upstream; ours never goes through.
    assert.ok(!(got.headers['connection'] ?? '').includes('X-Drop-Me'));
    const upPairs = pairs(got.rawHeaders);
    assert.deepEqual(
      upPairs.filter(([k]) => k === 'X-Repeat' || k === 'X-WOPI-CorrelationId' || k === 'Authorization'),
      [
        ['X-WOPI-CorrelationId', 'corr-1'],
        ['X-Repeat', 'one'],
        ['X-Repeat', 'two'],
        ['Authorization', `Bearer ${TOKEN}`],
      ],
    );
    assert.equal(got.headers.host, new URL(up.url).host, 'Host is the upstream’s');
    assert.equal(got.headers['x-forwarded-host'], 'wopi.example.test');
    assert.equal(got.headers['x-forwarded-proto'], 'https');
    assert.equal(got.headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
    assert.match(String(got.headers['via']), /^1\.1 wopi-workbench \(/);

    assert.equal(res.status, 200);
    const downNames = names(res.rawHeaders);
    for (const hop of ['x-hop-only', 'proxy-authenticate'])
      assert.ok(!downNames.includes(hop), `${hop} reached the client`);
    assert.notEqual(res.headers['keep-alive'], 'timeout=77', 'the upstream’s Keep-Alive stayed on its hop');
    const downPairs = pairs(res.rawHeaders);
    assert.deepEqual(
      downPairs.filter(([k]) => ['X-WOPI-Lock', 'Set-Cookie', 'X-Custom', 'Date'].includes(k)),
      [
        ['X-WOPI-Lock', ''],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['X-Custom', 'kept'],
        ['Date', 'Tue, 01 Dec 2026 10:00:00 GMT'],
      ],
    );
    assert.equal(res.headers['x-wopi-serverversion'], undefined, 'the answer is the upstream’s, not ours');
  });

  it('streams a multi-MB GetFile and PutFile byte for byte, with the SHA-256 of both in the records', async () => {
    const expected = sha256Of(patternBytes(SIZE, GET_SEED));
    const getRec = recordOf(b, (r) => r.operation === 'GetFile' && r.status === 200);
    const got = await raw(`${base}/contents?access_token=${TOKEN}`, 'GET', []);
    assert.equal(got.size, SIZE);
    assert.equal(got.sha256, expected);
    const gr = await getRec;
    assert.equal(gr.responseBody?.sha256, expected);
    assert.equal(gr.responseBody?.size, SIZE);
    assert.equal(gr.responseBody?.text, undefined, 'a binary body is summarised, never inlined');

    const body = [...patternBytes(SIZE + 1, 99)];
    const putSha = sha256Of(body);
    const seen = up.next();
    const putRec = recordOf(b, (r) => r.operation === 'PutFile');
    const put = await raw(
      `${base}/contents?access_token=${TOKEN}`,
      'POST',
      [
        'X-WOPI-Override',
        'PUT',
        'X-WOPI-Lock',
        'L1',
        'Content-Type',
        'application/octet-stream',
        'Content-Length',
        String(SIZE + 1),
      ],
      body,
    );
    assert.equal(put.status, 200);
    const s = await seen;
    assert.equal(s.bodySize, SIZE + 1);
    assert.equal(s.bodySha256, putSha);
    const pr = await putRec;
    assert.equal(pr.requestBody?.sha256, putSha);
    assert.equal(pr.requestBody?.size, SIZE + 1);

    // Chunked (no Content-Length) goes through too.
    const seen2 = up.next();
    const chunked = await raw(
      `${base}/contents?access_token=${TOKEN}`,
      'POST',
      ['X-WOPI-Override', 'PUT'],
      body,
    );
    assert.equal(chunked.status, 200);
    assert.equal((await seen2).bodySha256, putSha);
  });

  it('records each exchange in full: source, upstream, operation, file, user, timings, headers, body and proof', async () => {
    const rec = recordOf(b, (r) => r.operation === 'CheckFileInfo' && r.query.includes('corr-check'));
    await raw(`${base}?access_token=${TOKEN}&corr-check=1`, 'GET', ['X-WOPI-CorrelationId', 'c-9']);
    const r = await rec;
    assert.equal(r.source, 'proxy');
    assert.equal(r.upstream, `${up.url}/api/wopi/files/F1`, 'the upstream URL, without the query');
    assert.equal(r.method, 'GET');
    assert.equal(r.path, '/wopi/files/F1');
    assert.equal(r.fileId, 'F1');
    assert.equal(r.status, 200);
    assert.equal(r.correlationId, 'c-9');
    assert.equal(r.filePath, 'Budget.xlsx', 'the file name CheckFileInfo gave');
    assert.equal(r.userId, 'u-42');
    assert.ok(r.durationMs > 0);
    assert.equal(r.requestHeaders['x-wopi-correlationid'], 'c-9');
    assert.equal(r.responseHeaders['x-custom'], 'kept');
    assert.equal(r.responseHeaders['set-cookie'], 'a=1, b=2');
    assert.match(r.responseBody?.text ?? '', /"BaseFileName":"Budget.xlsx"/);
    // The client did not sign it: the verdict says so (against the public URL), and nothing is refused.
    assert.equal(r.proof?.outcome, 'missing');
    assert.equal(r.proof?.rejected, false);
    assert.ok(r.proof?.urlVerified.startsWith(`${PUBLIC}/wopi/files/F1?`), r.proof?.urlVerified);
    assert.deepEqual(r.findings, undefined, 'a correct answer has no findings');

    // The control API shows it with the upstream's token redacted wherever it is.
    const res = await sendRequest({
      method: 'GET',
      url: `${b.engine.controlUrl()}/v1/requests/${r.id}`,
      headers: { Authorization: `Bearer ${b.engine.controlToken}` },
    });
    assert.equal(res.status, 200);
    assert.ok(!res.text.includes(TOKEN), res.text);
    assert.match(res.text, /access_token=\[redacted \d+ chars\]/);
  });

  it('shows lock before -> after as the traffic shows it', async () => {
    const lock = (override: string, extra: string[], status = 200) =>
      new Promise<RequestRecord>((resolve, reject) => {
        const rec = recordOf(b, (r) => r.override === override);
        raw(`${base}?access_token=${TOKEN}`, 'POST', ['X-WOPI-Override', override, ...extra])
          .then((res) => assert.equal(res.status, status))
          .then(() => rec)
          .then(resolve, reject);
      });
    const l = await lock('LOCK', ['X-WOPI-Lock', 'A']);
    assert.equal(l.lockAfter, 'A');
    const refresh = await lock('REFRESH_LOCK', ['X-WOPI-Lock', 'A']);
    assert.equal(refresh.lockBefore, 'A');
    assert.equal(refresh.lockAfter, 'A');
    const unlock = await lock('UNLOCK', ['X-WOPI-Lock', 'A']);
    assert.equal(unlock.lockBefore, 'A');
    assert.equal(unlock.lockAfter, null);
  });

  it('answers 502 when the upstream cannot be reached, saying why in one line', async () => {
    const port = await freePort();
    const down = await startEngine(await makeRoot('wb-proxy-down-'), {
      upstream: `http://127.0.0.1:${port}`,
    });
    try {
      const rec = recordOf(down, (r) => r.operation === 'CheckFileInfo');
      const res = await raw(`${down.engine.wopiUrl()}/wopi/files/x?access_token=${TOKEN}`, 'GET', []);
      assert.equal(res.status, 502);
      assert.match(String(res.headers['x-wopi-servererror']), /could not be reached: .*ECONNREFUSED/);
      const r = await rec;
      assert.equal(r.status, 502);
      assert.match(
        r.why ?? '',
        new RegExp(`^the upstream http://127.0.0.1:${port} could not be reached: .*ECONNREFUSED`),
      );
      assert.ok(!(r.why ?? '').includes('\n'));
      assert.equal(r.findings, undefined, 'no WOPI host answered: nothing to lint');
    } finally {
      await down.dispose();
    }
  });

  it('answers 508 instead of forwarding to itself for ever when the upstream is this workbench', async () => {
    const port = await freePort();
    const loop = await startEngine(await makeRoot('wb-proxy-loop-'), {
      wopiPort: port,
      upstream: `http://127.0.0.1:${port}`,
    });
    try {
      const res = await raw(`${loop.engine.wopiUrl()}/wopi/files/x?access_token=${TOKEN}`, 'GET', []);
      // The forwarded copy came back and was refused; the first hop passes that answer on.
      assert.equal(res.status, 508);
      assert.match(String(res.headers['x-wopi-servererror']), /proxy loop/);
      const r = await sendRequest({
        method: 'GET',
        url: `${loop.engine.controlUrl()}/v1/requests?status=508`,
        headers: { Authorization: `Bearer ${loop.engine.controlToken}` },
      });
      assert.match(r.text, /proxy loop/);
    } finally {
      await loop.dispose();
    }
  });

  it('cuts the upstream request when the client leaves mid-upload or mid-download', async () => {
    // Mid-upload: half the announced body, then the client's socket is destroyed.
    const seen = up.next();
    const rec = recordOf(b, (r) => r.operation === 'PutFile' && r.query.includes('abort-up'));
    await new Promise<void>((resolve) => {
      const req = http.request(`${base}/contents?access_token=${TOKEN}&abort-up=1`, {
        method: 'POST',
        agent: false,
        headers: { 'X-WOPI-Override': 'PUT', 'Content-Length': String(4 * MB) },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(MB, 3), () => setTimeout(() => req.destroy(), 50));
    });
    const s = await seen;
    assert.equal(s.aborted, true, 'the upstream saw its request cut');
    assert.ok(s.bodySize < 4 * MB);
    const r = await rec;
    assert.match(r.why ?? '', /client disconnected/);

    // Mid-download: the upstream dribbles until its response is closed under it.
    const closed = new Promise<void>((resolve) => (slowClosed = resolve));
    const downRec = recordOf(b, (r) => r.operation === 'GetFile' && r.requestHeaders['x-test'] === 'slow');
    await new Promise<void>((resolve) => {
      const req = http.request(`${base}/contents?access_token=${TOKEN}`, {
        agent: false,
        headers: { 'X-Test': 'slow' },
      });
      // The first bytes arrive, then the client goes away.
      req.on('response', (res) => res.once('data', () => req.destroy()));
      req.on('close', () => resolve());
      req.on('error', () => undefined);
      req.end();
    });
    await closed;
    const d = await downRec;
    assert.equal(d.status, 200);
    assert.match(d.why ?? '', /client disconnected before the response was complete/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

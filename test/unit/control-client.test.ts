// server/contracts/client.ts, the one control-API client, against a real engine's control listener:
// typed calls, path and query encoding, and every failure as a ControlApiError with a status and a
// code (the server's, or 'network' / 'http-NNN' for what only a client sees). A few foreign servers
// stand in for what may answer on a port that is not ours: a proxy's text page, nothing, a hung socket.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { ControlApiError, createControlClient, type ControlClient } from '../../server/contracts';
import { controlApiForSuite } from '../helpers/control-api';

/** Asserts that `work` fails with a ControlApiError of this status and code; returns it. */
async function failsWith(work: Promise<unknown>, status: number, code: string): Promise<ControlApiError> {
  let caught: unknown;
  await assert.rejects(work, (err: unknown) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof ControlApiError, `not a ControlApiError: ${String(caught)}`);
  assert.equal(caught.status, status, caught.message);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

/** A server that is not the control API, answering every request with `answer` (or never). */
async function foreign(answer: ((res: http.ServerResponse) => void) | null): Promise<string> {
  const server = http.createServer((_req, res) => answer?.(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

void describe('the shared control client', () => {
  const bench = controlApiForSuite({ 'a.txt': 'alpha', 'sub/b.txt': 'beta' });
  const client = (): ControlClient =>
    createControlClient({ baseUrl: `${bench.base}/`, token: bench.wb.controlToken });

  void it('calls routes with params, bodies and queries and returns the typed answers', async () => {
    const c = client();
    const files = await c.files();
    const a = files.find((f) => f.path === 'a.txt');
    assert.ok(a, JSON.stringify(files));
    assert.equal((await c.file({ params: { fileId: a.id } })).size, 5);

    const grant = await c.mintToken({ body: { fileId: a.id, permissions: 'view', ttlMinutes: 5 } });
    assert.match(grant.wopiSrc, new RegExp(`/wopi/files/${a.id}$`));
    assert.ok(grant.accessTokenTtl > Date.now());

    const set = await c.setLock({ params: { fileId: a.id }, body: { lockId: 'lab lock' } });
    assert.equal(set.after?.lockId, 'lab lock');
    assert.deepEqual(
      (await c.locks()).map((l) => [l.path, l.lockId]),
      [['a.txt', 'lab lock']],
    );
    assert.equal((await c.call('forceUnlock', { params: { fileId: a.id } })).after, null);

    const page = await c.requests({ query: { limit: 1, q: '', operation: undefined } });
    assert.ok(Array.isArray(page.items) && page.items.length <= 1);
    assert.equal((await c.status()).fileCount, 2);
  });

  void it('encodes path params, sends true flags as 1 and leaves out false, empty and absent ones', () => {
    const c = client();
    assert.equal(c.url('file', { params: { fileId: 'a/b c?d' } }), `${bench.base}/v1/files/a%2Fb%20c%3Fd`);
    assert.equal(
      c.url('restoreVersion', { params: { fileId: 'f', versionId: 7 }, query: { force: true } }),
      `${bench.base}/v1/files/f/versions/7/restore?force=1`,
    );
    assert.equal(
      c.url('restoreVersion', { params: { fileId: 'f', versionId: 7 }, query: { force: false } }),
      `${bench.base}/v1/files/f/versions/7/restore`,
    );
    assert.equal(
      c.url('requests', { query: { limit: 5, q: '', fileId: undefined, status: '4xx' } }),
      `${bench.base}/v1/requests?limit=5&status=4xx`,
    );
    assert.throws(() => c.url('file', { params: { fileId: '' } }), /path parameter fileId is required/);
  });

  void it('carries the server error code and status: not-found, bad-request, unauthorized', async () => {
    const c = client();
    await failsWith(c.file({ params: { fileId: 'no-such-file' } }), 404, 'not-found');
    const [a] = await c.files();
    assert.ok(a);
    await failsWith(c.setLock({ params: { fileId: a.id }, body: { lockId: '' } }), 400, 'bad-request');
    await failsWith(c.requests({ query: { limit: 0 } }), 400, 'bad-request');
    const anonymous = createControlClient({ baseUrl: bench.base, token: null });
    await failsWith(anonymous.status(), 401, 'unauthorized');
    const wrong = createControlClient({ baseUrl: bench.base, token: 'nope' });
    await failsWith(wrong.status(), 401, 'unauthorized');
  });

  void it('an answer that is not the API is http-NNN, a 2xx that is not JSON included', async () => {
    const proxy = await foreign((res) => {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway');
    });
    const e = await failsWith(createControlClient({ baseUrl: proxy }).status(), 502, 'http-502');
    assert.equal(e.message, 'GET /v1/status answered 502');
    const page = await foreign((res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    });
    await failsWith(createControlClient({ baseUrl: page }).files(), 200, 'http-200');
  });

  void it('no answer is code network with status 0: nothing listening, or no reply within timeoutMs', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const refused = await failsWith(
      createControlClient({ baseUrl: `http://127.0.0.1:${closed}` }).status(),
      0,
      'network',
    );
    assert.ok(refused.cause, 'the transport error is kept as the cause');

    const hung = await foreign(null);
    const started = Date.now();
    const slow = await failsWith(
      createControlClient({ baseUrl: hung, timeoutMs: 200 }).status(),
      0,
      'network',
    );
    assert.match(slow.message, /did not answer within 200 ms/);
    assert.ok(Date.now() - started < 5_000);
  });

  void it("the caller's own abort stays an abort, not a network failure", async () => {
    const hung = await foreign(null);
    const controller = new AbortController();
    const call = createControlClient({ baseUrl: hung, timeoutMs: 60_000 }).status({
      signal: controller.signal,
    });
    controller.abort();
    await assert.rejects(call, (err: unknown) => {
      assert.ok(!(err instanceof ControlApiError));
      assert.equal((err as Error).name, 'AbortError');
      return true;
    });
  });

  void it('opens the event stream as is (its status is for the reader to judge), and has no JSON method for it', async () => {
    const c = client();
    assert.equal('events' in c, false);
    const controller = new AbortController();
    const res = await c.openEventStream({ lastEventId: bench.wb.bus.lastSeq(), signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    controller.abort();
    await res.body?.cancel().catch(() => undefined);
    const refused = await createControlClient({ baseUrl: bench.base, token: 'nope' }).openEventStream();
    assert.equal(refused.status, 401, 'a refusal is an answer for the stream reader to judge');
  });
});

// Compile-time checks: each route's input and answer come from the contract.
export function typeChecks(c: ControlClient): void {
  // @ts-expect-error the file route needs its fileId
  void c.file();
  // @ts-expect-error setLock needs a body
  void c.setLock({ params: { fileId: 'f' } });
  // @ts-expect-error a query field the route does not read
  void c.requests({ query: { nope: 1 } });
  // @ts-expect-error an operation the contract does not name
  void c.requests({ query: { operation: 'Nope' } });
  // @ts-expect-error the event stream is not a JSON call
  void c.call('events');
  const answer: Promise<{ cleared: number }> = c.clearRequests();
  void answer;
}

// The control API's guard over real HTTP against a real engine: the token (checked before routing), the
// Origin and Host checks against cross-site callers and DNS rebinding, no CORS, and request-body limits.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';
import { controlApiForSuite, errorCode, itSentNoCorsHeaders } from '../helpers/control-api';
import { expectStatus } from '../helpers/wopi-client';

const api = controlApiForSuite({ 'report.docx': 'original bytes of report.docx\n' });

void describe('guard', () => {
  void it('refuses a missing or wrong token with 401 and an ApiError', async () => {
    // The near-miss token differs in its last character whatever that character is.
    const last = api.wb.controlToken.slice(-1);
    const nearMiss = `${api.wb.controlToken.slice(0, -1)}${last === '0' ? '1' : '0'}`;
    for (const token of [null, 'x', nearMiss, api.wb.controlToken.toUpperCase()]) {
      const res = await api.call('GET', '/v1/status', { token });
      expectStatus(res, 401, `token ${String(token)}`);
      assert.equal(errorCode(res), 'unauthorized');
      assert.match(res.header('www-authenticate') ?? '', /^Bearer/);
    }
    const basic = await api.call('GET', '/v1/status', {
      token: null,
      headers: { Authorization: `Basic ${api.wb.controlToken}` },
    });
    expectStatus(basic, 401);
  });

  void it('checks the token before routing, so unknown routes are not revealed', async () => {
    expectStatus(await api.call('GET', '/v1/nope', { token: null }), 401);
    const res = await api.call('GET', '/v1/nope');
    expectStatus(res, 404);
    assert.equal(errorCode(res), 'not-found');
    const wrongMethod = await api.call('PUT', '/v1/status');
    expectStatus(wrongMethod, 405);
    assert.equal(wrongMethod.header('allow'), 'GET');
  });

  void it('refuses a foreign Origin with 403, even with the token', async () => {
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${api.port + 1}`,
      'null',
      `https://127.0.0.1:${api.port}`,
    ]) {
      const res = await api.call('GET', '/v1/status', { headers: { Origin: origin } });
      expectStatus(res, 403, origin);
      assert.equal(errorCode(res), 'forbidden');
    }
    for (const origin of [`http://127.0.0.1:${api.port}`, `http://localhost:${api.port}`]) {
      expectStatus(await api.call('GET', '/v1/status', { headers: { Origin: origin } }), 200, origin);
    }
  });

  void it('refuses a rebinding Host with 403, even with the token', async () => {
    for (const host of [
      `evil.example:${api.port}`,
      `127.0.0.1:${api.port + 1}`,
      '127.0.0.1',
      `127.0.0.1.evil.example:${api.port}`,
    ]) {
      const res = await api.call('GET', '/v1/status', { headers: { Host: host } });
      expectStatus(res, 403, host);
      assert.equal(errorCode(res), 'forbidden');
    }
    expectStatus(await api.call('GET', '/v1/status', { headers: { Host: `localhost:${api.port}` } }), 200);
    expectStatus(
      await api.call('GET', '/', { token: null, headers: { Host: `evil.example:${api.port}` } }),
      403,
    );
  });

  void it('refuses a request carrying Host, Origin or Authorization twice with 400, whichever copy is good', async () => {
    const good = {
      host: `127.0.0.1:${api.port}`,
      origin: `http://127.0.0.1:${api.port}`,
      authorization: `Bearer ${api.wb.controlToken}`,
    };
    const foreign = {
      host: `evil.example:${api.port}`,
      origin: 'http://evil.example',
      authorization: 'Bearer not-the-token',
    };
    const ok = await rawGet(api.port, [
      ['Host', good.host],
      ['Origin', good.origin],
      ['Authorization', good.authorization],
    ]);
    assert.equal(ok.status, 200, ok.text);
    for (const name of ['host', 'origin', 'authorization'] as const) {
      // node:http keeps the first Host and Authorization and joins Origins: the good copy first is the trap.
      for (const second of [foreign[name], good[name]]) {
        const headers: Array<[string, string]> = [
          ['Host', good.host],
          ['Origin', good.origin],
          ['Authorization', good.authorization],
          [name, second],
        ];
        const res = await rawGet(api.port, headers);
        assert.equal(res.status, 400, `${name} twice (second ${second}): ${res.text}`);
        const body = JSON.parse(res.text) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'bad-request');
        assert.match(body.error.message, new RegExp(`2 ${name} headers`));
      }
    }
  });

  void it('answers a cross-site preflight with 403 and no CORS headers', async () => {
    const res = await api.call('OPTIONS', '/v1/status', {
      token: null,
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expectStatus(res, 403);
  });
});

void describe('request bodies', () => {
  void it('answers 413 to an oversized chunked body (no Content-Length) instead of dropping the connection', async () => {
    const url = new URL(`${api.base}/v1/tokens`);
    const res = await new Promise<{ status: number; text: string; connection: string | undefined }>(
      (resolve, reject) => {
        const req = http.request(
          url,
          {
            method: 'POST',
            agent: false,
            headers: { Authorization: `Bearer ${api.wb.controlToken}`, 'Content-Type': 'application/json' },
          },
          (r) => {
            let text = '';
            r.setEncoding('utf8');
            r.on('data', (c: string) => (text += c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, text, connection: r.headers.connection }));
          },
        );
        req.setTimeout(15_000, () => req.destroy(new Error('no answer to the oversized body')));
        req.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        for (let i = 0; i < 20; i++) req.write(chunk); // 1.25 MiB, streamed chunked
        req.end();
      },
    );
    assert.equal(res.status, 413);
    assert.equal((JSON.parse(res.text) as { error: { code: string } }).error.code, 'too-large');
    assert.equal(res.connection, 'close');
  });
});

void describe('no CORS', () => {
  itSentNoCorsHeaders(api, 21);
});

/** GET /v1/status over a bare socket, so a header can be sent twice exactly as written. */
function rawGet(port: number, headers: Array<[string, string]>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8');
    socket.setTimeout(15_000, () => socket.destroy(new Error('no answer from the control listener')));
    socket.on('data', (c: string) => (raw += c));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      resolve({ status, text: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
    });
    const lines = ['GET /v1/status HTTP/1.1', ...headers.map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
    socket.end(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

// Real HTTP on port 0 for what a server can do wrong; an injected fetch only for DNS and TLS
// failures, which cannot be produced offline on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiscoveryFetchError, fetchDiscoveryXml } from '../../server/discovery/fetch';

const DISCOVERY = '<?xml version="1.0"?><wopi-discovery><net-zone name="external-http"/></wopi-discovery>';

async function serve(
  t: { after: (fn: () => Promise<void>) => void },
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hosting/discovery`;
}

async function failure(promise: Promise<unknown>): Promise<DiscoveryFetchError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof DiscoveryFetchError, String(err));
    return err;
  }
  assert.fail('expected a DiscoveryFetchError');
}

void test('200 with XML returns the body', async (t) => {
  const url = await serve(t, (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/xml' }).end(DISCOVERY),
  );
  const got = await fetchDiscoveryXml(url);
  assert.equal(got.xml, DISCOVERY);
  assert.equal(got.status, 200);
  assert.equal(got.source, url);
});

void test('HTTP error status is classified with the code', async (t) => {
  const url = await serve(t, (_req, res) => res.writeHead(503).end('busy'));
  const err = await failure(fetchDiscoveryXml(url));
  assert.equal(err.code, 'http-status');
  assert.equal(err.status, 503);
  assert.match(err.message, /answered HTTP 503/);
});

void test('HTML, JSON and empty bodies are not-xml', async (t) => {
  const bodies: Record<string, [string, string]> = {
    '/html': ['text/html', '<!DOCTYPE html><html><body>Sign in</body></html>'],
    '/json': ['application/json', '{"error":"nope"}'],
    '/empty': ['text/xml', ''],
  };
  const url = await serve(t, (req, res) => {
    const [type, body] = bodies[req.url ?? ''] ?? ['text/plain', 'x'];
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  const base = url.replace('/hosting/discovery', '');
  const html = await failure(fetchDiscoveryXml(`${base}/html`));
  assert.equal(html.code, 'not-xml');
  assert.match(html.message, /HTML page \(Content-Type text\/html\)/);
  const json = await failure(fetchDiscoveryXml(`${base}/json`));
  assert.equal(json.code, 'not-xml');
  assert.match(json.message, /not XML/);
  assert.match((await failure(fetchDiscoveryXml(`${base}/empty`))).message, /empty body/);
});

void test('a server that never answers times out', async (t) => {
  const url = await serve(t, () => {
    // Hold the request open; the client's timeout must fire.
  });
  const err = await failure(fetchDiscoveryXml(url, { timeoutMs: 150 }));
  assert.equal(err.code, 'timeout');
  assert.match(err.message, /No answer from 127\.0\.0\.1:\d+ within 0\.2 s/);
});

void test('connection refused is a connect failure', async () => {
  // Take a free port, then close it so nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const freePort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const err = await failure(fetchDiscoveryXml(`http://127.0.0.1:${freePort}/hosting/discovery`));
  assert.equal(err.code, 'connect');
  assert.match(err.message, /Could not connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
});

void test('oversized responses are refused', async (t) => {
  const url = await serve(t, (_req, res) => res.writeHead(200).end(`<x>${'a'.repeat(5000)}</x>`));
  const err = await failure(fetchDiscoveryXml(url, { maxBytes: 1000 }));
  assert.equal(err.code, 'too-large');
});

void test('DNS and TLS failures are recognised from the fetch error cause chain', async () => {
  // Shapes of undici's errors: TypeError('fetch failed') with the socket error as cause.
  const failingFetch = (cause: object): typeof fetch => {
    return () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause }));
  };
  const dns = await failure(
    fetchDiscoveryXml('https://no-such-host.invalid/hosting/discovery', {
      fetchImpl: failingFetch(
        Object.assign(new Error('getaddrinfo ENOTFOUND no-such-host.invalid'), { code: 'ENOTFOUND' }),
      ),
    }),
  );
  assert.equal(dns.code, 'dns');
  assert.match(dns.message, /no-such-host\.invalid does not resolve/);

  const tls = await failure(
    fetchDiscoveryXml('https://self-signed.example/hosting/discovery', {
      fetchImpl: failingFetch(
        Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      ),
    }),
  );
  assert.equal(tls.code, 'tls');
  assert.match(tls.message, /DEPTH_ZERO_SELF_SIGNED_CERT/);

  const nested = await failure(
    fetchDiscoveryXml('http://multi.example/hosting/discovery', {
      fetchImpl: failingFetch(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])),
    }),
  );
  assert.equal(nested.code, 'connect');
});

void test('files: read by path or file URL; a missing file is named', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-discovery-fetch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'discovery.xml');
  writeFileSync(file, DISCOVERY);
  assert.equal((await fetchDiscoveryXml(file)).xml, DISCOVERY);
  assert.equal((await fetchDiscoveryXml(pathToFileURL(file).href)).xml, DISCOVERY);
  const missing = await failure(fetchDiscoveryXml(path.join(dir, 'nope.xml')));
  assert.equal(missing.code, 'file-not-found');
  assert.ok(missing.message.includes(path.join(dir, 'nope.xml')));
  const notFile = await failure(fetchDiscoveryXml(dir));
  assert.equal(notFile.code, 'file-unreadable');
});

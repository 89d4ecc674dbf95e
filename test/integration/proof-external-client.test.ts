// An outside WOPI client with its own discovery and keys, exactly as issue #3's acceptance runs it:
// `serve --discovery-url <its discovery> --proof enforce`, then requests signed correctly, with the
// old key, with a stale timestamp, for the wrong URL, and not at all.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { signProof } from '../../server/proof/sign';
import { msToTicks } from '../../server/proof/ticks';
import { startServe } from '../helpers/cli-process';
import type { ServeHandle } from '../helpers/cli-process';
import { sendRequest } from '../helpers/wopi-client';
import { discoveryXmlWithKeys } from '../helpers/proof-discovery';

const keyPair = (): { publicKey: KeyObject; privateKey: KeyObject } =>
  generateKeyPairSync('rsa', { modulusLength: 2048 });
const current = keyPair();
const old = keyPair();
const stranger = keyPair();

let discovery: http.Server;
let serve: ServeHandle;
let wopiSrc = '';
let token = '';

before(async () => {
  const xml = discoveryXmlWithKeys(current.publicKey, old.publicKey);
  discovery = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(xml));
  await new Promise<void>((r) => discovery.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}/hosting/discovery`;
  serve = await startServe({
    files: { 'doc.wopitest': 'hello' },
    args: ['--discovery-url', url, '--proof', 'enforce'],
  });
  ({ wopiSrc, accessToken: token } = await serve.token('doc.wopitest'));
});

after(async () => {
  await serve?.stop();
  discovery?.close();
});

interface Signing {
  proofKey?: KeyObject;
  proofOldKey?: KeyObject;
  ageMs?: number;
  signedUrl?: string;
}

async function checkFileInfo(s: Signing | null) {
  const url = `${wopiSrc}?access_token=${token}`;
  const headers: Record<string, string> = {};
  if (s) {
    const ticks = msToTicks(Date.now() - (s.ageMs ?? 0));
    const payload = { accessToken: token, url: s.signedUrl ?? url, timestampTicks: ticks };
    headers['X-WOPI-TimeStamp'] = ticks.toString();
    headers['X-WOPI-Proof'] = signProof(s.proofKey ?? stranger.privateKey, payload);
    headers['X-WOPI-ProofOld'] = signProof(s.proofOldKey ?? stranger.privateKey, payload);
  }
  return sendRequest({ method: 'GET', url, headers });
}

test('Proof with the current key and ProofOld with the old key: accepted', async () => {
  const r = await checkFileInfo({ proofKey: current.privateKey, proofOldKey: old.privateKey });
  assert.equal(r.status, 200);
});

test('ProofOld signed with the current key (the client rotated, our discovery is stale): accepted', async () => {
  const r = await checkFileInfo({ proofOldKey: current.privateKey });
  assert.equal(r.status, 200);
});

test('Proof signed with the old key (we refreshed, the client has not): accepted', async () => {
  const r = await checkFileInfo({ proofKey: old.privateKey });
  assert.equal(r.status, 200);
});

test('ProofOld verified only by the old key is the rejected fourth combination: 500', async () => {
  const r = await checkFileInfo({ proofOldKey: old.privateKey });
  assert.equal(r.status, 500);
  assert.match(r.header('x-wopi-servererror') ?? '', /proof/i);
});

test('a timestamp older than 20 minutes is rejected even with a good signature: 500', async () => {
  const r = await checkFileInfo({ proofKey: current.privateKey, ageMs: 25 * 60_000 });
  assert.equal(r.status, 500);
  assert.match(r.header('x-wopi-servererror') ?? '', /old|expired|timestamp|minutes/i);
});

test('a request signed for another URL is rejected with the URL that would have verified', async () => {
  const local = new URL(wopiSrc);
  const wrong = `https://${local.host}${local.pathname}?access_token=${token}`;
  const r = await checkFileInfo({ proofKey: current.privateKey, signedUrl: wrong });
  assert.equal(r.status, 500);
  const id = r.header('x-request-id')!;
  const rec = (await (
    await fetch(`${serve.controlUrl}/v1/requests/${id}`, {
      headers: { authorization: `Bearer ${serve.controlToken}` },
    })
  ).json()) as { proof?: { outcome: string; wouldVerifyWith?: string[]; urlVerified: string } };
  assert.equal(rec.proof?.outcome, 'invalid');
  assert.ok(
    rec.proof?.wouldVerifyWith?.some((u) => u.startsWith(`https://${local.host}/`)),
    JSON.stringify(rec.proof),
  );
  assert.ok(rec.proof?.urlVerified.startsWith(`http://${local.host}/`));
});

test('an unsigned request is rejected in enforce mode: 500', async () => {
  const r = await checkFileInfo(null);
  assert.equal(r.status, 500);
});

test('a signature by a key the discovery never published is rejected: 500', async () => {
  const r = await checkFileInfo({ proofKey: stranger.privateKey });
  assert.equal(r.status, 500);
});

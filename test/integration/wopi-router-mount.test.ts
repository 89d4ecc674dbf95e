// createWopiRouter mounted in someone else's Express app, under a path of theirs and behind their
// own middleware (a body parser, an audit log, a header), as the README shows: CheckFileInfo, Lock,
// PutFile, GetFile, Unlock, and a proof-key check against the URL as the client called it.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { createWopiRouter, createWorkbench } from '../../server/index';
import type { Workbench } from '../../server/index';
import { signProof } from '../../server/proof/sign';
import { msToTicks } from '../../server/proof/ticks';
import { discoveryXmlWithKeys } from '../helpers/proof-discovery';
import { logged } from '../helpers/engine-fixture';
import { sendRequest } from '../helpers/wopi-client';

const MOUNT = '/integrations/wopi-host';
const current = generateKeyPairSync('rsa', { modulusLength: 2048 });
const old = generateKeyPairSync('rsa', { modulusLength: 2048 });

let root = '';
let server: http.Server;
let wb: Workbench;
let base = '';
const audit: string[] = [];

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wb-mount-'));
  await mkdir(path.join(root, 'folder'));
  await writeFile(path.join(root, 'folder', 'notes.txt'), 'first draft');
  await writeFile(path.join(root, 'discovery.xml'), discoveryXmlWithKeys(current.publicKey, old.publicKey));

  // Their app: their own middleware first, their own routes, and our router under a path of theirs.
  const app = express();
  app.use((req: Request, res: Response, next: NextFunction) => {
    audit.push(`${req.method} ${req.originalUrl.split('?')[0]}`);
    res.setHeader('x-their-app', 'yes');
    next();
  });
  app.use(express.json());
  app.get('/their/route', (_req, res) => void res.json({ theirs: true }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  wb = createWorkbench({
    folder: path.join(root, 'folder'),
    dataDir: path.join(root, 'data'),
    watch: false,
    publicUrl: `${base}${MOUNT}`,
    discoveryUrl: path.join(root, 'discovery.xml'),
    proofMode: 'enforce',
  });
  // Mounted once the port (and so the public URL) is known; Express takes middleware added late.
  app.use(MOUNT, createWopiRouter(wb));
  await wb.rooms.discovery.refresh();
});

after(async () => {
  await new Promise((r) => server.close(r));
  await wb.stop();
  await rm(root, { recursive: true, force: true });
});

/** Headers Office would send for `url`: a proof with the current key and one with the old key. */
function signed(url: string, accessToken: string): Record<string, string> {
  const ticks = msToTicks(Date.now());
  const payload = { accessToken, url, timestampTicks: ticks };
  return {
    'X-WOPI-TimeStamp': ticks.toString(),
    'X-WOPI-Proof': signProof(current.privateKey, payload),
    'X-WOPI-ProofOld': signProof(old.privateKey, payload),
  };
}

test('CheckFileInfo, Lock, PutFile, GetFile and Unlock run through the mounted router', async () => {
  const grant = await wb.mintToken({ file: 'notes.txt', user: 'editor' });
  assert.ok(grant.wopiSrc.startsWith(`${base}${MOUNT}/wopi/files/`), grant.wopiSrc);
  const call = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string }) =>
    sendRequest({
      method: init.method ?? 'GET',
      url,
      headers: { ...signed(url, grant.accessToken), ...init.headers },
      body: init.body,
    });
  const fileUrl = `${grant.wopiSrc}?access_token=${grant.accessToken}`;
  const contentsUrl = `${grant.wopiSrc}/contents?access_token=${grant.accessToken}`;

  const info = await call(fileUrl, {});
  assert.equal(info.status, 200, info.describe());
  assert.equal(info.header('x-their-app'), 'yes', 'their middleware ran first');
  const json = JSON.parse(info.text) as { BaseFileName: string; UserCanWrite: boolean; Size: number };
  assert.equal(json.BaseFileName, 'notes.txt');
  assert.equal(json.UserCanWrite, true);
  assert.equal(json.Size, 'first draft'.length);

  const lock = await call(fileUrl, {
    method: 'POST',
    headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': 'L1' },
  });
  assert.equal(lock.status, 200, lock.describe());

  // A JSON body parser in front of the router leaves binary bodies to it.
  const put = await call(contentsUrl, {
    method: 'POST',
    headers: { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': 'L1', 'Content-Type': 'application/octet-stream' },
    body: 'second draft',
  });
  assert.equal(put.status, 200, put.describe());
  assert.equal(await readFile(path.join(root, 'folder', 'notes.txt'), 'utf8'), 'second draft');

  const get = await call(contentsUrl, {});
  assert.equal(get.status, 200, get.describe());
  assert.equal(get.text, 'second draft');
  assert.ok(get.header('x-wopi-itemversion'));

  const unlock = await call(fileUrl, {
    method: 'POST',
    headers: { 'X-WOPI-Override': 'UNLOCK', 'X-WOPI-Lock': 'L1' },
  });
  assert.equal(unlock.status, 200, unlock.describe());
  assert.ok(audit.includes(`POST ${MOUNT}/wopi/files/${grant.wopiSrc.split('/').pop()!}/contents`));

  // Every call is recorded with its proof verdict, as on the workbench's own listener.
  await logged(wb, unlock);
  const records = wb.requestLog.page({ limit: 10 }).items;
  assert.deepEqual(
    records.map((r) => r.operation).sort(),
    ['CheckFileInfo', 'GetFile', 'Lock', 'PutFile', 'Unlock'].sort(),
  );
  assert.ok(
    records.every((r) => r.proof?.outcome === 'valid'),
    JSON.stringify(records.map((r) => r.proof)),
  );
});

test('a proof signed for the URL without the mount path is refused (the URL as received is checked)', async () => {
  const grant = await wb.mintToken({ file: 'notes.txt', user: 'editor' });
  const url = `${grant.wopiSrc}?access_token=${grant.accessToken}`;
  const withoutMount = url.replace(MOUNT, '');
  const r = await sendRequest({ method: 'GET', url, headers: signed(withoutMount, grant.accessToken) });
  assert.equal(r.status, 500, r.describe());
  assert.match(r.header('x-wopi-servererror') ?? '', /proof/i);
});

test('paths that are not the router\u2019s fall through to the app; a bad token is 401', async () => {
  const theirs = await fetch(`${base}/their/route`);
  assert.deepEqual(await theirs.json(), { theirs: true });
  const missing = await fetch(`${base}${MOUNT}/not-ours`);
  assert.equal(missing.status, 404, 'Express answers it, not the router');
  const grant = await wb.mintToken({ file: 'notes.txt' });
  const url = `${grant.wopiSrc}?access_token=nope`;
  const r = await sendRequest({ method: 'GET', url, headers: signed(url, 'nope') });
  assert.equal(r.status, 401, r.describe());
});

test('mintToken names the file that is not served, with a code', async () => {
  await assert.rejects(wb.mintToken({ file: 'missing.docx' }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'not-found');
    assert.match(e.message, /missing\.docx/);
    return true;
  });
});

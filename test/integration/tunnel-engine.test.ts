// The whole workbench behind a tunnel, offline: our loopback localtunnel server -> the real
// localtunnel client -> the WOPI listener. Every URL handed out and every proof check must use the
// public origin; the control API must never be reachable through the tunnel.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { TunnelState } from '../../server/contracts/api';
import { createWorkbench } from '../../server/index';
import type { Workbench } from '../../server/index';
import { startTunnelServer } from '../helpers/tunnel-server';

type TunnelServer = Awaited<ReturnType<typeof startTunnelServer>>;

const subdomain = `wbeng${randomBytes(3).toString('hex')}`;
let root = '';
let ts: TunnelServer;
let wb: Workbench;
let rooms: Workbench['rooms'];
const states: TunnelState[] = [];

function waitForTunnel(pred: (s: TunnelState) => boolean, what: string, ms = 20_000): Promise<TunnelState> {
  const hit = states.find(pred);
  if (hit) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`tunnel never became ${what}; saw ${states.map((s) => s.status).join(' → ')}`));
    }, ms);
    const off = wb.bus.on('tunnel:changed', (e) => {
      if (!pred(e.data)) return;
      clearTimeout(timer);
      off();
      resolve(e.data);
    });
  });
}

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wb-tunnel-engine-'));
  const folder = path.join(root, 'files');
  await mkdir(folder);
  await writeFile(path.join(folder, 'report.wopitest'), 'hello through the tunnel');
  await writeFile(path.join(folder, 'notes.txt'), 'plain text');
  ts = await startTunnelServer({ host: '127.0.0.1' });
  wb = createWorkbench({
    folder,
    dataDir: path.join(root, 'data'),
    watch: false,
    tunnel: { server: ts.url, subdomain },
  });
  wb.bus.on('tunnel:changed', (e) => states.push(e.data));
  rooms = wb.rooms;
  await wb.start();
});

after(async () => {
  await wb?.stop();
  await ts?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

const fileId = async (name: string): Promise<string> =>
  (await wb.index.list()).find((f) => f.name === name)!.id;

test('the public URL comes from the tunnel and every handed-out URL uses it', async () => {
  await waitForTunnel((s) => s.status === 'online', 'online');
  const expected = `http://${subdomain}.localhost:${ts.port}`;
  assert.equal(wb.publicBase(), expected);
  const grant = wb.mintTokenForId(await fileId('report.wopitest'));
  assert.ok(grant.wopiSrc.startsWith(`${expected}/wopi/files/`), grant.wopiSrc);
  const runtime = JSON.parse(await readFile(path.join(root, 'data', 'runtime.json'), 'utf8')) as {
    publicUrl: string;
  };
  assert.equal(runtime.publicUrl, expected, 'the token command reads the public URL from runtime.json');
});

test('CheckFileInfo and a binary PutFile go through the tunnel intact', async () => {
  const id = await fileId('report.wopitest');
  const { accessToken } = wb.mintTokenForId(id);
  const q = `?access_token=${accessToken}`;
  const info = await ts.requestThrough(subdomain, { path: `/wopi/files/${id}${q}` });
  assert.equal(info.status, 200);
  const json = JSON.parse(info.body.toString('utf8')) as { BaseFileName: string; HostEditUrl?: string };
  assert.equal(json.BaseFileName, 'report.wopitest');
  assert.ok(
    json.HostEditUrl?.startsWith(wb.publicBase()),
    `HostEditUrl uses the public origin: ${json.HostEditUrl}`,
  );

  const lock = await ts.requestThrough(subdomain, {
    method: 'POST',
    path: `/wopi/files/${id}${q}`,
    headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': 'tunnel-lock' },
  });
  assert.equal(lock.status, 200);
  const bytes = randomBytes(2 * 1024 * 1024 + 17);
  const put = await ts.requestThrough(subdomain, {
    method: 'POST',
    path: `/wopi/files/${id}/contents${q}`,
    headers: {
      'X-WOPI-Override': 'PUT',
      'X-WOPI-Lock': 'tunnel-lock',
      'Content-Type': 'application/octet-stream',
    },
    body: bytes,
  });
  assert.equal(put.status, 200);
  const onDisk = await readFile(path.join(root, 'files', 'report.wopitest'));
  assert.equal(
    createHash('sha256').update(onDisk).digest('hex'),
    createHash('sha256').update(bytes).digest('hex'),
  );
  const unlock = await ts.requestThrough(subdomain, {
    method: 'POST',
    path: `/wopi/files/${id}${q}`,
    headers: { 'X-WOPI-Override': 'UNLOCK', 'X-WOPI-Lock': 'tunnel-lock' },
  });
  assert.equal(unlock.status, 200);
});

test('a host-page launch link works through the tunnel', async () => {
  const link = rooms.hostPage.launch({ fileId: await fileId('notes.txt'), action: 'view' });
  assert.ok(link.url.startsWith(`${wb.publicBase()}/`), link.url);
  const u = new URL(link.url);
  const page = await ts.requestThrough(subdomain, { path: `${u.pathname}${u.search}` });
  assert.equal(page.status, 200);
  assert.match(page.body.toString('utf8'), /office_frame/);
});

test('the simulated client, signing over the public URL, is verified through the tunnel', async () => {
  const id = await fileId('notes.txt');
  const grant = wb.mintTokenForId(id);
  const seen: string[] = [];
  const off = wb.bus.on('request:completed', (e) => {
    if (e.data.fileId === id && e.data.requestHeaders['x-forwarded-host'])
      seen.push(e.data.proof?.outcome ?? 'none');
  });
  const result = await rooms.hostPage.simulator.runSession({
    wopiSrc: grant.wopiSrc,
    accessToken: grant.accessToken,
    edit: true,
    text: 'edited via tunnel',
  });
  off();
  assert.equal(result.ok, true, JSON.stringify(result.steps.filter((s) => !s.ok)));
  assert.ok(seen.length >= 4, `requests arrived through the tunnel server: ${seen.length}`);
  assert.deepEqual([...new Set(seen)], ['valid'], 'every proof verified against the public URL');
  assert.equal(await readFile(path.join(root, 'files', 'notes.txt'), 'utf8'), 'edited via tunnel');
});

test('the control API is not reachable through the tunnel', async () => {
  for (const p of ['/v1/status', '/v1/events', '/']) {
    const r = await ts.requestThrough(subdomain, {
      path: p,
      headers: { Authorization: `Bearer ${wb.controlToken}` },
    });
    assert.notEqual(r.status, 200, `${p} must not answer through the tunnel`);
    assert.doesNotMatch(r.body.toString('utf8'), /appVersion|controlUrl/);
  }
});

test('a dropped tunnel server is survived: the workbench reconnects with the same URL and says so', async () => {
  const url = wb.publicBase();
  const before = states.length;
  await ts.stop();
  await waitForTunnel(
    (s) => states.indexOf(s) >= before && (s.status === 'dropped' || s.status === 'reconnecting'),
    'dropped',
  );
  await ts.restart();
  const back = await waitForTunnel(
    (s) => states.indexOf(s) >= before && s.status === 'online',
    'online again',
    40_000,
  );
  assert.equal(back.publicUrl, url);
  const id = await fileId('report.wopitest');
  const r = await ts.requestThrough(subdomain, {
    path: `/wopi/files/${id}?access_token=${wb.mintTokenForId(id).accessToken}`,
  });
  assert.equal(r.status, 200);
});

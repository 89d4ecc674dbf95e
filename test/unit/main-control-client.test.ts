// The tray's tunnel path without Electron: control-API calls through the shell's client (the shared
// one, with the shell's timeout) against a real engine, tunnel events through the engine host, and the
// notification policy on top. The tunnel server is the loopback localtunnel-protocol server from test/helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { controlClientFor } from '../../main/control-client';
import { startEngine } from '../../main/engine-host';
import type { RunningEngine } from '../../main/engine-host';
import { tunnelToggleAction } from '../../main/menu-model';
import { createNotificationPolicy } from '../../main/notifications';
import type { Notice } from '../../main/notifications';
import { ControlApiError } from '../../server/contracts';
import type { TunnelState, TunnelStatus } from '../../server/contracts';
import { startTunnelServer } from '../helpers/tunnel-server';

async function engineIn(t: { after: (fn: () => Promise<void> | void) => void }): Promise<RunningEngine> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-control-client-'));
  const folder = path.join(root, 'docs');
  fs.mkdirSync(folder);
  const engine = await startEngine({
    folder,
    dataDir: path.join(root, 'data'),
    watch: false,
    proofMode: 'off',
  });
  t.after(async () => {
    await engine.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return engine;
}

/** Resolves with the first tunnel state with the given status (event-driven, no polling). */
function nextStatus(engine: RunningEngine, status: TunnelStatus): Promise<TunnelState> {
  return new Promise((resolve) => {
    const off = engine.on('tunnel:changed', (state) => {
      if (state.status !== status) return;
      off();
      resolve(state);
    });
  });
}

void test('control calls carry the token; a wrong token is a typed 401', async (t) => {
  const engine = await engineIn(t);
  const state = await controlClientFor(engine.info).tunnel();
  assert.equal(state.status, 'off');
  assert.equal(tunnelToggleAction(state), 'tunnel-on');
  const wrong = controlClientFor({ ...engine.info, controlToken: 'wrong' });
  await assert.rejects(wrong.tunnel(), (e: unknown) => {
    assert.ok(e instanceof ControlApiError);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'unauthorized');
    return true;
  });
});

void test('tunnel on, online, dropped (one notice), off', async (t) => {
  const engine = await engineIn(t);
  const client = controlClientFor(engine.info);
  const server = await startTunnelServer({ host: '127.0.0.1' });
  let serverStopped = false;
  t.after(async () => {
    if (!serverStopped) await server.stop();
  });

  const notices: Notice[] = [];
  const policy = createNotificationPolicy({ now: () => 0 });
  engine.on('tunnel:changed', (state) => {
    const notice = policy.onTunnelChanged(state);
    if (notice) notices.push(notice);
  });

  const online = nextStatus(engine, 'online');
  await client.startTunnel({ body: { provider: 'localtunnel', server: server.url, subdomain: 'wbtray' } });
  const up = await online;
  assert.match(up.publicUrl ?? '', /wbtray/);
  assert.equal(engine.publicUrl(), up.publicUrl, 'WOPI URLs now use the public base');
  assert.equal(tunnelToggleAction(up), 'tunnel-off');
  assert.equal(notices.length, 0, 'coming online is not news');

  const dropped = nextStatus(engine, 'dropped');
  await server.stop();
  serverStopped = true;
  await dropped;
  assert.equal(notices.length, 1);
  assert.equal(notices[0]?.title, 'Tunnel dropped');

  const off = nextStatus(engine, 'off');
  await client.stopTunnel();
  await off;
  assert.equal((await client.tunnel()).status, 'off');
  assert.equal(notices.length, 1, 'turning it off is not news either');
});

// The desktop's engine host against the real engine (port 0, temp folders): no Electron needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine } from '../../main/engine-host';
import type { RequestRecord } from '../../server/contracts';

function tempDirs(t: { after: (fn: () => void) => void }): { folder: string; dataDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-engine-host-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const folder = path.join(root, 'docs');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'Hello.docx'), 'not really a docx');
  return { folder, dataDir: path.join(root, 'data') };
}

void test('starts the engine, forwards event payloads, and stops it cleanly', async (t) => {
  const { folder, dataDir } = tempDirs(t);
  const engine = await startEngine({
    folder,
    dataDir,
    wopiPort: 0,
    controlPort: 0,
    watch: false,
    proofMode: 'off',
  });
  let stopped = false;
  t.after(async () => {
    if (!stopped) await engine.stop();
  });

  assert.equal(engine.folder, folder);
  assert.match(engine.info.controlUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  // The window trusts exactly the origin the UI is served from.
  assert.equal(new URL(engine.info.uiUrl).origin, engine.info.controlUrl);
  assert.ok(engine.info.controlToken.length >= 16);
  assert.equal(engine.publicUrl(), engine.info.publicUrl);

  const seen: RequestRecord[] = [];
  const off = engine.on('request:completed', (record) => seen.push(record));
  const res = await fetch(`${engine.info.wopiUrl}/wopi/files/nope`);
  await res.arrayBuffer();
  assert.ok(res.status >= 400, 'refused: no access token');
  assert.equal(seen.length, 1, 'the listener gets the payload, not the envelope');
  assert.equal(seen[0]?.status, res.status);
  assert.equal(seen[0]?.path, '/wopi/files/nope');
  off();
  await (await fetch(`${engine.info.wopiUrl}/wopi/files/nope`)).arrayBuffer();
  assert.equal(seen.length, 1, 'unsubscribed');

  await engine.stop();
  stopped = true;
  await assert.rejects(fetch(`${engine.info.wopiUrl}/wopi/files/nope`), 'WOPI listener closed');
  await assert.rejects(fetch(engine.info.controlUrl), 'control listener closed');
});

void test('events reach the desktop redacted: they feed OS notifications, which are no place for a token', async (t) => {
  const { folder, dataDir } = tempDirs(t);
  const engine = await startEngine({ folder, dataDir, wopiPort: 0, controlPort: 0, watch: false });
  t.after(() => engine.stop());
  const seen: RequestRecord[] = [];
  engine.on('request:completed', (record) => seen.push(record));
  const secret = 'not-our-token-but-still-a-secret';
  const res = await fetch(`${engine.info.wopiUrl}/wopi/files/nope?access_token=${secret}`, {
    headers: { Authorization: `Bearer ${secret}` },
  });
  await res.arrayBuffer();
  assert.equal(seen.length, 1);
  assert.ok(!JSON.stringify(seen[0]).includes(secret), JSON.stringify(seen[0]));
  assert.match(seen[0]!.query, /^access_token=\[redacted \d+ chars\]$/);
});

void test('stop closes SQLite: its WAL files are checkpointed away, and the data dir can be reused', async (t) => {
  const { folder, dataDir } = tempDirs(t);
  const first = await startEngine({ folder, dataDir, watch: false });
  const walFiles = (): string[] => fs.readdirSync(dataDir).filter((f) => /-(wal|shm)$/.test(f));
  assert.ok(walFiles().length > 0, 'WAL mode while running');
  await first.stop();
  assert.deepEqual(walFiles(), [], 'the last connection closed');
  const second = await startEngine({ folder, dataDir, watch: false });
  t.after(() => second.stop());
  assert.notEqual(second.info.controlToken, first.info.controlToken, 'a new run with a new token');
});

void test('a failed start leaves nothing running and reports the reason', async (t) => {
  const { folder } = tempDirs(t);
  // The engine refuses a data dir inside the served folder.
  await assert.rejects(
    startEngine({ folder, dataDir: path.join(folder, 'state') }),
    /inside the served folder/,
  );
});

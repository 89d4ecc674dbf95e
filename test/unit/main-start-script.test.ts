// scripts/start.mjs: Electron detection without require('electron'), UI freshness, the headless
// fallback command, and signal forwarding to the child it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const START_URL = pathToFileURL(path.join(ROOT, 'scripts', 'start.mjs')).href;

type Plan =
  | { mode: 'electron'; command: string; args: string[] }
  | { mode: 'headless'; note: string; command: string; args: string[] };

interface StartModule {
  findElectronBinary: (root: string, env: Record<string, string | undefined>) => string | null;
  uiBuildState: (root: string) => 'fresh' | 'missing' | 'stale' | 'no-sources';
  planStart: (extra: string[], root: string, env: Record<string, string | undefined>) => Plan;
}

const load = async (): Promise<StartModule> => (await import(START_URL)) as StartModule;

function tempRoot(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-start-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function fakeElectronPackage(root: string, pathTxt: string | null, binary: { mode: number } | null): string {
  const pkg = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  if (pathTxt !== null) fs.writeFileSync(path.join(pkg, 'path.txt'), pathTxt);
  const bin = path.join(pkg, 'dist', pathTxt ?? 'electron');
  if (binary) fs.writeFileSync(bin, '#!/bin/sh\n', { mode: binary.mode });
  return bin;
}

void test('no path.txt (this machine: the binary was never downloaded) means no Electron', async (t) => {
  const { findElectronBinary } = await load();
  const root = tempRoot(t);
  fakeElectronPackage(root, null, { mode: 0o755 });
  assert.equal(findElectronBinary(root, {}), null);
});

void test('path.txt naming a missing file means no Electron', async (t) => {
  const { findElectronBinary } = await load();
  const root = tempRoot(t);
  fakeElectronPackage(root, 'electron', null);
  assert.equal(findElectronBinary(root, {}), null);
});

void test('an installed binary is found where electron/index.js would look', async (t) => {
  const { findElectronBinary, planStart } = await load();
  const root = tempRoot(t);
  const bin = fakeElectronPackage(root, 'electron', { mode: 0o755 });
  assert.equal(findElectronBinary(root, {}), bin);
  assert.deepEqual(planStart(['--proof', 'off'], root, {}), {
    mode: 'electron',
    command: bin,
    args: ['.', '--proof', 'off'],
  });
});

void test(
  'a binary without the execute bit is not runnable',
  { skip: process.platform === 'win32' },
  async (t) => {
    const { findElectronBinary } = await load();
    const root = tempRoot(t);
    fakeElectronPackage(root, 'electron', { mode: 0o644 });
    assert.equal(findElectronBinary(root, {}), null);
  },
);

void test('ELECTRON_OVERRIDE_DIST_PATH is honoured like electron/index.js does', async (t) => {
  const { findElectronBinary } = await load();
  const root = tempRoot(t);
  fakeElectronPackage(root, null, null);
  const dist = path.join(root, 'custom-dist');
  fs.mkdirSync(dist);
  fs.writeFileSync(path.join(dist, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
  assert.equal(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: dist }), path.join(dist, 'electron'));
});

void test('headless fallback: one-line note, a copy of the samples kept in .wbdata, extra args last', async (t) => {
  const { planStart } = await load();
  const root = tempRoot(t);
  const plan = planStart(['--json'], root, {});
  assert.equal(plan.mode, 'headless');
  assert.ok(plan.mode === 'headless');
  assert.equal(plan.note.includes('\n'), false);
  assert.match(plan.note, /Electron isn't available/);
  assert.equal(plan.command, process.execPath);
  // Never --folder assets/samples: a simulated save would rewrite a committed file.
  assert.deepEqual(plan.args, [
    path.join(root, 'bin', 'wopi-workbench.mjs'),
    'serve',
    '--samples',
    '--data-dir',
    path.join(root, '.wbdata'),
    '--json',
  ]);
  assert.ok(!plan.args.some((a) => a.includes(path.join('assets', 'samples'))));
  const ignored = fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n');
  assert.ok(ignored.includes('.wbdata/'), '.wbdata is gitignored');
});

void test('headless fallback: a folder named by the person is served as is, with its own data dir', async (t) => {
  const { planStart } = await load();
  const root = tempRoot(t);
  const bin = path.join(root, 'bin', 'wopi-workbench.mjs');
  assert.deepEqual(planStart(['--folder', '/docs'], root, {}).args, [bin, 'serve', '--folder', '/docs']);
  assert.deepEqual(planStart(['--folder=/docs'], root, {}).args, [bin, 'serve', '--folder=/docs']);
  assert.deepEqual(planStart(['--data-dir', '/state'], root, {}).args, [
    bin,
    'serve',
    '--samples',
    '--data-dir',
    '/state',
  ]);
});

void test('UI build state follows file times of renderer sources and the built index.html', async (t) => {
  const { uiBuildState } = await load();
  const root = tempRoot(t);
  assert.equal(uiBuildState(root), 'no-sources');
  fs.mkdirSync(path.join(root, 'renderer', 'features'), { recursive: true });
  fs.writeFileSync(path.join(root, 'renderer', 'vite.config.ts'), '');
  const source = path.join(root, 'renderer', 'features', 'a.tsx');
  fs.writeFileSync(source, '');
  assert.equal(uiBuildState(root), 'missing');
  const built = path.join(root, 'dist', 'renderer', 'index.html');
  fs.mkdirSync(path.dirname(built), { recursive: true });
  fs.writeFileSync(built, '');
  const older = new Date('2026-01-01T00:00:00Z');
  const newer = new Date('2026-01-02T00:00:00Z');
  for (const f of [source, path.join(root, 'renderer', 'vite.config.ts')]) fs.utimesSync(f, older, older);
  fs.utimesSync(built, newer, newer);
  assert.equal(uiBuildState(root), 'fresh');
  fs.utimesSync(source, new Date('2026-01-03T00:00:00Z'), new Date('2026-01-03T00:00:00Z'));
  assert.equal(uiBuildState(root), 'stale', 'a nested source newer than the build');
});

void test('SIGTERM sent to the start process reaches its child, and the child exit code comes back', async () => {
  // start process (runForwarding) -> child that reports the signal it got and exits 3. The child
  // gives up on its own after a minute so a forwarding bug cannot leave an orphan behind.
  const child = `process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(3); }); console.log('child ready'); setTimeout(() => process.exit(9), 60_000);`;
  const middle = `import(${JSON.stringify(START_URL)}).then((m) => m.runForwarding(process.execPath, ['-e', ${JSON.stringify(child)}])).then((code) => { console.log('exit ' + code); process.exitCode = code; });`;
  const proc = spawn(process.execPath, ['-e', middle], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve) => {
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('child ready')) resolve();
    });
  });
  proc.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
  assert.match(out, /child got SIGTERM/);
  assert.match(out, /exit 3/);
  assert.equal(code, 3);
});

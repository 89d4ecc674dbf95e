// scripts/build-desktop.mjs: bundles land where package.json "main" and electron-builder expect them,
// the preload is sandbox-safe, and the engine bundle really runs (in plain Node, the closest thing
// to Electron's main process available without an Electron binary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ControlRoutes } from '../../server/contracts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

interface BuildModule {
  buildDesktop: (opts: { root?: string; outDir?: string; sourcemap?: boolean }) => Promise<{
    main: string;
    preload: string;
    engine: string;
  }>;
  runtimeExternals: (root?: string) => string[];
}

interface EngineBundle {
  createWorkbench(opts: { folder: string; dataDir: string; watch?: boolean }): {
    start(): Promise<{ controlUrl: string; controlToken: string; uiUrl: string }>;
    stop(): Promise<void>;
  };
}

async function loadBuildScript(): Promise<BuildModule> {
  // A computed specifier: the script is plain JS without type declarations.
  const href = pathToFileURL(path.join(ROOT, 'scripts', 'build-desktop.mjs')).href;
  return (await import(href)) as BuildModule;
}

/** A temp folder whose node_modules points at the checkout's, so bundles resolve their externals. */
function tempProject(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-build-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  return dir;
}

const requiresOf = (code: string): string[] =>
  [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? '');

void test('runtime externals: CommonJS dependencies stay external, ESM-only ones are bundled', async () => {
  const { runtimeExternals } = await loadBuildScript();
  const externals = runtimeExternals(ROOT);
  assert.ok(externals.includes('better-sqlite3'), 'the native module must stay a real file on disk');
  assert.equal(externals.includes('chokidar'), false, 'chokidar 5 is ESM-only');
});

void test('bundles: main, sandbox-safe preload, and a separate engine bundle', async (t) => {
  const { buildDesktop } = await loadBuildScript();
  const dir = tempProject(t);
  const out = await buildDesktop({ root: ROOT, outDir: path.join(dir, 'dist') });
  assert.equal(out.main, path.join(dir, 'dist', 'main', 'main.cjs'));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
  assert.equal(pkg.main, 'dist/main/main.cjs', 'package.json main points at the bundle');

  assert.deepEqual([...new Set(requiresOf(fs.readFileSync(out.preload, 'utf8')))], ['electron']);
  const main = fs.readFileSync(out.main, 'utf8');
  assert.ok(requiresOf(main).includes('../server/engine.cjs'), 'main requires the engine bundle');
  assert.equal(requiresOf(main).includes('better-sqlite3'), false, 'no second copy of the engine in main');
  assert.ok(fs.existsSync(path.join(dir, 'dist', 'main', 'icons', '32x32.png')));
  assert.equal(
    fs.readdirSync(path.join(dir, 'dist', 'main')).some((f) => f.endsWith('.map')),
    false,
    'no maps unless asked',
  );
});

void test('the engine bundle starts, serves the control API and stops', async (t) => {
  const { buildDesktop } = await loadBuildScript();
  const dir = tempProject(t);
  const out = await buildDesktop({ root: ROOT, outDir: path.join(dir, 'dist'), sourcemap: true });
  assert.ok(fs.existsSync(`${out.engine}.map`), '--sourcemap writes maps');
  const folder = path.join(dir, 'docs');
  fs.mkdirSync(folder);
  const engine = createRequire(import.meta.url)(out.engine) as EngineBundle;
  const wb = engine.createWorkbench({ folder, dataDir: path.join(dir, 'data'), watch: false });
  const info = await wb.start();
  t.after(() => wb.stop());
  assert.equal(new URL(info.uiUrl).origin, info.controlUrl);
  const statusPath = ControlRoutes.status.split(' ')[1] ?? '';
  const res = await fetch(`${info.controlUrl}${statusPath}`, {
    headers: { authorization: `Bearer ${info.controlToken}` },
  });
  const status = (await res.json()) as { folder: string };
  assert.equal(res.status, 200);
  assert.equal(status.folder, folder);
});

/** Records what main.cjs asks of Electron's `app`; Electron itself cannot run here. */
function standInElectron(lockGranted: boolean) {
  const calls: string[] = [];
  const handlers = new Map<string, unknown>();
  const app = {
    setPath: (name: string, value: string) => calls.push(`setPath ${name} ${value}`),
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock');
      return lockGranted;
    },
    quit: () => calls.push('quit'),
    exit: (code: number) => calls.push(`exit ${code}`),
    on: (event: string, fn: unknown) => handlers.set(event, fn),
    // Never ready: the test stops at the lifecycle wiring.
    whenReady: () => new Promise<void>(() => undefined),
    getAppPath: () => ROOT,
    getPath: () => path.join(os.tmpdir(), 'unused'),
    getVersion: () => '0.0.0-test',
    isPackaged: false,
  };
  return { calls, handlers, module: { app } };
}

async function loadMain(t: { after: (fn: () => void) => void }, argv: string[], lockGranted = true) {
  const { buildDesktop } = await loadBuildScript();
  const dir = tempProject(t);
  const out = await buildDesktop({ root: ROOT, outDir: path.join(dir, 'dist') });
  const electron = standInElectron(lockGranted);
  type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
  const mod = Module as unknown as { _load: Load };
  const originalLoad = mod._load;
  const originalArgv = process.argv;
  const signalsBefore = new Map((['SIGINT', 'SIGTERM'] as const).map((s) => [s, process.listeners(s)]));
  mod._load = (request, parent, isMain) =>
    request === 'electron' ? electron.module : originalLoad(request, parent, isMain);
  process.argv = ['/x/electron', ...argv];
  try {
    createRequire(import.meta.url)(out.main);
  } finally {
    mod._load = originalLoad;
    process.argv = originalArgv;
    for (const [signal, before] of signalsBefore) {
      for (const fn of process.listeners(signal)) if (!before.includes(fn)) process.off(signal, fn);
    }
  }
  return electron;
}

void test('main.cjs resolves its requires and wires the lifecycle: userData first, then the instance lock', async (t) => {
  const userData = path.join(os.tmpdir(), 'wb-ud');
  const electron = await loadMain(t, ['--user-data-dir', userData, '--folder', '/docs']);
  assert.deepEqual(electron.calls, [`setPath userData ${userData}`, 'requestSingleInstanceLock']);
  for (const event of ['second-instance', 'window-all-closed', 'before-quit', 'activate']) {
    assert.equal(typeof electron.handlers.get(event), 'function', event);
  }
});

void test('main.cjs: a second instance quits without wiring anything; bad flags exit with code 2', async (t) => {
  const second = await loadMain(t, [], false);
  assert.deepEqual(second.calls, ['requestSingleInstanceLock', 'quit']);
  assert.equal(second.handlers.size, 0);
  const bad = await loadMain(t, ['--proof', 'sometimes']);
  assert.deepEqual(bad.calls, ['exit 2']);
});

// scripts/build-desktop.mjs: bundles land where package.json "main" and electron-builder expect them,
// the preload is sandbox-safe, and the engine bundle really runs (in plain Node, the closest thing
// to Electron's main process available without an Electron binary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
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
  wireRooms(wb: unknown): Promise<{ afterStart(): Promise<void> }>;
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
  const rooms = await engine.wireRooms(wb);
  const info = await wb.start();
  t.after(() => wb.stop());
  await rooms.afterStart();
  assert.equal(new URL(info.uiUrl).origin, info.controlUrl);
  const statusPath = ControlRoutes.status.split(' ')[1] ?? '';
  const res = await fetch(`${info.controlUrl}${statusPath}`, {
    headers: { authorization: `Bearer ${info.controlToken}` },
  });
  const status = (await res.json()) as { folder: string };
  assert.equal(res.status, 200);
  assert.equal(status.folder, folder);
});

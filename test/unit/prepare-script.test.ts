// scripts/prepare.mjs, which npm runs after `npm install` / `npm ci`: it builds the UI when it is
// missing or stale, and never fails the install — not without dev dependencies (no vite, no
// Electron), not when the build itself fails.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A checkout-shaped temp dir holding the two scripts and renderer sources, nothing installed. */
function tempCheckout(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-prepare-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'scripts'));
  for (const f of ['prepare.mjs', 'ui-build.mjs']) {
    fs.copyFileSync(path.join(ROOT, 'scripts', f), path.join(dir, 'scripts', f));
  }
  fs.mkdirSync(path.join(dir, 'renderer'));
  fs.writeFileSync(path.join(dir, 'renderer', 'vite.config.ts'), '');
  return dir;
}

/** A stand-in for vite's CLI (vite is not ours): runs `body` as its script. */
function fakeVite(dir: string, body: string): void {
  const bin = path.join(dir, 'node_modules', 'vite', 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'vite.js'), body);
}

function runPrepare(dir: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(dir, 'scripts', 'prepare.mjs')],
      { cwd: dir },
      (e, stdout, stderr) => resolve({ code: e ? Number(e.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

void test('package.json runs it as the prepare step', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  assert.equal(pkg.scripts['prepare'], 'node scripts/prepare.mjs');
});

void test('without dev dependencies (no vite, no Electron) it says how to build later and exits 0', async (t) => {
  const dir = tempCheckout(t);
  const r = await runPrepare(dir);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /vite is not installed .* then `npm run build:ui`/);
});

void test('a failing UI build is reported, and the install still succeeds', async (t) => {
  const dir = tempCheckout(t);
  fakeVite(dir, 'process.exit(3);');
  const r = await runPrepare(dir);
  assert.equal(r.code, 0, r.out);
  assert.match(
    r.out,
    /the UI build failed \(exit 3\); the engine and CLI still work\. Run `npm run build:ui`/,
  );
});

void test('a missing UI is built; a fresh one is left alone', async (t) => {
  const dir = tempCheckout(t);
  // Writes what vite would, and counts its runs (CommonJS: the temp dir has no package.json).
  fakeVite(
    dir,
    `const fs = require('node:fs');
fs.mkdirSync('dist/renderer', { recursive: true });
fs.writeFileSync('dist/renderer/index.html', 'built');
fs.appendFileSync('builds.txt', 'x');`,
  );
  const first = await runPrepare(dir);
  assert.equal(first.code, 0, first.out);
  assert.equal(fs.readFileSync(path.join(dir, 'dist', 'renderer', 'index.html'), 'utf8'), 'built');
  const newer = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(dir, 'dist', 'renderer', 'index.html'), newer, newer);
  const second = await runPrepare(dir);
  assert.equal(second.code, 0, second.out);
  assert.equal(fs.readFileSync(path.join(dir, 'builds.txt'), 'utf8'), 'x', 'built once');
});

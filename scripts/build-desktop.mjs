#!/usr/bin/env node
// Bundles the Electron shell for `electron .` and for electron-builder:
//   dist/main/main.cjs      main process (main/index.ts)
//   dist/main/preload.cjs   sandboxed preload: one CommonJS file that requires only 'electron'
//   dist/server/engine.cjs  the engine (main/engine-entry.ts), required by main.cjs at run time
//   dist/main/icons/*.png   tray, window and notification icons
// Runtime dependencies from package.json stay external (they ship in production node_modules),
// except ESM-only ones, which are bundled so nothing has to require() an ES module.
// Usage: node scripts/build-desktop.mjs [--out DIR] [--sourcemap]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ICON_SIZES = [16, 32, 256];

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** True when `require(name)` loads CommonJS (type commonjs, or a `require` export condition). */
function isRequireable(root, name) {
  const pkg = readJson(path.join(root, 'node_modules', name, 'package.json'));
  if (pkg.type !== 'module') return true;
  const dot =
    typeof pkg.exports === 'object' && pkg.exports !== null ? (pkg.exports['.'] ?? pkg.exports) : null;
  return typeof dot === 'object' && dot !== null && 'require' in dot;
}

export function runtimeExternals(root = ROOT) {
  const deps = Object.keys(readJson(path.join(root, 'package.json')).dependencies ?? {});
  return deps.filter((name) => isRequireable(root, name));
}

// main.cjs must not carry its own copy of the engine: the import is rewritten to the engine bundle.
const engineAsSeparateBundle = {
  name: 'engine-as-separate-bundle',
  setup(b) {
    b.onResolve({ filter: /(^|\/)engine-entry$/ }, () => ({ path: '../server/engine.cjs', external: true }));
  },
};

function assertPreloadIsSandboxSafe(file) {
  const code = fs.readFileSync(file, 'utf8');
  const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  const foreign = required.filter((name) => name !== 'electron');
  if (foreign.length > 0) {
    throw new Error(
      `preload requires ${foreign.join(', ')}; a sandboxed preload may only require 'electron'`,
    );
  }
}

export async function buildDesktop({
  root = ROOT,
  outDir = path.join(root, 'dist'),
  sourcemap = false,
} = {}) {
  const mainOut = path.join(outDir, 'main');
  const serverOut = path.join(outDir, 'server');
  fs.rmSync(mainOut, { recursive: true, force: true });
  fs.rmSync(serverOut, { recursive: true, force: true });
  const externals = runtimeExternals(root);
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    sourcemap: sourcemap ? 'linked' : false,
    logLevel: 'warning',
    legalComments: 'none',
  };
  const node = {
    ...common,
    platform: 'node',
    target: 'node20',
    // Engine code written as ESM may read import.meta.url; give it the bundle's own file URL.
    define: { 'import.meta.url': '__wbImportMetaUrl' },
    banner: { js: "const __wbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
  await Promise.all([
    build({
      ...node,
      entryPoints: [path.join(root, 'main', 'index.ts')],
      outfile: path.join(mainOut, 'main.cjs'),
      external: ['electron', ...externals],
      plugins: [engineAsSeparateBundle],
    }),
    build({
      ...node,
      entryPoints: [path.join(root, 'main', 'engine-entry.ts')],
      outfile: path.join(serverOut, 'engine.cjs'),
      external: [...externals],
    }),
    build({
      ...common,
      // 'browser' makes any Node built-in import fail the build instead of failing in the sandbox.
      platform: 'browser',
      target: 'chrome120',
      entryPoints: [path.join(root, 'main', 'preload.ts')],
      outfile: path.join(mainOut, 'preload.cjs'),
      external: ['electron'],
    }),
  ]);
  assertPreloadIsSandboxSafe(path.join(mainOut, 'preload.cjs'));
  const iconsOut = path.join(mainOut, 'icons');
  fs.mkdirSync(iconsOut, { recursive: true });
  for (const size of ICON_SIZES) {
    const name = `${size}x${size}.png`;
    fs.copyFileSync(path.join(root, 'assets', 'icons', name), path.join(iconsOut, name));
  }
  return {
    main: path.join(mainOut, 'main.cjs'),
    preload: path.join(mainOut, 'preload.cjs'),
    engine: path.join(serverOut, 'engine.cjs'),
  };
}

function parseCli(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sourcemap') opts.sourcemap = true;
    else if (argv[i] === '--out') opts.outDir = path.resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${argv[i]}; usage: build-desktop.mjs [--out DIR] [--sourcemap]`);
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const out = await buildDesktop(parseCli(process.argv.slice(2)));
    for (const file of Object.values(out)) console.log(path.relative(process.cwd(), file));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}

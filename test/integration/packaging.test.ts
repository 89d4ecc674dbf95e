// Offline packaging check: builds an unpacked Linux app with electron-builder against a stub
// Electron distribution (the real one is a download), then inspects app.asar. It verifies the
// packaging config and contents, not a runnable app (see electron-builder.yml).
//
// Everything is built in a temp project (package.json, electron-builder.yml, assets, a copy of the
// production node_modules) so the checkout's dist/ is never emptied under a running dev server or
// test. node_modules is copied rather than symlinked: electron-builder's npm collector skips
// transitive dependencies it reaches through a symlink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { extractFile, listPackage } from '@electron/asar';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ELECTRON_VERSION = '45.5.0';
const uiConfig = path.join(ROOT, 'renderer', 'vite.config.ts');
const SKIP = fs.existsSync(uiConfig)
  ? false
  : 'renderer/vite.config.ts is missing: the UI cannot be built yet';

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '1' },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(args[0] ?? command)} exited ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/** Top-level package folders of the production dependency tree, as `npm ls` (and electron-builder) see it. */
function productionPackages(): string[] {
  const res = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: ROOT,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  const tops = new Set<string>();
  for (const line of res.stdout.split('\n').slice(1)) {
    if (!line.trim()) continue;
    const parts = path.relative(ROOT, line.trim()).split(path.sep);
    const top = parts[1]?.startsWith('@') ? parts.slice(0, 3) : parts.slice(0, 2);
    if (top[0] === 'node_modules') tops.add(top.join(path.sep));
  }
  return [...tops];
}

function stubElectronDist(dir: string): string {
  // What electron-builder needs from an Electron dist to lay out an unpacked Linux app.
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'electron'), '#!/bin/sh\necho "stub electron: cannot run"\nexit 1\n', {
    mode: 0o755,
  });
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stub\n');
  fs.writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '<html></html>\n');
  fs.writeFileSync(path.join(dir, 'version'), ELECTRON_VERSION);
  return dir;
}

interface BuildModule {
  buildDesktop: (opts: { root?: string; outDir?: string; sourcemap?: boolean }) => Promise<unknown>;
}

async function prepareProject(work: string): Promise<string> {
  const project = path.join(work, 'project');
  fs.mkdirSync(path.join(project, 'assets'), { recursive: true });
  for (const file of ['package.json', 'electron-builder.yml']) {
    fs.copyFileSync(path.join(ROOT, file), path.join(project, file));
  }
  fs.cpSync(path.join(ROOT, 'scenarios'), path.join(project, 'scenarios'), { recursive: true });
  for (const dir of ['icons', 'samples']) {
    fs.cpSync(path.join(ROOT, 'assets', dir), path.join(project, 'assets', dir), { recursive: true });
  }
  for (const pkg of productionPackages()) {
    fs.cpSync(path.join(ROOT, pkg), path.join(project, pkg), { recursive: true });
  }
  const script = pathToFileURL(path.join(ROOT, 'scripts', 'build-desktop.mjs')).href;
  const { buildDesktop } = (await import(script)) as BuildModule;
  // With maps, so that their absence from the package proves the exclusion works.
  await buildDesktop({ root: ROOT, outDir: path.join(project, 'dist'), sourcemap: true });
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const uiOut = path.join(project, 'dist', 'renderer');
  await run(
    process.execPath,
    [vite, 'build', '--config', uiConfig, '--outDir', uiOut, '--emptyOutDir', '--logLevel', 'warn'],
    ROOT,
  );
  return project;
}

void test(
  'app.asar holds the built app and production dependencies only',
  { skip: SKIP, timeout: 600_000 },
  async (t) => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-packaging-'));
    t.after(() => fs.rmSync(work, { recursive: true, force: true }));
    const project = await prepareProject(work);
    const built = fs.readdirSync(path.join(project, 'dist'), { recursive: true }).map(String);
    assert.ok(
      built.some((f) => f.endsWith('.map')),
      'the build has source maps to exclude',
    );

    const output = path.join(work, 'release');
    const cli = path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
    await run(
      process.execPath,
      [
        cli,
        '--projectDir',
        project,
        '--config',
        'electron-builder.yml',
        '--dir',
        '--linux',
        `-c.electronDist=${stubElectronDist(path.join(work, 'electron-stub'))}`,
        `-c.electronVersion=${ELECTRON_VERSION}`,
        '-c.npmRebuild=false',
        `-c.directories.output=${output}`,
      ],
      project,
    );

    const resources = path.join(output, 'linux-unpacked', 'resources');
    const asarFile = path.join(resources, 'app.asar');
    const entries = listPackage(asarFile, { isPack: false }).map((e) => e.split(path.sep).join('/'));
    const has = (p: string): boolean => entries.includes(p);

    for (const required of [
      '/package.json',
      '/dist/main/main.cjs',
      '/dist/main/preload.cjs',
      '/dist/server/engine.cjs',
      '/dist/renderer/index.html',
      '/dist/main/icons/32x32.png',
      '/scenarios/second-user-save-rejected.yaml',
    ]) {
      assert.ok(has(required), `${required} is packaged`);
    }
    assert.ok(
      entries.some((e) => /^\/dist\/renderer\/assets\/.+\.js$/.test(e)),
      'renderer scripts are packaged',
    );

    assert.deepEqual(
      entries.filter((e) => e.endsWith('.map')),
      [],
      'no source maps',
    );
    assert.deepEqual(
      entries.filter((e) => /\.(ts|tsx|mts|cts)$/.test(e)),
      [],
      'no TypeScript sources',
    );
    const sourceDirs = ['/main/', '/server/', '/renderer/', '/test/', '/scripts/', '/assets/', '/bin/'];
    assert.deepEqual(
      entries.filter((e) => sourceDirs.some((d) => e.startsWith(d))),
      [],
      'no source, test or script folders',
    );
    for (const config of [
      '/tsconfig.json',
      '/electron-builder.yml',
      '/eslint.config.js',
      '/package-lock.json',
    ]) {
      assert.equal(has(config), false, `${config} is not packaged`);
    }

    // Production dependencies, including transitive ones; no development tooling.
    for (const dep of ['better-sqlite3', 'bindings', 'iconv-lite', 'localtunnel', 'fast-xml-parser']) {
      assert.ok(has(`/node_modules/${dep}/package.json`), `${dep} is packaged`);
    }
    for (const dev of [
      'electron',
      'electron-builder',
      'vite',
      'react',
      'typescript',
      'tsx',
      'esbuild',
      '@playwright/test',
    ]) {
      assert.equal(has(`/node_modules/${dev}`), false, `${dev} (dev dependency) is not packaged`);
    }

    // The native module is unpacked next to the archive, without its build leftovers.
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3');
    assert.ok(fs.existsSync(path.join(unpacked, 'build', 'Release', 'better_sqlite3.node')));
    for (const leftover of ['deps', 'src', path.join('build', 'Release', 'obj.target')]) {
      assert.equal(
        fs.existsSync(path.join(unpacked, leftover)),
        false,
        `better-sqlite3/${leftover} is not shipped`,
      );
    }

    // Samples ship outside the archive (copied to a writable folder at first run).
    assert.deepEqual(
      fs.readdirSync(path.join(resources, 'samples')).sort(),
      fs.readdirSync(path.join(ROOT, 'assets', 'samples')).sort(),
    );

    const pkg = JSON.parse(extractFile(asarFile, 'package.json').toString('utf8')) as { main: string };
    assert.equal(pkg.main, 'dist/main/main.cjs');
  },
);

void test('electron-builder.yml names unsigned artifacts and keeps the identity fields', () => {
  const yml = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
  assert.match(yml, /^appId: dev\.wopiworkbench\.app$/m);
  assert.match(yml, /^productName: WOPI Workbench$/m);
  assert.match(yml, /^artifactName: .*-unsigned\.\$\{ext\}$/m);
  assert.match(yml, /^npmRebuild: true$/m, 'real builds rebuild native modules for Electron');
});

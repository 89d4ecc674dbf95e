#!/usr/bin/env node
// `npm start`: build the UI when its sources are newer than the build, then run the desktop app if
// a runnable Electron binary is installed, or else the headless CLI on a copy of the sample folder
// (`serve --samples`: the copy lives in .wbdata/sample-folder, so a save never touches assets/).
// Extra arguments are passed through (`npm start -- --proof off`); Ctrl-C / SIGTERM are forwarded
// so the engine stops cleanly.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUi, ROOT, uiBuildState } from './ui-build.mjs';

export { uiBuildState };

function isExecutableFile(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Electron binary `npx electron` would run, found the way electron's own index.js finds it
 * (path.txt names it inside node_modules/electron/dist), but without requiring 'electron': from 42.x
 * on, that require starts a download when the binary is missing. Null when nothing runnable exists.
 */
export function findElectronBinary(root = ROOT, env = process.env) {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  let relative = null;
  try {
    relative = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8');
  } catch {
    // No path.txt: the binary was never downloaded.
  }
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const candidate = path.join(override, relative || 'electron');
    return isExecutableFile(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const candidate = path.join(pkgDir, 'dist', relative);
  return isExecutableFile(candidate) ? candidate : null;
}

export const ELECTRON_MISSING_NOTE =
  "Electron isn't available here (no binary under node_modules/electron), so running headless: the UI URL below opens in any browser.";

const names = (args, flag) => args.some((a) => a === flag || a.startsWith(`${flag}=`));

/**
 * What `npm start` will run: the desktop app, or the headless CLI. Headless, it serves a copy of the
 * samples kept in .wbdata/ unless the arguments name a folder (which then gets serve's own data dir).
 */
export function planStart(extraArgs, root = ROOT, env = process.env) {
  const electron = findElectronBinary(root, env);
  if (electron) return { mode: 'electron', command: electron, args: ['.', ...extraArgs] };
  const ownFolder = names(extraArgs, '--folder');
  const folder = ownFolder || names(extraArgs, '--samples') ? [] : ['--samples'];
  // Gitignored, in the checkout: state and the sample copy stay with the repo, outside assets/.
  const dataDir =
    ownFolder || names(extraArgs, '--data-dir') ? [] : ['--data-dir', path.join(root, '.wbdata')];
  return {
    mode: 'headless',
    note: ELECTRON_MISSING_NOTE,
    command: process.execPath,
    args: [path.join(root, 'bin', 'wopi-workbench.mjs'), 'serve', ...folder, ...dataDir, ...extraArgs],
  };
}

/** Runs a child with inherited stdio, forwarding SIGINT/SIGTERM; resolves with its exit code. */
export function runForwarding(command, args, { cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    const forwarders = ['SIGINT', 'SIGTERM'].map((signal) => {
      // A terminal Ctrl-C reaches the child too; the engine treats a repeated signal as the same stop.
      const forward = () => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      };
      process.on(signal, forward);
      return [signal, forward];
    });
    const done = (code) => {
      for (const [signal, forward] of forwarders) process.off(signal, forward);
      resolve(code);
    };
    child.on('error', (e) => {
      console.error(`could not start ${command}: ${e.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (os.constants.signals[signal] ?? 0)));
  });
}

async function main(extraArgs) {
  const ui = uiBuildState();
  if (ui === 'missing' || ui === 'stale') {
    console.log(ui === 'missing' ? 'Building the UI…' : 'UI sources changed; rebuilding the UI…');
    const code = await buildUi();
    if (code !== 0) return code;
  }
  const plan = planStart(extraArgs);
  if (plan.mode === 'electron') {
    const { buildDesktop } = await import('./build-desktop.mjs');
    await buildDesktop({ sourcemap: true });
    // Set by some editors' terminals; it would make Electron behave as plain Node.
    const env = { ...process.env };
    delete env['ELECTRON_RUN_AS_NODE'];
    return runForwarding(plan.command, plan.args, { env });
  }
  console.log(plan.note);
  return runForwarding(plan.command, plan.args);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}

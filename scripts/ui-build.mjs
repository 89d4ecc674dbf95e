// The inspector UI build (dist/renderer), shared by `npm start` and the `prepare` step that npm runs
// after `npm install` / `npm ci`: is it there and current, and building it with the installed vite.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** 'fresh' | 'missing' | 'stale' | 'no-sources' for dist/renderer against renderer/. */
export function uiBuildState(root = ROOT) {
  const sources = path.join(root, 'renderer');
  if (!fs.existsSync(path.join(sources, 'vite.config.ts'))) return 'no-sources';
  const built = path.join(root, 'dist', 'renderer', 'index.html');
  if (!fs.existsSync(built)) return 'missing';
  return newestMtimeMs(sources) > fs.statSync(built).mtimeMs ? 'stale' : 'fresh';
}

/** vite's CLI in this checkout, or null where dev dependencies were not installed. */
export function viteCli(root = ROOT) {
  const cli = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  return fs.existsSync(cli) ? cli : null;
}

/** Runs `vite build` for the UI with inherited output; resolves with the exit code. */
export function buildUi(root = ROOT) {
  const cli = viteCli(root);
  if (!cli) return Promise.resolve(127);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [cli, 'build', '--config', path.join('renderer', 'vite.config.ts'), '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

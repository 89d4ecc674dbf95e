// A fresh clone, simulated honestly: the files git would hand a new checkout (tracked and not
// ignored, as they are in the working tree, so uncommitted work is tested too) copied into a temp
// dir, nothing built (dist/ is ignored), and node_modules linked to this checkout's, since the
// install itself (npm ci) must not rewrite the shared folder. Then npm's own `prepare` step runs.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { copyFile, mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { childEnv, repoRoot } from './cli-process';

export interface FreshCheckout {
  dir: string;
  bin: string;
  remove(): Promise<void>;
}

function git(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(new Error(`git ${args.join(' ')}: ${error.message}`));
      else resolve(stdout);
    });
  });
}

/** Null when this is not a git checkout (e.g. an unpacked tarball): there is nothing to clone. */
export async function freshCheckout(): Promise<FreshCheckout | null> {
  let listed: string;
  try {
    listed = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  } catch {
    return null;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'wb-fresh-clone-'));
  const files = listed
    .split('\0')
    .filter((f) => f && f !== 'node_modules' && !f.startsWith('node_modules/'))
    // Deleted in the working tree but still in the index: a commit would not carry it.
    .filter((f) => fs.statSync(path.join(repoRoot, f), { throwIfNoEntry: false })?.isFile());
  for (const f of files) {
    const target = path.join(dir, f);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(repoRoot, f), target);
    await fs.promises.chmod(target, fs.statSync(path.join(repoRoot, f)).mode);
  }
  await symlink(await realpath(path.join(repoRoot, 'node_modules')), path.join(dir, 'node_modules'), 'dir');
  return {
    dir,
    bin: path.join(dir, 'bin', 'wopi-workbench.mjs'),
    remove: () => rm(dir, { recursive: true, force: true, maxRetries: 5 }),
  };
}

/**
 * The `prepare` script in the checkout, as `npm install` / `npm ci` run it after installing (and, like
 * them, nothing when package.json has none); resolves with code and output.
 */
export function runPrepare(dir: string): Promise<{ code: number | null; output: string }> {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (!pkg.scripts?.['prepare']) return Promise.resolve({ code: 0, output: '(no prepare script)' });
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', 'prepare'], {
      cwd: dir,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => resolve({ code: null, output: `${output}\n${e.message}` }));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

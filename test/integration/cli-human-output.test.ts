// `serve` without --json, as a person reads it: the ready block names every URL, and a public URL that
// is only the local one says so and how to publish it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { childEnv, cliPath, repoRoot } from '../helpers/cli-process';

const WAIT_MS = 30_000;

/** Runs `serve` until its ready block is printed, then stops it; resolves with stdout so far. */
function readyBlock(folder: string, dataDir: string, extra: string[] = []): Promise<string> {
  const child = spawn(
    process.execPath,
    [cliPath, 'serve', '--folder', folder, '--data-dir', dataDir, ...extra],
    {
      cwd: repoRoot,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready block within ${WAIT_MS} ms\n${out}\n${err}`));
    }, WAIT_MS);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        child.once('exit', () => resolve(out));
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => {
      if (!out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        reject(new Error(`serve exited ${String(code)} before ready\n${out}\n${err}`));
      }
    });
  });
}

describe('serve without --json', () => {
  let root: string;
  let folder: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wb-cli-human-'));
    folder = path.join(root, 'folder');
    await mkdir(folder);
    await writeFile(path.join(folder, 'a.docx'), 'A');
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('prints the URLs, and says when the public URL is only the local one', async () => {
    const out = await readyBlock(folder, path.join(root, 'data-local'));
    const wopi = /WOPI host: {3}(http:\/\/127\.0\.0\.1:\d+)\/wopi\/files\/<id>/.exec(out)?.[1];
    assert.ok(wopi, out);
    assert.match(
      out,
      new RegExp(`Public URL: {2}${wopi} {2}\\(local only: --tunnel or --public-url publishes it\\)`),
    );
    assert.match(out, /Inspector: {3}http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+/);
  });

  it('shows a configured public URL as it is, without the note', async () => {
    const out = await readyBlock(folder, path.join(root, 'data-public'), [
      '--public-url',
      'https://wopi.example.test',
    ]);
    assert.match(out, /Public URL: {2}https:\/\/wopi\.example\.test\n/);
    assert.doesNotMatch(out, /local only/);
  });
});

// `serve` without --json, as a person reads it: the ready block names every URL, a public URL that
// is only the local one says so and how to publish it, and the tunnel's line never says more than
// is known (a failed tunnel is not "local only"; a configured public URL is not "online" unchecked).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { childEnv, cliPath, repoRoot } from '../helpers/cli-process';
import { startEchoApp } from '../helpers/tunnel-server';

const WAIT_MS = 30_000;

/** Runs `serve` until `until` is printed (the ready block by default), then stops it; resolves with stdout. */
function readyBlock(
  folder: string,
  dataDir: string,
  extra: string[] = [],
  until: RegExp = /Press Ctrl-C to stop\./,
): Promise<string> {
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
      if (until.test(out) && child.exitCode === null && !child.killed) {
        clearTimeout(timer);
        child.once('exit', () => resolve(out));
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => {
      if (!until.test(out)) {
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

  it('a configured public URL is unverified until checked, and a host that does not resolve is named so', async () => {
    const url = 'https://wopi.workbench-test.invalid';
    const out = await readyBlock(
      folder,
      path.join(root, 'data-public'),
      ['--public-url', url],
      /Public URL unverified — .*\n/,
    );
    assert.match(
      out,
      /Public URL: {2}https:\/\/wopi\.workbench-test\.invalid {2}\(unverified: checking that it reaches this workbench…\)\n/,
    );
    assert.match(
      out,
      /Public URL unverified — https:\/\/wopi\.workbench-test\.invalid does not reach this workbench yet \(public host: wopi\.workbench-test\.invalid:443: the host name does not resolve\)/,
    );
    assert.doesNotMatch(out, /online|local only/);
  });

  it('a tunnel that failed says so, why and what to do, not "local only"', async () => {
    const notATunnelServer = await startEchoApp('not-a-tunnel');
    try {
      const out = await readyBlock(folder, path.join(root, 'data-failed'), [
        '--tunnel',
        '--tunnel-server',
        `http://127.0.0.1:${notATunnelServer.port}`,
      ]);
      assert.match(out, /Public URL: {2}none — the tunnel failed: tunnel server refused subdomain/);
      assert.match(
        out,
        /Links use the local URL http:\/\/127\.0\.0\.1:\d+, which nothing outside this machine reaches;/,
      );
      assert.match(
        out,
        /check --tunnel-server and --subdomain \(or use --public-url\) and restart, or start the tunnel from the inspector's Tunnel view\./,
      );
      assert.doesNotMatch(out, /local only/);
      assert.ok(out.indexOf('WOPI Workbench is running.') === 0, 'the ready block comes first');
    } finally {
      await notATunnelServer.stop();
    }
  });
});

// `serve --upstream` as a user types it: it says that it proxies and to where (JSON and human), a
// request to its WOPI URL is answered by the upstream host, `open --file-id --token` prints a launch
// link for a file of that host, and a bad URL or a --token without --upstream is one sentence.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { childEnv, cliPath, repoRoot, runCli, spawnServe } from '../helpers/cli-process';
import type { ServeProcess } from '../helpers/cli-process';
import { startMiniHost } from '../helpers/mini-host';
import type { MiniHost } from '../helpers/mini-host';
import { sendRequest } from '../helpers/wopi-client';

describe('serve --upstream', () => {
  let root = '';
  let mini: MiniHost;
  let serve: ServeProcess | undefined;
  let dataDir = '';

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wb-cli-upstream-'));
    await mkdir(path.join(root, 'folder'));
    dataDir = path.join(root, 'data');
    mini = await startMiniHost({ files: { 'Plan.docx': Buffer.from('plan') } });
  });
  after(async () => {
    serve?.kill('SIGTERM');
    await serve?.exitWithin();
    await mini?.close();
    await rm(root, { recursive: true, force: true, maxRetries: 5 });
  });

  it('says in its ready line that it proxies, and to where; the upstream answers its WOPI URL', async () => {
    serve = await spawnServe(path.join(root, 'folder'), dataDir, ['--upstream', `${mini.url}/`]);
    const ready = serve.ready as unknown as Record<string, string>;
    assert.equal(ready['upstream'], mini.url, 'the upstream, normalised (no trailing slash)');
    const id = mini.wopiSrc('Plan.docx').split('/').pop()!;
    const res = await sendRequest({
      method: 'GET',
      url: `${ready['wopiUrl']}/wopi/files/${id}?access_token=${mini.token('Plan.docx')}`,
    });
    assert.equal(res.status, 200);
    assert.equal(res.json()['BaseFileName'], 'Plan.docx');
    assert.ok(mini.seen.some((s) => s.path === `/wopi/files/${id}` && s.status === 200));
  });

  it('open --file-id --token prints a launch link for a file of the upstream host', async () => {
    const id = mini.wopiSrc('Plan.docx').split('/').pop()!;
    const r = await runCli([
      'open',
      '--data-dir',
      dataDir,
      '--file-id',
      id,
      '--token',
      mini.token('Plan.docx'),
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const link = JSON.parse(r.stdout) as { url: string; action: string };
    assert.match(link.url, new RegExp(`/host/${id}\\?action=edit&l=ln1`));
    const none = await runCli(['open', '--data-dir', dataDir, '--file-id', id]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no access token for upstream file/);
  });

  it('prints a human ready block naming the upstream', async () => {
    const child = spawn(
      process.execPath,
      [
        cliPath,
        'serve',
        '--folder',
        path.join(root, 'folder'),
        '--data-dir',
        path.join(root, 'data2'),
        '--upstream',
        mini.url,
      ],
      { cwd: repoRoot, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready block:\n${out}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Press Ctrl-C')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', () => reject(new Error(`exited:\n${out}`)));
      });
      assert.match(out, /WOPI proxy: {2}http:\/\/127\.0\.0\.1:\d+\/wopi\/files\/<id>/);
      assert.ok(out.includes(`proxies every request to ${mini.url} (recorded and linted)`), out);
      assert.doesNotMatch(out, /WOPI host: /);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('refuses a bad upstream URL, or --token without --upstream, in one sentence', async () => {
    const folder = path.join(root, 'folder');
    const bad = await runCli([
      'serve',
      '--folder',
      folder,
      '--data-dir',
      path.join(root, 'd3'),
      '--upstream',
      'ftp://h',
    ]);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /^wopi-workbench: upstream must start with http:\/\/ or https:\/\/; got "ftp:\/\/h"\.\n$/,
    );
    const file = await runCli([
      'serve',
      '--folder',
      folder,
      '--data-dir',
      path.join(root, 'd4'),
      '--upstream',
      'http://h/wopi/files/12',
    ]);
    assert.equal(file.code, 1);
    assert.match(file.stderr, /upstream is the host's base URL, not a file's: drop "\/files\/12"/);
    const lone = await runCli([
      'serve',
      '--folder',
      folder,
      '--data-dir',
      path.join(root, 'd5'),
      '--token',
      'x',
    ]);
    assert.equal(lone.code, 2);
    assert.match(lone.stderr, /^wopi-workbench: --token only applies with --upstream/);
  });
});

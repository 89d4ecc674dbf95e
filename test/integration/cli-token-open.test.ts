// `token` and `open` against a running serve, as a user types them: --user must name a persona (or say
// --ad-hoc), an action must be one the client lists for the file, and a run that cannot go on says
// so in one sentence without the usage text.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildDocx } from '../../server/simulator/ooxml/samples';
import { runCli as cli, spawnServe, startServe } from '../helpers/cli-process';
import type { CliRun, ServeHandle } from '../helpers/cli-process';
import { checkFileInfo } from '../helpers/wopi-client';

/** Exit code, and stderr as exactly the lines expected (a sentence, maybe a --help pointer). */
function expectFailure(r: CliRun, code: number, pattern: RegExp, what: string): void {
  assert.equal(r.code, code, `${what}: exit ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '', `${what}: nothing on stdout`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[0]!, pattern, what);
  assert.ok(!r.stderr.includes('Usage:'), `${what}: no usage text\n${r.stderr}`);
  assert.equal(lines.length, code === 2 ? 2 : 1, `${what}: ${r.stderr}`);
}

describe('token and open against a running serve', () => {
  let serve: ServeHandle;
  before(async () => {
    serve = await startServe({ files: { 'report.docx': buildDocx(['Report']), 'notes.txt': 'notes\n' } });
  });
  after(async () => {
    await serve?.stop();
  });
  const tokenArgs = (...more: string[]): string[] => ['token', '--data-dir', serve.dataDir, ...more];
  const openArgs = (...more: string[]): string[] => ['open', '--data-dir', serve.dataDir, ...more];

  it('--user that is no persona is refused, naming the personas, --personas and --ad-hoc', async () => {
    const tok = await cli(tokenArgs('--file', 'notes.txt', '--user', 'mallory'));
    const opened = await cli(openArgs('--file', 'notes.txt', '--user', 'mallory'));
    for (const r of [tok, opened]) {
      expectFailure(r, 2, /^wopi-workbench: --user "mallory" is not a persona of that serve run/, 'mallory');
      assert.match(
        r.stderr,
        /editor \(Ada Editor, edit\), coauthor \(Grace Coauthor, edit\), viewer \(Victor Viewer, view\)/,
      );
      assert.match(r.stderr, /serve --personas FILE\.json/);
      assert.match(r.stderr, /--ad-hoc/);
    }
  });

  it('--ad-hoc is the explicit way to mint for someone outside the personas; persona names work too', async () => {
    const adHoc = await cli(tokenArgs('--file', 'notes.txt', '--user', 'Mallory', '--ad-hoc', '--json'));
    const byName = await cli(tokenArgs('--file', 'notes.txt', '--user', 'victor viewer', '--json'));
    assert.equal(adHoc.code, 0, adHoc.stderr);
    assert.equal(byName.code, 0, byName.stderr);
    const info = async (r: CliRun) => {
      const g = JSON.parse(r.stdout) as { wopiSrc: string; accessToken: string };
      return (await checkFileInfo({ wopiSrc: g.wopiSrc, accessToken: g.accessToken })).json();
    };
    const mallory = await info(adHoc);
    assert.equal(mallory['UserFriendlyName'], 'Mallory');
    const victor = await info(byName);
    assert.equal(victor['UserId'], 'viewer');
    assert.equal(victor['UserCanWrite'], false);
  });

  it('open --action that the client does not list for the file: one sentence with the valid ones', async () => {
    const r = await cli(openArgs('--file', 'notes.txt', '--action', 'explode'));
    expectFailure(
      r,
      1,
      /^wopi-workbench: launch refused: the simulator client has no "explode" action for \.txt files; use one of: view, edit, embedview$/,
      'explode',
    );
  });

  it('open picks an action the client lists when none is given (view for a viewer), and the link opens', async () => {
    const r = await cli(openArgs('--file', 'notes.txt', '--user', 'viewer'));
    assert.equal(r.code, 0, r.stderr);
    const url = r.stdout.trim();
    assert.match(url, /\/host\/[^?]+\?action=view&/);
    assert.equal((await fetch(url)).status, 200);
  });

  it('a file that is not served: one sentence, no usage text', async () => {
    const tok = await cli(tokenArgs('--file', 'missing.docx'));
    const opened = await cli(openArgs('--file', 'missing.docx'));
    expectFailure(tok, 1, /^wopi-workbench: "missing\.docx" is not a file served from /, 'token missing');
    expectFailure(
      opened,
      1,
      /^wopi-workbench: "missing\.docx" is not served by that run \(folder /,
      'open missing',
    );
  });
});

describe('open when the serve run has stopped', () => {
  let root = '';
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('says the run does not answer and how to start it, in one sentence', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wb-open-stopped-'));
    const folder = path.join(root, 'folder');
    const dataDir = path.join(root, 'data');
    await mkdir(folder);
    await writeFile(path.join(folder, 'a.txt'), 'a');
    const s = await spawnServe(folder, dataDir);
    s.kill('SIGTERM');
    await s.exitWithin();
    const r = await cli(['open', '--data-dir', dataDir, '--file', 'a.txt']);
    expectFailure(
      r,
      1,
      /^wopi-workbench: the serve run of data dir .* does not answer at http:\/\/127\.0\.0\.1:\d+ \(it has stopped\?\); start `wopi-workbench serve --data-dir .*` again$/,
      'stopped run',
    );
  });
});

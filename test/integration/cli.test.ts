// The headless CLI as a user runs it (`node bin/wopi-workbench.mjs …`): help, bad input answered with one
// clear sentence and a non-zero exit, a busy port, and SIGTERM during an upload (exit 0, file intact).
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flagsOf } from '../../server/cli/flags';
import { TEMP_PREFIX } from '../../server/storage/paths';
import { APP_VERSION } from '../../server/version';
import { cliToken, runCli as cli, spawnServe } from '../helpers/cli-process';
import type { CliRun } from '../helpers/cli-process';
import { sha256 as sha } from '../helpers/hash';
import { checkFileInfo, expectStatus, lock, openPutFile } from '../helpers/wopi-client';
import type { WopiTarget } from '../helpers/wopi-client';

const MB = 1024 * 1024;

/** A failed run: non-zero exit, nothing on stdout, and stderr opens with one sentence (no stack trace). */
function expectOneSentence(r: CliRun, pattern: RegExp, what: string): void {
  assert.ok(r.code !== 0 && r.code !== null, `${what}: exit code ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '', `${what}: nothing on stdout`);
  const [first = ''] = r.stderr.split('\n');
  assert.match(
    first,
    /^wopi-workbench: \S.*$/,
    `${what}: stderr starts with one line naming the program\n${r.stderr}`,
  );
  assert.match(first, pattern, `${what}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `${what}: no stack trace\n${r.stderr}`);
  assert.doesNotMatch(
    first,
    /unexpected error/,
    `${what}: an expected mistake is not "unexpected"\n${r.stderr}`,
  );
}

/** A command-line mistake: exit 2, the sentence, then one line pointing at --help — no usage dump. */
function expectUsageError(r: CliRun, pattern: RegExp, what: string): void {
  expectOneSentence(r, pattern, what);
  assert.equal(r.code, 2, `${what}: usage errors exit 2`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 2, `${what}: a sentence and a pointer\n${r.stderr}`);
  assert.match(lines[1]!, /^Run `wopi-workbench (\w+ )?--help` for (its flags|the commands)\.$/, what);
}

/** A run that cannot go on: exit 1 and exactly one line naming the fix. */
function expectRuntimeError(r: CliRun, pattern: RegExp, what: string): void {
  expectOneSentence(r, pattern, what);
  assert.equal(r.code, 1, `${what}: exit 1`);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${what}: one line, no usage text\n${r.stderr}`);
}

/** Runs CLI invocations a few at a time: dozens at once would starve a small machine past the timeout. */
async function runAll(argvs: string[][], limit = 2): Promise<CliRun[]> {
  const results: CliRun[] = new Array<CliRun>(argvs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < argvs.length) {
      const i = next++;
      results[i] = await cli(argvs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, argvs.length) }, worker));
  return results;
}

let root: string;
let folder: string;
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wb-cli-'));
  folder = path.join(root, 'folder');
  await mkdir(folder);
  await writeFile(path.join(folder, 'a.docx'), 'A');
});
after(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('help', () => {
  it('--help and no arguments print usage on stdout and exit 0', async () => {
    const variants = [['--help'], []];
    const runs = await Promise.all(variants.map((args) => cli(args)));
    for (const [i, args] of variants.entries()) {
      const r = runs[i]!;
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      for (const word of [
        'Usage:',
        'serve [--folder DIR | --samples]',
        'token --data-dir',
        'open  --data-dir',
      ]) {
        assert.ok(r.stdout.includes(word), `${args.join(' ') || '(none)'} usage mentions "${word}"`);
      }
    }
  });
});

describe('help per command and the version', () => {
  it('serve --help lists every serve flag (even after a bad flag); --version prints the version', async () => {
    const [help, afterBad, version] = await runAll([
      ['serve', '--help'],
      ['serve', '--bogus', '-h'],
      ['--version'],
    ]);
    for (const r of [help!, afterBad!]) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^Usage:\n {2}wopi-workbench serve \[--folder DIR \| --samples\]/);
      for (const name of flagsOf('serve')) assert.match(r.stdout, new RegExp(`^ {2}--${name}\\b`, 'm'), name);
      assert.doesNotMatch(r.stdout, /--ttl-minutes/, 'only serve flags');
    }
    assert.equal(version!.code, 0);
    assert.equal(version!.stdout, `${APP_VERSION}\n`);
  });
});

// Independent cases, each waiting on CLI start-up: run them side by side.
describe('bad input: non-zero exit and one clear sentence', { concurrency: true }, () => {
  const dataDir = (): string => path.join(root, 'data-bad');

  it('unknown command and unknown or malformed flags (usage errors exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /unknown command "frobnicate"; the commands are serve, token, open/],
      [['serve', '--folder', folder, '--bogus'], /unknown flag --bogus/],
      [['serve', '--folder', folder, '--wopi-port', 'abc'], /--wopi-port must be a whole number/],
      [
        ['token', '--data-dir', dataDir(), '--file', 'a.docx', '--permissions', 'admin'],
        /--permissions must be view or edit/,
      ],
      [['token', '--data-dir', dataDir(), '--file', 'a.docx', '--folder', folder], /unknown flag --folder$/],
      [['serve', '--folder', folder, '--', '--json'], /unexpected argument "--json"/],
      [
        ['serve', '--folder', folder, '--wopi-port', '-1'],
        /--wopi-port -1 reads as a flag; write --wopi-port=-1$/,
      ],
    ];
    const runs = await runAll(cases.map(([args]) => args));
    for (const [i, [args, pattern]] of cases.entries()) expectUsageError(runs[i]!, pattern, args.join(' '));
  });

  it('no serve run in the data dir: one sentence naming the fix, not the usage text', async () => {
    const none = path.join(root, 'never-served');
    const [tok, opened] = await Promise.all([
      cli(['token', '--data-dir', none, '--file', 'a.docx']),
      cli(['open', '--data-dir', none, '--file', 'a.docx']),
    ]);
    for (const r of [tok, opened]) {
      expectRuntimeError(
        r,
        /no serve run has used data dir .*; start `wopi-workbench serve --folder DIR --data-dir/,
        'no run',
      );
    }
  });

  it('missing folder: not there', async () => {
    const missing = await cli([
      'serve',
      '--folder',
      path.join(root, 'no-such-folder'),
      '--data-dir',
      dataDir(),
    ]);
    expectOneSentence(missing, /does not exist/, 'serve with a missing folder');
  });

  it('unusable folder: a file, not a folder; a folder this user cannot write', async (t) => {
    const file = path.join(root, 'plain-file.txt');
    await writeFile(file, 'not a folder');
    expectOneSentence(
      await cli(['serve', '--folder', file, '--data-dir', dataDir()]),
      /is not a directory/,
      'file as folder',
    );
    if (process.getuid?.() === 0) {
      t.diagnostic('running as root: permission bits do not apply, skipping the unwritable-folder case');
      return;
    }
    const locked = path.join(root, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o500);
    try {
      expectOneSentence(
        await cli(['serve', '--folder', locked, '--data-dir', dataDir()]),
        /readable and writable/,
        'read-only folder',
      );
    } finally {
      await chmod(locked, 0o700);
    }
  });

  it('data dir inside the served folder', async () => {
    const r = await cli(['serve', '--folder', folder, '--data-dir', path.join(folder, '.state')]);
    expectOneSentence(r, /inside the served folder/, 'data dir inside the folder');
    assert.deepEqual(await readdir(folder), ['a.docx'], 'nothing was created in the folder');
  });

  it('data dir that is a file', async () => {
    const file = path.join(root, 'data-is-a-file');
    await writeFile(file, 'x');
    expectOneSentence(
      await cli(['serve', '--folder', folder, '--data-dir', file]),
      /data dir/i,
      'data dir is a file',
    );
  });

  it('a --host that does not resolve, and --samples with a data dir that is a file: one sentence each', async () => {
    const file = path.join(root, 'samples-data-is-a-file');
    await writeFile(file, 'x');
    const [host, samples] = await runAll([
      [
        'serve',
        '--folder',
        folder,
        '--data-dir',
        path.join(root, 'data-host'),
        '--host',
        'wb-no-such-host.invalid',
      ],
      ['serve', '--samples', '--data-dir', file],
    ]);
    expectRuntimeError(
      host!,
      /the host name wb-no-such-host\.invalid does not resolve; fix --host/,
      'bad host',
    );
    expectRuntimeError(
      samples!,
      /cannot copy the samples into data dir .* \(it is not a folder\)/,
      'samples data dir',
    );
  });

  it('port in use: names the port and the setting', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const r = await cli([
        'serve',
        '--folder',
        folder,
        '--data-dir',
        path.join(root, 'data-port'),
        '--wopi-port',
        String(port),
      ]);
      expectOneSentence(r, new RegExp(`port ${port} .*already in use.*wopi`, 'i'), 'busy WOPI port');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

// --- SIGTERM during an upload -------------------------------------------------------------------------

/** A PutFile the test feeds by hand; `result` is the status, or the error when the connection dies. */
function upload(target: WopiTarget, lockId: string, size: number) {
  const { req, result } = openPutFile(target, lockId, size);
  return {
    req,
    result,
    write: (b: Buffer): Promise<void> =>
      new Promise((resolve) => {
        if (req.destroyed) return resolve();
        req.write(b, () => resolve());
      }),
    end: (b: Buffer): Promise<void> =>
      new Promise((resolve) => {
        if (req.destroyed) return resolve();
        req.end(b, () => resolve());
      }),
  };
}

describe('SIGTERM during an upload', { timeout: 120_000, concurrency: true }, () => {
  const OLD = Buffer.alloc(8 * MB, 'old content. ');
  const NEW = Buffer.alloc(8 * MB, 'NEW CONTENT! ');
  const half = NEW.length / 2;

  async function scenario(name: string, finishUpload: boolean) {
    const dir = path.join(root, name, 'folder');
    const dataDir = path.join(root, name, 'data');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'big.docx'), OLD);
    // --proof off: this test's client does not sign requests; proofs are not what is under test.
    const s = await spawnServe(dir, dataDir, ['--proof', 'off']);
    const t = await cliToken(dataDir, 'big.docx');
    const target: WopiTarget = {
      wopiSrc: `${s.ready.wopiUrl}/wopi/files/${t.id}`,
      accessToken: t.accessToken,
    };
    expectStatus(await lock(target, 'SIGTERM-LOCK'), 200);
    expectStatus(await checkFileInfo(target), 200);

    const up = upload(target, 'SIGTERM-LOCK', NEW.length);
    await up.write(NEW.subarray(0, half));
    s.kill('SIGTERM');
    if (finishUpload) await up.end(NEW.subarray(half));
    const { code, signal } = await s.exitWithin();
    const status = await up.result;
    up.req.destroy();

    assert.equal(signal, null, 'exits by itself, not killed by the signal');
    assert.equal(code, 0, `exit code after SIGTERM\n${s.stdout()}`);
    assert.match(s.stdout(), /"event":"stopped"/, 'prints that it stopped cleanly');
    assert.ok(!s.stdout().includes(t.accessToken), 'the access token never appears in the console output');
    const disk = sha(await readFile(path.join(dir, 'big.docx')));
    assert.ok(disk === sha(OLD) || disk === sha(NEW), 'the file holds its old or its new bytes, never a mix');
    if (status === 200) assert.equal(disk, sha(NEW), 'a 200 PutFile is on disk');
    if (!finishUpload) assert.equal(disk, sha(OLD), 'an upload that never finished changed nothing');
    return { status, disk, dir };
  }

  it('an upload that stalls: exit 0 within the grace period, old bytes kept', async (t) => {
    const r = await scenario('stalled', false);
    t.diagnostic(`client saw ${r.status instanceof Error ? r.status.message : r.status}`);
  });

  it('an upload that completes during shutdown: exit 0, old or new bytes (new if it answered 200)', async (t) => {
    const r = await scenario('completing', true);
    t.diagnostic(`client saw ${r.status instanceof Error ? r.status.message : r.status}`);
    const temps = (await readdir(r.dir)).filter((n) => n.startsWith(TEMP_PREFIX));
    t.diagnostic(`temp files left until the next start: ${temps.length}`);
  });
});

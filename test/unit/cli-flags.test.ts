// Every flag of every command is checked before anything starts: unknown, repeated or valueless
// flags, numbers out of range, flags that need another, bad URLs and ids, unknown profiles, invalid
// personas. The commands run in-process here (the exit codes and the --help pointer are checked
// on the real process in test/integration/cli.test.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UsageError } from '../../server/cli/args';
import { open } from '../../server/cli/commands/open';
import { serve } from '../../server/cli/commands/serve';
import { token } from '../../server/cli/commands/token';

describe('command-line checks', () => {
  let root = '';
  let folder = '';
  let dataDir = '';
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-cli-flags-'));
    folder = path.join(root, 'folder');
    dataDir = path.join(root, 'data');
    fs.mkdirSync(folder);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  async function usageError(run: Promise<void>, pattern: RegExp): Promise<void> {
    await assert.rejects(run, (e: unknown) => {
      assert.ok(e instanceof UsageError, `a usage error, got ${String(e)}`);
      assert.match(e.message, pattern);
      return true;
    });
  }

  it('serve', async () => {
    const withFolder = (...more: string[]): string[] => ['--folder', folder, '--data-dir', dataDir, ...more];
    const cases: Array<[string[], RegExp]> = [
      [withFolder('--wopi-port', '70000'), /^--wopi-port must be from 0 to 65535; got 70000$/],
      [withFolder('--control-port', '-1'), /^--control-port must be a whole number; got "-1"$/],
      [withFolder('--max-upload-mb', '0'), /^--max-upload-mb must be from 1 to 102400; got 0$/],
      [withFolder('--version-retention', '0'), /^--version-retention must be from 1 to/],
      [withFolder('--log-retention', '0'), /^--log-retention must be from 1 to/],
      [withFolder('--folder', folder), /^--folder is given twice; keep one$/],
      [withFolder('--json=maybe'), /^--json takes no value \(or =true \/ =false\); got "maybe"$/],
      [withFolder('--host'), /^--host needs a value$/],
      [['--folder', folder, '--data-dir='], /^--data-dir needs a value$/],
      [['./docs'], /^unexpected argument "\.\/docs": every value follows its flag, e\.g\. --folder DIR$/],
      [withFolder('--subdomain', 'abcd'), /^--subdomain only applies with --tunnel$/],
      [withFolder('--tunnel-server', 'http://127.0.0.1:1'), /^--tunnel-server only applies with --tunnel$/],
      [withFolder('--tunnel', '--subdomain', 'x'), /^--subdomain: subdomain "x" is not valid/],
      [
        withFolder('--tunnel', '--tunnel-server', 'ftp://x'),
        /^--tunnel-server: tunnel server URL "ftp:\/\/x" must be/,
      ],
      [withFolder('--public-url', 'https://wopi.example.test/wopi'), /^--public-url: .*must not have a path/],
      [withFolder('--public-url', 'https://a.example.test', '--tunnel'), /exclude each other: pick one$/],
      [withFolder('--client', 'nope'), /^--client must be one of .*simulator.*; got "nope"$/],
      [withFolder('--proof', 'strict'), /^--proof must be enforce, report or off; got "strict"$/],
      [withFolder('--samples'), /^--folder and --samples exclude each other: pick one$/],
    ];
    for (const [argv, pattern] of cases) await usageError(serve(argv), pattern);
    assert.deepEqual(fs.readdirSync(root).sort(), ['folder'], 'nothing was created: no data dir, no copy');
  });

  it('serve --personas: a file that is not a valid personas list names the flag and the problem', async () => {
    const file = path.join(root, 'personas-bad.json');
    fs.writeFileSync(file, JSON.stringify([{ id: 'x y', name: 'X', permissions: 'edit' }]));
    await usageError(
      serve(['--folder', folder, '--data-dir', dataDir, '--personas', file]),
      /^--personas .*personas-bad\.json: persona id "x y" must be/,
    );
    fs.writeFileSync(file, '{');
    await usageError(
      serve(['--folder', folder, '--data-dir', dataDir, '--personas', file]),
      /^--personas .*: cannot read it as JSON/,
    );
  });

  it('token and open', async () => {
    const base = ['--data-dir', dataDir, '--file', 'a.docx'];
    await usageError(
      token([...base, '--ttl-minutes', '0']),
      /^--ttl-minutes must be from 1 to 43200; got 0$/,
    );
    await usageError(token([...base, '--ttl-minutes', '43201']), /^--ttl-minutes must be from 1 to 43200/);
    await usageError(token([...base, '--ad-hoc']), /^--ad-hoc only applies with --user$/);
    await usageError(token([...base, '--permissions', 'admin']), /^--permissions must be view or edit/);
    await usageError(token(['--file', 'a.docx']), /^--data-dir is required/);
    await usageError(open(['--data-dir', dataDir]), /^--file is required/);
    await usageError(open([...base, '--ad-hoc']), /^--ad-hoc only applies with --user$/);
    await usageError(open([...base, '--action']), /^--action needs a value$/);
  });
});

// Every flag of every command is checked before anything starts: unknown, repeated or valueless
// flags, numbers out of range, flags that need another, bad URLs and ids, unknown profiles, invalid
// personas. The commands run in-process here (the exit codes and the --help pointer are checked
// on the real process in test/integration/cli.test.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commandHelp, parseFlags, synopsis, usage, UsageError } from '../../server/cli/args';
import { readFlags } from '../../server/cli/flag-parse';
import { COMMANDS, FLAGS, flagsOf, type FlagName, type Shell } from '../../server/cli/flags';
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
      [withFolder('--control-port', '-1'), /^--control-port -1 reads as a flag; write --control-port=-1$/],
      [withFolder('--control-port=-1'), /^--control-port must be from 0 to 65535; got -1$/],
      [withFolder('--wopi-port=8o'), /^--wopi-port must be a whole number; got "8o"$/],
      [withFolder('--max-upload-mb', '0'), /^--max-upload-mb must be from 1 to 102400; got 0$/],
      [withFolder('--version-retention', '0'), /^--version-retention must be from 1 to/],
      [withFolder('--log-retention', '0'), /^--log-retention must be from 1 to/],
      [withFolder('--folder', folder), /^--folder is given twice; keep one$/],
      [withFolder('--json=maybe'), /^--json takes no value \(--no-json turns it off\); got "maybe"$/],
      [withFolder('--json=true'), /^--json takes no value/],
      [withFolder('--no-json=1'), /^--no-json takes no value; got "1"$/],
      [withFolder('--json', '--no-json'), /^--json is given twice; keep one$/],
      [withFolder('--no-host'), /^unknown flag --no-host$/],
      [withFolder('-q'), /^unknown flag -q$/],
      [withFolder('--file', 'a.docx'), /^unknown flag --file$/],
      [withFolder('--host'), /^--host needs a value$/],
      [['--folder', folder, '--data-dir='], /^--data-dir must not be empty$/],
      [['--folder', folder, '--data-dir', ' '], /^--data-dir must not be empty$/],
      [['--data-dir', '--folder', folder], /^--data-dir needs a value$/],
      [withFolder('--', '--json'), /^unexpected argument "--json": every value follows its flag/],
      [withFolder('--wopi-port', '70000', '--bogus'), /^--wopi-port must be from 0 to 65535/],
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
    // A flag of another command is refused by name, not taken for something else.
    await usageError(token([...base, '--folder', folder]), /^unknown flag --folder$/);
    await usageError(token([...base, '--action', 'view']), /^unknown flag --action$/);
    await usageError(open([...base, '--permissions', 'view']), /^unknown flag --permissions$/);
    await usageError(open([...base, '--user-data-dir', root]), /^unknown flag --user-data-dir$/);
    await usageError(token([...base, '--ttl-minutes=-5']), /^--ttl-minutes must be from 1 to 43200; got -5$/);
  });
});

describe('the flag table', () => {
  it('both forms of a value, the -- terminator, and switches turned off', () => {
    const spaced = parseFlags(['--wopi-port', '8080', '--proof', 'off', '--data-dir', '/d'], 'serve');
    const inline = parseFlags(['--wopi-port=8080', '--proof=off', '--data-dir=/d'], 'serve');
    assert.deepEqual(spaced, { 'wopi-port': 8080, proof: 'off', 'data-dir': '/d' });
    assert.deepEqual(inline, spaced);
    // A value that starts with "-" is only taken inline: spaced, it reads as a flag.
    assert.deepEqual(parseFlags(['--data-dir=-x'], 'serve'), { 'data-dir': '-x' });
    assert.throws(
      () => parseFlags(['--data-dir', '-x'], 'serve'),
      (e: unknown) => e instanceof UsageError && /^--data-dir -x reads as a flag/.test(e.message),
    );
    // A value may hold "=" and start with "--" when written inline.
    assert.deepEqual(parseFlags(['--host=a=b', '--folder=--odd'], 'serve'), { host: 'a=b', folder: '--odd' });
    assert.deepEqual(parseFlags(['--tunnel', '--no-json'], 'serve'), { tunnel: true, json: false });
    assert.deepEqual(parseFlags(['--json', '--'], 'serve'), { json: true }, 'a bare terminator is fine');
  });

  it('every flag is accepted by the shells that list it, and unknown to the others', () => {
    const shells: Shell[] = [...COMMANDS, 'desktop'];
    for (const name of Object.keys(FLAGS) as FlagName[]) {
      const def = FLAGS[name];
      assert.ok(def.in.length > 0, `--${name} belongs to some shell`);
      const argv = def.type === 'boolean' ? [`--${name}`] : [`--${name}`, '1'];
      for (const shell of shells) {
        const { values, problems } = readFlags(argv, shell);
        const unknown = problems.includes(`unknown flag --${name}`);
        if ((def.in as readonly Shell[]).includes(shell)) {
          assert.ok(!unknown, `${shell} accepts --${name}`);
          assert.ok(
            name in values || problems.some((p) => p.startsWith(`--${name}`)),
            `${shell} reads --${name}`,
          );
        } else if (shell === 'desktop') {
          assert.ok(!(name in values) && !unknown, `the desktop ignores --${name}, as any foreign switch`);
        } else {
          assert.ok(unknown, `${shell} refuses --${name}`);
        }
      }
    }
  });

  it('all the mistakes of a line, in its order; rules across flags last', () => {
    const { problems } = readFlags(
      ['--tunnel-server', 'x', '--wopi-port', 'x', '--bogus', '--folder', folder0(), '--samples'],
      'serve',
    );
    assert.deepEqual(problems, [
      '--tunnel-server: tunnel server URL "x" must be an http:// or https:// URL',
      '--wopi-port must be a whole number; got "x"',
      'unknown flag --bogus',
      '--folder and --samples exclude each other: pick one',
    ]);
  });

  it('help is made from the table: every flag of a command, and only those', () => {
    for (const command of COMMANDS) {
      const help = commandHelp(command);
      const listed = [...help.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
      assert.deepEqual(listed, flagsOf(command), `${command} --help lists its flags in table order`);
      for (const name of flagsOf(command)) {
        assert.ok(synopsis(command).includes(`--${name}`), `the ${command} synopsis names --${name}`);
      }
      assert.ok(usage().includes(synopsis(command)), `--help shows the ${command} synopsis`);
      for (const line of help.split('\n')) assert.ok(line.length <= 112, `${command} help fits: ${line}`);
    }
    assert.match(synopsis('serve'), /serve \[--folder DIR \| --samples\]/);
    assert.match(
      synopsis('serve'),
      /\[--public-url URL \| --tunnel \[--tunnel-server URL\] \[--subdomain NAME\]\]/,
    );
    assert.match(synopsis('token'), /token --data-dir DIR --file RELPATH \[--user PERSONA \[--ad-hoc\]\]/);
    assert.match(
      synopsis('open'),
      /open {2}--data-dir DIR \[--file RELPATH \| --file-id ID \[--token TOKEN\]\]/,
    );
    assert.match(synopsis('serve'), /\[--upstream URL \[--token TOKEN\]\]/);
  });

  it("the README's CLI section shows the synopsis --help prints (flush left)", () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    for (const command of COMMANDS) {
      assert.ok(
        readme.includes(synopsis(command).replace(/^ {2}/gm, '')),
        `README has the ${command} synopsis`,
      );
    }
  });
});

/** Any folder path: the table checks flags, not folders. */
function folder0(): string {
  return path.join(os.tmpdir(), 'docs');
}

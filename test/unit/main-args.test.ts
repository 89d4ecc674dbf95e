import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseDesktopArgs, userArgv } from '../../main/args';
import { buildEngineOptions, dataDirFor, resolveAppPaths } from '../../main/app-paths';

void test('userArgv drops the executable, and the app path when run as `electron .`', () => {
  assert.deepEqual(userArgv(['/opt/WOPI Workbench/wopi-workbench', '--folder', '/d'], false), [
    '--folder',
    '/d',
  ]);
  assert.deepEqual(userArgv(['/x/electron', '.', '--folder', '/d'], true), ['--folder', '/d']);
});

void test('parses every flag in both --flag value and --flag=value forms', () => {
  const { args, errors } = parseDesktopArgs([
    '--folder',
    '/srv/docs',
    '--data-dir=/tmp/data',
    '--user-data-dir',
    '/tmp/ud',
    '--host=0.0.0.0',
    '--wopi-port',
    '8080',
    '--control-port=0',
    '--public-url',
    'https://wopi.example.com',
    '--client=collabora',
    '--discovery-url',
    'http://localhost:9980/hosting/discovery',
    '--proof=report',
    '--tunnel-server',
    'https://lt.example.com',
    '--subdomain=my-host',
  ]);
  assert.deepEqual(errors, []);
  assert.deepEqual(args, {
    folder: '/srv/docs',
    dataDir: '/tmp/data',
    userDataDir: '/tmp/ud',
    host: '0.0.0.0',
    wopiPort: 8080,
    controlPort: 0,
    publicUrl: 'https://wopi.example.com',
    client: 'collabora',
    discoveryUrl: 'http://localhost:9980/hosting/discovery',
    proof: 'report',
    tunnelServer: 'https://lt.example.com',
    subdomain: 'my-host',
  });
});

void test('ignores Chromium switches, including ones that look like they take values', () => {
  const { args, errors } = parseDesktopArgs([
    '--no-sandbox',
    '--enable-logging',
    '--original-process-start-time=1234',
    '--folder',
    '/a',
    '--inspect=9229',
  ]);
  assert.deepEqual(errors, []);
  assert.deepEqual(args, { folder: '/a' });
});

void test('a bare path opens that folder; only the first positional counts', () => {
  assert.equal(parseDesktopArgs(['/home/me/docs', '/other']).args.folder, '/home/me/docs');
  assert.equal(parseDesktopArgs(['--folder', '/x', '/home/me/docs']).args.folder, '/x');
});

void test('bad values are reported with the flag name, not silently dropped', () => {
  const { args, errors } = parseDesktopArgs([
    '--wopi-port',
    '70000',
    '--control-port=abc',
    '--proof',
    'strict',
    '--subdomain=AB',
    '--folder',
  ]);
  assert.deepEqual(args, {});
  assert.equal(errors.length, 5);
  assert.match(errors[0] ?? '', /--wopi-port/);
  assert.match(errors[1] ?? '', /--control-port/);
  assert.match(errors[2] ?? '', /--proof must be enforce, report or off; got "strict"\.$/);
  assert.match(errors[3] ?? '', /--subdomain/);
  assert.match(errors[4] ?? '', /--folder needs a value/);
});

void test('--tunnel is a switch, and excludes --public-url', () => {
  assert.deepEqual(parseDesktopArgs(['--tunnel', '/docs']).args, { tunnel: true, folder: '/docs' });
  assert.deepEqual(parseDesktopArgs(['--no-tunnel']), { args: { tunnel: false }, errors: [] });
  assert.deepEqual(parseDesktopArgs(['--tunnel=false']).errors, [
    '--tunnel takes no value (--no-tunnel turns it off); got "false".',
  ]);
  const both = parseDesktopArgs(['--tunnel', '--public-url', 'https://x.example']);
  assert.deepEqual(both.errors, ['--public-url and --tunnel exclude each other: pick one.']);
});

void test('a flag followed by another flag does not swallow it', () => {
  const { args, errors } = parseDesktopArgs(['--data-dir', '--folder', '/f']);
  assert.deepEqual(args, { folder: '/f' });
  assert.deepEqual(errors, ['--data-dir needs a value.']);
});

void test('the same checks as the CLI: one table, one wording', () => {
  const cases: Array<[string[], string]> = [
    [['--folder', '/a', '--folder', '/b'], '--folder is given twice; keep one.'],
    [['--data-dir='], '--data-dir must not be empty.'],
    [['--wopi-port=-1'], '--wopi-port must be from 0 to 65535; got -1.'],
    [['--control-port', '-1'], '--control-port -1 reads as a flag; write --control-port=-1.'],
    [
      ['--client', 'nope'],
      '--client must be one of office, office-test, collabora, onlyoffice, file, simulator, custom; got "nope".',
    ],
    [
      ['--public-url', 'https://x.example/wopi'],
      '--public-url: public URL "https://x.example/wopi" must not have a path, query or fragment.',
    ],
  ];
  for (const [argv, error] of cases) assert.deepEqual(parseDesktopArgs(argv).errors, [error], argv.join(' '));
});

void test('what only the desktop takes, and what only the CLI takes', () => {
  // The tray opens a tunnel later with these, so they stand without --tunnel (serve refuses that).
  assert.deepEqual(parseDesktopArgs(['--subdomain', 'my-host', '--tunnel-server', 'https://lt.example']), {
    args: { subdomain: 'my-host', tunnelServer: 'https://lt.example' },
    errors: [],
  });
  // A flag of a CLI command is foreign here, like a Chromium switch: ignored, not an error.
  assert.deepEqual(parseDesktopArgs(['--personas', '--json', '--folder=/d']), {
    args: { folder: '/d' },
    errors: [],
  });
});

void test('-- ends the switches: a folder whose name starts with a dash; macOS -psn_ ignored', () => {
  assert.deepEqual(parseDesktopArgs(['-psn_0_12345', '--', '--odd name']).args, { folder: '--odd name' });
  assert.deepEqual(parseDesktopArgs(['--folder=-odd']).args, { folder: '-odd' });
});

void test('app paths: development reads samples from the checkout, packaged from resources', () => {
  const dev = resolveAppPaths({
    appPath: '/repo',
    resourcesPath: '/electron/resources',
    isPackaged: false,
    userData: '/ud',
    mainDir: '/repo/dist/main',
  });
  assert.equal(dev.sampleSource, path.join('/repo', 'assets', 'samples'));
  assert.equal(dev.uiDir, path.join('/repo', 'dist', 'renderer'));
  assert.equal(dev.preload, path.join('/repo/dist/main', 'preload.cjs'));
  const packed = resolveAppPaths({
    appPath: '/opt/app/resources/app.asar',
    resourcesPath: '/opt/app/resources',
    isPackaged: true,
    userData: '/ud',
    mainDir: '/opt/app/resources/app.asar/dist/main',
  });
  assert.equal(packed.sampleSource, path.join('/opt/app/resources', 'samples'));
  assert.equal(packed.uiDir, path.join('/opt/app/resources/app.asar', 'dist', 'renderer'));
  // The served sample copy and the engine data never sit inside each other.
  assert.equal(packed.sampleFolder, path.join('/ud', 'sample-folder'));
  assert.equal(packed.dataRoot, path.join('/ud', 'engine-data'));
  assert.equal(packed.dataDirFixed, false);
});

void test('engine options carry flags through and leave unset ones to the engine defaults', () => {
  const paths = resolveAppPaths(
    { appPath: '/repo', resourcesPath: '/r', isPackaged: false, userData: '/ud', mainDir: '/repo/dist/main' },
    '/custom/data',
  );
  const minimal = buildEngineOptions('/docs', {}, paths);
  assert.deepEqual(minimal, {
    folder: path.resolve('/docs'),
    dataDir: path.resolve('/custom/data'),
    uiDir: path.join('/repo', 'dist', 'renderer'),
  });
  const full = buildEngineOptions(
    '/docs',
    { proof: 'off', subdomain: 'abcd', wopiPort: 0, client: 'collabora' },
    paths,
  );
  assert.equal(full.proofMode, 'off');
  assert.equal(full.clientProfile, 'collabora');
  assert.equal(full.wopiPort, 0);
  assert.equal('tunnel' in full, false, 'no tunnel at start unless --tunnel');
  assert.equal('host' in full, false);
  const tunnelled = buildEngineOptions('/docs', { tunnel: true, subdomain: 'abcd' }, paths);
  assert.deepEqual(tunnelled.tunnel, { subdomain: 'abcd' });
});

void test('each folder gets its own data dir under userData; --data-dir is used as given', () => {
  const loc = {
    appPath: '/repo',
    resourcesPath: '/r',
    isPackaged: false,
    userData: '/ud',
    mainDir: '/repo/dist/main',
  };
  const paths = resolveAppPaths(loc);
  const a = dataDirFor('/srv/Docs', paths);
  const b = dataDirFor('/home/me/Docs', paths);
  assert.equal(path.dirname(a), path.join('/ud', 'engine-data'));
  assert.match(path.basename(a), /^Docs-[0-9a-f]{12}$/);
  assert.notEqual(a, b, 'same name, different folders');
  assert.equal(dataDirFor('/srv/Docs/', paths), a, 'stable for the same folder');
  assert.equal(dataDirFor('/srv/Docs', resolveAppPaths(loc, '/fixed')), path.resolve('/fixed'));
});

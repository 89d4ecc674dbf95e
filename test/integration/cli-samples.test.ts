// `serve --samples` (what `npm start` runs headless): the bundled samples are served from a copy in
// the data dir, so a save never changes the repository's assets/samples; the copy is made once and
// the person's edits in it survive the next start.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliToken, repoRoot, runCli, spawnServeWith } from '../helpers/cli-process';
import { sha256 } from '../helpers/hash';
import { expectStatus, lock, putFile, unlock } from '../helpers/wopi-client';

const SAMPLES = path.join(repoRoot, 'assets', 'samples');
const EDITED = Buffer.from('saved through WOPI by the test');

const serveSamples = (dataDir: string) => spawnServeWith(['--samples', '--data-dir', dataDir]);

describe('serve --samples', () => {
  let root = '';
  let originals: Map<string, string>;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wb-samples-run-'));
    originals = new Map();
    for (const name of await readdir(SAMPLES)) {
      originals.set(name, sha256(await readFile(path.join(SAMPLES, name))));
    }
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('serves a copy in the data dir; a save changes the copy, never assets/samples; the edit survives a restart', async () => {
    const dataDir = path.join(root, 'data');
    const copy = path.join(dataDir, 'sample-folder');
    const first = await serveSamples(dataDir);
    try {
      assert.equal(first.ready.folder, copy, 'ready names where the copy lives');
      assert.equal(first.ready.sampleCopy, true);
      assert.deepEqual((await readdir(copy)).sort(), [...originals.keys()].sort());

      const t = await cliToken(dataDir, 'sample.docx');
      const target = { wopiSrc: `${first.ready.wopiUrl}/wopi/files/${t.id}`, accessToken: t.accessToken };
      expectStatus(await lock(target, 'L-samples'), 200);
      expectStatus(await putFile(target, EDITED, { lock: 'L-samples' }), 200);
      expectStatus(await unlock(target, 'L-samples'), 200);
    } finally {
      first.kill('SIGTERM');
      await first.exitWithin();
    }
    assert.deepEqual(await readFile(path.join(copy, 'sample.docx')), EDITED, 'the copy holds the save');
    for (const [name, hash] of originals) {
      assert.equal(
        sha256(await readFile(path.join(SAMPLES, name))),
        hash,
        `assets/samples/${name} unchanged`,
      );
    }

    const second = await serveSamples(dataDir);
    try {
      assert.deepEqual(await readFile(path.join(copy, 'sample.docx')), EDITED, 'a restart keeps the edit');
    } finally {
      second.kill('SIGTERM');
      await second.exitWithin();
    }
  });

  it('serve with no folder at all serves the sample copy too (a first run has something to open)', async () => {
    const dataDir = path.join(root, 'data-bare');
    const run = await spawnServeWith(['--data-dir', dataDir]);
    try {
      assert.equal(run.ready.folder, path.join(dataDir, 'sample-folder'));
      assert.equal(run.ready.sampleCopy, true);
      const t = await cliToken(dataDir, 'sample.docx');
      const info = await fetch(`${run.ready.wopiUrl}/wopi/files/${t.id}?access_token=${t.accessToken}`);
      assert.equal(info.status, 200);
    } finally {
      run.kill('SIGTERM');
      await run.exitWithin();
    }
  });

  it('a bad flag is refused before any copy is made', async () => {
    const r = await runCli(['serve', '--samples', '--data-dir', path.join(root, 'data-bad'), '--bogus']);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(!(await readdir(root)).includes('data-bad'), 'no data dir, no copy');
  });
});

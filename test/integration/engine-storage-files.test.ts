// Storage behaviour of the engine (DESIGN "Data safety"), which files are served under which id: stable
// ids across restarts and renames, outside edits, new and deleted files, and the names never served.
// In-process createWorkbench on port 0, real files and SQLite.
import assert from 'node:assert/strict';
import { rename, rm, unlink, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli-process';
import { engineForSuite, makeRoot, nextEvent, startEngine } from '../helpers/engine-fixture';
import { sha256b64 } from '../helpers/hash';
import { checkFileInfo, expectStatus, getFile, lock, renameFile } from '../helpers/wopi-client';

describe('file ids', () => {
  it('are stable across restarts and across WOPI RenameFile', async () => {
    const root = await makeRoot('wb-storage-', { 'a.docx': 'A', 'sub/dir/b.xlsx': 'B', 'c.pptx': 'C' });
    try {
      const first = await startEngine(root);
      const ids = new Map((await first.engine.index.list()).map((f) => [f.path, f.id]));
      assert.equal(ids.size, 3);
      assert.ok(
        [...ids.values()].every((id) => /^[A-Za-z0-9]+$/.test(id)),
        'ids are URL-safe alphanumerics',
      );
      const token = first.target(ids.get('a.docx')!);
      const renamed = await renameFile(token, 'a-renamed');
      expectStatus(renamed, 200);
      assert.equal(
        (await checkFileInfo(token)).json()['BaseFileName'],
        'a-renamed.docx',
        'same id, new name',
      );
      await first.stop();

      const second = await startEngine(root);
      try {
        const after = new Map((await second.engine.index.list()).map((f) => [f.path, f.id]));
        assert.deepEqual(
          after,
          new Map([
            ['a-renamed.docx', ids.get('a.docx')],
            ['c.pptx', ids.get('c.pptx')],
            ['sub/dir/b.xlsx', ids.get('sub/dir/b.xlsx')],
          ]),
        );
        const info = await checkFileInfo(second.target(ids.get('a.docx')!));
        expectStatus(info, 200);
        assert.equal(info.json()['BaseFileName'], 'a-renamed.docx');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('outside edits, new and deleted files', () => {
  const b = engineForSuite(
    'wb-storage-',
    { 'doc.docx': 'version one', 'gone.docx': 'soon deleted' },
    { watch: true },
  );

  it('an outside edit gives a new Version and SHA256 in CheckFileInfo, and GetFile serves the new bytes', async () => {
    const t = b.target(await b.idOf('doc.docx'));
    const before = (await checkFileInfo(t)).json();
    assert.equal(before['SHA256'], sha256b64('version one'));

    // In place, different size.
    await writeFile(b.abs('doc.docx'), 'version two, edited outside');
    const mid = (await checkFileInfo(t)).json();
    assert.notEqual(mid['Version'], before['Version']);
    assert.equal(mid['SHA256'], sha256b64('version two, edited outside'));
    assert.equal(mid['Size'], Buffer.byteLength('version two, edited outside'));

    // Editor style: write a temp file, rename over (same size, new inode).
    await writeFile(b.abs('doc.tmp'), 'version 3!!, edited outside');
    await rename(b.abs('doc.tmp'), b.abs('doc.docx'));
    const last = (await checkFileInfo(t)).json();
    assert.notEqual(last['Version'], mid['Version']);
    assert.equal(last['SHA256'], sha256b64('version 3!!, edited outside'));
    const body = await getFile(t);
    assert.equal(body.text, 'version 3!!, edited outside');
    assert.equal(body.header('X-WOPI-ItemVersion'), last['Version']);
  });

  it('a new file appears (watcher, index, token command) and works over WOPI', async () => {
    const added = nextEvent(b.engine, 'file:added', (f) => f.path === 'new.docx');
    await writeFile(b.abs('new.docx'), 'brand new');
    const ev = await added;
    assert.equal(await b.idOf('new.docx'), ev.data.id);

    // The token command (another process, same data dir) finds it too, and its token works here.
    await writeFile(b.abs('later.xlsx'), 'added while running');
    const out = await runCli(['token', '--data-dir', b.dataDir, '--file', 'later.xlsx', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const grant = JSON.parse(out.stdout.trim()) as { wopiSrc: string; accessToken: string };
    const info = await checkFileInfo({ wopiSrc: grant.wopiSrc, accessToken: grant.accessToken });
    expectStatus(info, 200);
    assert.equal(info.json()['BaseFileName'], 'later.xlsx');
    assert.equal(info.json()['Size'], Buffer.byteLength('added while running'));
  });

  it('a deleted file goes: 404 on every operation, and out of the index', async () => {
    const id = await b.idOf('gone.docx');
    const t = b.target(id);
    expectStatus(await checkFileInfo(t), 200);
    const removed = nextEvent(b.engine, 'file:removed', (f) => f.fileId === id);
    await unlink(b.abs('gone.docx'));
    expectStatus(await checkFileInfo(t), 404, 'CheckFileInfo after delete');
    expectStatus(await getFile(t), 404, 'GetFile after delete');
    expectStatus(await lock(t, 'L'), 404, 'Lock after delete');
    await removed;
    assert.ok(!(await b.engine.index.list()).some((f) => f.id === id));
  });
});

describe('names that are never served', () => {
  const hidden = [
    '~$report.docx',
    '.~lock.report.docx#',
    '.hidden.docx',
    '.git/config',
    'notes.docx~',
    'x.tmp',
  ];
  const files: Record<string, string> = { 'report.docx': 'real' };
  for (const h of hidden) files[h] = `do not serve ${h}`;
  const b = engineForSuite('wb-storage-', files, { watch: true });

  it('editor temp files, lock files, dotfiles and dot-folders are not indexed at start', async () => {
    assert.deepEqual(
      (await b.engine.index.list()).map((f) => f.path),
      ['report.docx'],
    );
  });

  it('nor when they appear while running', async () => {
    const seen = nextEvent(b.engine, 'file:added', (f) => f.path === 'marker.docx');
    await writeFile(b.abs('~$marker.docx'), 'owner file');
    await writeFile(b.abs('.~lock.marker.docx#'), 'lo lock');
    await writeFile(b.abs('.secret.docx'), 'dot');
    await writeFile(b.abs('marker.docx'), 'visible');
    await seen;
    // The watcher processes events in order of arrival; the marker came last.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      (await b.engine.index.list()).map((f) => f.path),
      ['marker.docx', 'report.docx'],
    );
  });

  it('the index refuses them by name, and so does the token command', async () => {
    for (const rel of hidden) assert.equal(await b.engine.index.ensure(rel), null, rel);
    const out = await runCli(['token', '--data-dir', b.dataDir, '--file', '~$report.docx', '--json']);
    assert.notEqual(out.code, 0, `token for ~$report.docx should fail: ${out.stdout}`);
    assert.match(out.stderr, /not a file served/);
  });
});

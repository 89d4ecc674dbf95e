// Concurrency on one file (issue 9): every answer is the protocol status the state at the request's turn
// calls for (200, 404, 409), never a 500; no operation waits on another client's upload; a body that stops
// arriving is cut (408) with the file untouched; and a refresh racing a write neither counts that write
// twice nor reports it as an outside edit. In-process createWorkbench on port 0, real files and SQLite.
import assert from 'node:assert/strict';
import http from 'node:http';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { EventEnvelope } from '../../server/contracts/events';
import { stageBuffer } from '../../server/storage/atomic-write';
import type { FreshFile } from '../../server/storage/file-index';
import { TEMP_PREFIX } from '../../server/storage/paths';
import type { WopiContext } from '../../server/wopi/context';
import { getFile } from '../../server/wopi/file-contents';
import { WopiHeader } from '../../server/protocol/headers';
import { engineForSuite, uniqueName as uniq } from '../helpers/engine-fixture';
import type { EngineBench } from '../helpers/engine-fixture';
import {
  checkFileInfo,
  deleteFile,
  expectLockMismatch,
  expectStatus,
  getLock,
  lock,
  putFile,
  putRelativeFile,
  renameFile,
  unlock,
  wopiUrl,
} from '../helpers/wopi-client';
import type { WopiTarget } from '../helpers/wopi-client';
import { expectBaseFileName, expectContent } from '../helpers/wopi-expect';

const CONTENT = Buffer.from('the bytes the person had\n');
const WAIT_MS = 10_000;

/** Polls `check` until it holds (bounded): for states the server reaches on its own, not for timing. */
async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const tempFiles = async (dir: string): Promise<string[]> =>
  (await readdir(dir)).filter((n) => n.startsWith(TEMP_PREFIX));

interface OpenUpload {
  req: http.ClientRequest;
  /** Status and x-request-id once the server answers (or the error if the connection dies). */
  result: Promise<{ status: number; requestId: string | undefined } | Error>;
}

/** A POST whose body the test writes by hand: headers go out at once, the body when the test says. */
function openUpload(
  target: WopiTarget,
  suffix: string,
  override: string,
  headers: Record<string, string>,
  size: number,
): OpenUpload {
  const req = http.request(wopiUrl(target, suffix), {
    method: 'POST',
    headers: { 'X-WOPI-Override': override, 'Content-Length': String(size), ...headers },
  });
  const result = new Promise<{ status: number; requestId: string | undefined } | Error>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      const requestId = res.headers['x-request-id'] as string | undefined;
      res.on('end', () => resolve({ status: res.statusCode ?? 0, requestId }));
      res.on('error', resolve);
    });
    req.on('error', resolve);
  });
  req.flushHeaders();
  return { req, result };
}

async function statusOf(u: OpenUpload): Promise<number> {
  const r = await u.result;
  assert.ok(!(r instanceof Error), `the upload got no answer: ${r instanceof Error ? r.message : ''}`);
  return r.status;
}

/** The file:changed events of one file, collected while `run` runs. */
async function changesDuring(
  b: EngineBench,
  fileId: string,
  run: () => Promise<void>,
): Promise<EventEnvelope<'file:changed'>[]> {
  const seen: EventEnvelope<'file:changed'>[] = [];
  const off = b.engine.bus.on('file:changed', (e) => {
    if (e.data.id === fileId) seen.push(e);
  });
  try {
    await run();
  } finally {
    off();
  }
  return seen;
}

describe('concurrent mutations of one file are serialised and decided at their turn', () => {
  const b = engineForSuite('wb-conc-');

  it('four RenameFile calls at once: each 200, the file ends under one of the names, bytes and id kept', async () => {
    const t = await b.file(uniq('four'), CONTENT);
    const names = [1, 2, 3, 4].map((i) => uniq(`renamed-${i}`, ''));
    const answers = await Promise.all(names.map((n) => renameFile(t, n)));
    for (const res of answers) expectStatus(res, 200, 'concurrent RenameFile');
    const final = b.engine.files.get(t.id)!.path;
    assert.ok(
      names.some((n) => final === `${n}.docx`),
      `ends under a requested name, not ${final}`,
    );
    const docs = (await readdir(b.folder)).filter((n) => n.startsWith('renamed-'));
    assert.deepEqual(docs, [final], 'exactly one name on disk, no copy left behind');
    await expectContent(t, CONTENT, 'after the renames');
    await expectBaseFileName(t, final, 'same id, final name');
  });

  it('RenameFile, DeleteFile and RenameFile at once: 200 or 404 as their turn finds the file, never 5xx', async () => {
    const t = await b.file(uniq('race'), CONTENT);
    const [r1, del, r2] = await Promise.all([
      renameFile(t, uniq('race-a', '')),
      deleteFile(t),
      renameFile(t, uniq('race-b', '')),
    ]);
    expectStatus(del, 200, 'DeleteFile');
    // Queue order is arrival order; whichever rename came after the delete finds no file.
    for (const r of [r1, r2]) expectStatus(r, [200, 404], 'RenameFile racing a delete');
    expectStatus(await checkFileInfo(t), 404, 'the file is gone');
    assert.deepEqual(
      (await readdir(b.folder)).filter((n) => n.startsWith('race')),
      [],
      'no name left on disk',
    );
  });

  it('RenameFile calls with the lock while another client locks and unlocks: 200 or 409, never 5xx', async () => {
    const t = await b.file(uniq('locky'), CONTENT);
    expectStatus(await lock(t, 'L1'), 200);
    const answers = await Promise.all([
      renameFile(t, uniq('l-a', ''), { lock: 'L1' }),
      unlock(t, 'L1'),
      renameFile(t, uniq('l-b', ''), { lock: 'L1' }),
      lock(t, 'L2'),
      renameFile(t, uniq('l-c', ''), { lock: 'L1' }),
    ]);
    for (const res of answers) expectStatus(res, [200, 409], 'lock and rename race');
    await expectContent(t, CONTENT, 'after the race');
  });

  it('PutRelativeFile overwriting one target three times at once, while it is renamed: no 5xx, no bytes lost', async () => {
    const src = await b.file(uniq('prf-src'), CONTENT);
    const targetName = uniq('prf-target');
    const target = await b.file(targetName, CONTENT);
    const bodies = ['one', 'two', 'three'];
    const [rename, ...puts] = await Promise.all([
      renameFile(target, uniq('prf-moved', '')),
      ...bodies.map((body) =>
        putRelativeFile(src, body, { relativeTarget: targetName, overwriteRelativeTarget: true }),
      ),
    ]);
    expectStatus(rename, 200, 'RenameFile of the target');
    for (const res of puts) expectStatus(res, [200, 409], 'PutRelativeFile with overwrite');
    const at = await readFile(b.abs(targetName), 'utf8').catch(() => null);
    assert.ok(at === null || bodies.includes(at), `the target name holds one of the bodies, not ${at}`);
    await expectContent(target, CONTENT, 'the renamed file keeps its bytes');
    assert.deepEqual(await tempFiles(b.folder), [], 'no temp file left');
  });
});

describe('no operation waits on another client’s upload', () => {
  const b = engineForSuite('wb-conc-upload-');

  it('DeleteFile and RenameFile answer while a locked PutFile body is still arriving; the save then commits', async () => {
    const rel = uniq('slow');
    const t = await b.file(rel, CONTENT);
    expectStatus(await lock(t, 'L1'), 200);
    const next = Buffer.from('the new content, sent slowly');
    const upload = openUpload(t, '/contents', 'PUT', { 'X-WOPI-Lock': 'L1' }, next.length);
    upload.req.write(next.subarray(0, 5));
    // The server is reading this body now (its temp file exists): before the fix it held the file's queue.
    await until('the PutFile body is being staged', async () => (await tempFiles(b.folder)).length === 1);

    expectLockMismatch(await deleteFile(t), 'L1', 'DeleteFile during the upload');
    const renamed = uniq('slow-renamed', '');
    expectStatus(await renameFile(t, renamed, { lock: 'L1' }), 200, 'RenameFile during the upload');
    expectStatus(await getLock(t), 200, 'GetLock during the upload');

    upload.req.end(next.subarray(5));
    assert.equal(await statusOf(upload), 200, 'the PutFile commits after all');
    assert.equal(b.engine.files.get(t.id)!.path, `${renamed}.docx`);
    assert.deepEqual(await readFile(b.abs(`${renamed}.docx`)), next, 'saved under the new name');
    assert.deepEqual(await tempFiles(b.folder), []);
  });

  it('a PutFile whose file was deleted while its body arrived: 404, nothing re-created', async () => {
    const t = await b.file(uniq('gone-during'), Buffer.alloc(0)); // unlocked and empty: create-new flow
    const upload = openUpload(t, '/contents', 'PUT', {}, 10);
    upload.req.write('12345');
    await until('the PutFile body is being staged', async () => (await tempFiles(b.folder)).length === 1);
    expectStatus(await deleteFile(t), 200, 'DeleteFile during the upload');
    upload.req.end('67890');
    assert.equal(await statusOf(upload), 404);
    assert.deepEqual(await tempFiles(b.folder), []);
    expectStatus(await checkFileInfo(t), 404);
  });
});

describe('a body that stops arriving is cut after bodyIdleTimeoutMs', () => {
  const IDLE_MS = 1000;
  const b = engineForSuite('wb-conc-idle-', {}, { bodyIdleTimeoutMs: IDLE_MS });

  it('PutFile: 408, the file untouched, no temp file left, and other clients carry on', async () => {
    const rel = uniq('stall');
    const t = await b.file(rel, CONTENT);
    expectStatus(await lock(t, 'L1'), 200);
    const upload = openUpload(t, '/contents', 'PUT', { 'X-WOPI-Lock': 'L1' }, 100);
    upload.req.write('only the start of the body');
    const r = await upload.result;
    upload.req.destroy();
    assert.ok(!(r instanceof Error), 'the server answers the stalled client');
    assert.equal(r.status, 408);
    const id = r.requestId;
    assert.ok(id, 'the answer carries x-request-id');
    let rec = b.engine.requestLog.get(id);
    await until('the request is logged', () => (rec = b.engine.requestLog.get(id)) !== undefined);
    assert.ok(rec);
    assert.equal(rec.status, 408);
    assert.match(rec.why ?? '', /bodyIdleTimeoutMs/, 'the record names the setting');
    assert.deepEqual(await readFile(t.abs), CONTENT, 'file untouched');
    assert.deepEqual(await tempFiles(b.folder), []);
    // The same file takes a save from a well-behaved client right after.
    expectStatus(await putFile(t, 'next', { lock: 'L1' }), 200);
  });

  it('PutRelativeFile and PutUserInfo: 408, nothing created or stored', async () => {
    const src = await b.file(uniq('stall-src'), CONTENT);
    const before = (await readdir(b.folder)).sort();
    const name = uniq('never');
    const prf = openUpload(src, '', 'PUT_RELATIVE', { 'X-WOPI-RelativeTarget': name }, 50);
    prf.req.write('part');
    const info = openUpload(src, '', 'PUT_USER_INFO', {}, 50);
    info.req.write('part');
    assert.equal(await statusOf(prf), 408);
    assert.equal(await statusOf(info), 408);
    prf.req.destroy();
    info.req.destroy();
    assert.deepEqual((await readdir(b.folder)).sort(), before, 'no file created');
    const cfi = (await checkFileInfo(src)).json();
    assert.equal(cfi['UserInfo'], undefined, 'no UserInfo stored');
  });

  it('an upload that keeps arriving, slower than the limit in total, is not cut', async () => {
    const t = await b.file(uniq('steady'), CONTENT);
    expectStatus(await lock(t, 'L1'), 200);
    const parts = ['a', 'b', 'c', 'd', 'e', 'f'];
    const upload = openUpload(t, '/contents', 'PUT', { 'X-WOPI-Lock': 'L1' }, parts.length);
    // Each gap a quarter of the idle limit; together longer than it.
    for (const p of parts.slice(0, -1)) {
      upload.req.write(p);
      await new Promise((r) => setTimeout(r, IDLE_MS / 4));
    }
    upload.req.end(parts.at(-1));
    assert.equal(await statusOf(upload), 200);
    assert.equal(await readFile(t.abs, 'utf8'), parts.join(''));
  });
});

describe('a refresh racing a write', () => {
  const b = engineForSuite('wb-conc-refresh-');

  it('a refresh that read the row before a PutFile committed neither bumps Version again nor reports an outside edit', async () => {
    const t = await b.file(uniq('cas'), CONTENT);
    expectStatus(await lock(t, 'L1'), 200);
    const before = b.engine.files.get(t.id)!; // what a CheckFileInfo read just before the save
    let version = '';
    const events = await changesDuring(b, t.id, async () => {
      const res = await putFile(t, 'saved through WOPI', { lock: 'L1' });
      expectStatus(res, 200);
      version = res.header('X-WOPI-ItemVersion')!;
      // ...and only now gets to compare that row with the disk.
      await b.engine.index.refresh(before);
    });
    assert.equal(String(b.engine.files.get(t.id)!.version), version, 'one save, one version');
    assert.deepEqual(
      events.map((e) => e.data.cause),
      ['wopi-put'],
    );
    const info = (await checkFileInfo(t)).json();
    assert.equal(info['Version'], version);
  });

  it('a refresh between the commit and its record does not count the write (the writer does)', async () => {
    const t = await b.file(uniq('mid'), CONTENT);
    const fresh = (await b.engine.index.resolve(t.id))!;
    const v0 = fresh.row.version;
    const staged = await stageBuffer(path.dirname(fresh.abs), Buffer.from('new bytes'));
    const events = await changesDuring(b, t.id, async () => {
      await b.engine.index.replace(
        fresh.row,
        fresh.abs,
        {
          ...staged,
          // The new bytes are in place; a CheckFileInfo resolves the file before the writer records them.
          commit: async (target) => {
            await staged.commit(target);
            await b.engine.index.resolve(t.id);
          },
        },
        'put',
        'wopi-put',
      );
    });
    assert.equal(b.engine.files.get(t.id)!.version, v0 + 1);
    assert.deepEqual(
      events.map((e) => e.data.cause),
      ['wopi-put'],
    );
  });

  it('a refresh holding the row from before a RenameFile does not make the renamed file disappear', async () => {
    const t = await b.file(uniq('moved'), CONTENT);
    const before = b.engine.files.get(t.id)!;
    const removed: unknown[] = [];
    const off = b.engine.bus.on('file:removed', (e) => removed.push(e.data));
    try {
      const name = uniq('moved-to', '');
      expectStatus(await renameFile(t, name), 200);
      const seen = await b.engine.index.refresh(before);
      assert.equal(seen?.row.path, `${name}.docx`, 'the refresh finds the file under its new name');
      await expectBaseFileName(t, `${name}.docx`, 'still served after the stale refresh');
    } finally {
      off();
    }
    assert.deepEqual(removed, [], 'no file:removed for a rename');
  });

  it('a refresh holding the row from before a RenameFile does not take in a new file at the old name', async () => {
    const rel = uniq('reused');
    const t = await b.file(rel, CONTENT);
    const before = b.engine.files.get(t.id)!;
    const name = uniq('reused-to', '');
    expectStatus(await renameFile(t, name), 200);
    await writeFile(t.abs, 'another file, put where the renamed one was');
    await b.engine.index.refresh(before);
    const row = b.engine.files.get(t.id)!;
    assert.equal(row.path, `${name}.docx`);
    assert.equal(row.sha256, before.sha256, 'the renamed file keeps its own hash');
    assert.equal(row.version, before.version);
    await expectContent(t, CONTENT, 'the id still serves the renamed file');
  });

  it('two refreshes of one outside edit count it once', async () => {
    const t = await b.file(uniq('twice'), CONTENT);
    const row = b.engine.files.get(t.id)!;
    await writeFile(t.abs, 'edited outside, a different length');
    const events = await changesDuring(b, t.id, async () => {
      await Promise.all([b.engine.index.refresh(row), b.engine.index.refresh(row)]);
    });
    assert.equal(b.engine.files.get(t.id)!.version, row.version + 1);
    assert.equal(events.length, 1);
  });
});

describe('GetFile racing a save: X-WOPI-ItemVersion describes the bytes sent', () => {
  const b = engineForSuite('wb-conc-getfile-');

  /** GetFile as the listener runs it, for a file resolved at `file` (when the request arrived). */
  const getFileFrom = async (file: FreshFile): Promise<{ version?: string; bytes: string }> => {
    const ctx = {
      req: { headers: {} },
      deps: { index: b.engine.index },
      notes: {},
      file,
    } as unknown as WopiContext;
    const o = await getFile(ctx);
    assert.equal(o.kind, 'ok');
    assert.ok(o.kind === 'ok' && o.body);
    try {
      return {
        version: o.headers?.[WopiHeader.itemVersion],
        bytes: (await o.body.handle.readFile()).toString(),
      };
    } finally {
      await o.body.handle.close();
    }
  };

  it('a GetFile whose file was resolved before a PutFile committed sends the new bytes with the new version', async () => {
    const t = await b.file(uniq('get-race'), CONTENT);
    expectStatus(await lock(t, 'L1'), 200);
    const resolved = (await b.engine.index.resolve(t.id))!; // the GetFile arrives...
    const res = await putFile(t, 'saved meanwhile', { lock: 'L1' }); // ...a save lands...
    expectStatus(res, 200);
    const got = await getFileFrom(resolved); // ...and only then does it open the file.
    assert.deepEqual(got, { version: res.header('X-WOPI-ItemVersion'), bytes: 'saved meanwhile' });
  });

  it('a GetFile opening the file between a commit and its record waits for the record, not for an upload', async () => {
    const t = await b.file(uniq('get-mid'), CONTENT);
    const fresh = (await b.engine.index.resolve(t.id))!;
    const staged = await stageBuffer(path.dirname(fresh.abs), Buffer.from('new bytes'));
    let read: Promise<{ version?: string; bytes: string }> | undefined;
    // As PutFile commits: in the file's writer queue (its body was staged before).
    const updated = await b.engine.index.exclusive(t.id, () =>
      b.engine.index.replace(
        fresh.row,
        fresh.abs,
        {
          ...staged,
          commit: async (target) => {
            await staged.commit(target);
            read = getFileFrom(fresh); // the new bytes are in place, not yet recorded
          },
        },
        'put',
        'wopi-put',
      ),
    );
    assert.ok(read);
    assert.deepEqual(await read, { version: String(updated.version), bytes: 'new bytes' });
  });
});

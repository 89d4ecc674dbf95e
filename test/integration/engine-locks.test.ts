// Lock semantics of the engine over real HTTP (PROTOCOL §5): every row of the §5.3 decision table,
// expiry on an injected clock, persistence across a restart, cross-user operations and racing Locks.
// In-process createWorkbench on port 0, temp folder, real SQLite file.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createWorkbench } from '../../server/engine';
import type { Engine } from '../../server/engine';
import type { WorkbenchOptions } from '../../server/config/options';
import {
  checkFileInfo,
  deleteFile,
  expectHeader,
  expectLockMismatch,
  expectNonEmptyHeader,
  expectStatus,
  getFile,
  getLock,
  lock,
  putFile,
  putRelativeFile,
  putUserInfo,
  refreshLock,
  renameFile,
  unlock,
  unlockAndRelock,
} from '../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../helpers/wopi-client';

const MINUTE = 60_000;
const LOCK_MS = 30 * MINUTE;

/** A settable clock: the engine reads time only through it. */
function manualClock(start = Date.now()) {
  let t = start;
  return {
    now: (): number => t,
    advance(ms: number): void {
      t += ms;
    },
  };
}

interface Bench {
  engine: Engine;
  root: string;
  folder: string;
  dataDir: string;
  /** Write a file into the served folder and return an edit token for it (default persona). */
  file(
    rel: string,
    content: Buffer | string,
    user?: string,
  ): Promise<WopiTarget & { id: string; abs: string }>;
  target(id: string, user?: string, permissions?: 'view' | 'edit'): WopiTarget;
  close(): Promise<void>;
}

async function startBench(extra: Partial<WorkbenchOptions> = {}, reuse?: { root: string }): Promise<Bench> {
  const root = reuse?.root ?? (await mkdtemp(path.join(tmpdir(), 'wb-locks-')));
  const folder = path.join(root, 'folder');
  const dataDir = path.join(root, 'data');
  await mkdir(folder, { recursive: true });
  const engine = createWorkbench({ folder, dataDir, watch: false, ...extra });
  await engine.start();
  const target = (id: string, user?: string, permissions?: 'view' | 'edit'): WopiTarget => {
    const g = engine.mintToken(id, user, permissions);
    return { wopiSrc: g.wopiSrc, accessToken: g.accessToken };
  };
  return {
    engine,
    root,
    folder,
    dataDir,
    target,
    async file(rel, content, user) {
      const abs = path.join(folder, ...rel.split('/'));
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
      const fresh = await engine.index.ensure(rel);
      assert.ok(fresh, `${rel} should be served`);
      return { ...target(fresh.row.id, user), id: fresh.row.id, abs };
    },
    close: () => engine.stop(),
  };
}

/** A 200 that is not GetLock must not carry X-WOPI-Lock (PROTOCOL §5.2). */
function expectOkWithoutLock(res: WopiResponse, what: string): void {
  expectStatus(res, 200, what);
  assert.equal(
    res.header('X-WOPI-Lock'),
    undefined,
    `${what}: X-WOPI-Lock must not be sent on a 200\n${res.describe()}`,
  );
}

async function currentLock(t: WopiTarget): Promise<string> {
  const res = await getLock(t);
  expectStatus(res, 200, 'GetLock');
  const v = res.header('X-WOPI-Lock');
  assert.ok(v !== undefined, `GetLock must always carry X-WOPI-Lock\n${res.describe()}`);
  return v;
}

let n = 0;
const uniq = (stem: string, ext = '.docx'): string => `${stem}-${++n}${ext}`;
const CONTENT = Buffer.from('original bytes of the document\n');

describe('PROTOCOL §5.3 decision table over HTTP', () => {
  let b: Bench;
  before(async () => {
    b = await startBench();
  });
  after(async () => {
    await b?.close();
    if (b) await rm(b.root, { recursive: true, force: true });
  });

  describe('Lock', () => {
    it('unlocked: takes the lock, 200 without X-WOPI-Lock', async () => {
      const t = await b.file(uniq('lock'), CONTENT);
      const res = await lock(t, 'L1');
      expectOkWithoutLock(res, 'Lock on an unlocked file');
      expectNonEmptyHeader(res, 'X-WOPI-ItemVersion', 'Lock');
      assert.equal(await currentLock(t), 'L1');
    });

    it('locked, same id: refreshes (expiry moves on), 200', async () => {
      const clock = manualClock();
      const own = await startBench({ clock: clock.now });
      try {
        const t = await own.file('same.docx', CONTENT);
        expectOkWithoutLock(await lock(t, 'L1'), 'first Lock');
        const first = own.engine.locks.current(t.id)!;
        clock.advance(10 * MINUTE);
        expectOkWithoutLock(await lock(t, 'L1'), 'Lock again with the same id');
        const second = own.engine.locks.current(t.id)!;
        assert.equal(second.lockId, 'L1');
        assert.equal(
          second.expiresAt,
          first.expiresAt + 10 * MINUTE,
          'a same-id Lock resets the 30-minute timer',
        );
      } finally {
        await own.close();
        await rm(own.root, { recursive: true, force: true });
      }
    });

    it('locked, different id: 409 with the current lock, lock unchanged', async () => {
      const t = await b.file(uniq('lock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await lock(t, 'L2'), 'L1', 'Lock with another id');
      assert.equal(await currentLock(t), 'L1');
    });

    it('ids are opaque exact strings: case and JSON fields all count', async () => {
      const t = await b.file(uniq('lock'), CONTENT);
      const office = '{"S":"0136ad16-9725-43c3-9ea0-5e01d2dbc162","F":1,"E":2}';
      expectOkWithoutLock(await lock(t, office), 'Lock with a JSON-looking id');
      // Same "S" field, other fields differ: still another lock (PITFALLS §12).
      expectLockMismatch(await unlock(t, office.replace('"F":1', '"F":4')), office, 'Unlock, same S');
      expectLockMismatch(await unlock(t, office.toUpperCase()), office, 'Unlock, other case');
      expectOkWithoutLock(await unlock(t, office), 'Unlock with the exact id');
    });

    it('X-WOPI-Lock missing, empty or longer than 1024 characters: 400, nothing locked', async () => {
      const t = await b.file(uniq('lock'), CONTENT);
      expectStatus(await lock(t, undefined), 400, 'Lock without X-WOPI-Lock');
      expectStatus(await lock(t, ''), 400, 'Lock with an empty X-WOPI-Lock');
      expectStatus(await lock(t, 'x'.repeat(1025)), 400, 'Lock with a 1025-character id');
      assert.equal(await currentLock(t), '');
      expectOkWithoutLock(await lock(t, 'x'.repeat(1024)), 'Lock with a 1024-character id');
      assert.equal(await currentLock(t), 'x'.repeat(1024));
    });
  });

  describe('RefreshLock', () => {
    it('unlocked: 409 with X-WOPI-Lock present and empty, nothing locked', async () => {
      const t = await b.file(uniq('refresh'), CONTENT);
      expectLockMismatch(await refreshLock(t, 'L1'), '', 'RefreshLock on an unlocked file');
      assert.equal(await currentLock(t), '');
    });

    it('locked, same id: refreshes, 200 without X-WOPI-Lock', async () => {
      const clock = manualClock();
      const own = await startBench({ clock: clock.now });
      try {
        const t = await own.file('refresh.docx', CONTENT);
        expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
        const before = own.engine.locks.current(t.id)!;
        clock.advance(25 * MINUTE);
        expectOkWithoutLock(await refreshLock(t, 'L1'), 'RefreshLock');
        assert.equal(own.engine.locks.current(t.id)!.expiresAt, before.expiresAt + 25 * MINUTE);
      } finally {
        await own.close();
        await rm(own.root, { recursive: true, force: true });
      }
    });

    it('locked, different or missing id: 409 with the current lock (missing: 400)', async () => {
      const t = await b.file(uniq('refresh'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await refreshLock(t, 'L2'), 'L1', 'RefreshLock with another id');
      expectStatus(await refreshLock(t, undefined), 400, 'RefreshLock without X-WOPI-Lock');
      assert.equal(await currentLock(t), 'L1');
    });
  });

  describe('Unlock', () => {
    it('unlocked: 409 with X-WOPI-Lock present and empty', async () => {
      const t = await b.file(uniq('unlock'), CONTENT);
      expectLockMismatch(await unlock(t, 'L1'), '', 'Unlock on an unlocked file');
    });

    it('locked, same id: releases, 200 without X-WOPI-Lock, carries X-WOPI-ItemVersion', async () => {
      const t = await b.file(uniq('unlock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      const res = await unlock(t, 'L1');
      expectOkWithoutLock(res, 'Unlock');
      expectNonEmptyHeader(res, 'X-WOPI-ItemVersion', 'Unlock');
      assert.equal(await currentLock(t), '');
    });

    it('locked, different id: 409 with the current lock, still locked; missing id: 400', async () => {
      const t = await b.file(uniq('unlock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await unlock(t, 'GetCurrentLockString-probe'), 'L1', 'Unlock with a probe id');
      expectStatus(await unlock(t, undefined), 400, 'Unlock without X-WOPI-Lock');
      assert.equal(await currentLock(t), 'L1');
    });
  });

  describe('UnlockAndRelock', () => {
    it('unlocked: 409 with X-WOPI-Lock empty, and no lock is taken', async () => {
      const t = await b.file(uniq('relock'), CONTENT);
      expectLockMismatch(await unlockAndRelock(t, 'NEW', 'OLD'), '', 'UnlockAndRelock on an unlocked file');
      assert.equal(await currentLock(t), '');
    });

    it('old id matches: atomically replaced, 200; the old id stops working', async () => {
      const t = await b.file(uniq('relock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'OLD'), 'Lock');
      expectOkWithoutLock(await unlockAndRelock(t, 'NEW', 'OLD'), 'UnlockAndRelock');
      assert.equal(await currentLock(t), 'NEW');
      expectLockMismatch(await unlock(t, 'OLD'), 'NEW', 'Unlock with the replaced id');
      expectLockMismatch(await refreshLock(t, 'OLD'), 'NEW', 'RefreshLock with the replaced id');
    });

    it('old id differs: 409 with the current lock, unchanged; new id missing: 400', async () => {
      const t = await b.file(uniq('relock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'CUR'), 'Lock');
      expectLockMismatch(await unlockAndRelock(t, 'NEW', 'WRONG'), 'CUR', 'UnlockAndRelock, wrong old id');
      expectStatus(await unlockAndRelock(t, undefined, 'CUR'), 400, 'UnlockAndRelock without X-WOPI-Lock');
      assert.equal(await currentLock(t), 'CUR');
    });
  });

  describe('GetLock', () => {
    it('unlocked: 200 with X-WOPI-Lock present and empty; never creates a lock', async () => {
      const t = await b.file(uniq('getlock'), CONTENT);
      const res = await getLock(t, { headers: { 'X-WOPI-Lock': 'SHOULD-NOT-BE-TAKEN' } });
      expectStatus(res, 200);
      expectHeader(res, 'X-WOPI-Lock', '', 'GetLock on an unlocked file');
      assert.equal(b.engine.locks.current(t.id), null);
    });

    it('locked: 200 with the current lock, whatever X-WOPI-Lock was sent', async () => {
      const t = await b.file(uniq('getlock'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      for (const sent of [undefined, 'L1', 'OTHER']) {
        const res = await getLock(t, sent === undefined ? {} : { headers: { 'X-WOPI-Lock': sent } });
        expectStatus(res, 200, `GetLock sending ${String(sent)}`);
        expectHeader(res, 'X-WOPI-Lock', 'L1', `GetLock sending ${String(sent)}`);
      }
    });
  });

  describe('PutFile', () => {
    it('unlocked and 0 bytes: written, 200 (create-new flow)', async () => {
      const t = await b.file(uniq('put'), Buffer.alloc(0));
      expectOkWithoutLock(await putFile(t, 'first content'), 'PutFile on an empty unlocked file');
      assert.equal(await readFile(t.abs, 'utf8'), 'first content');
    });

    it('unlocked and not empty: 409 with X-WOPI-Lock empty, bytes unchanged (with or without a lock id)', async () => {
      const t = await b.file(uniq('put'), CONTENT);
      expectLockMismatch(await putFile(t, 'overwrite'), '', 'PutFile without a lock');
      expectLockMismatch(await putFile(t, 'overwrite', { lock: 'L1' }), '', 'PutFile with a made-up lock');
      assert.deepEqual(await readFile(t.abs), CONTENT);
    });

    it('locked, same id: written, 200 without X-WOPI-Lock, new X-WOPI-ItemVersion', async () => {
      const t = await b.file(uniq('put'), CONTENT);
      const v0 = expectNonEmptyHeader(await lock(t, 'L1'), 'X-WOPI-ItemVersion');
      const res = await putFile(t, 'new content', { lock: 'L1' });
      expectOkWithoutLock(res, 'PutFile with the lock');
      assert.notEqual(expectNonEmptyHeader(res, 'X-WOPI-ItemVersion'), v0);
      assert.equal(await readFile(t.abs, 'utf8'), 'new content');
      assert.equal(await currentLock(t), 'L1', 'PutFile keeps the lock');
    });

    it('locked, different or missing id: 409 with the current lock, bytes unchanged (even when empty)', async () => {
      const t = await b.file(uniq('put'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await putFile(t, 'x', { lock: 'L2' }), 'L1', 'PutFile with another lock');
      expectLockMismatch(await putFile(t, 'x'), 'L1', 'PutFile without a lock');
      assert.deepEqual(await readFile(t.abs), CONTENT);
      // The 0-byte exception is for unlocked files only.
      const empty = await b.file(uniq('put'), Buffer.alloc(0));
      expectOkWithoutLock(await lock(empty, 'E1'), 'Lock the empty file');
      expectLockMismatch(await putFile(empty, 'x'), 'E1', 'PutFile without a lock on a locked empty file');
      assert.equal((await stat(empty.abs)).size, 0);
    });
  });

  describe('RenameFile', () => {
    it('unlocked: renamed, 200', async () => {
      const t = await b.file(uniq('ren'), CONTENT);
      const res = await renameFile(t, `renamed-${n}`);
      expectOkWithoutLock(res, 'RenameFile on an unlocked file');
      assert.equal(res.json()['Name'], `renamed-${n}`);
    });

    it('locked, same id: renamed, 200', async () => {
      const t = await b.file(uniq('ren'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      const res = await renameFile(t, `locked-renamed-${n}`, { lock: 'L1' });
      expectOkWithoutLock(res, 'RenameFile with the lock');
      assert.equal(b.engine.files.get(t.id)!.path, `locked-renamed-${n}.docx`);
    });

    it('locked, different or missing id: 409 with the current lock, name unchanged', async () => {
      const rel = uniq('ren');
      const t = await b.file(rel, CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await renameFile(t, 'nope', { lock: 'L2' }), 'L1', 'RenameFile with another lock');
      expectLockMismatch(await renameFile(t, 'nope'), 'L1', 'RenameFile without a lock');
      assert.equal(b.engine.files.get(t.id)!.path, rel);
    });
  });

  describe('DeleteFile', () => {
    it('unlocked: deleted, 200', async () => {
      const t = await b.file(uniq('del'), CONTENT);
      expectOkWithoutLock(await deleteFile(t), 'DeleteFile on an unlocked file');
      await assert.rejects(stat(t.abs), { code: 'ENOENT' });
    });

    it('locked: 409 with the current lock even when the caller sends that lock', async () => {
      const t = await b.file(uniq('del'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      expectLockMismatch(await deleteFile(t), 'L1', 'DeleteFile without a lock');
      expectLockMismatch(
        await deleteFile(t, { headers: { 'X-WOPI-Lock': 'L1' } }),
        'L1',
        'DeleteFile with the lock',
      );
      assert.deepEqual(await readFile(t.abs), CONTENT);
    });
  });

  describe('PutRelativeFile', () => {
    it('no lock check on the source: a locked source still gets a new file, 200', async () => {
      const t = await b.file(uniq('rel'), CONTENT);
      expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
      const res = await putRelativeFile(t, 'copy', { suggestedTarget: '.docx' });
      expectOkWithoutLock(res, 'PutRelativeFile from a locked source');
      assert.equal(await currentLock(t), 'L1');
    });

    it('an existing locked target is not overwritten: 409 with the target lock', async () => {
      const src = await b.file(uniq('rel-src'), CONTENT);
      const targetRel = uniq('rel-target');
      const target = await b.file(targetRel, CONTENT);
      expectOkWithoutLock(await lock(target, 'TARGET-LOCK'), 'Lock the target');
      const res = await putRelativeFile(src, 'replacement', {
        relativeTarget: targetRel,
        overwriteRelativeTarget: true,
      });
      expectLockMismatch(res, 'TARGET-LOCK', 'PutRelativeFile over a locked target');
      assert.deepEqual(await readFile(target.abs), CONTENT);
    });
  });

  it('other 200s on a locked file never carry X-WOPI-Lock', async () => {
    const t = await b.file(uniq('others'), CONTENT);
    expectOkWithoutLock(await lock(t, 'L1'), 'Lock');
    expectOkWithoutLock(await checkFileInfo(t), 'CheckFileInfo');
    expectOkWithoutLock(await getFile(t), 'GetFile');
    expectOkWithoutLock(await putUserInfo(t, 'info'), 'PutUserInfo');
  });
});

describe('lock expiry on an injected clock', () => {
  const clock = manualClock();
  let b: Bench;
  before(async () => {
    b = await startBench({ clock: clock.now });
  });
  after(async () => {
    await b?.close();
    if (b) await rm(b.root, { recursive: true, force: true });
  });

  it('held until 30 minutes, then treated exactly as unlocked', async () => {
    const t = await b.file('expiry.docx', CONTENT);
    expectOkWithoutLock(await lock(t, 'OLD'), 'Lock');
    clock.advance(LOCK_MS - 1);
    expectLockMismatch(await lock(t, 'OTHER'), 'OLD', 'one millisecond before expiry');
    clock.advance(1);
    assert.equal(await currentLock(t), '', 'GetLock at expiry');
    expectLockMismatch(await unlock(t, 'OLD'), '', 'Unlock with the expired id');
    expectLockMismatch(await refreshLock(t, 'OLD'), '', 'RefreshLock with the expired id');
    expectLockMismatch(await unlockAndRelock(t, 'NEW', 'OLD'), '', 'UnlockAndRelock from the expired id');
    expectLockMismatch(await putFile(t, 'late save', { lock: 'OLD' }), '', 'PutFile with the expired id');
    assert.deepEqual(await readFile(t.abs), CONTENT);
    expectOkWithoutLock(await lock(t, 'OTHER'), 'Lock with another id after expiry');
    assert.equal(await currentLock(t), 'OTHER');
  });

  it('RefreshLock and a same-id Lock each restart the 30 minutes', async () => {
    const t = await b.file('refreshed.docx', CONTENT);
    expectOkWithoutLock(await lock(t, 'L'), 'Lock');
    clock.advance(20 * MINUTE);
    expectOkWithoutLock(await refreshLock(t, 'L'), 'RefreshLock at +20');
    clock.advance(20 * MINUTE);
    expectOkWithoutLock(await lock(t, 'L'), 'Lock again at +40 (still held thanks to the refresh)');
    clock.advance(LOCK_MS - 1);
    assert.equal(await currentLock(t), 'L');
    clock.advance(1);
    assert.equal(await currentLock(t), '');
  });

  it('an expired lock does not block DeleteFile or RenameFile', async () => {
    const t = await b.file('expired-del.docx', CONTENT);
    expectOkWithoutLock(await lock(t, 'L'), 'Lock');
    clock.advance(LOCK_MS);
    expectOkWithoutLock(await renameFile(t, 'expired-renamed'), 'RenameFile after expiry');
    expectOkWithoutLock(await deleteFile(t), 'DeleteFile after expiry');
  });
});

describe('locks survive a restart and still expire on time', () => {
  const clock = manualClock();
  let root: string;
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('stop, new engine on the same data dir: same lock, same expiry', async () => {
    const first = await startBench({ clock: clock.now });
    root = first.root;
    const t = await first.file('persist.docx', CONTENT);
    expectOkWithoutLock(await lock(t, 'PERSISTED'), 'Lock');
    const expiresAt = first.engine.locks.current(t.id)!.expiresAt;
    await first.close();

    clock.advance(10 * MINUTE);
    const second = await startBench({ clock: clock.now }, { root });
    try {
      // A token minted by the first run still works: the signing secret lives in the data dir.
      const again: WopiTarget = {
        wopiSrc: `${second.engine.wopiUrl()}/wopi/files/${t.id}`,
        accessToken: t.accessToken,
      };
      assert.equal(await currentLock(again), 'PERSISTED');
      assert.equal(second.engine.locks.current(t.id)!.expiresAt, expiresAt);
      expectLockMismatch(await lock(again, 'INTRUDER'), 'PERSISTED', 'Lock with another id after restart');
      clock.advance(20 * MINUTE - 1);
      expectLockMismatch(await unlock(again, 'INTRUDER'), 'PERSISTED', 'just before expiry');
      clock.advance(1);
      expectLockMismatch(await unlock(again, 'PERSISTED'), '', 'Unlock after expiry (30 min after Lock)');
      expectOkWithoutLock(await lock(again, 'INTRUDER'), 'Lock with another id after expiry');
    } finally {
      await second.close();
    }
  });
});

describe('locks belong to the file, not the user', () => {
  let b: Bench;
  before(async () => {
    b = await startBench();
  });
  after(async () => {
    await b?.close();
    if (b) await rm(b.root, { recursive: true, force: true });
  });

  it('Lock by editor; RefreshLock, PutFile, UnlockAndRelock, Unlock by coauthor', async () => {
    const editor = await b.file('shared.docx', CONTENT, 'editor');
    const coauthor = b.target(editor.id, 'coauthor');
    assert.equal((await checkFileInfo(coauthor)).json()['UserId'], 'coauthor');
    expectOkWithoutLock(await lock(editor, 'SESSION'), 'Lock (editor)');
    expectOkWithoutLock(await refreshLock(coauthor, 'SESSION'), 'RefreshLock (coauthor)');
    expectOkWithoutLock(await putFile(coauthor, 'coauthored', { lock: 'SESSION' }), 'PutFile (coauthor)');
    expectOkWithoutLock(await unlockAndRelock(coauthor, 'SESSION2', 'SESSION'), 'UnlockAndRelock (coauthor)');
    expectOkWithoutLock(await unlock(editor, 'SESSION2'), 'Unlock (editor, of the coauthor relock)');
    expectOkWithoutLock(await lock(coauthor, 'C'), 'Lock (coauthor)');
    expectOkWithoutLock(await unlock(editor, 'C'), 'Unlock (editor)');
    assert.equal(await readFile(editor.abs, 'utf8'), 'coauthored');
  });

  it('a view-only token cannot take or release the lock', async () => {
    const editor = await b.file('viewer.docx', CONTENT, 'editor');
    const viewer = b.target(editor.id, 'viewer');
    const denied = await lock(viewer, 'V');
    assert.notEqual(denied.status, 200, denied.describe());
    expectOkWithoutLock(await lock(editor, 'E'), 'Lock (editor)');
    assert.notEqual((await unlock(viewer, 'E')).status, 200);
    assert.equal(await currentLock(viewer), 'E', 'GetLock is a read: the viewer may see the lock');
  });
});

describe('concurrent Lock requests', () => {
  let b: Bench;
  before(async () => {
    b = await startBench();
  });
  after(async () => {
    await b?.close();
    if (b) await rm(b.root, { recursive: true, force: true });
  });

  it('different ids at once: exactly one 200, every other answer is 409 naming the winner', async () => {
    for (let round = 0; round < 3; round++) {
      const t = await b.file(`race-${round}.docx`, CONTENT);
      const ids = Array.from({ length: 12 }, (_, i) => `R${round}-${i}`);
      const answers = await Promise.all(ids.map((id) => lock(t, id)));
      const winners = ids.filter((_, i) => answers[i]!.status === 200);
      assert.equal(winners.length, 1, `round ${round}: statuses ${answers.map((a) => a.status).join(',')}`);
      const winner = winners[0]!;
      for (const a of answers) if (a.status !== 200) expectLockMismatch(a, winner, `round ${round} loser`);
      assert.equal(await currentLock(t), winner);
    }
  });

  it('the same id at once: all 200 (a same-id Lock is a refresh)', async () => {
    const t = await b.file('race-same.docx', CONTENT);
    const answers = await Promise.all(Array.from({ length: 8 }, () => lock(t, 'SAME')));
    for (const a of answers) expectOkWithoutLock(a, 'concurrent same-id Lock');
  });
});

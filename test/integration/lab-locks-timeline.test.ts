// Lock holders and the request timeline's events, over real HTTP against a real engine (real SQLite,
// real folder, the real watcher): the token's user or the lab's persona is recorded as holder, kept
// across a restart, listed by GET /v1/locks and named in X-WOPI-LockFailureReason on every 409 (with
// X-WOPI-Lock exactly as before); lab lock actions and outside edits on disk become event records in
// GET /v1/requests, in time order, that the linter leaves alone and the status filters skip.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { describe, it } from 'node:test';
import type { LockEntry, LockView, RequestPage, RequestRecord } from '../../server/contracts/api';
import { openDatabase } from '../../server/state/db';
import { createFilesRepo } from '../../server/state/files-repo';
import { createMemoryLockStore, createSqliteLockStore } from '../../server/state/lock-store';
import type { LockStore } from '../../server/state/lock-store';
import { makeRoot, startEngine, withEngine } from '../helpers/engine-fixture';
import type { EngineBench } from '../helpers/engine-fixture';
import { onSseBlocks } from '../helpers/sse';
import { expectLockMismatch, lock, putFile, unlockAndRelock } from '../helpers/wopi-client';

/** GET on the control API with the engine's token. */
async function control<T>(b: EngineBench, route: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${b.engine.controlUrl()}${route}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${b.engine.controlToken}`,
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
  assert.ok(res.ok, `${route}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as T;
}

/** The first event record of `kind` replayed by GET /v1/events?since=0 (the UI's live stream). */
function streamedEvent(b: EngineBench, kind: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no ${kind} event record on the stream`));
    }, 10_000);
    const req = http.request(
      `${b.engine.controlUrl()}/v1/events?since=0`,
      {
        headers: { Authorization: `Bearer ${b.engine.controlToken}`, Accept: 'text/event-stream' },
        agent: false,
      },
      (res) =>
        onSseBlocks(res, (block) => {
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!data || !/^event: request:completed$/m.test(block)) return;
          const parsed = JSON.parse(data) as Record<string, unknown>;
          const rec = (parsed['data'] ?? parsed) as { source?: string; event?: { kind?: string } };
          if (rec.source !== 'event' || rec.event?.kind !== kind) return;
          clearTimeout(timer);
          req.destroy();
          resolve(rec as Record<string, unknown>);
        }),
    );
    // After resolve, destroy() raises an error here too; rejecting a settled promise is a no-op.
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}

const events = async (b: EngineBench, fileId: string): Promise<RequestRecord[]> =>
  (await control<RequestPage>(b, `/v1/requests?fileId=${fileId}&limit=1000`)).items.filter(
    (r) => r.source === 'event',
  );

/** Polls until `pred` holds on the file's event records (the watcher reports outside edits a little later). */
async function eventsUntil(
  b: EngineBench,
  fileId: string,
  pred: (e: RequestRecord[]) => boolean,
): Promise<RequestRecord[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const e = await events(b, fileId);
    if (pred(e)) return e;
    assert.ok(Date.now() < deadline, `events never matched: ${JSON.stringify(e.map((x) => x.event))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

void describe('lock holders', () => {
  void it('the holder is stored with the lock but never part of the compare-and-swap match', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'wb-holder-store-'));
    const db = openDatabase(dataDir);
    try {
      createFilesRepo(db).ensure('f1', { size: 0, mtimeMs: 0, ino: 0 }, null, 'owner', () => 'f1', 0);
      const held: LockView = {
        lockId: 'L',
        createdAt: 1,
        refreshedAt: 1,
        expiresAt: 100,
        holderId: 'editor',
        holderName: 'Ada Editor',
      };
      const bare: LockView = { lockId: 'L', createdAt: 1, refreshedAt: 1, expiresAt: 100 };
      for (const [name, store] of [
        ['SQLite', createSqliteLockStore(db)],
        ['memory', createMemoryLockStore()],
      ] as Array<[string, LockStore]>) {
        assert.ok(store.compareAndSwap('f1', null, held), name);
        assert.deepEqual(store.get('f1'), held, `${name}: the holder is stored`);
        const next = { ...bare, refreshedAt: 2, expiresAt: 200, holderName: 'Grace Coauthor' };
        assert.ok(store.compareAndSwap('f1', bare, next), `${name}: matched without the holder`);
        assert.deepEqual(store.get('f1'), next, `${name}: the holder follows the write`);
        assert.deepEqual(store.list()[0], { ...next, fileId: 'f1' });
        assert.ok(store.compareAndSwap('f1', store.get('f1'), null), `${name}: removed`);
      }
      const reopened = createSqliteLockStore(db);
      assert.equal(reopened.get('f1'), null);
    } finally {
      db.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  void it('names the holder in X-WOPI-LockFailureReason on every 409; X-WOPI-Lock is unchanged', () =>
    withEngine({}, async (b) => {
      const ada = await b.file('held.docx', 'content\n', 'editor');
      const grace = b.target(ada.id, 'coauthor');
      assert.equal((await lock(ada, 'L-ada')).status, 200);

      const conflict = await lock(grace, 'L-grace');
      expectLockMismatch(conflict, 'L-ada', 'Lock by another persona');
      assert.match(conflict.header('x-wopi-lockfailurereason') ?? '', /^Locked by Ada Editor; Lock: /);

      const put = await putFile(grace, 'overwrite', {});
      expectLockMismatch(put, 'L-ada', 'PutFile without the lock');
      assert.match(put.header('x-wopi-lockfailurereason') ?? '', /^Locked by Ada Editor; PutFile: /);

      // A co-author's Lock with the same id is a refresh: the holder stays the one who took it.
      assert.equal((await lock(grace, 'L-ada')).status, 200);
      assert.equal(b.engine.locks.current(ada.id)?.holderName, 'Ada Editor');
      // UnlockAndRelock records the caller, who now holds the new id.
      assert.equal((await unlockAndRelock(grace, 'L-grace2', 'L-ada')).status, 200);
      assert.equal(b.engine.locks.current(ada.id)?.holderId, 'coauthor');
    }));

  void it('a lab lock set for a persona survives a restart and shows in GET /v1/locks', async () => {
    const root = await makeRoot('wb-lab-holder-', { 'kept.docx': 'bytes\n' });
    let b = await startEngine(root);
    try {
      const id = await b.idOf('kept.docx');
      assert.deepEqual(await events(b, id), [], 'files found by the first index are not events');
      const set = await control<{ after: LockEntry }>(b, `/v1/locks/${id}`, {
        method: 'PUT',
        body: JSON.stringify({ lockId: 'lab-lock', personaId: 'Grace Coauthor' }),
      });
      assert.equal(set.after.holderId, 'coauthor');
      await b.stop();
      b = await startEngine(root);
      const listed = (await control<LockEntry[]>(b, '/v1/locks')).find((l) => l.fileId === id);
      assert.equal(listed?.lockId, 'lab-lock');
      assert.equal(listed?.holderId, 'coauthor');
      assert.equal(listed?.holderName, 'Grace Coauthor');
      const file = await control<{ lock: LockEntry | null }>(b, `/v1/files/${id}`);
      assert.equal(file.lock?.holderName, 'Grace Coauthor', 'the file view shows the holder too');
      const res = await putFile(b.target(id, 'editor'), 'x', { lock: 'other' });
      expectLockMismatch(res, 'lab-lock', 'PutFile after the restart');
      assert.match(res.header('x-wopi-lockfailurereason') ?? '', /^Locked by Grace Coauthor; /);
    } finally {
      await b.dispose();
    }
  });
});

void describe('timeline events', () => {
  void it('lab lock actions are events with their kinds, in time order, skipped by filters and the linter', () =>
    withEngine({}, async (b) => {
      const f = await b.file('lab.docx', 'lab\n');
      const put = (lockId: string, personaId?: string) =>
        control(b, `/v1/locks/${f.id}`, { method: 'PUT', body: JSON.stringify({ lockId, personaId }) });
      await put('first', 'editor');
      await put('second', 'coauthor');
      await control(b, `/v1/locks/${f.id}/expire`, { method: 'POST' });
      await put('third');
      await control(b, `/v1/locks/${f.id}`, { method: 'DELETE' });
      // A real 409 in between, so the filters have something to find besides the events.
      await lock(b.target(f.id), 'wopi-lock');
      assert.equal((await lock(b.target(f.id, 'coauthor'), 'other')).status, 409);

      // (b.file wrote lab.docx after the first index: that is a disk-add of its own.)
      const got = (await events(b, f.id)).filter((r) => r.event?.kind.startsWith('lock-'));
      // Newest first, as every request page.
      assert.deepEqual(got.map((r) => r.event?.kind).reverse(), [
        'lock-set',
        'lock-steal',
        'lock-expire',
        'lock-set',
        'lock-force-unlock',
      ]);
      const [set, steal] = got.slice().reverse();
      assert.equal(set!.event?.personaId, 'editor');
      assert.match(set!.event?.summary ?? '', /^Lock set: first \(Ada Editor\)$/);
      assert.match(
        steal!.event?.summary ?? '',
        /^Lock stolen: was first \(Ada Editor\), now second \(Grace Coauthor\)$/,
      );
      for (const r of got) {
        assert.equal(r.method, 'EVENT');
        assert.equal(r.status, 0);
        assert.equal(r.operation, 'Other');
        assert.equal(r.filePath, 'lab.docx');
        assert.deepEqual(r.findings ?? [], [], `${r.event?.kind} earned no lint finding`);
      }
      const streamed = await streamedEvent(b, 'lock-steal');
      assert.equal(streamed['method'], 'EVENT', 'the live stream carries the event records too');
      const times = got.map((r) => r.startedAt);
      assert.deepEqual(
        times,
        [...times].sort((a, z) => z - a),
        'newest first',
      );

      const conflicts = await control<RequestPage>(b, `/v1/requests?fileId=${f.id}&status=4xx`);
      assert.deepEqual(
        conflicts.items.map((r) => [r.operation, r.status]),
        [['Lock', 409]],
      );
      const locks = await control<RequestPage>(b, `/v1/requests?fileId=${f.id}&operation=Lock`);
      assert.ok(locks.items.every((r) => r.source !== 'event'));
    }));

  void it('outside edits seen by the watcher are disk-add, disk-change and disk-remove events', () =>
    withEngine({ watch: true }, async (b) => {
      const abs = b.abs('outside.txt');
      await writeFile(abs, 'first version\n');
      const id = await (async () => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const f = (await b.engine.index.list()).find((x) => x.path === 'outside.txt');
          if (f) return f.id;
          assert.ok(Date.now() < deadline, 'the watcher never indexed outside.txt');
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await eventsUntil(b, id, (e) => e.some((r) => r.event?.kind === 'disk-add'));
      await writeFile(abs, 'second, longer version\n');
      await eventsUntil(b, id, (e) => e.some((r) => r.event?.kind === 'disk-change'));
      await rm(abs);
      const got = await eventsUntil(b, id, (e) => e.some((r) => r.event?.kind === 'disk-remove'));
      assert.deepEqual(got.map((r) => r.event?.kind).reverse(), ['disk-add', 'disk-change', 'disk-remove']);
      const [add, change, remove] = got.slice().reverse();
      assert.match(add!.event?.summary ?? '', /^Added on disk: 14 bytes, version \S+$/);
      assert.match(change!.event?.summary ?? '', /^Changed on disk: 14 bytes → 23 bytes, version \S+ → \S+$/);
      assert.match(remove!.event?.summary ?? '', /^Removed on disk: was 23 bytes/);
      for (const r of got) {
        assert.equal(r.event?.actor, 'disk');
        assert.deepEqual(r.findings ?? [], []);
      }
    }));
});

// The lock stores (server/state/lock-store.ts) against one conformance suite: SQLite on a real file in
// a temp data dir, and the in-memory store. Then what only a shared SQLite file can show: hosts in
// separate processes racing on one lock, where exactly one takes it and no update is lost.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Db } from '../../server/state/db';
import { DB_FILE, openDatabase } from '../../server/state/db';
import { createFilesRepo } from '../../server/state/files-repo';
import { createMemoryLockStore, createSqliteLockStore } from '../../server/state/lock-store';
import { lockStoreConformance } from '../helpers/lock-store-conformance';
import type { LockStoreFixture } from '../helpers/lock-store-conformance';
import type { RacerJob, RacerReport } from '../helpers/lock-store-racer';
import { expectStatus, lock } from '../helpers/wopi-client';
import { createWorkbench } from '../../server/workbench';

/** A data dir of its own; every handle is a separate connection to its database file. */
async function sqliteFixture(): Promise<LockStoreFixture & { dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'wb-lockstore-'));
  const open: Db[] = [];
  const connect = (): Db => {
    const db = openDatabase(dataDir);
    open.push(db);
    return db;
  };
  const closeAll = (): void => open.splice(0).forEach((db) => db.close());
  const first = connect();
  return {
    dataDir,
    store: createSqliteLockStore(first),
    // The locks table only holds locks of files it knows (foreign key), as in a running engine.
    addFile: (id) =>
      createFilesRepo(open[0]!).ensure(id, { size: 0, mtimeMs: 0, ino: 0 }, null, 'owner', () => id, 0),
    peer: () => createSqliteLockStore(connect()),
    reopen: () => {
      closeAll();
      return createSqliteLockStore(connect());
    },
    close: async () => {
      closeAll();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function memoryFixture(): LockStoreFixture {
  const store = createMemoryLockStore();
  // One process's memory is one store: a second host in this process shares the same map.
  return { store, addFile: () => undefined, peer: () => store, close: () => undefined };
}

lockStoreConformance('SQLite', sqliteFixture, { persistent: true });
lockStoreConformance('memory', memoryFixture, { persistent: false });

const RACER = fileURLToPath(new URL('../helpers/lock-store-racer.ts', import.meta.url));

/** A racer process: ready once it has opened the database, then one report after go(). */
function racer(job: RacerJob): { ready: Promise<void>; report: Promise<RacerReport>; go(): void } {
  const child = fork(RACER, [JSON.stringify(job)], { execArgv: ['--import', 'tsx'] });
  let readyNow!: () => void;
  const ready = new Promise<void>((resolve) => (readyNow = resolve));
  const report = new Promise<RacerReport>((resolve, reject) => {
    child.on('message', (m) => (m === 'ready' ? readyNow() : resolve(m as RacerReport)));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${job.name} exited with ${code}`));
    });
  });
  // A racer that dies before it is ready must not leave the test waiting for it.
  return { ready: Promise.race([ready, report.then(() => undefined)]), report, go: () => child.send('go') };
}

void describe('SQLite lock store shared between processes', () => {
  void it('of 4 processes racing on one file, exactly one takes the lock and no update is lost', async () => {
    const RACERS = 4;
    const INCREMENTS = 150;
    const fx = await sqliteFixture();
    try {
      fx.addFile('shared-file');
      const start = { createdAt: 1_000, expiresAt: 2_000 };
      const racers = Array.from({ length: RACERS }, (_, i) =>
        racer({
          dataDir: fx.dataDir,
          fileId: 'shared-file',
          name: `host-${i}`,
          start,
          increments: INCREMENTS,
        }),
      );
      await Promise.all(racers.map((r) => r.ready));
      // Started together, after every racer has opened the database: the takes really race.
      for (const r of racers) r.go();
      const done = await Promise.all(racers.map((r) => r.report));
      const winners = done.filter((r) => r.took).map((r) => r.name);
      assert.equal(winners.length, 1, `takes won by: ${winners.join(', ') || 'nobody'}`);
      const stored = fx.peer().get('shared-file');
      assert.equal(
        stored?.expiresAt,
        start.expiresAt + RACERS * INCREMENTS,
        `every one of ${RACERS}×${INCREMENTS} read-and-swap increments landed once ` +
          `(retries after losing a race: ${done.map((r) => `${r.name} ${r.retries}`).join(', ')})`,
      );
    } finally {
      await fx.close();
    }
  });
});

void describe('a workbench with the in-memory store', () => {
  void it('serves WOPI locks from the store it was given, not from its SQLite file', async () => {
    const store = createMemoryLockStore();
    const root = await mkdtemp(path.join(tmpdir(), 'wb-memory-locks-'));
    await mkdir(path.join(root, 'folder'));
    await writeFile(path.join(root, 'folder', 'a.docx'), 'A');
    const wb = createWorkbench({
      folder: path.join(root, 'folder'),
      dataDir: path.join(root, 'data'),
      watch: false,
      lockStore: store,
    });
    try {
      await wb.start();
      const id = wb.files.listPresent()[0]!.id;
      const g = wb.mintTokenForId(id);
      const target = { wopiSrc: g.wopiSrc, accessToken: g.accessToken };
      expectStatus(await lock(target, 'in-memory'), 200);
      assert.equal(store.get(id)?.lockId, 'in-memory');
      const db = new Database(path.join(root, 'data', DB_FILE), { readonly: true });
      const rows = db.prepare('SELECT COUNT(*) AS n FROM locks').get() as { n: number };
      db.close();
      assert.equal(rows.n, 0, 'nothing written to the SQLite lock table');
      expectStatus(await lock(target, 'other'), 409);
    } finally {
      await wb.stop();
      await rm(root, { recursive: true, force: true });
    }
  });
});

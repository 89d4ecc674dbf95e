// Real SQLite file in a temp dir; the table is created with the same SQL as the central migration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDiscoveryStore, sha256Hex } from '../../server/state/discovery-store';

const SCHEMA = `CREATE TABLE discovery_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, source TEXT NOT NULL, fetched_at INTEGER NOT NULL, ok INTEGER NOT NULL, error TEXT, xml TEXT, sha256 TEXT);`;

function openTempDb(t: { after: (fn: () => void) => void }): Database.Database {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-discovery-store-'));
  const db = new Database(path.join(dir, 'state.sqlite'));
  // As the app opens it (server/state/db.ts): WAL, so each save is not a full fsync.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

const XML_A = '<wopi-discovery><net-zone name="a"/></wopi-discovery>';
const XML_B = '<wopi-discovery><net-zone name="b"/></wopi-discovery>';

void test('unchanged XML is stored once; later attempts point at it', (t) => {
  const db = openTempDb(t);
  const store = createDiscoveryStore(db);
  const first = store.save({ profile: 'office', source: 'https://d', fetchedAt: 1000, ok: true, xml: XML_A });
  const second = store.save({
    profile: 'office',
    source: 'https://d',
    fetchedAt: 2000,
    ok: true,
    xml: XML_A,
  });
  assert.ok(second > first);

  const rows = db
    .prepare('SELECT id, xml IS NOT NULL AS has, sha256 FROM discovery_snapshots ORDER BY id')
    .all() as {
    id: number;
    has: number;
    sha256: string;
  }[];
  assert.deepEqual(
    rows.map((r) => r.has),
    [1, 0],
  );
  assert.equal(rows[1].sha256, sha256Hex(XML_A));

  const latest = store.latestOk('office')!;
  assert.equal(latest.id, second);
  assert.equal(latest.fetchedAt, 2000);
  assert.equal(latest.xml, XML_A);
  assert.equal(latest.contentId, first);
  assert.equal(latest.storesXml, false);
});

void test('changed XML gets a new content row; failures are recorded without touching the last good one', (t) => {
  const store = createDiscoveryStore(openTempDb(t));
  store.save({ profile: 'office', source: 'https://d', fetchedAt: 1, ok: true, xml: XML_A });
  const b = store.save({ profile: 'office', source: 'https://d', fetchedAt: 2, ok: true, xml: XML_B });
  const failed = store.save({
    profile: 'office',
    source: 'https://d',
    fetchedAt: 3,
    ok: false,
    error: 'HTTP 500',
  });

  const ok = store.latestOk('office')!;
  assert.equal(ok.id, b);
  assert.equal(ok.xml, XML_B);
  assert.equal(ok.storesXml, true);

  const attempt = store.latestAttempt('office')!;
  assert.equal(attempt.id, failed);
  assert.equal(attempt.ok, false);
  assert.equal(attempt.error, 'HTTP 500');
  assert.equal(attempt.xml, null);

  // Back to A after B: differs from the last good one, so it is stored again.
  store.save({ profile: 'office', source: 'https://d', fetchedAt: 4, ok: true, xml: XML_A });
  assert.equal(store.latestOk('office')!.storesXml, true);
  assert.deepEqual(
    store.list('office', 10).map((r) => [r.fetchedAt, r.ok]),
    [
      [4, true],
      [3, false],
      [2, true],
      [1, true],
    ],
  );
  assert.equal(store.list('office', 2).length, 2);
});

void test('profiles are kept apart and an empty store answers null', (t) => {
  const store = createDiscoveryStore(openTempDb(t));
  assert.equal(store.latestOk('collabora'), null);
  assert.equal(store.latestAttempt('collabora'), null);
  store.save({ profile: 'office', source: 'https://d', fetchedAt: 1, ok: true, xml: XML_A });
  // Same XML under another profile is that profile's first content, so it is stored.
  store.save({ profile: 'collabora', source: 'http://c', fetchedAt: 2, ok: true, xml: XML_A });
  assert.equal(store.latestOk('collabora')!.storesXml, true);
  assert.equal(store.latestOk('collabora')!.source, 'http://c');
  assert.equal(store.list('office', 10).length, 1);
});

void test('a successful attempt without XML is a programming error', (t) => {
  const store = createDiscoveryStore(openTempDb(t));
  assert.throws(() => store.save({ profile: 'p', source: 's', fetchedAt: 1, ok: true }), TypeError);
  assert.equal(store.latestAttempt('p'), null);
});

void test('rows are bounded per profile', (t) => {
  const db = openTempDb(t);
  const store = createDiscoveryStore(db, { keepAttempts: 5, keepContents: 3 });
  for (let i = 0; i < 8; i++) store.save({ profile: 'p', source: 's', fetchedAt: i, ok: false, error: 'x' });
  for (let i = 0; i < 6; i++) {
    store.save({ profile: 'p', source: 's', fetchedAt: 1000 + i, ok: true, xml: `<x n="${i}"/>` });
  }
  store.save({ profile: 'other', source: 's', fetchedAt: 1, ok: false, error: 'x' });
  const count = (where: string): number =>
    (db.prepare(`SELECT COUNT(*) AS n FROM discovery_snapshots WHERE ${where}`).get() as { n: number }).n;
  assert.equal(count("profile = 'p' AND xml IS NULL"), 5);
  assert.equal(count("profile = 'p' AND xml IS NOT NULL"), 3);
  assert.equal(count("profile = 'other'"), 1);
  assert.equal(store.latestOk('p')!.xml, '<x n="5"/>');
  // Newest first: the failures that survived are the latest ones.
  assert.deepEqual(
    store.list('p', 20).map((r) => r.fetchedAt),
    [1005, 1004, 1003, 7, 6, 5, 4, 3],
  );
});

// The discovery service against a real node:http server on port 0 and a real SQLite file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ClientProfileView, DiscoveryStateView } from '../../server/contracts/api';
import { clampRefreshInterval, createDiscoveryService } from '../../server/discovery/service';
import { verifyProof } from '../../server/proof/verify';
import { createDiscoveryStore } from '../../server/state/discovery-store';

const SCHEMA = `CREATE TABLE discovery_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, source TEXT NOT NULL, fetched_at INTEGER NOT NULL, ok INTEGER NOT NULL, error TEXT, xml TEXT, sha256 TEXT);`;
const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/discovery/${name}`, import.meta.url), 'utf8');

interface Vector {
  name: string;
  access_token: string;
  x_wopi_timestamp: string;
  url: string;
  x_wopi_proof: string;
  x_wopi_proof_old: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/proof-key-vectors.json', import.meta.url), 'utf8'),
) as {
  cases: Vector[];
};

type Reply = { status: number; type: string; body: string };

interface Harness {
  url: string;
  hits: () => number;
  reply: (r: Reply) => void;
  stopServer: () => Promise<void>;
  dbFile: string;
  db: Database.Database;
  clock: { now: number };
  emitted: DiscoveryStateView[];
  profile: ClientProfileView;
}

async function harness(t: { after: (fn: () => Promise<void> | void) => void }): Promise<Harness> {
  let reply: Reply = { status: 200, type: 'text/xml', body: fixture('office.xml') };
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let closed = false;
  const stopServer = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-discovery-service-'));
  const dbFile = path.join(dir, 'state.sqlite');
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  t.after(async () => {
    await stopServer();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hosting/discovery`;
  return {
    url,
    hits: () => hits,
    reply: (r) => {
      reply = r;
    },
    stopServer,
    dbFile,
    db,
    clock: { now: Date.parse('2026-11-26T08:00:00Z') },
    emitted: [],
    profile: {
      id: 'custom',
      name: 'Test client',
      kind: 'custom',
      discoveryUrl: url,
      proofMode: 'enforce',
      requiresHttps: false,
    },
  };
}

function service(h: Harness, db: Database.Database = h.db): ReturnType<typeof createDiscoveryService> {
  return createDiscoveryService({
    store: createDiscoveryStore(db),
    clock: () => h.clock.now,
    profile: h.profile,
    emit: (s) => h.emitted.push(s),
  });
}

void test('a refresh loads actions, zone and keys, and emits the state', async (t) => {
  const h = await harness(t);
  const svc = service(h);
  assert.equal(svc.state().status, 'never');
  assert.equal(svc.keys().current, null);

  const state = await svc.refresh('manual');
  assert.equal(state.status, 'ok');
  assert.equal(state.zone, 'external-https');
  assert.equal(state.actions.length, 11);
  assert.equal(state.lastSuccessAt, h.clock.now);
  assert.match(state.proofKey?.currentFingerprint ?? '', /^[0-9a-f]{16}$/);
  assert.match(state.proofKey?.oldFingerprint ?? '', /^[0-9a-f]{16}$/);
  assert.deepEqual(h.emitted, [state]);
  assert.equal(svc.state(), state);
  assert.equal(typeof state.snapshotId, 'number');

  // Keys from discovery verify Microsoft's vector end to end.
  const v = vectors.cases[0];
  const verdict = verifyProof(
    {
      accessToken: v.access_token,
      url: v.url,
      timestamp: v.x_wopi_timestamp,
      proof: v.x_wopi_proof,
      proofOld: v.x_wopi_proof_old,
    },
    svc.keys(),
    { mode: 'enforce', now: h.clock.now, checkTimestamp: false },
  );
  assert.equal(verdict.combination, 'proof-current');
});

void test('action URLs and favicons come from the loaded discovery', async (t) => {
  const h = await harness(t);
  const svc = service(h);
  const before = svc.actionUrl('docx', 'edit', { wopiSrc: 'https://wb.example/wopi/files/1' });
  assert.equal(before.ok, false);
  assert.match(!before.ok ? before.reason : '', /No discovery is loaded for Test client yet/);

  await svc.refresh('manual');
  const edit = svc.actionUrl('DOCX', 'edit', { wopiSrc: 'https://wb.example/wopi/files/1', uiLlcc: 'en-US' });
  assert.ok(edit.ok);
  assert.equal(
    edit.url,
    'https://word-edit.officeapps.example/we/wordeditorframe.aspx?ui=en-US&rs=en-US&wopisrc=https%3A%2F%2Fwb.example%2Fwopi%2Ffiles%2F1',
  );
  assert.equal(edit.favIconUrl, 'https://word.cdn.example/wv/resources/1033/FavIcon_Word.ico');
  const present = svc.actionUrl('docx', 'present', { wopiSrc: 'x' });
  assert.match(
    !present.ok ? present.reason : '',
    /no "present" action for \.docx; it offers view, edit, editnew/,
  );
  const odt = svc.actionUrl('.odt', 'view', { wopiSrc: 'x' });
  assert.match(!odt.ok ? odt.reason : '', /cannot open \.odt files/);
  assert.equal(svc.favIconUrl('xlsx'), 'https://excel.cdn.example/x/resources/FavIcon_Excel.ico');
});

void test('a key rotation is reported as a change; unchanged XML is not stored twice', async (t) => {
  const h = await harness(t);
  const svc = service(h);
  const first = await svc.refresh('manual');
  h.reply({ status: 200, type: 'text/xml', body: fixture('office-rotated.xml') });
  h.clock.now += 3_600_000;
  const second = await svc.refresh('manual');
  assert.deepEqual(
    second.changes.map((c) => c.kind),
    ['proof-key-rotated', 'action-added', 'action-removed'],
  );
  assert.equal(second.proofKey?.oldFingerprint, first.proofKey?.currentFingerprint);

  h.clock.now += 3_600_000;
  const third = await svc.refresh('manual');
  assert.deepEqual(third.changes, []);
  const stored = h.db
    .prepare('SELECT COUNT(*) AS n FROM discovery_snapshots WHERE xml IS NOT NULL')
    .get() as { n: number };
  assert.equal(stored.n, 2);
});

void test('failures keep the last good snapshot and say why', async (t) => {
  const h = await harness(t);
  const svc = service(h);
  const good = await svc.refresh('manual');

  h.reply({ status: 500, type: 'text/plain', body: 'boom' });
  h.clock.now += 60_000;
  const failed = await svc.refresh('manual');
  assert.equal(failed.status, 'failed');
  assert.match(failed.error ?? '', /answered HTTP 500/);
  assert.match(failed.error ?? '', /Still using the discovery fetched at 2026-11-26T08:00:00\.000Z\./);
  assert.equal(failed.lastSuccessAt, good.lastSuccessAt);
  assert.equal(failed.lastAttemptAt, h.clock.now);
  assert.deepEqual(failed.actions, good.actions);
  assert.ok(svc.keys().current);
  assert.ok(svc.actionUrl('docx', 'view', { wopiSrc: 'x' }).ok);

  h.reply({ status: 200, type: 'text/html', body: '<html><body>Sign in</body></html>' });
  const html = await svc.refresh('manual');
  assert.match(html.error ?? '', /HTML page/);

  h.reply({ status: 200, type: 'text/xml', body: '<feed/>' });
  const notDiscovery = await svc.refresh('manual');
  assert.match(notDiscovery.error ?? '', /not <wopi-discovery>/);

  await h.stopServer();
  const refused = await svc.refresh('manual');
  assert.equal(refused.status, 'failed');
  assert.match(refused.error ?? '', /Could not connect/);
  assert.equal(h.emitted.length, 5);

  const attempts = createDiscoveryStore(h.db).list('custom', 10);
  assert.deepEqual(
    attempts.map((a) => a.ok),
    [false, false, false, false, true],
  );
});

void test('with nothing ever fetched, a failure says files cannot be opened yet', async (t) => {
  const h = await harness(t);
  h.reply({ status: 404, type: 'text/plain', body: 'no' });
  const state = await service(h).refresh('startup');
  assert.equal(state.status, 'failed');
  assert.equal(state.actions.length, 0);
  assert.match(state.error ?? '', /HTTP 404.*No earlier discovery is available/);
});

void test('proof-driven refreshes are rate-limited; manual ones are not', async (t) => {
  const h = await harness(t);
  const svc = service(h);
  await svc.refresh('startup');
  assert.equal(h.hits(), 1);

  h.clock.now += 30_000;
  await svc.refresh('proof-failure');
  await svc.refresh('proof-old-key');
  assert.equal(h.hits(), 1);
  assert.equal(h.emitted.length, 1);

  h.clock.now += 31_000;
  await svc.refresh('proof-failure');
  assert.equal(h.hits(), 2);

  await svc.refresh('manual');
  assert.equal(h.hits(), 3);
});

void test('concurrent refreshes share one fetch', async (t) => {
  const h = await harness(t);
  const svc = service(h);
  const [a, b] = await Promise.all([svc.refresh('manual'), svc.refresh('interval')]);
  assert.equal(h.hits(), 1);
  assert.equal(a, b);
});

void test('after a restart the stored snapshot is usable before any fetch', async (t) => {
  const h = await harness(t);
  const first = service(h);
  const good = await first.refresh('startup');
  await h.stopServer();

  const reopened = new Database(h.dbFile);
  t.after(() => reopened.close());
  const second = service(h, reopened);
  const restored = second.state();
  assert.equal(restored.status, 'ok');
  assert.equal(restored.lastSuccessAt, good.lastSuccessAt);
  assert.deepEqual(restored.proofKey, good.proofKey);
  assert.ok(second.keys().current && second.keys().old);

  h.clock.now += 60_000;
  const failed = await second.start();
  second.stop();
  assert.equal(failed.status, 'failed');
  assert.ok(second.discovery());
});

void test('a snapshot from another source is not restored', async (t) => {
  const h = await harness(t);
  await service(h).refresh('startup');
  h.profile = { ...h.profile, discoveryUrl: `${h.url}?other` };
  assert.equal(service(h).state().status, 'never');
});

void test('a file profile reads discovery from disk', async (t) => {
  const h = await harness(t);
  h.profile = {
    id: 'file',
    name: 'Discovery file on disk',
    kind: 'file',
    discoveryUrl: new URL('../fixtures/discovery/collabora.xml', import.meta.url).pathname,
    proofMode: 'report',
    requiresHttps: false,
  };
  const svc = service(h);
  const state = await svc.refresh('startup');
  assert.equal(state.status, 'ok');
  assert.equal(state.proofMode, 'report');
  assert.equal(state.zone, 'external-http');
  const edit = svc.actionUrl('odt', 'edit', { wopiSrc: 'http://127.0.0.1:1/wopi/files/a' });
  assert.ok(edit.ok);
  assert.equal(
    edit.url,
    'http://localhost:9980/browser/1a2b3c4/cool.html?WOPISrc=http%3A%2F%2F127.0.0.1%3A1%2Fwopi%2Ffiles%2Fa',
  );
  assert.equal(h.hits(), 0);
});

void test('the refresh interval is kept within 12–24 hours', () => {
  const hour = 3_600_000;
  assert.equal(clampRefreshInterval(undefined), 12 * hour);
  assert.equal(clampRefreshInterval(60_000), 12 * hour);
  assert.equal(clampRefreshInterval(18 * hour), 18 * hour);
  assert.equal(clampRefreshInterval(7 * 24 * hour), 24 * hour);
  assert.equal(clampRefreshInterval(Number.NaN), 12 * hour);
});

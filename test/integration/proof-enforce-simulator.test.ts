// Proof keys end to end: a real engine with the simulator profile (proof mode enforce) and the
// simulated client signing real requests. Good proofs pass, each misbehaviour gets the documented
// answer, key rotation is followed by discovery refreshes, and discovery failures never break WOPI.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import type { EventMap, EventType } from '../../server/contracts/events';
import { createWorkbench } from '../../server/workbench';
import type { Workbench } from '../../server/workbench';
import type { WorkbenchOptions } from '../../server/config/options';
import type { RunSessionResult } from '../../server/simulator';

const WAIT_MS = 15_000;

interface Running {
  wb: Workbench;
  rooms: Workbench['rooms'];
  folder: string;
  records: RequestRecord[];
  stop(): Promise<void>;
}

async function startEngine(
  files: Record<string, string>,
  options: Partial<WorkbenchOptions> = {},
): Promise<Running> {
  const root = await mkdtemp(path.join(tmpdir(), 'wb-proof-'));
  const folder = path.join(root, 'folder');
  await mkdir(folder);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(folder, name), content);
  const wb = createWorkbench({ folder, dataDir: path.join(root, 'data'), watch: false, ...options });
  const records: RequestRecord[] = [];
  wb.bus.on('request:completed', (e) => records.push(e.data));
  const rooms = wb.rooms;
  await wb.start();
  return {
    wb,
    rooms,
    folder,
    records,
    async stop() {
      await wb.stop();
      await rm(root, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

function nextEvent<K extends EventType>(wb: Workbench, type: K, what: string): Promise<EventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} within ${WAIT_MS} ms (${what})`));
    }, WAIT_MS);
    const off = wb.bus.on(type, (e) => {
      clearTimeout(timer);
      off();
      resolve(e.data);
    });
  });
}

/** The log records of a session's requests, found by the correlation id each step sent (bounded wait). */
async function recordsOf(e: Running, r: RunSessionResult): Promise<RequestRecord[]> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = r.steps.map((s) => e.records.find((x) => x.correlationId === s.correlationId));
    if (found.every((x) => x !== undefined)) return found as RequestRecord[];
    if (Date.now() > deadline) throw new Error(`records missing for ${describeSteps(r)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const firstRecord = async (e: Running, r: RunSessionResult): Promise<RequestRecord> =>
  (await recordsOf(e, r))[0]!;

function fileId(wb: Workbench, name: string): string {
  const row = wb.files.listPresent().find((f) => f.path === name);
  assert.ok(row, `${name} is served`);
  return row.id;
}

function describeSteps(r: RunSessionResult): string {
  return r.steps.map((s) => `${s.operation} ${s.status} ${s.serverError ?? ''} (${s.proof})`).join('\n');
}

describe('simulator profile, proof mode enforce', () => {
  let now = Date.now();
  const clock = (): number => now;
  let e: Running;
  let id: string;

  before(async () => {
    e = await startEngine({ 'notes.txt': 'first line\n' }, { clock, proofMode: 'enforce' });
    id = fileId(e.wb, 'notes.txt');
    assert.equal(e.rooms.discovery.state().status, 'ok', 'simulator discovery loaded at start');
    assert.equal(e.rooms.discovery.proofMode(), 'enforce');
  });
  after(() => e.stop());

  const session = (
    o: Partial<Parameters<Running['rooms']['hostPage']['simulator']['runSession']>[0]> = {},
  ) => {
    const grant = e.wb.mintTokenForId(id, 'editor');
    return e.rooms.hostPage.simulator.runSession({
      wopiSrc: grant.wopiSrc,
      accessToken: grant.accessToken,
      edit: true,
      ...o,
    });
  };

  test('an edit session is accepted: every request 200 with a valid proof over the public URL', async () => {
    const r = await session();
    assert.equal(r.ok, true, describeSteps(r));
    assert.deepEqual(
      r.steps.map((s) => [s.operation, s.status]),
      [
        ['CheckFileInfo', 200],
        ['Lock', 200],
        ['GetFile', 200],
        ['PutFile', 200],
        ['RefreshLock', 200],
        ['Unlock', 200],
      ],
    );
    const recs = await recordsOf(e, r);
    assert.equal(recs.length, 6);
    for (const rec of recs) {
      assert.equal(rec.proof?.outcome, 'valid', `${rec.operation}: ${rec.proof?.reason}`);
      assert.equal(rec.proof?.combination, 'proof-current');
      assert.equal(rec.proof?.mode, 'enforce');
      assert.ok(
        rec.proof?.urlVerified.startsWith(`${e.wb.publicBase()}/wopi/files/${id}`),
        rec.proof?.urlVerified,
      );
    }
    const text = await readFile(path.join(e.folder, 'notes.txt'), 'utf8');
    assert.match(text, /^first line\nEdited by the WOPI Workbench simulator at \d{4}-/);
    assert.ok(
      e.wb.versions.list(id).some((v) => v.reason === 'put'),
      'the overwritten content was kept as a version',
    );
  });

  test('a timestamp 21 minutes old is refused with 500', async () => {
    const r = await session({ misbehave: 'expired-timestamp' });
    assert.equal(r.steps.length, 1, describeSteps(r));
    assert.equal(r.steps[0]!.status, 500);
    assert.equal(r.steps[0]!.expected, true);
    const rec = await firstRecord(e, r);
    assert.equal(rec.proof?.outcome, 'expired');
    assert.equal(rec.proof?.rejected, true);
    assert.ok((rec.proof?.timestampAgeMs ?? 0) >= 21 * 60_000);
  });

  test('a proof signed for the wrong URL is refused, naming the URL that would have verified', async () => {
    const r = await session({ misbehave: 'wrong-url', edit: false });
    assert.equal(r.steps[0]!.status, 500, describeSteps(r));
    assert.match(r.steps[0]!.serverError ?? '', /proof-key check failed/);
    const rec = await firstRecord(e, r);
    assert.equal(rec.proof?.outcome, 'invalid');
    const swapped = rec.proof!.urlVerified.replace(/^http:/, 'https:');
    assert.deepEqual(rec.proof?.wouldVerifyWith, [swapped]);
    assert.ok(rec.proof?.reason.includes(swapped), rec.proof?.reason);
  });

  test('unsigned requests and bad signatures are refused with 500', async () => {
    for (const [misbehave, outcome] of [
      ['unsigned', 'missing'],
      ['bad-signature', 'invalid'],
    ] as const) {
      const r = await session({ misbehave, edit: false });
      assert.equal(r.steps[0]!.status, 500, `${misbehave}\n${describeSteps(r)}`);
      assert.equal((await firstRecord(e, r)).proof?.outcome, outcome, misbehave);
    }
  });

  test('PutFile with a wrong lock id gets 409 and the current lock in X-WOPI-Lock', async () => {
    const before = await readFile(path.join(e.folder, 'notes.txt'));
    const r = await session({ misbehave: 'wrong-lock' });
    const put = r.steps.find((s) => s.operation === 'PutFile');
    assert.equal(put?.status, 409, describeSteps(r));
    assert.equal(put?.lock, r.lockId, 'X-WOPI-Lock carries the lock the session really holds');
    assert.equal(put?.expected, true);
    assert.equal(r.steps.at(-1)?.operation, 'Unlock');
    assert.equal(r.steps.at(-1)?.status, 200);
    assert.ok((await readFile(path.join(e.folder, 'notes.txt'))).equals(before), 'the file was not changed');
  });

  test('after a key rotation: ProofOld with the current key, then Proof with the old key, both accepted and refresh discovery', async () => {
    const sim = e.rooms.hostPage.simulator;
    const firstKey = sim.fingerprints().current;
    assert.equal(e.rooms.discovery.state().proofKey?.currentFingerprint, firstKey);
    await sim.rotateKey();
    assert.equal(sim.fingerprints().old, firstKey);

    // The host's discovery is stale: the client signs Proof with its new key, ProofOld with the previous.
    now += 61_000; // past the one-a-minute limit on proof-driven refreshes
    let refreshed = nextEvent(e.wb, 'discovery:refreshed', 'after ProofOld verified with the current key');
    let r = await session({ edit: false });
    assert.equal(r.ok, true, describeSteps(r));
    assert.equal((await firstRecord(e, r)).proof?.combination, 'proofold-current');
    assert.equal((await firstRecord(e, r)).proof?.refreshTriggered, true);
    const state = await refreshed;
    assert.equal(state.proofKey?.currentFingerprint, sim.fingerprints().current);
    assert.equal(state.proofKey?.oldFingerprint, firstKey);
    assert.ok(
      state.changes.some((c) => c.kind === 'proof-key-rotated'),
      JSON.stringify(state.changes),
    );

    // A client that still signs with the retired key: Proof verifies only with the old key.
    now += 61_000;
    refreshed = nextEvent(e.wb, 'discovery:refreshed', 'after Proof verified with the old key');
    r = await session({ misbehave: 'proof-old-key', edit: false });
    assert.equal(r.ok, true, describeSteps(r));
    assert.deepEqual(
      r.steps.map((s) => s.status),
      [200, 200],
    );
    assert.equal((await firstRecord(e, r)).proof?.combination, 'proof-old');
    assert.equal((await firstRecord(e, r)).proof?.refreshTriggered, true);
    await refreshed;
    // Within the minute, a second old-key request does not fetch again.
    r = await session({ misbehave: 'proof-old-key', edit: false });
    assert.equal(r.ok, true, describeSteps(r));
    assert.equal((await firstRecord(e, r)).proof?.refreshTriggered, false);

    // ProofOld with the old key is the one combination WOPI forbids.
    r = await session({ misbehave: 'proofold-old-key', edit: false });
    assert.equal(r.steps[0]!.status, 500, describeSteps(r));
    assert.equal((await firstRecord(e, r)).proof?.outcome, 'invalid');
  });

  test('a failed discovery fetch keeps the last keys and never breaks a WOPI request', async () => {
    await e.rooms.hostPage.simulator.stop();
    const state = await e.rooms.discovery.refresh();
    assert.equal(state.status, 'failed');
    assert.match(state.error ?? '', /Still using the discovery fetched at/);
    const r = await session({ edit: false });
    assert.equal(r.ok, true, describeSteps(r));
    assert.equal((await firstRecord(e, r)).proof?.outcome, 'valid');
  });
});

describe('public URL behind a proxy or tunnel', () => {
  const PUBLIC = 'https://wopi.example.test';
  let e: Running;
  let id: string;

  before(async () => {
    e = await startEngine({ 'deck.txt': 'slides\n' }, { publicUrl: PUBLIC, proofMode: 'enforce' });
    id = fileId(e.wb, 'deck.txt');
  });
  after(() => e.stop());

  test('proofs are checked against the public URL the client called, not the local listener', async () => {
    const grant = e.wb.mintTokenForId(id, 'editor');
    assert.ok(grant.wopiSrc.startsWith(`${PUBLIC}/wopi/files/`));
    const r = await e.rooms.hostPage.simulator.runSession({
      wopiSrc: grant.wopiSrc,
      accessToken: grant.accessToken,
      edit: true,
    });
    assert.equal(r.ok, true, describeSteps(r));
    for (const rec of await recordsOf(e, r)) {
      assert.equal(rec.proof?.outcome, 'valid', rec.proof?.reason);
      assert.ok(rec.proof?.urlVerified.startsWith(PUBLIC), rec.proof?.urlVerified);
    }
  });

  test('a request signed for another URL (TLS terminated, or the local address) is refused with a diagnosis', async () => {
    const grant = e.wb.mintTokenForId(id, 'editor');
    for (const signAs of ['http://wopi.example.test', e.wb.wopiUrl()]) {
      const r = await e.rooms.hostPage.simulator.runSession({
        wopiSrc: grant.wopiSrc,
        accessToken: grant.accessToken,
        edit: false,
        signAs,
      });
      assert.equal(r.steps[0]!.status, 500, describeSteps(r));
      const proof = (await firstRecord(e, r)).proof!;
      const expected = `${signAs}/wopi/files/${id}?access_token=${grant.accessToken}`;
      assert.ok(
        proof.wouldVerifyWith?.includes(expected),
        `${JSON.stringify(proof.wouldVerifyWith)} should name ${expected}`,
      );
      assert.match(proof.reason, /proxy or tunnel rewrote/);
    }
  });
});

describe('a client profile whose discovery cannot be fetched', () => {
  let e: Running;

  before(async () => {
    e = await startEngine(
      { 'a.txt': 'a\n' },
      { clientProfile: 'custom', discoveryUrl: 'http://127.0.0.1:9/hosting/discovery' },
    );
  });
  after(() => e.stop());

  test('the engine serves, reports the failure, and WOPI requests still work (proof skipped)', async () => {
    const state = e.rooms.discovery.state();
    assert.equal(state.status, 'failed');
    assert.ok(state.error);
    const id = fileId(e.wb, 'a.txt');
    const grant = e.wb.mintTokenForId(id, 'editor');
    const r = await e.rooms.hostPage.simulator.runSession({
      wopiSrc: grant.wopiSrc,
      accessToken: grant.accessToken,
      edit: true,
    });
    assert.equal(r.ok, true, describeSteps(r));
    const proof = (await firstRecord(e, r)).proof;
    assert.equal(proof?.outcome, 'skipped');
    assert.equal(proof?.mode, 'report');
    assert.equal(proof?.rejected, false);
    const launch = e.rooms.hostPage.launch({ fileId: id, action: 'edit' });
    const page = await fetch(launch.url);
    assert.equal(page.status, 404);
    assert.match(await page.text(), /Client profile: custom/);
  });
});

describe('the default simulator profile (proof mode report)', () => {
  let e: Running;

  before(async () => {
    e = await startEngine({ 'a.txt': 'a\n' });
  });
  after(() => e.stop());

  test('an unsigned request is answered and its missing proof reported, not rejected', async () => {
    assert.equal(e.rooms.discovery.proofMode(), 'report');
    const grant = e.wb.mintTokenForId(fileId(e.wb, 'a.txt'), 'editor');
    const r = await e.rooms.hostPage.simulator.runSession({
      wopiSrc: grant.wopiSrc,
      accessToken: grant.accessToken,
      edit: false,
      misbehave: 'unsigned',
    });
    assert.equal(r.ok, true, describeSteps(r));
    const proof = (await firstRecord(e, r)).proof;
    assert.equal(proof?.outcome, 'missing');
    assert.equal(proof?.mode, 'report');
    assert.equal(proof?.rejected, false);
  });
});

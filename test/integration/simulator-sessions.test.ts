// The simulated client behaves like Office, driven through the control API over real HTTP against a
// real engine (real SQLite, real folder): read-only with the holder named when another persona holds
// the lock, the refused save in three actions with the bytes on disk unchanged, co-authoring under one
// lock (the last one out unlocks), sticky misbehaviours and key rotation, and the check tag.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SimSessionView } from '../../server/contracts/lab';
import { controlApiForSuite, errorCode, itSentNoCorsHeaders, json } from '../helpers/control-api';

const REPORT = 'Quarterly report text.\n';
const NOT_A_DOCX = 'this is text, not a zip\n';
const bench = controlApiForSuite({
  'report.txt': REPORT,
  'notes.txt': 'notes\n',
  'plan.txt': 'plan\n',
  'broken.docx': NOT_A_DOCX,
});

const onDisk = (rel: string): Promise<string> => readFile(path.join(bench.wb.options.folder, rel), 'utf8');
const last = (s: SimSessionView, op: string) => [...s.steps].reverse().find((x) => x.operation === op);

void describe('simulated sessions through the control API', () => {
  void it('a .docx that is not one cannot be edited: the save says so, sends nothing, changes nothing', async () => {
    const file = await bench.fileByPath('broken.docx');
    const s = await bench.client.startSimSession({ body: { fileId: file.id, personaId: 'plan-editor' } });
    assert.equal(s.state, 'editing', s.message);
    const saved = await bench.client.saveSimSession({ params: { sessionId: s.id }, body: {} });
    assert.match(saved.message, /^Cannot edit this file: it is not a valid \.docx/);
    assert.equal(last(saved, 'PutFile'), undefined, 'no PutFile was sent');
    assert.equal(await onDisk('broken.docx'), NOT_A_DOCX);
    await bench.client.closeSimSession({ params: { sessionId: s.id } });
  });

  void it("user B's save is rejected while user A holds the lock, in three actions, bytes unchanged", async () => {
    const { client } = bench;
    const file = await bench.fileByPath('report.txt');
    const before = await onDisk('report.txt');

    // 1. Alice (the 'editor' persona) opens for editing: she takes the lock.
    const alice = await client.startSimSession({ body: { fileId: file.id, personaId: 'editor' } });
    assert.equal(alice.state, 'editing', alice.message);
    assert.equal(alice.persona.name, 'Ada Editor');
    assert.ok(alice.lockId);

    // 2. Bob (by name) opens for editing: Lock answers 409, the client falls back to read-only.
    const bob = await client.startSimSession({ body: { fileId: file.id, personaId: 'Grace Coauthor' } });
    assert.equal(bob.state, 'read-only');
    assert.equal(bob.persona.id, 'coauthor');
    assert.match(bob.message, /^Ada Editor is editing report\.txt\. You can view it read-only\.$/);
    assert.equal(bob.lockedBy?.lockId, alice.lockId);
    assert.equal(bob.lockedBy?.holder, 'Ada Editor');
    const lock = last(bob, 'Lock')!;
    assert.equal(lock.status, 409);
    assert.match(lock.lockFailureReason ?? '', /^Locked by Ada Editor; /);
    assert.equal(last(bob, 'GetFile')?.status, 200, 'read-only still reads the file to show it');
    assert.equal(bob.lockId, null);

    // 3. Bob saves: the PutFile is still sent, without a lock, and the host refuses it.
    const saved = await client.saveSimSession({
      params: { sessionId: bob.id },
      body: { text: 'Bob was here\n' },
    });
    const put = last(saved, 'PutFile')!;
    assert.equal(put.status, 409);
    assert.equal(put.lock, alice.lockId, "the refusal carries Alice's lock");
    assert.equal(saved.lastSave?.ok, false);
    assert.equal(saved.lastSave?.status, 409);
    assert.equal(saved.lastSave?.lock, alice.lockId);
    assert.match(saved.message, /^Save rejected: .*409.*Ada Editor holds the lock/);
    assert.equal(await onDisk('report.txt'), before, 'the refused save changed no byte on disk');

    // The lock is listed with its holder.
    const listed = (await client.locks()).find((l) => l.fileId === file.id);
    assert.equal(listed?.holderId, 'editor');
    assert.equal(listed?.holderName, 'Ada Editor');

    await client.closeSimSession({ params: { sessionId: bob.id } });
    const closed = await client.closeSimSession({ params: { sessionId: alice.id } });
    assert.equal(closed.state, 'closed');
    assert.equal(last(closed, 'Unlock')?.status, 200);
    assert.equal(
      (await client.locks()).find((l) => l.fileId === file.id),
      undefined,
    );
  });

  void it('co-authoring: two personas edit under one lock, and only the last one out unlocks', async () => {
    const { client } = bench;
    const file = await bench.fileByPath('notes.txt');
    const a = await client.startSimSession({ body: { fileId: file.id, personaId: 'editor' } });
    const b = await client.startSimSession({
      body: { fileId: file.id, personaId: 'coauthor', coauthorWith: a.id },
    });
    assert.equal(b.state, 'editing', b.message);
    assert.equal(b.coauthorOf, a.id);
    assert.equal(b.lockId, a.lockId, 'the co-author edits under the same lock');
    assert.equal(last(b, 'Lock')?.status, 200, 'Lock with the same id is a refresh');

    const saved = await client.saveSimSession({ params: { sessionId: b.id }, body: { text: 'by two\n' } });
    assert.equal(saved.lastSave?.ok, true, saved.message);
    assert.equal(await onDisk('notes.txt'), 'by two\n');
    const put = (await client.requests({ query: { fileId: file.id, operation: 'PutFile' } })).items[0]!;
    assert.equal(put.userId, 'coauthor', "the co-author's own token saved");
    assert.deepEqual(put.requestHeaders['x-wopi-editors']?.split(',').sort(), ['coauthor', 'editor']);

    // The first one leaves: no Unlock, the lock stays for the co-author.
    const aClosed = await client.closeSimSession({ params: { sessionId: a.id } });
    assert.equal(aClosed.state, 'closed');
    assert.equal(last(aClosed, 'Unlock'), undefined);
    assert.equal((await client.locks()).find((l) => l.fileId === file.id)?.lockId, a.lockId);
    // The last one out unlocks.
    const bClosed = await client.closeSimSession({ params: { sessionId: b.id } });
    assert.equal(last(bClosed, 'Unlock')?.status, 200);
    assert.equal(
      (await client.locks()).find((l) => l.fileId === file.id),
      undefined,
    );
  });

  void it('joining a session that is not editing is refused with the reason', async () => {
    const { client } = bench;
    const call = bench.call.bind(bench);
    const file = await bench.fileByPath('plan.txt');
    const viewer = await client.startSimSession({ body: { fileId: file.id, personaId: 'viewer' } });
    assert.equal(viewer.state, 'viewing', viewer.message);
    const res = await call('POST', '/v1/simulator/sessions', {
      body: { fileId: file.id, personaId: 'editor', coauthorWith: viewer.id },
    });
    assert.equal(res.status, 409, res.text);
    assert.match(res.text, /not editing/);
    const unknown = await call('GET', '/v1/simulator/sessions/nope');
    assert.equal(errorCode(unknown), 'not-found');
  });

  void it('misbehaviours are sticky, validated, and listed with help; rotating the key changes fingerprints', async () => {
    const { client } = bench;
    const call = bench.call.bind(bench);
    const bad = await call('PUT', '/v1/simulator/misbehaviour', { body: { misbehave: ['nonsense'] } });
    assert.equal(errorCode(bad), 'bad-request');
    assert.match(
      json<{ error: { message: string } }>(bad).error.message,
      /unknown misbehaviour "nonsense"; use one of: wrong-lock, expired-timestamp, /,
    );

    const set = await client.setMisbehaviour({ body: { misbehave: ['wrong-lock'] } });
    const active = set.misbehaviours.filter((m) => m.active).map((m) => m.id);
    assert.deepEqual(active, ['wrong-lock']);
    assert.ok(set.misbehaviours.every((m) => m.help.length > 10));
    const file = await bench.fileByPath('plan.txt');
    const run = await client.runSimulator({ body: { fileId: file.id } });
    assert.equal(run.ok, false);
    const put = run.steps.find((s) => s.operation === 'PutFile')!;
    assert.equal(put.status, 409);
    assert.equal(put.expected, true);
    assert.match(run.summary, /^PutFile → 409 \(expected: wrong-lock\)$/m);
    const cleared = await client.setMisbehaviour({ body: { misbehave: [] } });
    assert.ok(cleared.misbehaviours.every((m) => !m.active));

    const before = (await client.simulator()).fingerprints;
    assert.ok(before.current);
    const rotated = await client.rotateSimulatorKey();
    assert.notEqual(rotated.fingerprints.current, before.current);
    assert.equal(rotated.fingerprints.old, before.current);
  });

  void it('a tag puts X-Workbench-Check on every request, so the host tags the records', async () => {
    const { client } = bench;
    const file = await bench.fileByPath('plan.txt');
    const tag = { runId: 'scn-1', caseId: 'Scenario.step1' };
    const s = await client.startSimSession({ body: { fileId: file.id, personaId: 'editor', tag } });
    await client.closeSimSession({ params: { sessionId: s.id } });
    const ids = new Set(s.steps.map((x) => x.correlationId));
    const items = (await client.requests({ query: { fileId: file.id, limit: 100 } })).items.filter((r) =>
      ids.has(r.correlationId ?? ''),
    );
    assert.equal(items.length, s.steps.length);
    for (const r of items) assert.deepEqual(r.check, tag, `${r.operation} is tagged`);
  });
});

itSentNoCorsHeaders(bench, 10);

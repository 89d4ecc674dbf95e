// Misbehaviours through the control API on a host that enforces proofs (simulator profile, real
// engine, real HTTP): a sticky 'unsigned' makes a run fail the proof check, marked as expected, and
// applies to headless sessions too; clearing it makes the next run pass; rotating the key changes
// the fingerprints the simulator's discovery publishes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createControlClient } from '../../server/contracts';
import { forSuite, nextEvent, startWiredEngine } from '../helpers/engine-fixture';

const bench = forSuite(() =>
  startWiredEngine({
    prefix: 'wb-sim-misbehave-',
    files: { 'signed.txt': 'signed\n' },
    engine: { proofMode: 'enforce' },
  }),
);

void describe('misbehaviour routes on a --proof enforce host', () => {
  it('a sticky misbehaviour fails the proof check on the next run, marked expected; cleared, runs pass', async () => {
    const client = createControlClient({ baseUrl: bench.wb.controlUrl(), token: bench.wb.controlToken });
    const fileId = bench.ids['signed.txt']!;
    const set = await client.setMisbehaviour({ body: { misbehave: ['unsigned'] } });
    assert.deepEqual(
      set.misbehaviours.filter((m) => m.active).map((m) => m.id),
      ['unsigned'],
    );
    const run = await client.runSimulator({ body: { fileId, personaId: 'editor' } });
    assert.equal(run.ok, false);
    assert.equal(run.opened, false);
    const first = run.steps[0]!;
    assert.deepEqual([first.operation, first.status, first.expected], ['CheckFileInfo', 500, true]);
    assert.equal(run.summary, 'CheckFileInfo → 500 (expected: unsigned)');

    // Sticky: a headless session is unsigned too, says it failed, and is published as it changes.
    const published = nextEvent(bench.wb, 'simulator:session', (v) => v.state === 'failed');
    const s = await client.startSimSession({ body: { fileId, personaId: 'editor' } });
    assert.equal((await published).data.id, s.id);
    assert.deepEqual(s.misbehave, ['unsigned']);
    assert.equal(s.state, 'failed');
    assert.match(s.message, /CheckFileInfo answered 500/);

    await client.setMisbehaviour({ body: { misbehave: [] } });
    const clean = await client.runSimulator({ body: { fileId, personaId: 'editor' } });
    assert.equal(clean.ok, true, clean.summary);
    assert.equal(clean.summary, 'every step succeeded');
  });

  it('rotating the key changes the fingerprints and the discovery publishes the old one', async () => {
    const client = createControlClient({ baseUrl: bench.wb.controlUrl(), token: bench.wb.controlToken });
    const before = await client.simulator();
    assert.ok(before.origin.startsWith('http://127.0.0.1:'));
    assert.equal(before.discoveryUrl, `${before.origin}/hosting/discovery`);
    const rotated = await client.rotateSimulatorKey();
    assert.notEqual(rotated.fingerprints.current, before.fingerprints.current);
    assert.equal(rotated.fingerprints.old, before.fingerprints.current);
    const xml = await (await fetch(rotated.discoveryUrl)).text();
    assert.match(xml, /oldvalue="[^"]+"/, 'discovery publishes the old key after a rotation');
  });
});

void describe('simulated sessions in proxy mode', () => {
  it('answer not-available: the personas and tokens belong to the upstream host', async () => {
    // Nothing listens on the upstream: a session must be refused before any request would be sent.
    const proxied = await startWiredEngine({
      prefix: 'wb-sim-proxied-',
      files: {},
      engine: { upstream: 'http://127.0.0.1:9' },
    });
    try {
      const res = await fetch(`${proxied.wb.controlUrl()}/v1/simulator/sessions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${proxied.wb.controlToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ fileId: 'anything' }),
      });
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'not-available');
      assert.match(body.error.message, /proxy mode/);
    } finally {
      await proxied.dispose();
    }
  });
});

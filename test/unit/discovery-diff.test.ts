import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { diffDiscovery } from '../../server/discovery/diff';
import { parseDiscovery } from '../../server/discovery/parse';
import type { Discovery } from '../../server/discovery/parse';
import { importProofKeys } from '../../server/proof/keys';

const load = (name: string): Discovery =>
  parseDiscovery(readFileSync(new URL(`../fixtures/discovery/${name}`, import.meta.url), 'utf8'));

void test('first snapshot and identical snapshots report no change', () => {
  assert.deepEqual(diffDiscovery(null, load('office.xml')), []);
  assert.deepEqual(diffDiscovery(load('office.xml'), load('office.xml')), []);
});

void test('rotation: the new old key is the previous current key; actions added and removed', () => {
  const before = load('office.xml');
  const after = load('office-rotated.xml');
  const changes = diffDiscovery(before, after);
  const prevCurrent = importProofKeys(before.proofKey).current!.fingerprint;
  const nextCurrent = importProofKeys(after.proofKey).current!.fingerprint;
  assert.deepEqual(
    changes.map((c) => c.kind),
    ['proof-key-rotated', 'action-added', 'action-removed'],
  );
  assert.ok(changes[0].detail.includes(prevCurrent) && changes[0].detail.includes(nextCurrent));
  assert.equal(changes[1].detail, 'embedview for .docx (Word) added.');
  assert.equal(changes[2].detail, 'edit for .xlsx (Excel) removed.');
});

void test('a key replaced without rotation is reported as changed', () => {
  const before = load('office.xml');
  const after = load('office.xml');
  // Swap current and old: the new old key is not the previous current key.
  const pk = before.proofKey!;
  after.proofKey = {
    value: pk.oldvalue,
    modulus: pk.oldmodulus,
    exponent: pk.oldexponent,
    oldvalue: '',
    oldmodulus: '',
    oldexponent: '',
  };
  const changes = diffDiscovery(before, after);
  assert.equal(changes.length, 1);
  assert.equal(changes[0].kind, 'proof-key-changed');
  assert.match(changes[0].detail, /old [0-9a-f]{16} -> none/);
});

void test('zone switch and many actions are summarised', () => {
  const before = load('office.xml');
  const after = load('collabora.xml');
  const changes = diffDiscovery(before, after);
  assert.equal(changes[0].kind, 'zone-changed');
  assert.equal(changes[0].detail, 'Using net-zone external-http instead of external-https.');
  const removed = changes.filter((c) => c.kind === 'action-removed');
  assert.equal(removed.length, 9); // 11 Office actions, less edit .docx and .xlsx that Collabora also has
  const big = structuredClone(after);
  big.zone.apps[0].actions = Array.from({ length: 30 }, (_, i) => ({
    ...after.zone.apps[0].actions[0],
    ext: `x${i}`,
  }));
  const added = diffDiscovery(after, big).filter((c) => c.kind === 'action-added');
  assert.equal(added.length, 21);
  assert.equal(added[20].detail, '…and 10 more actions added.');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildCspPublicKeyBlob, parseCspPublicKeyBlob } from '../../server/proof/csp-blob';
import {
  importProofKey,
  importProofKeys,
  keyFingerprint,
  ProofKeyError,
  proofKeyAttributesFor,
} from '../../server/proof/keys';
import type { DiscoveryProofKeyAttributes } from '../../server/proof/keys';

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/proof-key-vectors.json', import.meta.url), 'utf8'),
) as { discovery_proof_key: DiscoveryProofKeyAttributes };
const pk = vectors.discovery_proof_key;

void test('CSP blob of the published key holds the same modulus as the modulus attribute', () => {
  const blob = Buffer.from(pk.value, 'base64');
  assert.equal(blob.length, 276);
  const numbers = parseCspPublicKeyBlob(blob);
  assert.equal(numbers.modulus.toString('base64'), pk.modulus);
  assert.equal(numbers.exponent.toString('base64'), 'AQAB');
  assert.deepEqual(buildCspPublicKeyBlob(numbers), blob);
  const old = parseCspPublicKeyBlob(Buffer.from(pk.oldvalue, 'base64'));
  assert.equal(old.modulus.toString('base64'), pk.oldmodulus);
});

void test('modulus/exponent and the CSP blob import to the same key', () => {
  const viaModulus = importProofKey({ modulus: pk.modulus, exponent: pk.exponent })!;
  const viaBlob = importProofKey({ value: pk.value })!;
  const both = importProofKey({ value: pk.value, modulus: pk.modulus, exponent: pk.exponent })!;
  assert.equal(viaModulus.source, 'modulus');
  assert.equal(viaBlob.source, 'csp-blob');
  assert.equal(both.warning, undefined);
  assert.equal(viaModulus.fingerprint, viaBlob.fingerprint);
  assert.match(viaModulus.fingerprint, /^[0-9a-f]{16}$/);
  assert.equal(keyFingerprint(viaBlob.key), viaModulus.fingerprint);
  assert.equal(viaModulus.key.asymmetricKeyDetails?.modulusLength, 2048);
});

void test('current and old keys differ; empty old attributes mean no old key', () => {
  const keys = importProofKeys(pk);
  assert.ok(keys.current && keys.old);
  assert.notEqual(keys.current.fingerprint, keys.old.fingerprint);
  const noOld = importProofKeys({ ...pk, oldvalue: '', oldmodulus: '', oldexponent: '' });
  assert.ok(noOld.current);
  assert.equal(noOld.old, null);
  assert.deepEqual(importProofKeys(null), { current: null, old: null });
});

void test('disagreeing forms: modulus wins and a warning says so', () => {
  const mixed = importProofKey({ value: pk.oldvalue, modulus: pk.modulus, exponent: pk.exponent })!;
  assert.equal(mixed.source, 'modulus');
  assert.equal(mixed.fingerprint, importProofKey({ modulus: pk.modulus, exponent: 'AQAB' })!.fingerprint);
  assert.match(mixed.warning ?? '', /different keys/);
});

void test('a broken form falls back to the other one', () => {
  const blobOnly = importProofKey({ value: pk.value, modulus: 'not base64!', exponent: 'AQAB' })!;
  assert.equal(blobOnly.source, 'csp-blob');
  assert.match(blobOnly.warning ?? '', /modulus\/exponent unusable/);
  const attrsOnly = importProofKey({ value: 'AAAA', modulus: pk.modulus, exponent: pk.exponent })!;
  assert.equal(attrsOnly.source, 'modulus');
  assert.match(attrsOnly.warning ?? '', /CSP blob/);
});

void test('unusable attributes raise a typed error', () => {
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof ProofKeyError);
      return err.code;
    }
    return 'no error';
  };
  assert.equal(
    codeOf(() => importProofKey({ modulus: pk.modulus })),
    'incomplete',
  );
  assert.equal(
    codeOf(() => importProofKey({ modulus: '@@@@', exponent: 'AQAB' })),
    'bad-base64',
  );
  assert.equal(
    codeOf(() => importProofKey({ value: Buffer.from('nonsense').toString('base64') })),
    'bad-csp-blob',
  );
});

void test('pretty-printed attributes with line breaks still import', () => {
  const wrapped = pk.modulus.replace(/(.{64})/g, '$1\n      ');
  assert.equal(
    importProofKey({ modulus: wrapped, exponent: 'AQAB' })!.fingerprint,
    importProofKey({ modulus: pk.modulus, exponent: 'AQAB' })!.fingerprint,
  );
});

void test('attributes exported for a generated key round-trip through both forms', () => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const attrs = proofKeyAttributesFor(publicKey);
  const imported = importProofKey(attrs)!;
  assert.equal(imported.warning, undefined);
  assert.equal(imported.fingerprint, keyFingerprint(publicKey));
  assert.equal(importProofKey({ value: attrs.value })!.fingerprint, keyFingerprint(publicKey));
});

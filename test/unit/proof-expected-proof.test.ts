// Byte layout checked against the derived data shipped with Microsoft's vectors, before any RSA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildExpectedProof, toUpperInvariant } from '../../server/proof/expected-proof';

interface VectorCase {
  name: string;
  access_token: string;
  x_wopi_timestamp: string;
  url: string;
  derived: {
    expected_proof_length_bytes: number;
    expected_proof_sha256_hex: string;
    expected_proof_first_16_bytes_hex: string;
    expected_proof_last_12_bytes_hex: string;
  };
}

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/proof-key-vectors.json', import.meta.url), 'utf8'),
) as { cases: VectorCase[] };

void test('fixture holds the eight published cases', () => {
  assert.equal(vectors.cases.length, 8);
});

for (const c of vectors.cases) {
  void test(`expected proof bytes match the derived data: ${c.name}`, () => {
    const bytes = buildExpectedProof({
      accessToken: c.access_token,
      url: c.url,
      timestampTicks: BigInt(c.x_wopi_timestamp),
    });
    assert.equal(bytes.length, c.derived.expected_proof_length_bytes);
    assert.equal(bytes.length, 20 + Buffer.byteLength(c.access_token) + Buffer.byteLength(c.url));
    assert.equal(bytes.subarray(0, 16).toString('hex'), c.derived.expected_proof_first_16_bytes_hex);
    assert.equal(bytes.subarray(-12).toString('hex'), c.derived.expected_proof_last_12_bytes_hex);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), c.derived.expected_proof_sha256_hex);
  });
}

void test('layout: lengths are uint32 BE, URL upper-cased with its query, token kept as given', () => {
  const bytes = buildExpectedProof({
    accessToken: 'a%2fb',
    url: 'https://h/wopi/files/x?access_token=a%2fb',
    timestampTicks: 0x0102030405060708n,
  });
  const url = 'HTTPS://H/WOPI/FILES/X?ACCESS_TOKEN=A%2FB';
  const expected = Buffer.concat([
    Buffer.from([0, 0, 0, 5]),
    Buffer.from('a%2fb'),
    Buffer.from([0, 0, 0, url.length]),
    Buffer.from(url),
    Buffer.from([0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]),
  ]);
  assert.deepEqual(bytes, expected);
});

void test('lengths count UTF-8 bytes, not UTF-16 units', () => {
  const bytes = buildExpectedProof({ accessToken: 'é', url: 'https://h/ü', timestampTicks: 1n });
  assert.equal(bytes.readUInt32BE(0), 2);
  assert.equal(bytes.readUInt32BE(6), Buffer.byteLength('HTTPS://H/Ü'));
});

void test('upper-casing maps one character to one, like ToUpperInvariant', () => {
  assert.equal(toUpperInvariant('https://x/ä?q=ß'), 'HTTPS://X/Ä?Q=ß');
  assert.equal(toUpperInvariant('ﬀ-😀-ı'), 'ﬀ-😀-I');
});

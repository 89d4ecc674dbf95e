import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ProofCombination } from '../../server/contracts/api';
import { importProofKeys } from '../../server/proof/keys';
import type { DiscoveryProofKeyAttributes } from '../../server/proof/keys';
import { nowTicks, signProof } from '../../server/proof/sign';
import { candidateUrlsFor, verifyProof } from '../../server/proof/verify';
import type { ProofRequest } from '../../server/proof/verify';

interface VectorCase {
  name: string;
  expected_result: boolean;
  access_token: string;
  x_wopi_timestamp: string;
  url: string;
  x_wopi_proof: string;
  x_wopi_proof_old: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/proof-key-vectors.json', import.meta.url), 'utf8'),
) as { discovery_proof_key: DiscoveryProofKeyAttributes; cases: VectorCase[] };
const imported = importProofKeys(vectors.discovery_proof_key);
const msKeys = { current: imported.current!.key, old: imported.old!.key };
const NOW = Date.parse('2026-11-26T10:00:00Z');

const expectedCombination: Record<string, ProofCombination | null> = {
  test_proof_current_key1: 'proof-current',
  test_proof_current_key2: 'proof-current',
  test_old_proof_current_key1: 'proofold-current',
  test_old_proof_current_key2: 'proofold-current',
  test_proof_old_key1: 'proof-old',
  test_proof_old_key2: 'proof-old',
  test_invalid1: null,
  test_invalid2: null,
};

function vectorRequest(c: VectorCase): ProofRequest {
  return {
    accessToken: c.access_token,
    url: c.url,
    timestamp: c.x_wopi_timestamp,
    proof: c.x_wopi_proof,
    proofOld: c.x_wopi_proof_old,
  };
}

for (const c of vectors.cases) {
  void test(`Microsoft vector ${c.name}`, () => {
    const verdict = verifyProof(vectorRequest(c), msKeys, {
      mode: 'enforce',
      now: NOW,
      checkTimestamp: false,
    });
    const combination = expectedCombination[c.name];
    assert.notEqual(combination, undefined, 'every published case has an expectation');
    assert.equal(verdict.outcome === 'valid', c.expected_result);
    assert.equal(verdict.combination, combination ?? undefined);
    assert.equal(verdict.rejected, !c.expected_result);
    assert.equal(verdict.urlVerified, c.url);
    // Only a plain current-key match leaves discovery alone.
    assert.equal(verdict.refreshTriggered === true, combination !== 'proof-current');
  });
}

void test('Java sample extra check: the old-key proof fails against the current key alone', () => {
  const c = vectors.cases.find((x) => x.name === 'test_proof_old_key1')!;
  const verdict = verifyProof(
    { accessToken: c.access_token, url: c.url, timestamp: c.x_wopi_timestamp, proof: c.x_wopi_proof },
    { current: msKeys.current, old: null },
    { mode: 'enforce', now: NOW, checkTimestamp: false },
  );
  assert.equal(verdict.outcome, 'invalid');
  assert.equal(verdict.rejected, true);
});

void test('the vectors fail the 20-minute window when the timestamp check is on', () => {
  const c = vectors.cases[0];
  const verdict = verifyProof(vectorRequest(c), msKeys, { mode: 'enforce', now: NOW });
  assert.equal(verdict.outcome, 'expired');
  assert.ok((verdict.timestampAgeMs ?? 0) > 365 * 86_400_000);
});

// Generated key pairs for the cases Microsoft's vectors do not cover.
const pair = (): { publicKey: KeyObject; privateKey: KeyObject } =>
  generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyA = pair();
const keyB = pair();
const keyC = pair();
const URL_PUBLIC = 'https://wb-1234.example.net/wopi/files/abc?access_token=Tok3n';

function signed(
  opts: { proofKey?: KeyObject; proofOldKey?: KeyObject; url?: string; token?: string; atMs?: number } = {},
): ProofRequest {
  const url = opts.url ?? URL_PUBLIC;
  const accessToken = opts.token ?? 'Tok3n';
  const timestampTicks = nowTicks(opts.atMs ?? NOW);
  const payload = { accessToken, url, timestampTicks };
  return {
    accessToken,
    url,
    timestamp: timestampTicks.toString(),
    proof: opts.proofKey ? signProof(opts.proofKey, payload) : undefined,
    proofOld: opts.proofOldKey ? signProof(opts.proofOldKey, payload) : undefined,
  };
}

void test('the three accepted combinations with generated keys', () => {
  const host = { current: keyA.publicKey, old: keyB.publicKey };
  const cases: [ProofRequest, ProofCombination][] = [
    [signed({ proofKey: keyA.privateKey, proofOldKey: keyC.privateKey }), 'proof-current'],
    [signed({ proofKey: keyC.privateKey, proofOldKey: keyA.privateKey }), 'proofold-current'],
    [signed({ proofKey: keyB.privateKey, proofOldKey: keyC.privateKey }), 'proof-old'],
  ];
  for (const [request, combination] of cases) {
    const verdict = verifyProof(request, host, { mode: 'enforce', now: NOW });
    assert.equal(verdict.outcome, 'valid');
    assert.equal(verdict.combination, combination);
    assert.equal(verdict.rejected, false);
    assert.equal(verdict.timestampAgeMs, 0);
  }
});

void test('ProofOld verified with the old key is rejected', () => {
  const host = { current: keyA.publicKey, old: keyB.publicKey };
  const request = signed({ proofKey: keyC.privateKey, proofOldKey: keyB.privateKey });
  const verdict = verifyProof(request, host, { mode: 'enforce', now: NOW });
  assert.equal(verdict.outcome, 'invalid');
  assert.equal(verdict.rejected, true);
  assert.equal(verdict.refreshTriggered, true);
  assert.match(verdict.reason, /ProofOld verified, and only with the old key/);
});

void test('an empty old key: only the current key is tried, and the reason says so', () => {
  const host = { current: keyA.publicKey, old: null };
  assert.equal(
    verifyProof(signed({ proofKey: keyA.privateKey }), host, { mode: 'enforce', now: NOW }).outcome,
    'valid',
  );
  const verdict = verifyProof(signed({ proofKey: keyB.privateKey }), host, { mode: 'enforce', now: NOW });
  assert.equal(verdict.outcome, 'invalid');
  assert.match(verdict.reason, /no old key in discovery/);
  assert.match(verdict.reason, /tried X-WOPI-Proof with the current key/);
});

void test('timestamp window: fresh passes, 21 minutes old and too far ahead are expired', () => {
  const host = { current: keyA.publicKey, old: null };
  const at = (offsetMs: number): ReturnType<typeof verifyProof> =>
    verifyProof(signed({ proofKey: keyA.privateKey, atMs: NOW + offsetMs }), host, {
      mode: 'enforce',
      now: NOW,
    });

  assert.equal(at(-19 * 60_000).outcome, 'valid');
  const old = at(-21 * 60_000);
  assert.equal(old.outcome, 'expired');
  assert.equal(old.rejected, true);
  assert.equal(old.timestampAgeMs, 21 * 60_000);
  assert.match(old.reason, /21 min old, 1 min past the 20 min limit/);

  assert.equal(at(4 * 60_000).outcome, 'valid');
  const ahead = at(7 * 60_000);
  assert.equal(ahead.outcome, 'expired');
  assert.equal(ahead.timestampAgeMs, -7 * 60_000);
  assert.match(ahead.reason, /7 min in the future, beyond the 5 min allowance/);

  const custom = verifyProof(signed({ proofKey: keyA.privateKey, atMs: NOW - 90_000 }), host, {
    mode: 'enforce',
    now: NOW,
    maxAgeMs: 60_000,
  });
  assert.equal(custom.outcome, 'expired');
});

void test('a proof signed for another scheme/host/port names the URL that would verify', () => {
  const signedUrl = 'https://wb-1234.example.net/wopi/files/abc?access_token=Tok3n';
  const checkedUrl = 'http://wb-1234.example.net/wopi/files/abc?access_token=Tok3n';
  const localUrl = 'http://127.0.0.1:41234/wopi/files/abc?access_token=Tok3n';
  const request = { ...signed({ proofKey: keyA.privateKey, url: signedUrl }), url: checkedUrl };
  const verdict = verifyProof(
    request,
    { current: keyA.publicKey, old: null },
    {
      mode: 'enforce',
      now: NOW,
      candidateUrls: candidateUrlsFor(checkedUrl, localUrl),
    },
  );
  assert.equal(verdict.outcome, 'invalid');
  assert.deepEqual(verdict.wouldVerifyWith, [signedUrl]);
  assert.equal(verdict.urlVerified, checkedUrl);
  assert.match(verdict.reason, /set the public URL to https:\/\/wb-1234\.example\.net\.$/);
});

void test('a proof signed over the local URL is found too', () => {
  const localUrl = 'http://127.0.0.1:41234/wopi/files/abc?access_token=Tok3n';
  const request = { ...signed({ proofKey: keyA.privateKey, url: localUrl }), url: URL_PUBLIC };
  const verdict = verifyProof(
    request,
    { current: keyA.publicKey, old: null },
    {
      mode: 'report',
      now: NOW,
      candidateUrls: candidateUrlsFor(URL_PUBLIC, localUrl),
    },
  );
  assert.deepEqual(verdict.wouldVerifyWith, [localUrl]);
  assert.equal(verdict.rejected, false);
});

void test('a token signed in another encoding is explained', () => {
  const raw = 'a/b+c=';
  const inUrl = 'a%2fb%2bc%3d';
  const url = `https://h.example/wopi/files/1?access_token=${inUrl}`;
  const request = { ...signed({ proofKey: keyA.privateKey, url, token: raw }), accessToken: inUrl };
  const verdict = verifyProof(request, { current: keyA.publicKey, old: null }, { mode: 'enforce', now: NOW });
  assert.equal(verdict.outcome, 'invalid');
  assert.match(verdict.reason, /percent-decoded/);
});

void test('modes: report never rejects, off skips, no keys skips', () => {
  const bad = signed({ proofKey: keyB.privateKey });
  const host = { current: keyA.publicKey, old: null };
  const report = verifyProof(bad, host, { mode: 'report', now: NOW });
  assert.equal(report.outcome, 'invalid');
  assert.equal(report.rejected, false);
  assert.equal(report.mode, 'report');

  const off = verifyProof(bad, host, { mode: 'off', now: NOW });
  assert.equal(off.outcome, 'skipped');
  assert.equal(off.rejected, false);

  const noKeys = verifyProof(bad, { current: null, old: null }, { mode: 'enforce', now: NOW });
  assert.equal(noKeys.outcome, 'skipped');
  assert.equal(noKeys.rejected, false);
});

void test('missing proof headers: rejected when enforcing, reported otherwise', () => {
  const unsigned = signed();
  const host = { current: keyA.publicKey, old: null };
  const enforce = verifyProof(unsigned, host, { mode: 'enforce', now: NOW });
  assert.equal(enforce.outcome, 'missing');
  assert.equal(enforce.rejected, true);
  assert.match(enforce.reason, /no X-WOPI-Proof header/);
  assert.equal(verifyProof(unsigned, host, { mode: 'report', now: NOW }).rejected, false);
  assert.equal(
    verifyProof({ ...unsigned, proof: '  ' }, host, { mode: 'enforce', now: NOW }).outcome,
    'missing',
  );
});

void test('malformed timestamp or signature is invalid, not a crash', () => {
  const host = { current: keyA.publicKey, old: null };
  const good = signed({ proofKey: keyA.privateKey });
  const badTs = verifyProof({ ...good, timestamp: '6.3e17' }, host, { mode: 'enforce', now: NOW });
  assert.equal(badTs.outcome, 'invalid');
  assert.match(badTs.reason, /X-WOPI-TimeStamp must be a decimal integer/);
  const noTs = verifyProof({ ...good, timestamp: undefined }, host, { mode: 'enforce', now: NOW });
  assert.equal(noTs.outcome, 'invalid');
  const shortSig = verifyProof({ ...good, proof: 'AAAA' }, host, { mode: 'enforce', now: NOW });
  assert.equal(shortSig.outcome, 'invalid');
});

void test('candidate URLs vary scheme, default port and local origin, keeping path and query bytes', () => {
  const publicUrl = 'https://pub.example/wopi/files/x?access_token=a%2Fb';
  const list = candidateUrlsFor(publicUrl, 'http://localhost:8123/wopi/files/x?access_token=a%2Fb');
  assert.ok(!list.includes(publicUrl));
  for (const expected of [
    'https://pub.example:443/wopi/files/x?access_token=a%2Fb',
    'http://pub.example/wopi/files/x?access_token=a%2Fb',
    'http://pub.example:80/wopi/files/x?access_token=a%2Fb',
    'https://pub.example:8123/wopi/files/x?access_token=a%2Fb',
    'http://localhost:8123/wopi/files/x?access_token=a%2Fb',
    'http://127.0.0.1:8123/wopi/files/x?access_token=a%2Fb',
  ]) {
    assert.ok(list.includes(expected), expected);
  }
  assert.equal(new Set(list).size, list.length);
});

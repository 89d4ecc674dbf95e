// The conformance runner's proof signer, read back by the host's own verifier: the default headers
// verify as Office's would, and each variant produces the verdict its proof-key case expects.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { createProofSigner } from '../../server/conformance/signer';
import { CaseSkip } from '../../server/conformance/types';
import { verifyProof } from '../../server/proof/verify';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const current = pair();
const old = pair();
const NOW = Date.parse('2026-03-01T12:00:00Z');
const URL_SENT = 'https://host.example/wopi/files/abc?access_token=tok-1&access_token_ttl=0';

function verdict(headers: Record<string, string>, keys = { current: current.publicKey, old: old.publicKey }) {
  return verifyProof(
    {
      accessToken: 'tok-1',
      url: URL_SENT,
      ...(headers['X-WOPI-TimeStamp'] !== undefined ? { timestamp: headers['X-WOPI-TimeStamp'] } : {}),
      ...(headers['X-WOPI-Proof'] !== undefined ? { proof: headers['X-WOPI-Proof'] } : {}),
      ...(headers['X-WOPI-ProofOld'] !== undefined ? { proofOld: headers['X-WOPI-ProofOld'] } : {}),
    },
    keys,
    { mode: 'enforce', now: NOW },
  );
}

describe('conformance proof signer', () => {
  it('signs with the current key and the old one, over the URL as sent, stamped now', () => {
    const signer = createProofSigner({ current: current.privateKey, old: old.privateKey, now: () => NOW });
    assert.equal(signer.hasOldKey, true);
    const h = signer.headers(URL_SENT, 'tok-1');
    assert.ok(h['X-WOPI-Proof'] && h['X-WOPI-ProofOld']);
    const v = verdict(h);
    assert.equal(v.outcome, 'valid', v.reason);
    assert.equal(v.combination, 'proof-current');
    // Signed over the URL: the same headers do not verify for another one.
    const other = verifyProof(
      {
        accessToken: 'tok-1',
        url: URL_SENT.replace('abc', 'abd'),
        timestamp: h['X-WOPI-TimeStamp']!,
        proof: h['X-WOPI-Proof']!,
        proofOld: h['X-WOPI-ProofOld']!,
      },
      { current: current.publicKey, old: old.publicKey },
      { mode: 'enforce', now: NOW },
    );
    assert.equal(other.outcome, 'invalid');
  });

  it('without an old key sends no X-WOPI-ProofOld, and a case asking for the old key is skipped', () => {
    const signer = createProofSigner({ current: current.privateKey, now: () => NOW });
    assert.equal(signer.hasOldKey, false);
    const h = signer.headers(URL_SENT, 'tok-1');
    assert.equal(h['X-WOPI-ProofOld'], undefined);
    assert.equal(verdict(h, { current: current.publicKey, old: null as never }).outcome, 'valid');
    assert.throws(() => signer.headers(URL_SENT, 'tok-1', { proof: 'old' }), CaseSkip);
  });

  it('variants: old key as Proof alone verifies as proof-old; a stale timestamp expires; another URL is invalid', () => {
    const signer = createProofSigner({ current: current.privateKey, old: old.privateKey, now: () => NOW });
    const oldProof = verdict(signer.headers(URL_SENT, 'tok-1', { proof: 'old', proofOld: 'none' }));
    assert.equal(oldProof.outcome, 'valid');
    assert.equal(oldProof.combination, 'proof-old');
    const stale = verdict(signer.headers(URL_SENT, 'tok-1', { timestampMs: NOW - 21 * 60_000 }));
    assert.equal(stale.outcome, 'expired');
    const wrong = verdict(signer.headers(URL_SENT, 'tok-1', { signedUrl: `${URL_SENT}&x=1` }));
    assert.equal(wrong.outcome, 'invalid');
    const none = signer.headers(URL_SENT, 'tok-1', { proof: 'none', proofOld: 'none' });
    assert.equal(verdict(none).outcome, 'missing');
  });
});

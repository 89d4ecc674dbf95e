// Proof-key verification (PROTOCOL.md §8.3): pure, clock injected, and it explains failures in
// terms a developer can act on (stale discovery, proxy rewrite, clock skew, token encoding).
import { constants, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { ProofCombination, ProofMode, ProofVerdict } from '../contracts/api';
import { originOf } from './candidates';
import { buildExpectedProof } from './expected-proof';
import { formatDuration, tokenVariants } from './explain';
import { parseTimestampHeader, ticksToMs } from './ticks';

export { candidateUrlsFor } from './candidates';

export const MAX_TIMESTAMP_AGE_MS = 20 * 60_000;
/** Office's clocks are good; a few minutes of skew on the host's side is the common case. */
export const FUTURE_SKEW_MS = 5 * 60_000;

export interface ProofRequest {
  /** The token exactly as it appears in the query string. */
  accessToken: string;
  /** The public absolute URL the client called, full query string included, as received. */
  url: string;
  timestamp?: string;
  proof?: string;
  proofOld?: string;
}

export interface ProofKeySet {
  current: KeyObject | null;
  old: KeyObject | null;
}

export interface VerifyOptions {
  mode: ProofMode;
  /** Epoch ms. */
  now: number;
  maxAgeMs?: number;
  futureSkewMs?: number;
  /** Default true; off only for replaying recorded or published vectors. */
  checkTimestamp?: boolean;
  /** Other URLs the client may have signed (see candidateUrlsFor), tried only when nothing verified. */
  candidateUrls?: string[];
}

type Verdict = Omit<ProofVerdict, 'mode' | 'urlVerified' | 'rejected'>;

interface Signatures {
  proof: Buffer | null;
  proofOld: Buffer | null;
}

export function verifyProof(input: ProofRequest, keys: ProofKeySet, opts: VerifyOptions): ProofVerdict {
  const verdict = decide(input, keys, opts);
  return {
    mode: opts.mode,
    urlVerified: input.url,
    ...verdict,
    rejected: opts.mode === 'enforce' && verdict.outcome !== 'valid' && verdict.outcome !== 'skipped',
  };
}

function decide(input: ProofRequest, keys: ProofKeySet, opts: VerifyOptions): Verdict {
  if (opts.mode === 'off') {
    return {
      outcome: 'skipped',
      reason: 'Proof checking is off for this client profile, so the signature was not checked.',
    };
  }
  if (!keys.current && !keys.old) {
    return {
      outcome: 'skipped',
      reason:
        'No proof keys are loaded (discovery not fetched yet, or it has no <proof-key>), so the signature could not be checked.',
    };
  }
  const sigs: Signatures = { proof: decodeSignature(input.proof), proofOld: decodeSignature(input.proofOld) };
  if (!sigs.proof && !sigs.proofOld) {
    return {
      outcome: 'missing',
      reason:
        'The request has no X-WOPI-Proof header, so the client did not sign it; the open-source WOPI validator never signs, so use proof mode "off" or "report" for it.',
    };
  }
  const ts = parseTimestampHeader(input.timestamp);
  if (!ts.ok)
    return { outcome: 'invalid', reason: `${ts.message.slice(0, -1)}, so the proof cannot be checked.` };

  const timestampAgeMs = opts.now - ticksToMs(ts.ticks);
  if (opts.checkTimestamp ?? true) {
    const maxAge = opts.maxAgeMs ?? MAX_TIMESTAMP_AGE_MS;
    const skew = opts.futureSkewMs ?? FUTURE_SKEW_MS;
    if (timestampAgeMs > maxAge) {
      return {
        outcome: 'expired',
        timestampAgeMs,
        reason: `X-WOPI-TimeStamp is ${formatDuration(timestampAgeMs)} old, ${formatDuration(timestampAgeMs - maxAge)} past the ${formatDuration(maxAge)} limit; check both machines' clocks, or whether the request was replayed.`,
      };
    }
    if (-timestampAgeMs > skew) {
      return {
        outcome: 'expired',
        timestampAgeMs,
        reason: `X-WOPI-TimeStamp is ${formatDuration(-timestampAgeMs)} in the future, beyond the ${formatDuration(skew)} allowance; this machine's clock or the client's is wrong.`,
      };
    }
  }

  const combination = firstAccepted(input.accessToken, input.url, ts.ticks, sigs, keys);
  if (combination) return { outcome: 'valid', combination, timestampAgeMs, ...validReason(combination) };
  return {
    outcome: 'invalid',
    timestampAgeMs,
    refreshTriggered: true,
    ...diagnose(input, ts.ticks, sigs, keys, opts),
  };
}

function validReason(combination: ProofCombination): Pick<Verdict, 'reason' | 'refreshTriggered'> {
  switch (combination) {
    case 'proof-current':
      return { reason: 'X-WOPI-Proof verified with the current discovery key.' };
    case 'proofold-current':
      return {
        reason:
          'X-WOPI-ProofOld verified with the current key, so the client has rotated its keys and this host’s discovery is stale; discovery is being refreshed.',
        refreshTriggered: true,
      };
    case 'proof-old':
      return {
        reason:
          'X-WOPI-Proof verified only with the old key, so the client still signs with a key discovery has retired; discovery is being refreshed to confirm the rotation.',
        refreshTriggered: true,
      };
  }
}

/** The three accepted pairs, in the order the docs list them; ProofOld with the old key is never accepted. */
function firstAccepted(
  accessToken: string,
  url: string,
  ticks: bigint,
  sigs: Signatures,
  keys: ProofKeySet,
): ProofCombination | null {
  const data = buildExpectedProof({ accessToken, url, timestampTicks: ticks });
  if (checks(data, sigs.proof, keys.current)) return 'proof-current';
  if (checks(data, sigs.proofOld, keys.current)) return 'proofold-current';
  if (checks(data, sigs.proof, keys.old)) return 'proof-old';
  return null;
}

function diagnose(
  input: ProofRequest,
  ticks: bigint,
  sigs: Signatures,
  keys: ProofKeySet,
  opts: VerifyOptions,
): Pick<Verdict, 'reason' | 'wouldVerifyWith'> {
  const wouldVerifyWith = (opts.candidateUrls ?? []).filter(
    (url) => url !== input.url && firstAccepted(input.accessToken, url, ticks, sigs, keys) !== null,
  );
  if (wouldVerifyWith.length > 0) {
    const signed = wouldVerifyWith[0];
    return {
      wouldVerifyWith,
      reason: `The proof was signed for ${signed}, not ${input.url}: a proxy or tunnel rewrote the scheme, host or port, so set the public URL to ${originOf(signed)}.`,
    };
  }
  for (const variant of tokenVariants(input.accessToken)) {
    if (firstAccepted(variant.token, input.url, ticks, sigs, keys)) {
      return {
        reason: `The proof verifies when the access token is taken ${variant.form}, so pass the token to the proof check exactly as the client signed it, or mint tokens from [A-Za-z0-9] only so every form agrees.`,
      };
    }
  }
  const data = buildExpectedProof({ accessToken: input.accessToken, url: input.url, timestampTicks: ticks });
  if (checks(data, sigs.proofOld, keys.old)) {
    return {
      reason:
        'Only X-WOPI-ProofOld verified, and only with the old key, which WOPI does not accept (it would let a retired key sign); discovery is being refreshed in case the client rotated twice.',
    };
  }
  return {
    reason: `No accepted key/proof pair verified for ${input.url} (tried ${triedPairs(sigs, keys)}); check that this is the exact public URL the client called, query string included, and that discovery comes from the client that sent the request.`,
  };
}

function triedPairs(sigs: Signatures, keys: ProofKeySet): string {
  const tried: string[] = [];
  if (sigs.proof && keys.current) tried.push('X-WOPI-Proof with the current key');
  if (sigs.proofOld && keys.current) tried.push('X-WOPI-ProofOld with the current key');
  if (sigs.proof && keys.old) tried.push('X-WOPI-Proof with the old key');
  if (!keys.old) tried.push('no old key in discovery');
  if (!sigs.proofOld) tried.push('no X-WOPI-ProofOld header');
  return tried.join(', ');
}

function checks(data: Buffer, signature: Buffer | null, key: KeyObject | null): boolean {
  if (!signature || !key) return false;
  try {
    return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    // OpenSSL rejects some malformed signatures (e.g. wrong length) by throwing; that is a failed check.
    return false;
  }
}

function decodeSignature(header: string | undefined): Buffer | null {
  const trimmed = header?.trim();
  if (!trimmed) return null;
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length > 0 ? bytes : null;
}

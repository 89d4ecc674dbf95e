// Public proof keys from discovery's <proof-key> attributes. modulus/exponent are the primary
// source (big-endian, via JWK); the CSP blob in value/oldvalue is a fallback and a cross-check.
import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { buildCspPublicKeyBlob, CspBlobError, parseCspPublicKeyBlob, stripLeadingZeros } from './csp-blob';
import type { RsaPublicNumbers } from './csp-blob';

export type ProofKeyErrorCode = 'bad-base64' | 'bad-csp-blob' | 'bad-key' | 'incomplete';

export class ProofKeyError extends Error {
  override readonly name = 'ProofKeyError';
  constructor(
    readonly code: ProofKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One key's attributes; for the old key pass oldvalue/oldmodulus/oldexponent under these names. */
export interface ProofKeyAttributes {
  value?: string;
  modulus?: string;
  exponent?: string;
}

export interface ImportedProofKey {
  key: KeyObject;
  /** Short, stable identifier for the UI (see keyFingerprint). */
  fingerprint: string;
  source: 'modulus' | 'csp-blob';
  /** Set when the attributes disagree or one form was unreadable. */
  warning?: string;
}

/** Import one key. Returns null when every attribute is empty (discovery's "no old key"). */
export function importProofKey(attrs: ProofKeyAttributes, label = 'proof key'): ImportedProofKey | null {
  const value = clean(attrs.value);
  const modulus = clean(attrs.modulus);
  const exponent = clean(attrs.exponent);
  if (!value && !modulus && !exponent) return null;

  let fromAttrs: RsaPublicNumbers | undefined;
  let attrsProblem: ProofKeyError | undefined;
  if (modulus && exponent) {
    try {
      fromAttrs = {
        modulus: stripLeadingZeros(decode(modulus, 'modulus')),
        exponent: stripLeadingZeros(decode(exponent, 'exponent')),
      };
    } catch (err) {
      attrsProblem = asKeyError(err);
    }
  } else if (modulus || exponent) {
    attrsProblem = new ProofKeyError(
      'incomplete',
      `${label} has ${modulus ? 'a modulus but no exponent' : 'an exponent but no modulus'}`,
    );
  }

  let fromBlob: RsaPublicNumbers | undefined;
  let blobProblem: ProofKeyError | undefined;
  if (value) {
    try {
      fromBlob = parseCspPublicKeyBlob(decode(value, 'value'));
    } catch (err) {
      blobProblem = asKeyError(err);
    }
  }

  if (fromAttrs) {
    const key = publicKeyFromNumbers(fromAttrs);
    const imported: ImportedProofKey = {
      key,
      fingerprint: fingerprintOfModulus(fromAttrs.modulus),
      source: 'modulus',
    };
    if (blobProblem)
      imported.warning = `${label}: the CSP blob (value) is unreadable (${blobProblem.message}); using modulus/exponent.`;
    else if (fromBlob && !sameNumbers(fromAttrs, fromBlob)) {
      imported.warning = `${label}: the CSP blob (value) and modulus/exponent describe different keys; using modulus/exponent.`;
    }
    return imported;
  }
  if (fromBlob) {
    const imported: ImportedProofKey = {
      key: publicKeyFromNumbers(fromBlob),
      fingerprint: fingerprintOfModulus(fromBlob.modulus),
      source: 'csp-blob',
    };
    if (attrsProblem)
      imported.warning = `${label}: modulus/exponent unusable (${attrsProblem.message}); using the CSP blob (value).`;
    return imported;
  }
  throw attrsProblem ?? blobProblem ?? new ProofKeyError('incomplete', `${label} has no usable attributes`);
}

/** The raw attribute set of discovery's <proof-key> element ('' when absent). */
export interface DiscoveryProofKeyAttributes {
  value: string;
  modulus: string;
  exponent: string;
  oldvalue: string;
  oldmodulus: string;
  oldexponent: string;
}

export interface ImportedProofKeys {
  current: ImportedProofKey | null;
  old: ImportedProofKey | null;
}

export function importProofKeys(attrs: DiscoveryProofKeyAttributes | null): ImportedProofKeys {
  if (!attrs) return { current: null, old: null };
  return {
    current: importProofKey(
      { value: attrs.value, modulus: attrs.modulus, exponent: attrs.exponent },
      'current proof key',
    ),
    old: importProofKey(
      { value: attrs.oldvalue, modulus: attrs.oldmodulus, exponent: attrs.oldexponent },
      'old proof key',
    ),
  };
}

export function publicKeyFromNumbers(numbers: RsaPublicNumbers): KeyObject {
  try {
    return createPublicKey({
      key: {
        kty: 'RSA',
        n: numbers.modulus.toString('base64url'),
        e: numbers.exponent.toString('base64url'),
      },
      format: 'jwk',
    });
  } catch (err) {
    throw new ProofKeyError('bad-key', `not a usable RSA public key (${(err as Error).message})`);
  }
}

/** First 16 hex chars of SHA-256 over the big-endian modulus: enough to tell keys apart at a glance. */
export function fingerprintOfModulus(modulus: Buffer): string {
  return createHash('sha256').update(stripLeadingZeros(modulus)).digest('hex').slice(0, 16);
}

export function keyFingerprint(key: KeyObject): string {
  return fingerprintOfModulus(numbersOf(key).modulus);
}

/** Discovery attributes for a public key (used by the simulator to publish its own discovery). */
export function proofKeyAttributesFor(key: KeyObject): Required<ProofKeyAttributes> {
  const numbers = numbersOf(key);
  return {
    value: buildCspPublicKeyBlob(numbers).toString('base64'),
    modulus: numbers.modulus.toString('base64'),
    exponent: numbers.exponent.toString('base64'),
  };
}

function numbersOf(key: KeyObject): RsaPublicNumbers {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new ProofKeyError('bad-key', 'proof keys must be RSA keys');
  }
  return {
    modulus: stripLeadingZeros(Buffer.from(jwk.n, 'base64url')),
    exponent: stripLeadingZeros(Buffer.from(jwk.e, 'base64url')),
  };
}

function clean(text: string | undefined): string {
  // Discovery files are sometimes pretty-printed with line breaks inside long attribute values.
  return (text ?? '').replace(/\s+/g, '');
}

function decode(base64: string, attr: string): Buffer {
  // Buffer.from(…, 'base64') silently skips junk; be strict so a mangled attribute is reported.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 === 1) {
    throw new ProofKeyError('bad-base64', `the ${attr} attribute is not Base64`);
  }
  return Buffer.from(base64, 'base64');
}

function sameNumbers(a: RsaPublicNumbers, b: RsaPublicNumbers): boolean {
  return a.modulus.equals(b.modulus) && a.exponent.equals(b.exponent);
}

function asKeyError(err: unknown): ProofKeyError {
  if (err instanceof ProofKeyError) return err;
  if (err instanceof CspBlobError)
    return new ProofKeyError('bad-csp-blob', `the CSP blob is malformed: ${err.message}`);
  throw err;
}

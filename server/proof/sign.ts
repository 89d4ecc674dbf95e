// The client side of proof keys: what Office does before each WOPI call. Used by the simulated
// WOPI client and by tests that need signatures for keys they generated.
import { constants, createPrivateKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { buildExpectedProof } from './expected-proof';
import type { ProofPayload } from './expected-proof';
import { msToTicks } from './ticks';

/** RSA PKCS#1 v1.5 / SHA-256 over the expected-proof bytes, Base64 (the X-WOPI-Proof value). */
export function signProof(privateKey: KeyObject | string, payload: ProofPayload): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return sign('sha256', buildExpectedProof(payload), { key, padding: constants.RSA_PKCS1_PADDING }).toString(
    'base64',
  );
}

/** The X-WOPI-TimeStamp for an instant, as ticks (send it with `.toString()`). */
export function nowTicks(nowMs: number): bigint {
  return msToTicks(nowMs);
}

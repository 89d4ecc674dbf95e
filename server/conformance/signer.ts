// Signs the conformance runner's requests as Office does (PROTOCOL.md §8): X-WOPI-Proof with the
// current key, X-WOPI-ProofOld with the old one when there is one, X-WOPI-TimeStamp, all over the
// absolute URL as sent. The keys are the simulated client's, so a host that trusts the simulator's
// discovery can check them. Variants build the mistakes the proof-key cases expect a host to refuse.
import type { KeyObject } from 'node:crypto';
import { nowTicks, signProof } from '../proof/sign';
import type { ProofSigner, ProofVariant } from './client';
import { CaseSkip } from './types';

export interface ProofSignerKeys {
  current: KeyObject;
  /** The key discovery lists as old (after a rotation); null or absent when there is none. */
  old?: KeyObject | null;
  /** Epoch ms (default Date.now). */
  now?: () => number;
}

export function createProofSigner(keys: ProofSignerKeys): ProofSigner {
  const now = keys.now ?? Date.now;
  const old = keys.old ?? null;
  const keyFor = (which: 'current' | 'old'): KeyObject => {
    if (which === 'current') return keys.current;
    // A case asking for the old key on a client that never rotated cannot say anything: a skip.
    if (!old)
      throw new CaseSkip(
        'the simulated client has no old proof key yet (rotate its key, then let the host refresh discovery, to check old-key signatures)',
      );
    return old;
  };
  return {
    hasOldKey: old !== null,
    headers(url: string, accessToken: string, variant: ProofVariant = {}): Record<string, string> {
      const ticks = nowTicks(variant.timestampMs ?? now());
      const payload = { accessToken, url: variant.signedUrl ?? url, timestampTicks: ticks };
      const proof = variant.proof ?? 'current';
      // Office sends ProofOld only when discovery has an old key.
      const proofOld = variant.proofOld ?? (old ? 'old' : 'none');
      const out: Record<string, string> = { 'X-WOPI-TimeStamp': ticks.toString() };
      if (proof !== 'none') out['X-WOPI-Proof'] = signProof(keyFor(proof), payload);
      if (proofOld !== 'none') out['X-WOPI-ProofOld'] = signProof(keyFor(proofOld), payload);
      return out;
    },
  };
}

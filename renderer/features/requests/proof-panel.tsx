// The proof-key diagnosis for one call: what was checked, what passed, and what would have.
import type { ReactElement } from 'react';
import type { ProofVerdict } from '../../../server/contracts';
import { Badge, ProofBadge } from '../../components/badge';
import { formatDuration } from '../../components/format';
import { KeyValue } from '../../components/panel';

const COMBINATION: Record<NonNullable<ProofVerdict['combination']>, string> = {
  'proof-current': 'X-WOPI-Proof with the current key',
  'proofold-current': 'X-WOPI-ProofOld with the current key',
  'proof-old': 'X-WOPI-Proof with the old key (client rotated its key)',
};

function age(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  return ms < 0 ? `${formatDuration(-ms)} in the future` : `${formatDuration(ms)} old`;
}

export function ProofPanel({ proof }: { proof: ProofVerdict | undefined }): ReactElement {
  if (!proof) {
    return (
      <p className="muted small" data-testid="proof-diagnosis" data-outcome="none">
        No proof check was recorded for this call (not a WOPI file call, or the host had no keys to check
        with).
      </p>
    );
  }
  const timestampAge = age(proof.timestampAgeMs);
  return (
    <div className="proof" data-testid="proof-diagnosis" data-outcome={proof.outcome}>
      <div className={`proof-reason tone-box-${proof.outcome}`}>
        <ProofBadge proof={proof} />
        <span data-testid="proof-reason">{proof.reason}</span>
      </div>
      <KeyValue
        rows={[
          { key: 'Outcome', value: proof.outcome },
          { key: 'Mode', value: proof.mode },
          proof.combination ? { key: 'Combination', value: COMBINATION[proof.combination] } : null,
          { key: 'URL verified', value: proof.urlVerified || '–', mono: true, testId: 'proof-url' },
          timestampAge ? { key: 'Timestamp age', value: timestampAge } : null,
          {
            key: 'Effect',
            value: proof.rejected ? <Badge tone="danger">request rejected</Badge> : 'request allowed',
          },
          proof.refreshTriggered ? { key: 'Discovery', value: 'refresh triggered by this check' } : null,
        ]}
      />
      {proof.wouldVerifyWith && proof.wouldVerifyWith.length > 0 ? (
        <div className="would-verify" data-testid="proof-would-verify">
          <h4>Would have verified with</h4>
          <ul>
            {proof.wouldVerifyWith.map((url) => (
              <li key={url} className="mono">
                {url}
              </li>
            ))}
          </ul>
          <p className="muted small">
            The client signed a different URL than the host checked. Usually the public base URL (scheme, host
            or port) differs from what the tunnel or proxy presents.
          </p>
        </div>
      ) : null}
    </div>
  );
}

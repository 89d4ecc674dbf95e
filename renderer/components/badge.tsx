// Small coloured labels. Colour always comes with text, so meaning survives colour blindness.
import type { ReactElement, ReactNode } from 'react';
import type { ProofVerdict, TunnelStatus } from '../../server/contracts';
import { statusClassOf } from '../state/request-filter';

export type Tone = 'neutral' | 'success' | 'info' | 'warning' | 'danger' | 'accent' | 'lab';

export function Badge({
  tone = 'neutral',
  children,
  title,
  testId,
}: {
  tone?: Tone;
  children: ReactNode;
  title?: string;
  testId?: string;
}): ReactElement {
  return (
    <span className={`badge badge-${tone}`} title={title} data-testid={testId}>
      {children}
    </span>
  );
}

const STATUS_TONE: Record<ReturnType<typeof statusClassOf>, Tone> = {
  '2xx': 'success',
  '3xx': 'info',
  '4xx': 'warning',
  '5xx': 'danger',
  other: 'neutral',
};

export function statusTone(status: number): Tone {
  return STATUS_TONE[statusClassOf(status)];
}

export function StatusCode({ status }: { status: number }): ReactElement {
  return (
    <span className={`status-code tone-${statusTone(status)}`} data-status-class={statusClassOf(status)}>
      {status === 0 ? 'ERR' : status}
    </span>
  );
}

const PROOF: Record<ProofVerdict['outcome'], { tone: Tone; label: string }> = {
  valid: { tone: 'success', label: 'valid' },
  invalid: { tone: 'danger', label: 'invalid' },
  missing: { tone: 'neutral', label: 'unsigned' },
  expired: { tone: 'warning', label: 'expired' },
  skipped: { tone: 'neutral', label: 'skipped' },
};

export function ProofBadge({ proof }: { proof: ProofVerdict | undefined }): ReactElement | null {
  if (!proof) return null;
  const { tone, label } = PROOF[proof.outcome];
  return (
    <span
      className={`badge badge-${tone} badge-proof`}
      title={proof.reason}
      data-testid="proof-badge"
      data-outcome={proof.outcome}
    >
      {label}
      {/* The usual combination goes unsaid; the old key or ProofOld hints at a key rotation. */}
      {proof.combination && proof.combination !== 'proof-current' ? (
        <small>{proof.combination === 'proof-old' ? 'old key' : 'ProofOld'}</small>
      ) : null}
    </span>
  );
}

const TUNNEL_TONE: Record<TunnelStatus, Tone> = {
  off: 'neutral',
  connecting: 'info',
  online: 'success',
  unverified: 'warning',
  dropped: 'warning',
  reconnecting: 'warning',
  failed: 'danger',
};

/** Neutral for a status this UI does not know (the host may be newer): never green for what is not known. */
export function tunnelTone(status: TunnelStatus | undefined): Tone {
  if (!status || !Object.hasOwn(TUNNEL_TONE, status)) return 'neutral';
  return TUNNEL_TONE[status];
}

export function Dot({ tone, pulse }: { tone: Tone; pulse?: boolean }): ReactElement {
  return <span className={`dot dot-${tone}${pulse ? ' dot-pulse' : ''}`} aria-hidden="true" />;
}

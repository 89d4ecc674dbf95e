// Which engine events deserve a native notification. Only things a person must act on while the
// window may be hidden: the tunnel dropping or failing, and proof checks that failed. A burst of
// failed proofs gives one notice per cool-down, counting the rest, instead of a notification storm.
import type { RequestRecord, TunnelState, TunnelStatus } from '../server/contracts';

export interface Notice {
  kind: 'tunnel' | 'proof';
  title: string;
  body: string;
}

export interface NotificationPolicy {
  onTunnelChanged(state: TunnelState): Notice | null;
  onRequestCompleted(record: RequestRecord): Notice | null;
}

const ALERT_STATUSES: ReadonlySet<TunnelStatus> = new Set(['dropped', 'failed']);
export const PROOF_NOTICE_COOLDOWN_MS = 60_000;

function tunnelNotice(state: TunnelState): Notice {
  const where = state.publicUrl ?? state.server ?? 'the tunnel server';
  const why = state.error ? ` ${state.error}` : '';
  if (state.status === 'dropped') {
    return {
      kind: 'tunnel',
      title: 'Tunnel dropped',
      body: `The connection to ${where} was lost; WOPI clients cannot reach this host until it reconnects.${why}`,
    };
  }
  return {
    kind: 'tunnel',
    title: 'Tunnel failed',
    body: `Could not open a tunnel through ${where}.${why}`,
  };
}

export function createNotificationPolicy(opts: {
  now: () => number;
  proofCooldownMs?: number;
}): NotificationPolicy {
  const cooldown = opts.proofCooldownMs ?? PROOF_NOTICE_COOLDOWN_MS;
  let lastTunnelStatus: TunnelStatus | undefined;
  let lastProofNoticeAt: number | undefined;
  let suppressedProofs = 0;

  return {
    onTunnelChanged(state) {
      const previous = lastTunnelStatus;
      lastTunnelStatus = state.status;
      // Only the transition: repeated 'dropped' updates (retry counters) must not re-notify.
      if (!ALERT_STATUSES.has(state.status) || previous === state.status) return null;
      return tunnelNotice(state);
    },
    onRequestCompleted(record) {
      const outcome = record.proof?.outcome;
      if (outcome !== 'invalid' && outcome !== 'expired') return null;
      const now = opts.now();
      if (lastProofNoticeAt !== undefined && now - lastProofNoticeAt < cooldown) {
        suppressedProofs++;
        return null;
      }
      const more = suppressedProofs > 0 ? ` (${suppressedProofs} more since the last notice)` : '';
      lastProofNoticeAt = now;
      suppressedProofs = 0;
      const target = record.filePath ?? record.path;
      const verdict = outcome === 'expired' ? 'expired proof' : 'invalid proof';
      const rejected = record.proof?.rejected ? ', request rejected' : '';
      return {
        kind: 'proof',
        title: `Proof check failed: ${record.operation}`,
        body: `${verdict} on ${target}${rejected}. ${record.proof?.reason ?? ''}${more}`.trim(),
      };
    },
  };
}

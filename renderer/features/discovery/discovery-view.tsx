// Discovery & proof keys: where discovery came from, whether it worked, the keys, what changed, and
// what the client can open.
import { useState, type ReactElement } from 'react';
import type { DiscoveryChange } from '../../../server/contracts';
import { describeError } from '../../api/control-client';
import { Badge, type Tone } from '../../components/badge';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/empty-state';
import { formatAgo, formatDateTime } from '../../components/format';
import { KeyValue, Panel } from '../../components/panel';
import { useNow } from '../../components/use-now';
import { useApp } from '../../state/app-context';
import { discoveryRefreshOutcome } from '../../state/outcomes';
import { useStore } from '../../state/store';
import { ActionsGrid } from './actions-grid';
import { ProofVerdicts } from './proof-verdicts';
import './discovery.css';

const STATUS_TONE: Record<'never' | 'ok' | 'failed', Tone> = {
  never: 'neutral',
  ok: 'success',
  failed: 'danger',
};

const CHANGE_TONE: Record<DiscoveryChange['kind'], Tone> = {
  'action-added': 'success',
  'action-removed': 'warning',
  'proof-key-rotated': 'info',
  'proof-key-changed': 'danger',
  'zone-changed': 'warning',
};

function Fingerprint({ value, testId }: { value: string | undefined; testId: string }): ReactElement {
  if (!value) return <span className="muted">none</span>;
  return (
    <span className="hv">
      <span className="mono hv-text" data-testid={testId}>
        {value}
      </span>
      <CopyButton value={value} title="Copy fingerprint" />
    </span>
  );
}

export function DiscoveryView(): ReactElement {
  const app = useApp();
  const discovery = useStore(app.workspace, (s) => s.discovery);
  const error = useStore(app.workspace, (s) => s.errors.discovery);
  const now = useNow();
  const [refreshing, setRefreshing] = useState(false);

  const refresh = async () => {
    setRefreshing(true);
    try {
      const next = await app.client.refreshDiscovery();
      if (next && typeof next === 'object' && 'status' in next) {
        app.workspace.setDiscovery(next);
        // The host answers with the refreshed state, which may well be "failed": say what it says.
        const { kind, text } = discoveryRefreshOutcome(next);
        app.notices.push(kind, text);
      } else app.notices.push('info', 'Refresh requested; the state follows in this view');
    } catch (err) {
      app.notices.push('error', `Discovery refresh failed: ${describeError(err)}`);
    } finally {
      setRefreshing(false);
    }
  };

  const refreshButton = (
    <Button
      small
      icon="refresh"
      busy={refreshing}
      onClick={() => void refresh()}
      data-testid="discovery-refresh"
    >
      Refresh now
    </Button>
  );

  if (!discovery) {
    return (
      <div className="page" data-testid="discovery-view">
        <EmptyState
          icon="discovery"
          title="No discovery state"
          testId="discovery-empty"
          actions={refreshButton}
        >
          {error ? `The host did not answer: ${error}` : 'The host has not fetched discovery yet.'}
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="page" data-testid="discovery-view" data-discovery-status={discovery.status}>
      <div className="page-head">
        <div>
          <h1>Discovery &amp; proof keys</h1>
          <p className="muted">
            The client profile's discovery document says which apps and actions exist and which keys sign
            requests.
          </p>
        </div>
        {refreshButton}
      </div>
      {discovery.status === 'failed' && discovery.error ? (
        <div className="why" data-testid="discovery-error">
          {discovery.error}
        </div>
      ) : null}
      <div className="grid-2">
        <Panel title="Source" testId="discovery-source">
          <KeyValue
            rows={[
              { key: 'Profile', value: <strong data-testid="discovery-profile">{discovery.profile}</strong> },
              { key: 'Source', value: discovery.source, mono: true },
              {
                key: 'Status',
                value: (
                  <Badge tone={STATUS_TONE[discovery.status]} testId="discovery-status">
                    {discovery.status}
                  </Badge>
                ),
              },
              { key: 'Proof mode', value: discovery.proofMode },
              discovery.zone ? { key: 'Net zone', value: discovery.zone, mono: true } : null,
              {
                key: 'Last attempt',
                value: discovery.lastAttemptAt
                  ? `${formatAgo(discovery.lastAttemptAt, now)} · ${formatDateTime(discovery.lastAttemptAt)}`
                  : 'never',
              },
              {
                key: 'Last success',
                value: discovery.lastSuccessAt
                  ? `${formatAgo(discovery.lastSuccessAt, now)} · ${formatDateTime(discovery.lastSuccessAt)}`
                  : 'never',
              },
              discovery.snapshotId !== undefined
                ? { key: 'Snapshot', value: `#${discovery.snapshotId}` }
                : null,
            ]}
          />
        </Panel>
        <Panel title="Proof keys" testId="discovery-keys">
          <KeyValue
            rows={[
              {
                key: 'Current key',
                value: <Fingerprint value={discovery.proofKey?.currentFingerprint} testId="key-current" />,
              },
              {
                key: 'Old key',
                value: <Fingerprint value={discovery.proofKey?.oldFingerprint} testId="key-old" />,
              },
            ]}
          />
          <h3 className="sub">Changes since the previous snapshot</h3>
          {discovery.changes.length === 0 ? (
            <p className="muted small">No change.</p>
          ) : (
            <ul className="stack-list changes" data-testid="discovery-changes">
              {discovery.changes.map((change, i) => (
                <li key={`${change.kind}:${i}`}>
                  <Badge tone={CHANGE_TONE[change.kind]}>{change.kind}</Badge>
                  <span>{change.detail}</span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
      <Panel title="Recent proof verdicts">
        <ProofVerdicts />
      </Panel>
      <Panel
        title={`Apps & actions (${new Set(discovery.actions.map((a) => a.ext.toLowerCase())).size} extensions)`}
      >
        <ActionsGrid actions={discovery.actions} />
      </Panel>
    </div>
  );
}

// Detail pane for one call: the why (for 4xx/5xx) up front, then headers, bodies, proof and timing.
import { useState, type ReactElement } from 'react';
import type { RequestRecord } from '../../../server/contracts';
import { Badge, ProofBadge, StatusCode } from '../../components/badge';
import { CopyButton } from '../../components/copy-button';
import { Button } from '../../components/button';
import { formatDateTime, formatDuration, formatClock } from '../../components/format';
import { Icon } from '../../components/icons';
import { KeyValue, type KeyValueRow } from '../../components/panel';
import { useApp } from '../../state/app-context';
import { BodyView } from './body-view';
import { FindingList } from './findings';
import { HeadersTable, isRedacted } from './headers-table';
import { EventDetail, FaultBanner, isEventRecord } from './lab-marks';
import { LockTransition } from './lock-transition';
import { ProofPanel } from './proof-panel';
import { operationLabel } from './request-format';
import { useRequestDetail } from './use-request-detail';

type Tab = 'headers' | 'payload' | 'response' | 'proof' | 'timing';

const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'headers', label: 'Headers' },
  { id: 'payload', label: 'Payload' },
  { id: 'response', label: 'Response' },
  { id: 'proof', label: 'Proof' },
  { id: 'timing', label: 'Timing' },
];

function hasSecrets(record: RequestRecord): boolean {
  if (record.redacted) return true;
  const values = [...Object.values(record.requestHeaders), ...Object.values(record.responseHeaders)];
  return values.some(isRedacted) || isRedacted(record.query);
}

const SOURCE_LABEL: Record<NonNullable<RequestRecord['source']>, string> = {
  host: 'this workbench’s host',
  proxy: 'proxy: forwarded to your host',
  check: 'conformance run: sent to another host',
  event: 'workbench event: not an HTTP exchange',
};

/** Who produced the exchange, said only when it was not this workbench's own host answering. */
function sourceRow(record: RequestRecord): KeyValueRow | null {
  const source = record.source;
  if (!source || source === 'host') return null;
  const label = Object.hasOwn(SOURCE_LABEL, source) ? SOURCE_LABEL[source] : source;
  return {
    key: 'Source',
    value: (
      <Badge tone="accent" testId="detail-source">
        <span data-source={source}>{label}</span>
      </Badge>
    ),
  };
}

function Summary({ record }: { record: RequestRecord }): ReactElement {
  const app = useApp();
  const url = record.query ? `${record.path}?${record.query}` : record.path;
  const check = record.check;
  const elsewhere = record.source === 'proxy' || record.source === 'check';
  return (
    <KeyValue
      rows={[
        { key: 'Request', value: `${record.method} ${url}`, mono: true, testId: 'detail-url' },
        sourceRow(record),
        record.upstream
          ? {
              key: 'Upstream',
              testId: 'detail-upstream',
              value: (
                <span className="hv">
                  <span className="mono hv-text">{record.upstream}</span>
                  <CopyButton value={record.upstream} title="Copy the upstream URL" />
                </span>
              ),
            }
          : null,
        check
          ? {
              key: 'Conformance',
              testId: 'detail-check',
              value: (
                <button
                  type="button"
                  className="link-btn mono"
                  onClick={() =>
                    app.ui.openCheck(
                      check.runId,
                      check.caseId,
                      app.checks.byId(check.runId)?.kind === 'scenario' ? 'scenario' : 'conformance',
                    )
                  }
                  title="Open this case in its run"
                  data-run-id={check.runId}
                  data-case-id={check.caseId}
                >
                  {check.caseId}
                  <span className="muted"> · run {check.runId}</span>
                </button>
              ),
            }
          : null,
        record.override ? { key: 'X-WOPI-Override', value: record.override, mono: true } : null,
        {
          key: 'File',
          // Another host's file id (proxy, conformance run) names nothing in this workbench's Files.
          value: !record.fileId ? (
            '–'
          ) : elsewhere ? (
            <span className="mono">{record.filePath ?? record.fileId}</span>
          ) : (
            <button type="button" className="link-btn" onClick={() => app.ui.openFile(record.fileId ?? '')}>
              {record.filePath ?? record.fileId}
            </button>
          ),
        },
        record.userId || record.userName
          ? { key: 'User', value: `${record.userName ?? ''}${record.userId ? ` (${record.userId})` : ''}` }
          : null,
        { key: 'Lock', value: <LockTransition record={record} full />, testId: 'detail-lock' },
        record.correlationId ? { key: 'Correlation id', value: record.correlationId, mono: true } : null,
      ]}
    />
  );
}

export function RequestDetailPane({
  id,
  onClose,
  onShowInRequests,
}: {
  id: string;
  onClose: () => void;
  /** Given when the pane is shown outside Requests (Findings, Conformance): a way to the full list. */
  onShowInRequests?: () => void;
}): ReactElement {
  const detail = useRequestDetail(id);
  const [tab, setTab] = useState<Tab>('headers');
  const record = detail.record;

  if (!record) {
    return (
      <aside className="detail" data-testid="request-detail">
        <div className="detail-head">
          <span className="muted">{detail.error ?? 'Loading…'}</span>
          <Button small variant="ghost" icon="close" onClick={onClose} aria-label="Close details" />
        </div>
      </aside>
    );
  }

  if (isEventRecord(record)) return <EventDetail record={record} onClose={onClose} />;

  const failed = record.status >= 400 || record.status === 0;
  const secrets = hasSecrets(record);

  return (
    <aside className="detail" data-testid="request-detail" data-request-id={record.id}>
      <div className="detail-head">
        <div className="detail-title">
          <StatusCode status={record.status} />
          <h2 data-testid="detail-operation">{operationLabel(record)}</h2>
          <ProofBadge proof={record.proof} />
        </div>
        <div className="detail-actions">
          {detail.revealed ? (
            <Button small variant="ghost" icon="key" onClick={detail.hide} data-testid="hide-secrets">
              Hide secrets
            </Button>
          ) : secrets ? (
            <Button
              small
              variant="ghost"
              icon="key"
              busy={detail.loading}
              onClick={() => void detail.reveal()}
              data-testid="reveal-secrets"
              title="Fetch this record again with access tokens and proof headers in clear"
            >
              Reveal secrets
            </Button>
          ) : null}
          {onShowInRequests ? (
            // Icon only: the operation's name keeps the head's room.
            <Button
              small
              variant="ghost"
              icon="requests"
              onClick={onShowInRequests}
              data-testid="show-in-requests"
              title="Show this exchange in Requests, among all requests"
              aria-label="Show in Requests"
            />
          ) : null}
          <Button small variant="ghost" icon="close" onClick={onClose} aria-label="Close details" />
        </div>
      </div>
      {record.fault ? <FaultBanner fault={record.fault} /> : null}
      {/* An injected answer's why is the fault's summary, already said in the banner above. */}
      {failed && record.why && !record.fault ? (
        <div className="why" data-testid="request-why">
          <Icon name="warn" />
          <span>{record.why}</span>
        </div>
      ) : null}
      {record.findings && record.findings.length > 0 ? (
        <div className="detail-findings">
          <FindingList findings={record.findings} />
        </div>
      ) : null}
      {detail.revealed ? (
        <div className="reveal-note" data-testid="secrets-revealed">
          <Badge tone="warning">secrets shown</Badge> Tokens and proof headers are in clear. Don't screenshot
          this.
        </div>
      ) : null}
      <div className="detail-summary">
        <Summary record={record} />
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`tab${tab === t.id ? ' is-active' : ''}`}
            data-testid={`detail-tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="detail-body">
        {tab === 'headers' ? (
          <>
            <h3 className="sub">Request headers</h3>
            <HeadersTable
              headers={record.requestHeaders}
              onReveal={detail.revealed ? undefined : () => void detail.reveal()}
              testId="request-headers"
            />
            <h3 className="sub">Response headers</h3>
            <HeadersTable
              headers={record.responseHeaders}
              onReveal={detail.revealed ? undefined : () => void detail.reveal()}
              testId="response-headers"
            />
          </>
        ) : null}
        {tab === 'payload' ? (
          <BodyView
            body={record.requestBody}
            headers={record.requestHeaders}
            side="request"
            testId="request-body"
          />
        ) : null}
        {tab === 'response' ? (
          <BodyView
            body={record.responseBody}
            headers={record.responseHeaders}
            side="response"
            testId="response-body"
          />
        ) : null}
        {tab === 'proof' ? <ProofPanel proof={record.proof} /> : null}
        {tab === 'timing' ? (
          <div data-testid="request-timing">
            <KeyValue
              rows={[
                {
                  key: 'Started',
                  value: `${formatDateTime(record.startedAt)} (${formatClock(record.startedAt)})`,
                },
                { key: 'Duration', value: formatDuration(record.durationMs) },
                { key: 'Finished', value: formatClock(record.startedAt + record.durationMs) },
              ]}
            />
            <div className="timing-bar" aria-hidden="true">
              <span style={{ width: `${Math.min(100, 8 + Math.log10(1 + record.durationMs) * 24)}%` }} />
            </div>
          </div>
        ) : null}
      </div>
    </aside>
  );
}

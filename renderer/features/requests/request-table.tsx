// The network-panel style table: one row per WOPI call, as columns of the shared live table.
import { useCallback, type ReactElement, type ReactNode } from 'react';
import type { RequestRecord } from '../../../server/contracts';
import { ProofBadge, StatusCode } from '../../components/badge';
import { formatClock, formatDuration } from '../../components/format';
import type { LiveColumn, LiveTableSpec } from '../../components/live-table/live-table';
import { useApp } from '../../state/app-context';
import { statusClassOf } from '../../state/request-filter';
import { useStore } from '../../state/store';
import { FindingsBadge } from './findings';
import { EventKindCell, FaultBadge, isEventRecord } from './lab-marks';
import { LockTransition } from './lock-transition';
import { fileLabel, operationLabel, userLabel } from './request-format';

/** A row's context: the path the workspace knows for its file, when the record carries none. */
export type KnownPath = string | undefined;

/** A workbench event (source 'event') has no status, body, lock header or proof: those cells stay empty. */
const httpOnly =
  (cell: (r: RequestRecord) => ReactNode) =>
  (r: RequestRecord): ReactNode =>
    isEventRecord(r) ? null : cell(r);

function FileCell({ record, knownPath }: { record: RequestRecord; knownPath: KnownPath }): ReactElement {
  const file = fileLabel(record, knownPath);
  if (isEventRecord(record)) {
    // The event's one line takes the row's remaining width (see .req-row.is-event in requests.css).
    return (
      <span className="event-line">
        {record.fileId || record.filePath ? <span className="event-file">{file}</span> : null}
        <span className="event-text" data-testid="event-summary">
          {record.event?.summary ?? ''}
        </span>
      </span>
    );
  }
  if (!record.fault) return <>{file}</>;
  return (
    <span className="file-with-fault">
      <FaultBadge fault={record.fault} />
      <span className="file-text">{file}</span>
    </span>
  );
}

const COLUMNS: readonly LiveColumn<RequestRecord, KnownPath>[] = [
  { id: 'time', header: 'Time', className: 'mono', cell: (r) => formatClock(r.startedAt) },
  {
    id: 'op',
    header: 'Operation',
    cell: (r) => (isEventRecord(r) ? <EventKindCell record={r} /> : operationLabel(r)),
    title: (r) => (r.operation === 'Unsupported' ? 'Unsupported X-WOPI-Override' : undefined),
  },
  {
    id: 'file',
    header: 'File',
    cell: (r, knownPath) => <FileCell record={r} knownPath={knownPath} />,
    title: (r, knownPath) =>
      isEventRecord(r)
        ? r.event?.summary
        : r.fault
          ? `Injected by fault rule “${r.fault.ruleName}”: ${r.fault.summary}`
          : (r.filePath ?? knownPath ?? r.path),
  },
  { id: 'user', header: 'User', cell: (r) => (isEventRecord(r) ? (r.event?.actor ?? '') : userLabel(r)) },
  { id: 'status', header: 'Status', cell: httpOnly((r) => <StatusCode status={r.status} />) },
  // What the protocol linter flagged; empty for a clean exchange.
  { id: 'lint', header: 'Lint', cell: httpOnly((r) => <FindingsBadge record={r} />) },
  { id: 'dur', header: 'Duration', className: 'mono', cell: httpOnly((r) => formatDuration(r.durationMs)) },
  { id: 'lock', header: 'Lock before → after', cell: httpOnly((r) => <LockTransition record={r} />) },
  { id: 'proof', header: 'Proof', cell: httpOnly((r) => <ProofBadge proof={r.proof} />) },
];

function rowClass(record: RequestRecord): string {
  if (isEventRecord(record)) return 'req-row is-event';
  return `req-row status-${statusClassOf(record.status)}${record.fault ? ' has-fault' : ''}`;
}

export const REQUEST_TABLE: LiveTableSpec<RequestRecord, string, KnownPath> = {
  columns: COLUMNS,
  gridClass: 'grid-req',
  rowKey: (record) => record.id,
  attributes: (record) => ({
    className: rowClass(record),
    title: isEventRecord(record) ? record.event?.summary : record.why,
    'data-request-id': record.id,
    'data-operation': record.operation,
    'data-status': record.status,
    'data-file-id': record.fileId,
    'data-findings': record.findings?.length || undefined,
    'data-source': record.source,
    'data-fault-rule': record.fault?.ruleId,
    'data-event-kind': record.event?.kind,
  }),
  testIds: { table: 'request-table', list: 'request-list', row: 'request-row', follow: 'request-follow' },
  label: 'WOPI requests',
};

/** The table's row context: the workspace's path for a record's file. */
export function useKnownPath(): (record: RequestRecord) => KnownPath {
  const app = useApp();
  const files = useStore(app.workspace, (s) => s.files);
  return useCallback((record) => (record.fileId ? files.get(record.fileId)?.path : undefined), [files]);
}

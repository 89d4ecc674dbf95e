// The network-panel style table: one row per WOPI call, as columns of the shared live table.
import { useCallback } from 'react';
import type { RequestRecord } from '../../../server/contracts';
import { ProofBadge, StatusCode } from '../../components/badge';
import { formatClock, formatDuration } from '../../components/format';
import type { LiveColumn, LiveTableSpec } from '../../components/live-table/live-table';
import { useApp } from '../../state/app-context';
import { statusClassOf } from '../../state/request-filter';
import { useStore } from '../../state/store';
import { FindingsBadge } from './findings';
import { LockTransition } from './lock-transition';
import { fileLabel, operationLabel, userLabel } from './request-format';

/** A row's context: the path the workspace knows for its file, when the record carries none. */
export type KnownPath = string | undefined;

const COLUMNS: readonly LiveColumn<RequestRecord, KnownPath>[] = [
  { id: 'time', header: 'Time', className: 'mono', cell: (r) => formatClock(r.startedAt) },
  {
    id: 'op',
    header: 'Operation',
    cell: (r) => operationLabel(r),
    title: (r) => (r.operation === 'Unsupported' ? 'Unsupported X-WOPI-Override' : undefined),
  },
  {
    id: 'file',
    header: 'File',
    cell: (r, knownPath) => fileLabel(r, knownPath),
    title: (r, knownPath) => r.filePath ?? knownPath ?? r.path,
  },
  { id: 'user', header: 'User', cell: (r) => userLabel(r) },
  { id: 'status', header: 'Status', cell: (r) => <StatusCode status={r.status} /> },
  // What the protocol linter flagged; empty for a clean exchange.
  { id: 'lint', header: 'Lint', cell: (r) => <FindingsBadge record={r} /> },
  { id: 'dur', header: 'Duration', className: 'mono', cell: (r) => formatDuration(r.durationMs) },
  { id: 'lock', header: 'Lock before → after', cell: (r) => <LockTransition record={r} /> },
  { id: 'proof', header: 'Proof', cell: (r) => <ProofBadge proof={r.proof} /> },
];

export const REQUEST_TABLE: LiveTableSpec<RequestRecord, string, KnownPath> = {
  columns: COLUMNS,
  gridClass: 'grid-req',
  rowKey: (record) => record.id,
  attributes: (record) => ({
    className: `req-row status-${statusClassOf(record.status)}`,
    title: record.why,
    'data-request-id': record.id,
    'data-operation': record.operation,
    'data-status': record.status,
    'data-file-id': record.fileId,
    'data-findings': record.findings?.length || undefined,
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

// The network-panel style table: one fixed-height row per WOPI call, virtualized.
import { memo, useCallback, type CSSProperties, type KeyboardEvent, type ReactElement } from 'react';
import type { RequestRecord } from '../../../server/contracts';
import { ProofBadge, StatusCode } from '../../components/badge';
import { formatClock, formatDuration } from '../../components/format';
import { VirtualList } from '../../components/virtual-list';
import { useApp } from '../../state/app-context';
import { statusClassOf } from '../../state/request-filter';
import { useStore } from '../../state/store';
import { LockTransition } from './lock-transition';
import { fileLabel, operationLabel, userLabel } from './request-format';

export const ROW_HEIGHT = 26;

const Row = memo(function Row({
  record,
  knownPath,
  selected,
  style,
  onSelect,
}: {
  record: RequestRecord;
  knownPath: string | undefined;
  selected: boolean;
  style: CSSProperties;
  onSelect: (id: string) => void;
}): ReactElement {
  const cls = statusClassOf(record.status);
  return (
    <div
      role="row"
      aria-selected={selected}
      className={`req-row grid-req status-${cls}${selected ? ' is-selected' : ''}`}
      style={style}
      data-testid="request-row"
      data-request-id={record.id}
      data-operation={record.operation}
      data-status={record.status}
      data-file-id={record.fileId}
      onClick={() => onSelect(record.id)}
      title={record.why}
    >
      <span role="gridcell" className="c-time mono">
        {formatClock(record.startedAt)}
      </span>
      <span
        role="gridcell"
        className="c-op"
        title={record.operation === 'Unsupported' ? 'Unsupported X-WOPI-Override' : undefined}
      >
        {operationLabel(record)}
      </span>
      <span role="gridcell" className="c-file" title={record.filePath ?? knownPath ?? record.path}>
        {fileLabel(record, knownPath)}
      </span>
      <span role="gridcell" className="c-user">
        {userLabel(record)}
      </span>
      <span role="gridcell" className="c-status">
        <StatusCode status={record.status} />
      </span>
      <span className="c-dur mono">{formatDuration(record.durationMs)}</span>
      <span role="gridcell" className="c-lock">
        <LockTransition record={record} />
      </span>
      <span role="gridcell" className="c-proof">
        <ProofBadge proof={record.proof} />
      </span>
    </div>
  );
});

export function RequestTableHeader(): ReactElement {
  return (
    <div className="req-head grid-req" role="row">
      <span role="columnheader" className="c-time">
        Time
      </span>
      <span role="columnheader" className="c-op">
        Operation
      </span>
      <span role="columnheader" className="c-file">
        File
      </span>
      <span role="columnheader" className="c-user">
        User
      </span>
      <span role="columnheader" className="c-status">
        Status
      </span>
      <span role="columnheader" className="c-dur">
        Duration
      </span>
      <span role="columnheader" className="c-lock">
        Lock before → after
      </span>
      <span role="columnheader" className="c-proof">
        Proof
      </span>
    </div>
  );
}

export function RequestTable({
  rows,
  version,
  frontOffset,
  selectedId,
  onSelect,
  follow,
  onFollowChange,
}: {
  rows: readonly RequestRecord[];
  version: number;
  frontOffset: number;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  follow: boolean;
  onFollowChange: (following: boolean) => void;
}): ReactElement {
  const app = useApp();
  const files = useStore(app.workspace, (s) => s.files);
  const selectedIndex = selectedId ? rows.findIndex((row) => row.id === selectedId) : -1;

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key === 'Escape') {
        onSelect(null);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
      if (!step || rows.length === 0) return;
      event.preventDefault();
      const from = selectedIndex < 0 ? (step > 0 ? -1 : rows.length) : selectedIndex;
      const next = rows[Math.min(rows.length - 1, Math.max(0, from + step))];
      if (next) {
        onFollowChange(false);
        onSelect(next.id);
      }
    },
    [rows, selectedIndex, onSelect, onFollowChange],
  );

  const select = useCallback(
    (id: string) => {
      onFollowChange(false);
      onSelect(id);
    },
    [onSelect, onFollowChange],
  );

  return (
    <div className="req-table" data-testid="request-table">
      <RequestTableHeader />
      <VirtualList
        items={rows}
        version={version}
        frontOffset={frontOffset}
        rowHeight={ROW_HEIGHT}
        recycle
        getKey={(row) => row.id}
        follow={follow}
        onFollowChange={onFollowChange}
        scrollToIndex={selectedIndex >= 0 ? selectedIndex : undefined}
        onKeyDown={onKeyDown}
        testId="request-list"
        label="WOPI requests"
        renderRow={(row, _index, style) => (
          <Row
            record={row}
            knownPath={row.fileId ? files.get(row.fileId)?.path : undefined}
            selected={row.id === selectedId}
            style={style}
            onSelect={select}
          />
        )}
      />
    </div>
  );
}

// Findings: every protocol-linter finding in the loaded request log, newest first, each with the request
// it is about; selecting one opens that request in the same detail pane as Requests.
import {
  useCallback,
  useMemo,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { formatClock, formatCount } from '../../components/format';
import { LiveNoMatch } from '../../components/live-table/live-empty';
import { LiveView } from '../../components/live-table/live-view';
import { OptionSelect, type SelectOption } from '../../components/option-select';
import { StatusCode } from '../../components/badge';
import { VirtualList } from '../../components/virtual-list';
import { useApp } from '../../state/app-context';
import {
  collectFindings,
  EMPTY_FINDING_FILTER,
  isFindingFilterActive,
  type FindingFilter,
  type FindingRow,
} from '../../state/findings';
import { useStore } from '../../state/store';
import { SeverityBadge } from '../requests/findings';
import { RequestDetailPane } from '../requests/request-detail';
import { fileLabel, operationLabel } from '../requests/request-format';
import '../../components/live-table/live-table.css';
import './findings.css';

const ROW_HEIGHT = 26;

/** Column ids (the cells' `c-<id>` classes, which the narrow layout hides by) and their headers. */
const HEADERS = [
  ['time', 'Time'],
  ['sev', 'Severity'],
  ['rule', 'Rule'],
  ['msg', 'Finding'],
  ['op', 'Request'],
  ['status', 'Status'],
  ['file', 'File'],
] as const;

const SEVERITIES: readonly SelectOption<FindingFilter['severity']>[] = [
  { value: '', label: 'Any severity' },
  { value: 'error', label: 'Errors' },
  { value: 'warning', label: 'Warnings' },
];

function FindingLine({
  row,
  selected,
  style,
  onSelect,
}: {
  row: FindingRow;
  selected: boolean;
  style: CSSProperties;
  onSelect: (key: string) => void;
}): ReactElement {
  const { record, finding } = row;
  return (
    <div
      role="row"
      aria-selected={selected}
      style={style}
      className={`live-row grid-find finding-row${selected ? ' is-selected' : ''}`}
      data-testid="finding-row"
      data-rule={finding.rule}
      data-severity={finding.severity}
      data-request-id={record.id}
      onClick={() => onSelect(row.key)}
    >
      <span role="gridcell" className="c-time mono">
        {formatClock(record.startedAt)}
      </span>
      <span role="gridcell" className="c-sev">
        <SeverityBadge severity={finding.severity} />
      </span>
      <span role="gridcell" className="c-rule mono" title={finding.rule}>
        {finding.rule}
      </span>
      <span role="gridcell" className="c-msg" title={finding.message}>
        {finding.message}
      </span>
      <span role="gridcell" className="c-op" title={`${record.method} ${record.path}`}>
        {operationLabel(record)}
      </span>
      <span role="gridcell" className="c-status">
        <StatusCode status={record.status} />
      </span>
      <span role="gridcell" className="c-file" title={record.filePath ?? record.path}>
        {fileLabel(record)}
      </span>
    </div>
  );
}

function NoFindings({ loaded, clearedAt }: { loaded: number; clearedAt: number | undefined }): ReactElement {
  return (
    <EmptyState icon="flag" title="No protocol findings" testId="findings-empty">
      The protocol linter reads each answer of a host behind the proxy (<code>serve --upstream URL</code>) and
      flags what the protocol forbids or Office trips on: a 409 without <code>X-WOPI-Lock</code>, a 500 for an
      unknown file, CheckFileInfo missing properties…{' '}
      {clearedAt !== undefined && loaded === 0
        ? `Requests was cleared at ${formatClock(clearedAt)}; findings of the calls since then are listed here.`
        : `Nothing is flagged in the ${formatCount(loaded)} request${loaded === 1 ? '' : 's'} loaded here.`}
    </EmptyState>
  );
}

export function FindingsView(): ReactElement {
  const app = useApp();
  // The whole log state: its rows array is changed in place, the state object is new on every change.
  const log = useStore(app.requests, (s) => s);
  const [filter, setFilter] = useState<FindingFilter>(EMPTY_FINDING_FILTER);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const list = useMemo(() => collectFindings(log.rows, filter), [log, filter]);
  const selected = selectedKey === null ? undefined : list.rows.find((row) => row.key === selectedKey);
  const selectedIndex = selected ? list.rows.indexOf(selected) : -1;
  const active = isFindingFilterActive(filter);
  const total = list.totals.error + list.totals.warning;

  const ruleOptions: SelectOption<string>[] = [
    { value: '', label: 'Every rule' },
    ...list.rules.map((rule) => ({ value: rule, label: rule })),
  ];

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key === 'Escape') {
        setSelectedKey(null);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
      if (!step || list.rows.length === 0) return;
      event.preventDefault();
      const from = selectedIndex < 0 ? (step > 0 ? -1 : list.rows.length) : selectedIndex;
      const next = list.rows[Math.min(list.rows.length - 1, Math.max(0, from + step))];
      if (next) setSelectedKey(next.key);
    },
    [list, selectedIndex],
  );

  let content: ReactElement;
  if (total === 0) content = <NoFindings loaded={log.rows.length} clearedAt={log.cleared?.at} />;
  else if (list.rows.length === 0)
    content = (
      <LiveNoMatch
        title="No finding matches these filters"
        testId="findings-no-match"
        onReset={() => setFilter(EMPTY_FINDING_FILTER)}
      />
    );
  else
    content = (
      <div className="live-wrap">
        <div className="live-table" data-testid="finding-table">
          <div className="live-head grid-find" role="row">
            {HEADERS.map(([id, header]) => (
              <span key={id} role="columnheader" className={`c-${id}`}>
                {header}
              </span>
            ))}
          </div>
          <VirtualList
            items={list.rows}
            version={log.version}
            rowHeight={ROW_HEIGHT}
            getKey={(row) => row.key}
            scrollToIndex={selectedIndex >= 0 ? selectedIndex : undefined}
            onKeyDown={onKeyDown}
            testId="finding-list"
            label="Protocol findings, newest first"
            renderRow={(row, _index, style) => (
              <FindingLine
                row={row}
                selected={row.key === selectedKey}
                style={style}
                onSelect={setSelectedKey}
              />
            )}
          />
        </div>
      </div>
    );

  return (
    <LiveView
      className="findings-view"
      testId="findings-view"
      toolbar={
        <div className="toolbar" data-testid="findings-toolbar">
          <OptionSelect
            value={filter.severity}
            options={SEVERITIES}
            onChange={(severity) => setFilter({ ...filter, severity })}
            label="Filter by severity"
            testId="findings-severity"
          />
          <OptionSelect
            value={filter.rule}
            options={ruleOptions}
            onChange={(rule) => setFilter({ ...filter, rule })}
            label="Filter by rule"
            testId="findings-rule"
            className="select-rule"
          />
          {active ? (
            <Button small variant="ghost" icon="close" onClick={() => setFilter(EMPTY_FINDING_FILTER)}>
              Reset
            </Button>
          ) : null}
          <span className="toolbar-spacer" />
          <span className="toolbar-count" data-testid="findings-count" data-total={total}>
            {active ? `${formatCount(list.rows.length)} of ` : ''}
            {formatCount(total)} finding{total === 1 ? '' : 's'} on {formatCount(list.requests)} request
            {list.requests === 1 ? '' : 's'}
            <span className="muted">
              {' '}
              · {formatCount(list.totals.error)} error{list.totals.error === 1 ? '' : 's'},{' '}
              {formatCount(list.totals.warning)} warning{list.totals.warning === 1 ? '' : 's'}
            </span>
          </span>
        </div>
      }
      detail={
        selected ? (
          <RequestDetailPane
            key={selected.record.id}
            id={selected.record.id}
            onClose={() => setSelectedKey(null)}
            onShowInRequests={() => app.ui.openRequest(selected.record.id)}
          />
        ) : null
      }
    >
      {content}
    </LiveView>
  );
}

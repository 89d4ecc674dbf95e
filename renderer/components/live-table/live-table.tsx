// The live tables (requests, PostMessages): a virtualized grid of fixed-height rows built from column
// definitions, newest at the bottom, following the tail until the person scrolls or selects. Rows are
// recycled (see VirtualList), arrow keys move the selection, Escape clears it, and "Jump to latest"
// brings the tail back. Each view keeps its own column tracks in CSS (a grid class), since the narrow
// layout is a container query and those cannot take variables.
import {
  memo,
  useCallback,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactElement,
  type ReactNode,
} from 'react';
import { VirtualList } from '../virtual-list';
import './live-table.css';

const LIVE_ROW_HEIGHT = 26;
/** Room below the last row for what floats over the list's bottom edge (jump button, paused banner). */
const OVERLAY_INSET = 56;

export interface LiveColumn<T, C> {
  /** The cell's class is `c-<id>`; the view's CSS styles (and hides) columns through it. */
  id: string;
  header: string;
  cell: (row: T, context: C) => ReactNode;
  title?: (row: T, context: C) => string | undefined;
  /** More classes on the cell: fixed, or per row. */
  className?: string | ((row: T) => string);
  testId?: string;
}

/** What a row element carries besides its cells: classes, a tooltip and data-* attributes for tests. */
export type LiveRowAttributes = { className?: string; title?: string } & {
  [data: `data-${string}`]: string | number | undefined;
};

export interface LiveTableTestIds {
  table: string;
  list: string;
  row: string;
  follow: string;
}

/** What a table is, as opposed to what it shows: one module-level constant per view. */
export interface LiveTableSpec<T, K extends string | number, C> {
  /** Rows re-render when they change, so they must be stable too. */
  columns: readonly LiveColumn<T, C>[];
  /** Class carrying the view's grid-template-columns. */
  gridClass: string;
  rowKey: (row: T) => K;
  attributes: (row: T, context: C) => LiveRowAttributes;
  testIds: LiveTableTestIds;
  /** Accessible name of the grid. */
  label: string;
}

/** The slice of a live store a table shows (request log and PostMessage states both have it). */
export interface LiveList<T> {
  visible: readonly T[];
  /** Bumped when `visible` changed in place. */
  version: number;
  /** See VirtualList: rows added (+) or evicted (-) before the first one. */
  frontOffset: number;
}

interface LiveRowProps<T, K extends string | number, C> {
  spec: LiveTableSpec<T, K, C>;
  row: T;
  context: C;
  selected: boolean;
  style: CSSProperties;
  onSelect: (key: K) => void;
}

function LiveRowImpl<T, K extends string | number, C>({
  spec,
  row,
  context,
  selected,
  style,
  onSelect,
}: LiveRowProps<T, K, C>): ReactElement {
  const attributes = spec.attributes(row, context);
  const cellClasses = cellClassesOf(spec.columns);
  return (
    <div
      role="row"
      aria-selected={selected}
      style={style}
      data-testid={spec.testIds.row}
      {...attributes}
      className={`live-row ${spec.gridClass}${attributes.className ? ` ${attributes.className}` : ''}${selected ? ' is-selected' : ''}`}
      onClick={() => onSelect(spec.rowKey(row))}
    >
      {spec.columns.map((column, i) => {
        const extra = typeof column.className === 'function' ? column.className(row) : column.className;
        return (
          <span
            key={column.id}
            role="gridcell"
            className={extra ? `${cellClasses[i]} ${extra}` : cellClasses[i]}
            title={column.title?.(row, context)}
            data-testid={column.testId}
          >
            {column.cell(row, context)}
          </span>
        );
      })}
    </div>
  );
}

/** `c-<id>` per column, built once per column list: rows re-render on every update of a live burst. */
const cellClassCache = new WeakMap<readonly object[], readonly string[]>();
function cellClassesOf(columns: readonly { id: string }[]): readonly string[] {
  let classes = cellClassCache.get(columns);
  if (!classes) {
    classes = columns.map((column) => `c-${column.id}`);
    cellClassCache.set(columns, classes);
  }
  return classes;
}

// memo() loses the type parameters; the cast puts them back.
const LiveRow = memo(LiveRowImpl) as typeof LiveRowImpl;

function LiveTableHeader<T, C>({
  columns,
  gridClass,
}: {
  columns: readonly LiveColumn<T, C>[];
  gridClass: string;
}): ReactElement {
  return (
    <div className={`live-head ${gridClass}`} role="row">
      {columns.map((column) => (
        <span key={column.id} role="columnheader" className={`c-${column.id}`}>
          {column.header}
        </span>
      ))}
    </div>
  );
}

export interface LiveTableProps<T, K extends string | number, C> {
  spec: LiveTableSpec<T, K, C>;
  list: LiveList<T>;
  /** What the cells need besides the row (a file's path); compared by identity, so a string or a stable object. */
  context: (row: T) => C;
  selectedKey: K | null;
  onSelect: (key: K | null) => void;
  /** The view's follow state; the table follows only while nothing is selected. */
  follow: boolean;
  onFollowChange: (following: boolean) => void;
  /** Shown over the list (a paused banner). */
  children?: ReactNode;
}

export function LiveTable<T, K extends string | number, C>({
  spec,
  list,
  context,
  selectedKey,
  onSelect,
  follow,
  onFollowChange,
  children,
}: LiveTableProps<T, K, C>): ReactElement {
  const { visible: rows, version, frontOffset } = list;
  const { rowKey, testIds } = spec;
  const selectedIndex = selectedKey === null ? -1 : rows.findIndex((row) => rowKey(row) === selectedKey);

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
      if (next !== undefined) {
        onFollowChange(false);
        onSelect(rowKey(next));
      }
    },
    [rows, selectedIndex, onSelect, onFollowChange, rowKey],
  );

  // Clicking a row stops following, or the row would scroll away under the pointer.
  const select = useCallback(
    (key: K) => {
      onFollowChange(false);
      onSelect(key);
    },
    [onSelect, onFollowChange],
  );

  const following = follow && selectedKey === null;
  // "Jump to latest" only helps when the latest row can be out of sight.
  const [overflows, setOverflows] = useState(false);
  const jump = !following && overflows;
  return (
    <div className="live-wrap">
      <div className="live-table" data-testid={testIds.table}>
        <LiveTableHeader columns={spec.columns} gridClass={spec.gridClass} />
        <VirtualList
          items={rows}
          version={version}
          frontOffset={frontOffset}
          rowHeight={LIVE_ROW_HEIGHT}
          recycle
          getKey={(row) => String(rowKey(row))}
          follow={following}
          onFollowChange={onFollowChange}
          onOverflowChange={setOverflows}
          endInset={jump || children ? OVERLAY_INSET : 0}
          scrollToIndex={selectedIndex >= 0 ? selectedIndex : undefined}
          onKeyDown={onKeyDown}
          testId={testIds.list}
          label={spec.label}
          renderRow={(row, _index, style) => (
            <LiveRow
              spec={spec}
              row={row}
              context={context(row)}
              selected={rowKey(row) === selectedKey}
              style={style}
              onSelect={select}
            />
          )}
        />
      </div>
      {jump ? (
        <button
          type="button"
          className="jump-latest"
          data-testid={testIds.follow}
          onClick={() => {
            onSelect(null);
            onFollowChange(true);
          }}
        >
          Jump to latest
        </button>
      ) : null}
      {children}
    </div>
  );
}

// Fixed-row-height virtualized list: only the rows in view (plus overscan) exist in the DOM, so 50k
// rows cost the same as 50. Optional "follow" keeps the newest row in view, like a terminal tail.
// Optional "recycle" keys DOM rows by slot instead of by item: while following a burst every row in view
// changes on each update, and updating ~40 existing rows costs far less than replacing them.
import {
  Fragment,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactElement,
  type ReactNode,
} from 'react';

interface VirtualListProps<T> {
  items: readonly T[];
  /** Bumped when `items` changed in place. */
  version: number;
  rowHeight: number;
  getKey: (item: T) => string;
  /** Reuse row elements across items (no focusable content inside rows, or focus would jump). */
  recycle?: boolean;
  renderRow: (item: T, index: number, style: CSSProperties) => ReactNode;
  follow?: boolean;
  onFollowChange?: (following: boolean) => void;
  /** Told whether the rows are taller than the viewport (there is somewhere to scroll to). */
  onOverflowChange?: (overflows: boolean) => void;
  /** Bring this row into view when it changes. */
  scrollToIndex?: number;
  /** Running count of rows added (+) or removed (-) before the first item; the view follows it. */
  frontOffset?: number;
  /**
   * Blank space after the last row, in px, while something floats over the bottom of the list (a "Jump to
   * latest" button): scrolled to the end, the last row then sits above it instead of under it.
   */
  endInset?: number;
  overscan?: number;
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => void;
  testId?: string;
  label?: string;
  /** ARIA role of the scroller: 'grid' for tables (rows with gridcells), 'tree' for the file tree. */
  role?: 'grid' | 'tree';
}

export function VirtualList<T>({
  items,
  version,
  rowHeight,
  getKey,
  recycle = false,
  renderRow,
  follow = false,
  onFollowChange,
  onOverflowChange,
  scrollToIndex,
  frontOffset = 0,
  endInset = 0,
  overscan = 8,
  onKeyDown,
  testId,
  label,
  role = 'grid',
}: VirtualListProps<T>): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);
  const total = items.length * rowHeight;
  const scrollable = total + endInset;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const overflows = height > 0 && total > height;
  useEffect(() => onOverflowChange?.(overflows), [overflows, onOverflowChange]);

  // Rows inserted or evicted above the viewport must not make the content jump under the reader.
  const lastOffset = useRef(frontOffset);
  useLayoutEffect(() => {
    const el = ref.current;
    const delta = frontOffset - lastOffset.current;
    lastOffset.current = frontOffset;
    if (!el || follow || delta === 0) return;
    el.scrollTop = Math.max(0, el.scrollTop + delta * rowHeight);
    setScrollTop(el.scrollTop);
  }, [frontOffset, follow, rowHeight]);

  // While following, the window is the bottom one from the first render (no pass over the old window),
  // and the element is scrolled to match once the rows are in.
  const bottom = Math.max(0, scrollable - height);
  const top = follow ? bottom : scrollTop;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !follow) return;
    el.scrollTop = bottom;
    setScrollTop(bottom);
  }, [follow, bottom, version]);

  // Space appearing at the end while the list shows its end: keep showing the end, so the last row moves
  // up above whatever floats there instead of staying under it.
  const lastInset = useRef(endInset);
  useLayoutEffect(() => {
    const el = ref.current;
    const grew = endInset - lastInset.current;
    lastInset.current = endInset;
    if (!el || follow || grew <= 0) return;
    if (el.scrollTop + el.clientHeight >= total + endInset - grew - rowHeight / 2) {
      el.scrollTop = total + endInset - el.clientHeight;
      setScrollTop(el.scrollTop);
    }
  }, [endInset, follow, total, rowHeight]);

  useEffect(() => {
    const el = ref.current;
    if (!el || scrollToIndex === undefined || scrollToIndex < 0) return;
    const top = scrollToIndex * rowHeight;
    // The bottom `endInset` px may be covered: a row is in view only above it.
    const viewBottom = el.scrollTop + el.clientHeight - endInset;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > viewBottom) el.scrollTop = top + rowHeight - (el.clientHeight - endInset);
  }, [scrollToIndex, rowHeight, endInset]);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    if (onFollowChange) {
      const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight / 2;
      if (atBottom !== follow) onFollowChange(atBottom);
    }
  }, [follow, onFollowChange, rowHeight]);

  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + overscan);
  // More slots than rows a window can hold, so slot keys never collide within one.
  const slots = Math.ceil(height / rowHeight) + 2 * overscan + 2;
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i];
    if (item === undefined) continue;
    const style: CSSProperties = {
      position: 'absolute',
      top: i * rowHeight,
      left: 0,
      right: 0,
      height: rowHeight,
    };
    rows.push(<Fragment key={recycle ? i % slots : getKey(item)}>{renderRow(item, i, style)}</Fragment>);
  }

  return (
    <div
      ref={ref}
      className="vlist"
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      tabIndex={0}
      role={role}
      aria-rowcount={role === 'grid' ? items.length : undefined}
      aria-label={label}
      data-testid={testId}
      data-row-count={items.length}
    >
      <div className="vlist-inner" style={{ height: scrollable }}>
        {rows}
      </div>
    </div>
  );
}

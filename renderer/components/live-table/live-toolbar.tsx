// The bar above a live table: pause/resume and clear on the left, the search and the view's filter
// selects, Reset while a filter is on, then the view's counts and actions on the right.
import { useEffect, useState, type ReactElement, type ReactNode, type Ref } from 'react';
import { Button } from '../button';
import { formatCount } from '../format';
import { SearchBox } from '../search-box';

export interface PauseControl {
  paused: boolean;
  /** Events held back while paused. */
  pending: number;
  onPause: () => void;
  onResume: () => void;
  testIds: { pause: string; resume: string };
  titles: { pause: string; resume: string };
}

export interface ClearControl {
  onClear: () => void;
  testId: string;
  title: string;
  busy?: boolean;
  disabled?: boolean;
}

export interface SearchControl {
  value: string;
  onChange: (text: string) => void;
  placeholder: string;
  label: string;
  testId: string;
  title?: string;
  inputRef?: Ref<HTMLInputElement>;
}

export function LiveToolbar({
  testId,
  pause,
  clear,
  search,
  filterActive,
  onResetFilters,
  resetTestId,
  filters,
  end,
}: {
  testId: string;
  pause?: PauseControl;
  clear: ClearControl;
  search: SearchControl;
  /** The selects between the search and Reset. */
  filters: ReactNode;
  filterActive: boolean;
  onResetFilters: () => void;
  resetTestId: string;
  /** Right-aligned: counts, paging. */
  end: ReactNode;
}): ReactElement {
  return (
    <div className="toolbar" data-testid={testId}>
      {pause ? (
        <Button
          small
          icon={pause.paused ? 'play' : 'pause'}
          variant={pause.paused ? 'primary' : 'default'}
          data-testid={pause.paused ? pause.testIds.resume : pause.testIds.pause}
          onClick={pause.paused ? pause.onResume : pause.onPause}
          title={pause.paused ? pause.titles.resume : pause.titles.pause}
        >
          {pause.paused ? `Resume${pause.pending ? ` (${formatCount(pause.pending)})` : ''}` : 'Pause'}
        </Button>
      ) : null}
      <Button
        small
        icon="trash"
        data-testid={clear.testId}
        busy={clear.busy}
        disabled={clear.disabled}
        onClick={clear.onClear}
        title={clear.title}
      >
        Clear
      </Button>
      <span className="toolbar-sep" />
      <SearchBox
        value={search.value}
        onChange={search.onChange}
        placeholder={search.placeholder}
        label={search.label}
        testId={search.testId}
        title={search.title}
        inputRef={search.inputRef}
      />
      {filters}
      {filterActive ? (
        <Button small variant="ghost" icon="close" data-testid={resetTestId} onClick={onResetFilters}>
          Reset
        </Button>
      ) : null}
      <span className="toolbar-spacer" />
      {end}
    </div>
  );
}

/**
 * The search box's text, applied to the store only after typing pauses: refiltering a long list on
 * every key is wasted work. A filter changed elsewhere (a Reset button) shows up in the box.
 * `apply` must be stable (useCallback), or every render would re-arm the timer.
 */
export function useDebouncedSearch(
  applied: string,
  apply: (text: string) => void,
  delayMs = 150,
): [string, (text: string) => void] {
  const [text, setText] = useState(applied);
  const [seen, setSeen] = useState(applied);
  if (applied !== seen) {
    setSeen(applied);
    setText(applied);
  }
  useEffect(() => {
    if (text === applied) return;
    const timer = setTimeout(() => apply(text), delayMs);
    return () => clearTimeout(timer);
  }, [text, applied, apply, delayMs]);
  return [text, setText];
}

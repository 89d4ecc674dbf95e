// Pause/resume, clear, filters and paging of older rows from the server.
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { Button } from '../../components/button';
import { formatCount } from '../../components/format';
import { LiveToolbar, useDebouncedSearch } from '../../components/live-table/live-toolbar';
import { FileFilterSelect, OptionSelect, type SelectOption } from '../../components/option-select';
import { useApp } from '../../state/app-context';
import {
  EMPTY_FILTER,
  isFilterActive,
  type RequestFilter,
  type StatusClass,
} from '../../state/request-filter';
import { useStore } from '../../state/store';
import { OPERATIONS } from './request-format';
import { useOlderRequests } from './use-older-requests';

const OPERATION_OPTIONS: readonly SelectOption<string>[] = [
  { value: '', label: 'All operations' },
  ...OPERATIONS.map((op) => ({ value: op, label: op })),
];

const STATUS_CLASSES: readonly SelectOption<StatusClass>[] = [
  { value: '', label: 'Any status' },
  { value: '2xx', label: '2xx success' },
  { value: '3xx', label: '3xx redirect' },
  { value: '4xx', label: '4xx client error' },
  { value: '5xx', label: '5xx server error' },
  { value: 'other', label: 'Failed / other' },
];

export function RequestToolbar(): ReactElement {
  const app = useApp();
  const log = useStore(app.requests, (s) => s);
  const files = useStore(app.workspace, (s) => s.files);
  const { loadOlder, canLoadOlder } = useOlderRequests();
  const [clearing, setClearing] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  // Debounced: typing in a 50k-row log shouldn't refilter on every key.
  const [text, setText] = useDebouncedSearch(
    log.filter.text,
    useCallback(
      (value: string) => app.requests.setFilter({ ...app.requests.get().filter, text: value }),
      [app],
    ),
  );

  // "/" jumps to the search box, as in most developer tools.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
      if (event.key !== '/' || typing || event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      searchRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const setFilter = (patch: Partial<RequestFilter>) =>
    app.requests.setFilter({ ...app.requests.get().filter, ...patch });

  const clear = async () => {
    setClearing(true);
    try {
      await app.client.clearRequests();
      app.requests.clear();
      app.ui.selectRequest(null);
    } catch (err) {
      app.notices.push(
        'error',
        `Could not clear the log: ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      setClearing(false);
    }
  };

  const active = isFilterActive(log.filter);

  return (
    <LiveToolbar
      testId="request-toolbar"
      pause={{
        paused: log.paused,
        pending: log.pending,
        onPause: () => app.requests.pause(),
        onResume: () => app.requests.resume(),
        testIds: { pause: 'request-pause', resume: 'request-resume' },
        titles: {
          pause: 'Freeze the list; new requests wait',
          resume: 'Apply the held-back requests and keep streaming',
        },
      }}
      clear={{
        onClear: () => void clear(),
        busy: clearing,
        testId: 'request-clear',
        title: 'Delete the request log on the host',
      }}
      search={{
        value: text,
        onChange: setText,
        inputRef: searchRef,
        placeholder: 'Search path, headers, lock ids…',
        title: 'Search the loaded requests (press / to jump here)',
        label: 'Search requests',
        testId: 'filter-search',
      }}
      filters={
        <>
          <OptionSelect
            value={log.filter.operation}
            options={OPERATION_OPTIONS}
            onChange={(operation) => setFilter({ operation })}
            label="Filter by operation"
            testId="filter-operation"
          />
          <OptionSelect
            value={log.filter.statusClass}
            options={STATUS_CLASSES}
            onChange={(statusClass) => setFilter({ statusClass })}
            label="Filter by status class"
            testId="filter-status"
          />
          <FileFilterSelect
            value={log.filter.fileId}
            files={files}
            onChange={(fileId) => setFilter({ fileId })}
            testId="filter-file"
          />
        </>
      }
      filterActive={active}
      onResetFilters={() => {
        setText('');
        app.requests.setFilter(EMPTY_FILTER);
      }}
      resetTestId="filter-clear"
      end={
        <>
          {log.filtering ? (
            <span className="toolbar-count" data-testid="request-filtering">
              Searching {formatCount(log.rows.length)} requests…
            </span>
          ) : active ? (
            <span className="toolbar-count" data-testid="request-count" data-visible={log.visible.length}>
              {formatCount(log.visible.length)} of {formatCount(log.rows.length)}
            </span>
          ) : null}
          <Button
            small
            icon="history"
            data-testid="request-load-older"
            disabled={!canLoadOlder}
            busy={log.older.loading}
            onClick={() => void loadOlder()}
            title={
              log.older.error ??
              (canLoadOlder
                ? 'Fetch older requests matching these filters from the host'
                : 'Nothing older on the host')
            }
          >
            Load older
          </Button>
        </>
      }
    />
  );
}

// Pause/resume, clear, filters and paging of older rows from the server.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { Button } from '../../components/button';
import { formatCount } from '../../components/format';
import { Icon } from '../../components/icons';
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

const STATUS_CLASSES: readonly { value: StatusClass; label: string }[] = [
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
  const [text, setText] = useState(log.filter.text);
  const [clearing, setClearing] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

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

  // Debounced: typing in a 50k-row log shouldn't refilter on every key.
  useEffect(() => {
    if (text === app.requests.get().filter.text) return;
    const timer = setTimeout(() => app.requests.setFilter({ ...app.requests.get().filter, text }), 150);
    return () => clearTimeout(timer);
  }, [text, app]);

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

  const fileOptions = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
  const active = isFilterActive(log.filter);

  return (
    <div className="toolbar" data-testid="request-toolbar">
      <Button
        small
        icon={log.paused ? 'play' : 'pause'}
        variant={log.paused ? 'primary' : 'default'}
        data-testid={log.paused ? 'request-resume' : 'request-pause'}
        onClick={() => (log.paused ? app.requests.resume() : app.requests.pause())}
        title={
          log.paused
            ? 'Apply the held-back requests and keep streaming'
            : 'Freeze the list; new requests wait'
        }
      >
        {log.paused ? `Resume${log.pending ? ` (${formatCount(log.pending)})` : ''}` : 'Pause'}
      </Button>
      <Button
        small
        icon="trash"
        data-testid="request-clear"
        busy={clearing}
        onClick={() => void clear()}
        title="Delete the request log on the host"
      >
        Clear
      </Button>
      <span className="toolbar-sep" />
      <label className="search-box">
        <Icon name="search" size={13} />
        <input
          type="search"
          ref={searchRef}
          placeholder="Search path, headers, lock ids…"
          title="Search the loaded requests (press / to jump here)"
          value={text}
          onChange={(event) => setText(event.target.value)}
          data-testid="filter-search"
          aria-label="Search requests"
        />
      </label>
      <select
        value={log.filter.operation}
        onChange={(event) => setFilter({ operation: event.target.value })}
        data-testid="filter-operation"
        aria-label="Filter by operation"
      >
        <option value="">All operations</option>
        {OPERATIONS.map((op) => (
          <option key={op} value={op}>
            {op}
          </option>
        ))}
      </select>
      <select
        value={log.filter.statusClass}
        onChange={(event) => setFilter({ statusClass: event.target.value as StatusClass })}
        data-testid="filter-status"
        aria-label="Filter by status class"
      >
        {STATUS_CLASSES.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <select
        value={log.filter.fileId}
        onChange={(event) => setFilter({ fileId: event.target.value })}
        data-testid="filter-file"
        aria-label="Filter by file"
        className="select-file"
      >
        <option value="">All files</option>
        {fileOptions.map((file) => (
          <option key={file.id} value={file.id}>
            {file.path}
          </option>
        ))}
      </select>
      {active ? (
        <Button
          small
          variant="ghost"
          icon="close"
          data-testid="filter-clear"
          onClick={() => {
            setText('');
            app.requests.setFilter(EMPTY_FILTER);
          }}
        >
          Reset
        </Button>
      ) : null}
      <span className="toolbar-spacer" />
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
    </div>
  );
}

// Pause/resume, clear (this list only), filters, paging of older rows from the server, and deleting the
// host's log (for everyone, so behind a confirmation that says so).
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { describeError } from '../../api/control-client';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
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
  const [deleting, setDeleting] = useState<'ask' | 'busy' | null>(null);
  const folder = useStore(app.workspace, (s) => s.status?.folder);
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

  const clearHere = () => {
    app.requests.clearLocal(Date.now());
    app.ui.selectRequest(null);
  };

  const deleteOnHost = async () => {
    setDeleting('busy');
    try {
      const { cleared } = await app.client.clearRequests();
      // The host's log:cleared event empties every inspector's list; this one need not wait for it.
      app.requests.hostCleared();
      app.ui.selectRequest(null);
      app.notices.push(
        'success',
        `Deleted ${formatCount(cleared)} request${cleared === 1 ? '' : 's'} from the host's log`,
      );
      setDeleting(null);
    } catch (err) {
      app.notices.push('error', `Could not delete the host's request log: ${describeError(err)}`);
      setDeleting('ask');
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
        onClear: clearHere,
        disabled: log.rows.length === 0 && log.pending === 0,
        testId: 'request-clear',
        title: 'Hide the requests listed so far, in this window only; the host keeps its log',
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
          {/* Offered only while the host has older rows this list lacks. */}
          {canLoadOlder ? (
            <Button
              small
              icon="history"
              data-testid="request-load-older"
              busy={log.older.loading}
              onClick={() => void loadOlder()}
              title={log.older.error ?? 'Fetch older requests matching these filters from the host'}
            >
              Load older
            </Button>
          ) : null}
          <Button
            small
            variant="danger"
            icon="trash"
            data-testid="request-delete-host"
            disabled={log.serverTotal === 0}
            onClick={() => setDeleting('ask')}
            title="Delete every request the host has logged, for every inspector (asks first)"
          >
            Delete host log…
          </Button>
          {deleting ? (
            <ConfirmDialog
              title="Delete the host's request log?"
              confirmLabel={`Delete ${formatCount(log.serverTotal)} request${log.serverTotal === 1 ? '' : 's'}`}
              busy={deleting === 'busy'}
              onConfirm={() => void deleteOnHost()}
              onCancel={() => setDeleting(null)}
              testId="delete-host-log"
            >
              <p>
                This deletes <strong>all {formatCount(log.serverTotal)} requests</strong> the host serving{' '}
                <span className="mono">{folder ?? 'this folder'}</span> has logged: their headers, bodies,
                lock transitions and proof verdicts. Every inspector's list empties, and they cannot be
                reloaded or exported afterwards.
              </p>
              <p>Files, versions and locks are not touched. This cannot be undone.</p>
              <p>
                To only tidy this window, use <strong>Clear</strong>: it hides the listed requests here and
                the host keeps them.
              </p>
            </ConfirmDialog>
          ) : null}
        </>
      }
    />
  );
}

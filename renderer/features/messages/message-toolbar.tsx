// Filters for the PostMessage list (file, direction, session, text) and a local clear.
import { useCallback, type ReactElement } from 'react';
import { Button } from '../../components/button';
import { formatCount } from '../../components/format';
import { LiveToolbar, useDebouncedSearch } from '../../components/live-table/live-toolbar';
import { FileFilterSelect, OptionSelect, type SelectOption } from '../../components/option-select';
import { useApp } from '../../state/app-context';
import {
  EMPTY_MESSAGE_FILTER,
  isMessageFilterActive,
  type DirectionFilter,
  type HostMessageFilter,
} from '../../state/host-messages';
import { useStore } from '../../state/store';
import { shortSession } from './message-catalog';

const DIRECTIONS: readonly SelectOption<DirectionFilter>[] = [
  { value: '', label: 'Both directions' },
  { value: 'from-client', label: 'client → host' },
  { value: 'to-client', label: 'host → client' },
];

export function MessageToolbar(): ReactElement {
  const app = useApp();
  const store = app.hostMessages;
  const filter = useStore(store, (s) => s.filter);
  const shown = useStore(store, (s) => s.visible.length);
  const total = useStore(store, (s) => s.rows.length);
  const evicted = useStore(store, (s) => s.evicted);
  const hostDropped = useStore(store, (s) => s.hostDropped);
  const files = useStore(app.workspace, (s) => s.files);
  // Debounced like the request search: refiltering on every key is wasted work.
  const [text, setText] = useDebouncedSearch(
    filter.text,
    useCallback((value: string) => store.setFilter({ ...store.get().filter, text: value }), [store]),
  );

  const setFilter = (patch: Partial<HostMessageFilter>) =>
    store.setFilter({ ...store.get().filter, ...patch });
  const active = isMessageFilterActive(filter);

  return (
    <LiveToolbar
      testId="postmessage-toolbar"
      clear={{
        onClear: () => store.clear(),
        disabled: total === 0,
        testId: 'postmessage-clear',
        title: 'Empty this list here (the host keeps its copy for other inspectors)',
      }}
      search={{
        value: text,
        onChange: setText,
        placeholder: 'Search message ids and values…',
        label: 'Search PostMessages',
        testId: 'postmessage-search',
      }}
      filters={
        <>
          <OptionSelect
            value={filter.direction}
            options={DIRECTIONS}
            onChange={(direction) => setFilter({ direction })}
            label="Filter by direction"
            testId="postmessage-filter-direction"
          />
          <FileFilterSelect
            value={filter.fileId}
            files={files}
            onChange={(fileId) => setFilter({ fileId })}
            testId="postmessage-filter-file"
          />
          {filter.sessionId ? (
            <Button
              small
              variant="ghost"
              icon="close"
              onClick={() => setFilter({ sessionId: '' })}
              data-testid="postmessage-session-chip"
              title={`Showing session ${filter.sessionId} only`}
            >
              session {shortSession(filter.sessionId)}
            </Button>
          ) : null}
        </>
      }
      filterActive={active}
      onResetFilters={() => {
        setText('');
        store.setFilter(EMPTY_MESSAGE_FILTER);
      }}
      resetTestId="postmessage-filter-clear"
      end={
        <span className="toolbar-count" data-testid="postmessage-count" data-visible={shown}>
          {active ? `${formatCount(shown)} of ${formatCount(total)}` : `${formatCount(total)} messages`}
          {evicted > 0 ? ` · ${formatCount(evicted)} oldest dropped` : null}
          {hostDropped > 0 ? ` · ${formatCount(hostDropped)} older ones not kept by the host` : null}
        </span>
      }
    />
  );
}

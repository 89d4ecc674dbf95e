// Filters for the PostMessage list (file, direction, session, text) and a local clear.
import { useEffect, useState, type ReactElement } from 'react';
import { Button } from '../../components/button';
import { formatCount } from '../../components/format';
import { Icon } from '../../components/icons';
import { useApp } from '../../state/app-context';
import {
  EMPTY_MESSAGE_FILTER,
  isMessageFilterActive,
  type DirectionFilter,
  type HostMessageFilter,
} from '../../state/host-messages';
import { useStore } from '../../state/store';
import { shortSession } from './message-catalog';

export function MessageToolbar(): ReactElement {
  const app = useApp();
  const store = app.hostMessages;
  const filter = useStore(store, (s) => s.filter);
  const shown = useStore(store, (s) => s.visible.length);
  const total = useStore(store, (s) => s.rows.length);
  const evicted = useStore(store, (s) => s.evicted);
  const files = useStore(app.workspace, (s) => s.files);
  const [text, setText] = useState(filter.text);

  const setFilter = (patch: Partial<HostMessageFilter>) =>
    store.setFilter({ ...store.get().filter, ...patch });

  // Debounced like the request search: refiltering on every key is wasted work.
  useEffect(() => {
    if (text === store.get().filter.text) return;
    const timer = setTimeout(() => store.setFilter({ ...store.get().filter, text }), 150);
    return () => clearTimeout(timer);
  }, [text, store]);

  const fileOptions = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
  const active = isMessageFilterActive(filter);

  return (
    <div className="toolbar" data-testid="postmessage-toolbar">
      <Button
        small
        icon="trash"
        data-testid="postmessage-clear"
        disabled={total === 0}
        onClick={() => store.clear()}
        title="Empty this list (the host keeps no PostMessage history)"
      >
        Clear
      </Button>
      <span className="toolbar-sep" />
      <label className="search-box">
        <Icon name="search" size={13} />
        <input
          type="search"
          placeholder="Search message ids and values…"
          value={text}
          onChange={(event) => setText(event.target.value)}
          data-testid="postmessage-search"
          aria-label="Search PostMessages"
        />
      </label>
      <select
        value={filter.direction}
        onChange={(event) => setFilter({ direction: event.target.value as DirectionFilter })}
        data-testid="postmessage-filter-direction"
        aria-label="Filter by direction"
      >
        <option value="">Both directions</option>
        <option value="from-client">client → host</option>
        <option value="to-client">host → client</option>
      </select>
      <select
        value={filter.fileId}
        onChange={(event) => setFilter({ fileId: event.target.value })}
        data-testid="postmessage-filter-file"
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
      {active ? (
        <Button
          small
          variant="ghost"
          icon="close"
          data-testid="postmessage-filter-clear"
          onClick={() => {
            setText('');
            store.setFilter(EMPTY_MESSAGE_FILTER);
          }}
        >
          Reset
        </Button>
      ) : null}
      <span className="toolbar-spacer" />
      <span className="toolbar-count" data-testid="postmessage-count" data-visible={shown}>
        {active ? `${formatCount(shown)} of ${formatCount(total)}` : `${formatCount(total)} messages`}
        {evicted > 0 ? ` · ${formatCount(evicted)} oldest dropped` : null}
      </span>
    </div>
  );
}

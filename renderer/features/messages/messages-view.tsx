// PostMessages: every message between a host page and its WOPI client frame, live, newest at the bottom.
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { HOST_MESSAGE_HISTORY } from '../../../server/contracts';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { formatClock, formatCount } from '../../components/format';
import { LiveEmpty, LiveNoMatch } from '../../components/live-table/live-empty';
import { LiveTable } from '../../components/live-table/live-table';
import { LiveView } from '../../components/live-table/live-view';
import { useApp } from '../../state/app-context';
import { EMPTY_MESSAGE_FILTER, isMessageFilterActive } from '../../state/host-messages';
import { useStore } from '../../state/store';
import { MessageDetail } from './message-detail';
import { MESSAGE_TABLE, useFilePath } from './message-table';
import { MessageToolbar } from './message-toolbar';
import './messages.css';

// The renderer takes only types from the server; typed as the contract's literal, so a drift won't compile.
const HISTORY: typeof HOST_MESSAGE_HISTORY = 500;

/** An empty list, said truthfully: still loading, failed to load, cleared here, or really nothing yet. */
function NoMessages(): ReactElement {
  const app = useApp();
  const history = useStore(app.hostMessages, (s) => s.history);
  const clearedAt = useStore(app.hostMessages, (s) => s.clearedAt);
  if (clearedAt !== null) {
    return (
      <EmptyState
        icon="messages"
        title={`Cleared at ${formatClock(clearedAt)}`}
        testId="postmessages-cleared"
      >
        Messages from before then are hidden in this window; the host keeps its copy for other inspectors. New
        messages appear here as they happen.
      </EmptyState>
    );
  }
  if (history === 'idle' || history === 'loading') {
    return (
      <EmptyState icon="messages" title="Loading the host’s PostMessages…" testId="postmessages-loading" />
    );
  }
  if (history === 'failed') {
    return (
      <EmptyState
        icon="warn"
        title="Couldn't load the host’s PostMessages"
        testId="postmessages-error"
        actions={<Button onClick={() => void app.loadHostMessageHistory()}>Try again</Button>}
      >
        Messages sent from now on still appear here as they happen.
      </EmptyState>
    );
  }
  return (
    <LiveEmpty icon="messages" title="No PostMessages yet" testId="postmessages-empty">
      When a file opens through this host’s page, the page and the WOPI client frame talk by PostMessage:{' '}
      <code>Host_PostmessageReady</code>, <code>App_LoadingStatus</code>, <code>UI_Edit</code>,{' '}
      <code>UI_Close</code>… Each one shows up here as it happens, both directions, after the last{' '}
      {formatCount(HISTORY)} the host kept from before this page opened.
    </LiveEmpty>
  );
}

export function MessagesView(): ReactElement {
  const app = useApp();
  const log = useStore(app.hostMessages, (s) => s);
  const filePath = useFilePath();
  const [selectedKey, setSelectedKey] = useState<number | null>(null);
  const [follow, setFollow] = useState(true);
  const selected = selectedKey === null ? undefined : log.visible.find((m) => m.key === selectedKey);
  const select = useCallback((key: number | null) => setSelectedKey(key), []);

  // Each opening merges the host's history again: cheap, and it fills any gap a stream reset left.
  useEffect(() => {
    void app.loadHostMessageHistory();
  }, [app]);

  let content: ReactElement;
  if (log.rows.length === 0) {
    content = <NoMessages />;
  } else if (log.visible.length === 0) {
    content = (
      <LiveNoMatch
        title="No message matches these filters"
        testId="postmessages-no-match"
        onReset={() => app.hostMessages.setFilter(EMPTY_MESSAGE_FILTER)}
      >
        {isMessageFilterActive(log.filter) ? 'The filters hide every message received so far.' : null}
      </LiveNoMatch>
    );
  } else {
    content = (
      <LiveTable
        spec={MESSAGE_TABLE}
        list={log}
        context={filePath}
        selectedKey={selected ? selected.key : null}
        onSelect={select}
        follow={follow}
        onFollowChange={setFollow}
      />
    );
  }

  return (
    <LiveView
      className="messages-view"
      testId="postmessages-view"
      dataset={{ 'data-history': log.history, 'data-history-reads': log.historyReads }}
      toolbar={<MessageToolbar />}
      detail={
        selected ? (
          <MessageDetail
            key={selected.key}
            message={selected}
            onClose={() => select(null)}
            onSession={(sessionId) => app.hostMessages.setFilter({ ...log.filter, sessionId })}
          />
        ) : null
      }
    >
      {content}
    </LiveView>
  );
}

// PostMessages: every message between a host page and its WOPI client frame, live, newest at the bottom.
import { useCallback, useState, type ReactElement } from 'react';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { useApp } from '../../state/app-context';
import { EMPTY_MESSAGE_FILTER, isMessageFilterActive } from '../../state/host-messages';
import { useStore } from '../../state/store';
import { MessageDetail } from './message-detail';
import { MessageTable } from './message-table';
import { MessageToolbar } from './message-toolbar';
import './messages.css';

function NoMessages(): ReactElement {
  const app = useApp();
  const files = useStore(app.workspace, (s) => s.files);
  return (
    <EmptyState
      icon="messages"
      title="No PostMessages yet"
      testId="postmessages-empty"
      actions={
        files.size > 0 ? (
          <Button variant="primary" icon="files" onClick={() => app.ui.show('files')}>
            Open a file
          </Button>
        ) : null
      }
    >
      When a file opens through this host’s page, the page and the WOPI client frame talk by PostMessage:{' '}
      <code>Host_PostmessageReady</code>, <code>App_LoadingStatus</code>, <code>UI_Edit</code>,{' '}
      <code>UI_Close</code>… Each one shows up here as it happens, both directions. Messages sent before this
      page opened are not kept.
    </EmptyState>
  );
}

export function MessagesView(): ReactElement {
  const app = useApp();
  const log = useStore(app.hostMessages, (s) => s);
  const files = useStore(app.workspace, (s) => s.files);
  const [selectedKey, setSelectedKey] = useState<number | null>(null);
  const [follow, setFollow] = useState(true);
  const selected = selectedKey === null ? undefined : log.visible.find((m) => m.key === selectedKey);
  const select = useCallback((key: number | null) => setSelectedKey(key), []);

  let content: ReactElement;
  if (log.rows.length === 0) {
    content = <NoMessages />;
  } else if (log.visible.length === 0) {
    content = (
      <EmptyState
        icon="search"
        title="No message matches these filters"
        testId="postmessages-no-match"
        actions={
          <Button onClick={() => app.hostMessages.setFilter(EMPTY_MESSAGE_FILTER)}>Reset filters</Button>
        }
      >
        {isMessageFilterActive(log.filter) ? 'The filters hide every message received so far.' : null}
      </EmptyState>
    );
  } else {
    content = (
      <div className="msg-wrap">
        <MessageTable
          rows={log.visible}
          version={log.version}
          frontOffset={log.frontOffset}
          files={files}
          selectedKey={selected ? selected.key : null}
          onSelect={select}
          follow={follow && !selected}
          onFollowChange={setFollow}
        />
        {!follow || selected ? (
          <button
            type="button"
            className="jump-latest"
            data-testid="postmessage-follow"
            onClick={() => {
              select(null);
              setFollow(true);
            }}
          >
            Jump to latest
          </button>
        ) : null}
      </div>
    );
  }

  return (
    <div className="messages-view" data-testid="postmessages-view">
      <MessageToolbar />
      <div className="split">
        <div className="msg-main">{content}</div>
        {selected ? (
          <MessageDetail
            key={selected.key}
            message={selected}
            onClose={() => select(null)}
            onSession={(sessionId) => app.hostMessages.setFilter({ ...log.filter, sessionId })}
          />
        ) : null}
      </div>
    </div>
  );
}

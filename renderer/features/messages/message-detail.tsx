// One PostMessage in full: what it means, who sent it to whom, for which file and session, its values.
import type { ReactElement } from 'react';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { formatDateTime } from '../../components/format';
import { highlightJson } from '../../components/json';
import { KeyValue } from '../../components/panel';
import { useApp } from '../../state/app-context';
import type { HostMessage } from '../../state/host-messages';
import { useStore } from '../../state/store';
import { directionLabel, messageMeaning } from './message-catalog';

export function MessageDetail({
  message,
  onClose,
  onSession,
}: {
  message: HostMessage;
  onClose: () => void;
  /** Show only this message's host-page session. */
  onSession: (sessionId: string) => void;
}): ReactElement {
  const app = useApp();
  const file = useStore(app.workspace, (s) => s.files.get(message.fileId));
  const meaning = messageMeaning(message.messageId);
  const json = JSON.stringify(message.values, null, 2);

  return (
    <aside className="detail" data-testid="postmessage-detail" data-message-id={message.messageId}>
      <header className="detail-head">
        <div className="detail-title">
          <Badge tone={message.direction === 'from-client' ? 'info' : 'accent'}>
            {directionLabel(message.direction)}
          </Badge>
          <h2 className="mono">{message.messageId}</h2>
        </div>
        <div className="detail-actions">
          <Button small variant="ghost" icon="close" onClick={onClose} aria-label="Close detail" />
        </div>
      </header>
      <div className="detail-summary">
        {meaning ? (
          <p className="msg-meaning" data-testid="postmessage-meaning">
            {meaning}
          </p>
        ) : (
          <p className="why" data-testid="postmessage-undocumented">
            Microsoft’s PostMessage documentation has no message called <code>{message.messageId}</code>:
            Office would ignore it. Check the spelling against the list the client documents.
          </p>
        )}
        <KeyValue
          rows={[
            {
              key: 'Sent',
              // Milliseconds matter: messages of one launch come within a few ms of each other.
              value: `${formatDateTime(message.at)}.${String(new Date(message.at).getMilliseconds()).padStart(3, '0')}`,
              mono: true,
            },
            {
              key: 'File',
              value: file ? (
                <button type="button" className="link-btn" onClick={() => app.ui.openFile(file.id)}>
                  {file.path}
                </button>
              ) : (
                <span className="mono">{message.fileId}</span>
              ),
            },
            {
              key: 'Session',
              value: (
                <span className="hv">
                  <span className="mono hv-text" title={message.sessionId}>
                    {message.sessionId}
                  </span>
                  <Button
                    small
                    variant="ghost"
                    icon="search"
                    onClick={() => onSession(message.sessionId)}
                    data-testid="postmessage-session-filter"
                    title="Show only the messages of this host-page session (one per launch)"
                  >
                    Only this session
                  </Button>
                </span>
              ),
            },
          ]}
        />
      </div>
      <div className="detail-body">
        <h3 className="sub">
          Values <CopyButton value={json} title="Copy the values as JSON" />
        </h3>
        <pre className="code" data-testid="postmessage-json">
          {highlightJson(json)}
        </pre>
      </div>
    </aside>
  );
}

// One fixed-height row per PostMessage, virtualized like the request table.
import { memo, useCallback, type CSSProperties, type KeyboardEvent, type ReactElement } from 'react';
import type { FileView } from '../../../server/contracts';
import { formatClock } from '../../components/format';
import { VirtualList } from '../../components/virtual-list';
import type { HostMessage } from '../../state/host-messages';
import { directionLabel, messageMeaning, shortSession, valuesPreview } from './message-catalog';

const ROW_HEIGHT = 26;

const Row = memo(function Row({
  message,
  path,
  selected,
  style,
  onSelect,
}: {
  message: HostMessage;
  path: string | undefined;
  selected: boolean;
  style: CSSProperties;
  onSelect: (key: number) => void;
}): ReactElement {
  const documented = messageMeaning(message.messageId) !== undefined;
  return (
    <div
      role="row"
      aria-selected={selected}
      className={`msg-row grid-msg dir-${message.direction}${selected ? ' is-selected' : ''}`}
      style={style}
      data-testid="postmessage-row"
      data-message-id={message.messageId}
      data-direction={message.direction}
      data-file-id={message.fileId}
      data-session-id={message.sessionId}
      onClick={() => onSelect(message.key)}
    >
      <span role="gridcell" className="c-time mono">
        {formatClock(message.at)}
      </span>
      <span role="gridcell" className="c-dir" data-testid="postmessage-direction">
        {directionLabel(message.direction)}
      </span>
      <span
        role="gridcell"
        className={`c-msg${documented ? '' : ' is-undocumented'}`}
        title={messageMeaning(message.messageId) ?? 'Not in Microsoft’s PostMessage documentation'}
      >
        {message.messageId}
      </span>
      <span role="gridcell" className="c-file" title={path ?? message.fileId}>
        {path ?? message.fileId}
      </span>
      <span role="gridcell" className="c-session mono" title={message.sessionId}>
        {shortSession(message.sessionId)}
      </span>
      <span role="gridcell" className="c-values mono" data-testid="postmessage-values">
        {valuesPreview(message.values)}
      </span>
    </div>
  );
});

function Header(): ReactElement {
  return (
    <div className="msg-head grid-msg" role="row">
      <span role="columnheader">Time</span>
      <span role="columnheader">Direction</span>
      <span role="columnheader">Message</span>
      <span role="columnheader">File</span>
      <span role="columnheader">Session</span>
      <span role="columnheader">Values</span>
    </div>
  );
}

export function MessageTable({
  rows,
  version,
  frontOffset,
  files,
  selectedKey,
  onSelect,
  follow,
  onFollowChange,
}: {
  rows: readonly HostMessage[];
  version: number;
  frontOffset: number;
  files: ReadonlyMap<string, FileView>;
  selectedKey: number | null;
  onSelect: (key: number | null) => void;
  follow: boolean;
  onFollowChange: (following: boolean) => void;
}): ReactElement {
  const selectedIndex = selectedKey === null ? -1 : rows.findIndex((row) => row.key === selectedKey);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key === 'Escape') {
        onSelect(null);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
      if (!step || rows.length === 0) return;
      event.preventDefault();
      const from = selectedIndex < 0 ? (step > 0 ? -1 : rows.length) : selectedIndex;
      const next = rows[Math.min(rows.length - 1, Math.max(0, from + step))];
      if (next) {
        onFollowChange(false);
        onSelect(next.key);
      }
    },
    [rows, selectedIndex, onSelect, onFollowChange],
  );

  const select = useCallback(
    (key: number) => {
      onFollowChange(false);
      onSelect(key);
    },
    [onSelect, onFollowChange],
  );

  return (
    <div className="msg-table" data-testid="postmessage-table">
      <Header />
      <VirtualList
        items={rows}
        version={version}
        frontOffset={frontOffset}
        rowHeight={ROW_HEIGHT}
        recycle
        getKey={(row) => String(row.key)}
        follow={follow}
        onFollowChange={onFollowChange}
        scrollToIndex={selectedIndex >= 0 ? selectedIndex : undefined}
        onKeyDown={onKeyDown}
        testId="postmessage-list"
        label="PostMessages"
        renderRow={(row, _index, style) => (
          <Row
            message={row}
            path={files.get(row.fileId)?.path}
            selected={row.key === selectedKey}
            style={style}
            onSelect={select}
          />
        )}
      />
    </div>
  );
}

// One row per PostMessage, as columns of the shared live table.
import { useCallback } from 'react';
import { formatClock } from '../../components/format';
import type { LiveColumn, LiveTableSpec } from '../../components/live-table/live-table';
import { useApp } from '../../state/app-context';
import type { HostMessage } from '../../state/host-messages';
import { useStore } from '../../state/store';
import { directionLabel, messageMeaning, shortSession, valuesPreview } from './message-catalog';

/** A row's context: the path of the message's file, when the workspace knows it. */
export type FilePath = string | undefined;

const COLUMNS: readonly LiveColumn<HostMessage, FilePath>[] = [
  { id: 'time', header: 'Time', className: 'mono', cell: (m) => formatClock(m.at) },
  {
    id: 'dir',
    header: 'Direction',
    testId: 'postmessage-direction',
    cell: (m) => directionLabel(m.direction),
  },
  {
    id: 'msg',
    header: 'Message',
    className: (m) => (messageMeaning(m.messageId) === undefined ? 'is-undocumented' : ''),
    title: (m) => messageMeaning(m.messageId) ?? 'Not in Microsoft’s PostMessage documentation',
    cell: (m) => m.messageId,
  },
  { id: 'file', header: 'File', cell: (m, path) => path ?? m.fileId, title: (m, path) => path ?? m.fileId },
  {
    id: 'session',
    header: 'Session',
    className: 'mono',
    cell: (m) => shortSession(m.sessionId),
    title: (m) => m.sessionId,
  },
  {
    id: 'values',
    header: 'Values',
    className: 'mono',
    testId: 'postmessage-values',
    cell: (m) => valuesPreview(m.values),
  },
];

export const MESSAGE_TABLE: LiveTableSpec<HostMessage, number, FilePath> = {
  columns: COLUMNS,
  gridClass: 'grid-msg',
  rowKey: (message) => message.key,
  attributes: (message) => ({
    className: `msg-row dir-${message.direction}`,
    'data-message-id': message.messageId,
    'data-direction': message.direction,
    'data-file-id': message.fileId,
    'data-session-id': message.sessionId,
    'data-seq': message.seq,
  }),
  testIds: {
    table: 'postmessage-table',
    list: 'postmessage-list',
    row: 'postmessage-row',
    follow: 'postmessage-follow',
  },
  label: 'PostMessages',
};

/** The table's row context: the workspace's path for a message's file. */
export function useFilePath(): (message: HostMessage) => FilePath {
  const app = useApp();
  const files = useStore(app.workspace, (s) => s.files);
  return useCallback((message) => files.get(message.fileId)?.path, [files]);
}

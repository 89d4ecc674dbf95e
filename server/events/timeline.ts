// Workbench events on the request timeline: a lock-lab action or an on-disk change becomes a
// RequestRecord with source 'event' (method 'EVENT', status 0), so it sits in the request log and
// the SSE stream between the requests it explains. The linter skips them (no exchange to judge).
import { randomUUID } from 'node:crypto';
import type { LockView, RequestRecord, TimelineEvent } from '../contracts/api';
import type { EventBus } from './bus';

export interface TimelineEventInput extends TimelineEvent {
  at: number;
  fileId: string;
  filePath: string;
}

export function timelineRecord(e: TimelineEventInput): RequestRecord {
  const event: TimelineEvent = { kind: e.kind, summary: e.summary };
  if (e.actor !== undefined) event.actor = e.actor;
  if (e.personaId !== undefined) event.personaId = e.personaId;
  return {
    id: randomUUID(),
    startedAt: e.at,
    durationMs: 0,
    method: 'EVENT',
    path: e.filePath,
    query: '',
    operation: 'Other',
    fileId: e.fileId,
    filePath: e.filePath,
    status: 0,
    requestHeaders: {},
    responseHeaders: {},
    source: 'event',
    event,
  };
}

const bytes = (n: number): string => `${n.toLocaleString('en-US')} bytes`;
const shortLock = (l: LockView): string =>
  `${l.lockId.length > 40 ? `${l.lockId.slice(0, 40)}…` : l.lockId}${l.holderName ? ` (${l.holderName})` : ''}`;

/** The one-line summary of a lock-lab action, from the lock before and after it. */
export function lockEventSummary(
  kind: 'lock-set' | 'lock-steal' | 'lock-expire' | 'lock-force-unlock',
  before: LockView | null,
  after: LockView | null,
): string {
  switch (kind) {
    case 'lock-set':
      return `Lock set: ${after ? shortLock(after) : '(none)'}`;
    case 'lock-steal':
      return `Lock stolen: was ${before ? shortLock(before) : '(none)'}, now ${after ? shortLock(after) : '(none)'}`;
    case 'lock-expire':
      return before ? `Lock expired now: ${shortLock(before)}` : 'Lock expired now: the file was not locked';
    case 'lock-force-unlock':
      return before ? `Lock removed by force: ${shortLock(before)}` : 'Force unlock: the file was not locked';
  }
}

/**
 * On-disk changes the index noticed (cause 'external': the watcher, or a refresh before a request)
 * become 'disk-*' events; the index says what the file was before, so a change reads "from → to".
 * Files found by the folder's first index are not events (every file would be one).
 */
export function publishDiskEvents(deps: {
  bus: EventBus;
  publish: (rec: RequestRecord) => void;
  now: () => number;
}): void {
  const { bus } = deps;
  const emit = (kind: TimelineEvent['kind'], fileId: string, filePath: string, summary: string): void =>
    deps.publish(timelineRecord({ kind, summary, actor: 'disk', at: deps.now(), fileId, filePath }));

  bus.on('file:added', ({ data: f }) => {
    // A file created by PutRelativeFile is shown by its request; only one found on disk is an event.
    if (f.cause !== 'external') return;
    emit('disk-add', f.id, f.path, `Added on disk: ${bytes(f.size)}, version ${f.version}`);
  });
  bus.on('file:changed', ({ data: f }) => {
    if (f.cause !== 'external') return;
    const was = f.previous;
    const from = was ? `${bytes(was.size)} → ` : '';
    const version = was ? `version ${was.version} → ${f.version}` : `version ${f.version}`;
    emit('disk-change', f.id, f.path, `Changed on disk: ${from}${bytes(f.size)}, ${version}`);
  });
  bus.on('file:removed', ({ data: f }) => {
    if (f.cause !== 'external') return;
    const was = f.previous;
    emit(
      'disk-remove',
      f.fileId,
      f.path,
      `Removed on disk${was ? `: was ${bytes(was.size)}, version ${was.version}` : ''}`,
    );
  });
}

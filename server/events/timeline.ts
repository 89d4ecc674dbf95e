// Workbench events on the request timeline: a lock-lab action or an on-disk change becomes a
// RequestRecord with source 'event' (method 'EVENT', status 0), so it sits in the request log and
// the SSE stream between the requests it explains. The linter skips them (no exchange to judge).
import { randomUUID } from 'node:crypto';
import { resolveUser } from '../auth/users';
import type { UserGrant } from '../auth/users';
import type { LockView, Permission, Persona, RequestRecord, TimelineEvent } from '../contracts/api';
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

/**
 * The person a lab action names (a lock's holder, a simulated session's user): a persona by id or
 * name, or an ad-hoc name, resolved exactly as access tokens resolve users.
 */
export function actorFor(personas: Persona[], who: string | undefined, permissions?: Permission): UserGrant {
  return resolveUser(personas, who, permissions);
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
 * become 'disk-*' events. Sizes and versions are remembered per file, so a change can say "from → to".
 * Files found by the folder's first index are not events (every file would be one).
 */
export function publishDiskEvents(deps: {
  bus: EventBus;
  publish: (rec: RequestRecord) => void;
  now: () => number;
}): void {
  const { bus } = deps;
  const known = new Map<string, { size: number; version: string }>();
  const remember = (id: string, size: number, version: string): void => {
    known.delete(id);
    if (known.size >= 10_000) known.delete(known.keys().next().value!);
    known.set(id, { size, version });
  };
  const emit = (kind: TimelineEvent['kind'], fileId: string, filePath: string, summary: string): void =>
    deps.publish(timelineRecord({ kind, summary, actor: 'disk', at: deps.now(), fileId, filePath }));

  bus.on('file:added', ({ data: f }) => {
    remember(f.id, f.size, f.version);
    // A file created by PutRelativeFile is shown by its request; only one found on disk is an event.
    if (f.cause !== 'external') return;
    emit('disk-add', f.id, f.path, `Added on disk: ${bytes(f.size)}, version ${f.version}`);
  });
  bus.on('file:changed', ({ data: f }) => {
    const before = known.get(f.id);
    remember(f.id, f.size, f.version);
    if (f.cause !== 'external') return;
    const from = before ? `${bytes(before.size)} → ` : '';
    const version = before ? `version ${before.version} → ${f.version}` : `version ${f.version}`;
    emit('disk-change', f.id, f.path, `Changed on disk: ${from}${bytes(f.size)}, ${version}`);
  });
  bus.on('file:removed', ({ data: f }) => {
    const before = known.get(f.fileId);
    known.delete(f.fileId);
    if (f.cause !== 'external') return;
    emit(
      'disk-remove',
      f.fileId,
      f.path,
      `Removed on disk${before ? `: was ${bytes(before.size)}, version ${before.version}` : ''}`,
    );
  });
}

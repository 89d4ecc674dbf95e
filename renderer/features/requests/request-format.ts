// How one WOPI call is named and summarised in the table: the operation (UnlockAndRelock, not POST),
// the file, the user and the lock transition.
import type { RequestRecord, WopiOperation } from '../../../server/contracts';

export const OPERATIONS: readonly WopiOperation[] = [
  'CheckFileInfo',
  'GetFile',
  'PutFile',
  'Lock',
  'UnlockAndRelock',
  'GetLock',
  'RefreshLock',
  'Unlock',
  'PutRelativeFile',
  'RenameFile',
  'DeleteFile',
  'PutUserInfo',
  'HostPage',
  'Unsupported',
  'Other',
];

export function operationLabel(record: RequestRecord): string {
  // The override the client asked for says more than "Unsupported"; the 501 status says the rest.
  if (record.operation === 'Unsupported' && record.override) return record.override;
  if (record.operation === 'Other') return `${record.method} ${record.path}`;
  return record.operation;
}

/** Calls the host refused early (bad token) carry only the id; `knownPath` names the file anyway. */
export function fileLabel(record: RequestRecord, knownPath?: string): string {
  return record.filePath ?? knownPath ?? record.fileId ?? record.path;
}

export function userLabel(record: RequestRecord): string {
  return record.userName ?? record.userId ?? '';
}

export type LockSide = { kind: 'na' } | { kind: 'none' } | { kind: 'id'; id: string };

export function lockSide(value: string | null | undefined): LockSide {
  if (value === undefined) return { kind: 'na' };
  if (value === null || value === '') return { kind: 'none' };
  return { kind: 'id', id: value };
}

/** Whether the call touched the lock at all (both sides undefined means it did not look). */
export function hasLockInfo(record: RequestRecord): boolean {
  return record.lockBefore !== undefined || record.lockAfter !== undefined;
}

export function lockChanged(record: RequestRecord): boolean {
  return (record.lockBefore ?? null) !== (record.lockAfter ?? null);
}

/** Lock ids can be long JSON blobs from Office; the table shows a head, the detail shows all. */
export function shortLock(id: string, max = 14): string {
  return id.length > max ? `${id.slice(0, max - 1)}…` : id;
}

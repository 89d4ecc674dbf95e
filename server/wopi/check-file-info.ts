// CheckFileInfo (PROTOCOL §3.1, §4): only documented properties, correct JSON types, no nulls.
import path from 'node:path';
import { hexToBase64 } from '../storage/hashing';
import type { WopiContext } from './context';
import { grants } from './context';
import { FILE_NAME_MAX_LENGTH } from './names';
import type { Outcome } from './outcomes';
import { ok } from './outcomes';

/** .NET round-trip ("o") format, which Microsoft's examples use: 7 fractional digits, Z. */
export function roundTripTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2009-06-15T13:45:30.123Z
  return `${iso.slice(0, 23)}0000Z`;
}

export function checkFileInfo(ctx: WopiContext): Outcome {
  const { row } = ctx.file;
  const { claims, deps } = ctx;
  // The hints match what permissionOutcome (dispatch.ts) enforces: edit rights, or none of it.
  const canWrite = grants(claims, 'edit');
  const name = row.path.split('/').pop()!;
  const ext = path.extname(name);
  const folderName = row.path.includes('/')
    ? row.path.split('/').slice(-2, -1)[0]!
    : path.basename(deps.index.folder);
  const info: Record<string, string | number | boolean> = {
    BaseFileName: name,
    OwnerId: row.owner_id ?? 'owner',
    Size: row.size,
    UserId: claims.userId,
    UserFriendlyName: claims.userName,
    Version: String(row.version),
    LastModifiedTime: roundTripTime(row.mtime_ms || row.updated_at),
    SupportsLocks: true,
    SupportsGetLock: true,
    SupportsExtendedLockLength: true,
    SupportsUpdate: true,
    SupportsRename: true,
    SupportsDeleteFile: true,
    SupportsUserInfo: true,
    UserCanWrite: canWrite,
    UserCanRename: canWrite,
    UserCanNotWriteRelative: !canWrite,
    ReadOnly: !canWrite,
    FileNameMaxLength: FILE_NAME_MAX_LENGTH,
    BreadcrumbBrandName: 'WOPI Workbench',
    BreadcrumbFolderName: folderName,
  };
  if (ext) info['FileExtension'] = ext;
  if (row.sha256) info['SHA256'] = hexToBase64(row.sha256);
  const userInfo = deps.kv.userInfo(claims.userId);
  if (userInfo !== undefined) info['UserInfo'] = userInfo;
  const urls = deps.hostUrls?.(row.id, claims);
  if (urls?.view) info['HostViewUrl'] = urls.view;
  if (urls?.edit && canWrite) info['HostEditUrl'] = urls.edit;
  if (urls?.close) info['CloseUrl'] = urls.close;
  if (urls?.origin) {
    // Our host page handles these messages, so the client posts instead of navigating the top window.
    info['PostMessageOrigin'] = urls.origin;
    info['ClosePostMessage'] = true;
    if (canWrite) info['EditModePostMessage'] = true;
  }
  if (urls) deps.urlsIssued?.();
  return ok(info);
}

// The override table: (method, endpoint, X-WOPI-Override) -> operation and handler. Anything not
// here is answered 501, never guessed.
import type { WopiOperation } from '../contracts/api';
import { checkFileInfo } from './check-file-info';
import type { WopiContext } from './context';
import { getFile, putFile } from './file-contents';
import { deleteFile, putUserInfo, renameFile } from './file-mutations';
import { getLock, lock, refreshLock, unlock, unlockAndRelock } from './locks';
import type { Outcome } from './outcomes';
import { putRelativeFile } from './put-relative';

export type Handler = (ctx: WopiContext) => Outcome | Promise<Outcome>;

export interface Route {
  operation: WopiOperation;
  handler?: Handler;
  /** Why it is not supported (501). */
  unsupported?: string;
}

export interface ParsedPath {
  kind: 'file' | 'contents' | 'file-sub' | 'other';
  fileId?: string;
  sub?: string;
}

/** `/wopi/files/<id>`, `/wopi/files/<id>/contents`; ids are taken verbatim (URL-decoded once). */
export function parseWopiPath(pathname: string): ParsedPath {
  const m = /^\/wopi\/files\/([^/]+)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (!m) return { kind: 'other' };
  let fileId: string;
  try {
    fileId = decodeURIComponent(m[1]!);
  } catch {
    return { kind: 'other' };
  }
  if (!m[2]) return { kind: 'file', fileId };
  if (m[2] === 'contents') return { kind: 'contents', fileId };
  return { kind: 'file-sub', fileId, sub: m[2] };
}

const FILE_POST: Record<string, Route> = {
  LOCK: { operation: 'Lock', handler: lock },
  GET_LOCK: { operation: 'GetLock', handler: getLock },
  REFRESH_LOCK: { operation: 'RefreshLock', handler: refreshLock },
  UNLOCK: { operation: 'Unlock', handler: unlock },
  PUT_RELATIVE: { operation: 'PutRelativeFile', handler: putRelativeFile },
  RENAME_FILE: { operation: 'RenameFile', handler: renameFile },
  DELETE: { operation: 'DeleteFile', handler: deleteFile },
  PUT_USER_INFO: { operation: 'PutUserInfo', handler: putUserInfo },
};

export function route(
  method: string,
  p: ParsedPath,
  override: string | undefined,
  hasOldLock: boolean,
): Route {
  const o = override?.trim().toUpperCase();
  if (p.kind === 'file') {
    if (method === 'GET' || method === 'HEAD') return { operation: 'CheckFileInfo', handler: checkFileInfo };
    if (method === 'POST') {
      if (!o)
        return { operation: 'Unsupported', unsupported: 'POST on a file needs an X-WOPI-Override header' };
      if (o === 'LOCK' && hasOldLock) return { operation: 'UnlockAndRelock', handler: unlockAndRelock };
      const r = FILE_POST[o];
      if (r) return r;
      return {
        operation: 'Unsupported',
        unsupported: `X-WOPI-Override "${override}" is not supported by this host`,
      };
    }
  }
  if (p.kind === 'contents') {
    if (method === 'GET' || method === 'HEAD') return { operation: 'GetFile', handler: getFile };
    if (method === 'POST' && o === 'PUT') return { operation: 'PutFile', handler: putFile };
    if (method === 'POST') {
      return {
        operation: 'Unsupported',
        unsupported: `X-WOPI-Override "${override ?? ''}" is not supported on /contents`,
      };
    }
  }
  if (p.kind === 'file-sub') {
    return {
      operation: 'Unsupported',
      unsupported: `/wopi/files/<id>/${p.sub} is not supported by this host`,
    };
  }
  return {
    operation: 'Unsupported',
    unsupported: `${method} ${p.kind === 'other' ? 'on this path' : ''} is not supported`.trim(),
  };
}

// The WOPI operation a request asks for, read from the wire alone (method, path, override, whether
// X-WOPI-OldLock is sent). Clients, the inspecting proxy and the linter decode exchanges with it;
// the host's own dispatch table (wopi/dispatch.ts) is the one that answers them.
import type { WopiOperation } from '../contracts/api';

const POST_FILE: Record<string, WopiOperation> = {
  LOCK: 'Lock',
  GET_LOCK: 'GetLock',
  REFRESH_LOCK: 'RefreshLock',
  UNLOCK: 'Unlock',
  PUT_RELATIVE: 'PutRelativeFile',
  RENAME_FILE: 'RenameFile',
  DELETE: 'DeleteFile',
  PUT_USER_INFO: 'PutUserInfo',
};

/** `/…/wopi/files/<id>[/contents]` from `/wopi/` on; a host may serve WOPI under a prefix. */
export function wopiFileOf(pathname: string): { fileId?: string; endpoint: 'file' | 'contents' | 'other' } {
  const at = pathname.indexOf('/wopi/files/');
  if (at < 0) return { endpoint: 'other' };
  const m = /^\/wopi\/files\/([^/]+)(\/contents)?\/?$/.exec(pathname.slice(at));
  if (!m) return { endpoint: 'other' };
  let fileId: string;
  try {
    fileId = decodeURIComponent(m[1]!);
  } catch {
    return { endpoint: 'other' };
  }
  return { fileId, endpoint: m[2] ? 'contents' : 'file' };
}

export function operationOf(
  method: string,
  pathname: string,
  override: string | undefined,
  hasOldLock: boolean,
): WopiOperation {
  const { endpoint } = wopiFileOf(pathname);
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const o = override?.trim().toUpperCase();
  if (endpoint === 'contents') {
    if (m === 'GET') return 'GetFile';
    if (m === 'POST' && o === 'PUT') return 'PutFile';
    return 'Unsupported';
  }
  if (endpoint === 'file') {
    if (m === 'GET') return 'CheckFileInfo';
    if (m !== 'POST' || o === undefined) return 'Unsupported';
    if (o === 'LOCK' && hasOldLock) return 'UnlockAndRelock';
    return POST_FILE[o] ?? 'Unsupported';
  }
  return 'Other';
}

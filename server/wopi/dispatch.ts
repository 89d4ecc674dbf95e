// The override table: (method, endpoint, X-WOPI-Override) -> operation, handler, and the permission
// the operation needs. Anything not here is answered 501, never guessed. Permissions are checked once,
// by permissionOutcome before the handler runs, so no handler repeats the check.
import type { TokenClaims } from '../auth/tokens';
import type { Permission, WopiOperation } from '../contracts/api';
import { checkFileInfo } from './check-file-info';
import type { WopiContext } from './context';
import { grants } from './context';
import { getFile, putFile } from './file-contents';
import { deleteFile, putUserInfo, renameFile } from './file-mutations';
import { getLock, lock, refreshLock, unlock, unlockAndRelock } from './locks';
import type { Outcome } from './outcomes';
import { putRelativeFile } from './put-relative';

export type Handler = (ctx: WopiContext) => Outcome | Promise<Outcome>;
/** Any answer but success. */
export type Refusal = Exclude<Outcome, { kind: 'ok' }>;

export interface Route {
  operation: WopiOperation;
  handler?: Handler;
  /** Why it is not supported (501). */
  unsupported?: string;
  /** What the access token must grant for the operation to run at all. */
  needs?: Permission;
  /** The answer to a token that does not grant `needs`, when not 404 "grants view rights only". */
  refused?: () => Refusal;
}

/** One row of the table: how a request reaches the operation. */
export interface RouteRow extends Route {
  handler: Handler;
  /** GET rows answer HEAD too, whatever X-WOPI-Override says. */
  method: 'GET' | 'POST';
  endpoint: 'file' | 'contents';
  /** X-WOPI-Override (upper case) for POST rows. */
  override?: string;
  /** Chosen over the row without it when X-WOPI-OldLock is sent (Lock with OldLock is UnlockAndRelock). */
  withOldLock?: true;
}

export const ROUTES: readonly RouteRow[] = [
  { method: 'GET', endpoint: 'file', operation: 'CheckFileInfo', handler: checkFileInfo },
  { method: 'GET', endpoint: 'contents', operation: 'GetFile', handler: getFile },
  {
    method: 'POST',
    endpoint: 'contents',
    override: 'PUT',
    operation: 'PutFile',
    handler: putFile,
    needs: 'edit',
  },
  { method: 'POST', endpoint: 'file', override: 'LOCK', operation: 'Lock', handler: lock, needs: 'edit' },
  {
    method: 'POST',
    endpoint: 'file',
    override: 'LOCK',
    withOldLock: true,
    operation: 'UnlockAndRelock',
    handler: unlockAndRelock,
    needs: 'edit',
  },
  { method: 'POST', endpoint: 'file', override: 'GET_LOCK', operation: 'GetLock', handler: getLock },
  {
    method: 'POST',
    endpoint: 'file',
    override: 'REFRESH_LOCK',
    operation: 'RefreshLock',
    handler: refreshLock,
    needs: 'edit',
  },
  {
    method: 'POST',
    endpoint: 'file',
    override: 'UNLOCK',
    operation: 'Unlock',
    handler: unlock,
    needs: 'edit',
  },
  {
    method: 'POST',
    endpoint: 'file',
    override: 'PUT_RELATIVE',
    operation: 'PutRelativeFile',
    handler: putRelativeFile,
    needs: 'edit',
    // CheckFileInfo told this user UserCanNotWriteRelative, and then every PutRelativeFile is 501 (PROTOCOL §6.1).
    refused: () => ({
      kind: 'not-implemented',
      why: 'PutRelativeFile: this user cannot create files (UserCanNotWriteRelative is true)',
    }),
  },
  {
    method: 'POST',
    endpoint: 'file',
    override: 'RENAME_FILE',
    operation: 'RenameFile',
    handler: renameFile,
    needs: 'edit',
  },
  {
    method: 'POST',
    endpoint: 'file',
    override: 'DELETE',
    operation: 'DeleteFile',
    handler: deleteFile,
    needs: 'edit',
  },
  // Stores a string for the calling user, not the file: a viewer may too.
  {
    method: 'POST',
    endpoint: 'file',
    override: 'PUT_USER_INFO',
    operation: 'PutUserInfo',
    handler: putUserInfo,
  },
];

/**
 * The one permission check of the WOPI surface: null when the token grants what the route needs, else
 * the refusal (404 so a viewer learns nothing more, as for a file it cannot see). Called after the
 * token and the file are verified and before the handler, which then never checks rights itself.
 */
export function permissionOutcome(r: Route, claims: TokenClaims): Refusal | null {
  if (!r.needs || grants(claims, r.needs)) return null;
  return (
    r.refused?.() ?? { kind: 'not-found', why: `${r.operation}: the access token grants view rights only` }
  );
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

// The table indexed once, so a request finds its row with one lookup.
const routeKey = (method: string, endpoint: string, override: string | undefined): string =>
  `${method} ${endpoint} ${override ?? ''}`;
const BY_KEY = new Map<string, { plain?: RouteRow; oldLock?: RouteRow }>();
for (const r of ROUTES) {
  const key = routeKey(r.method, r.endpoint, r.override);
  const slot = BY_KEY.get(key) ?? {};
  if (r.withOldLock) slot.oldLock = r;
  else slot.plain = r;
  BY_KEY.set(key, slot);
}

export function route(
  method: string,
  p: ParsedPath,
  override: string | undefined,
  hasOldLock: boolean,
): Route {
  const o = override?.trim().toUpperCase();
  const m = method === 'HEAD' ? 'GET' : method;
  if (p.kind === 'file' || p.kind === 'contents') {
    const rows = BY_KEY.get(routeKey(m, p.kind, m === 'GET' ? undefined : o));
    const found = (hasOldLock ? rows?.oldLock : undefined) ?? rows?.plain;
    if (found) return found;
    if (m === 'POST' && p.kind === 'file') {
      if (!o)
        return { operation: 'Unsupported', unsupported: 'POST on a file needs an X-WOPI-Override header' };
      return {
        operation: 'Unsupported',
        unsupported: `X-WOPI-Override "${override}" is not supported by this host`,
      };
    }
    if (m === 'POST') {
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

// Typed client for the control API (server/contracts/control.ts). One method per route, nothing clever:
// the server owns the semantics, the UI only calls and renders.
import type {
  ApiError,
  ClearedRequests,
  ClientProfileView,
  CONTROL_API_PREFIX as CONTRACT_PREFIX,
  DiscoveryStateView,
  FileView,
  HostMessageHistory,
  LaunchLink,
  LockChangeResult,
  LockEntry,
  Permission,
  Persona,
  ReachabilityResult,
  RequestPage,
  RequestRecord,
  SettingsView,
  StatusView,
  TokenGrant,
  TunnelState,
  VersionView,
} from '../../server/contracts';
import type { Session } from './session';

/** The server's codes, plus what only the client can see: no answer at all, or a non-API answer. */
export type ClientErrorCode = ApiError['error']['code'] | 'network' | `http-${number}`;

export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ControlApiError';
  }
}

export interface RequestQuery {
  before?: string;
  limit?: number;
  operation?: string;
  fileId?: string;
  status?: string;
  q?: string;
}

export type TunnelStartBody =
  | { provider: 'localtunnel'; server?: string; subdomain?: string }
  | { provider: 'public-url'; publicUrl: string };

export interface MintTokenBody {
  fileId: string;
  personaId?: string;
  permissions?: Permission;
  ttlMinutes?: number;
}

export interface LaunchBody {
  fileId: string;
  action?: string;
  personaId?: string;
  profile?: string;
}

function isApiError(body: unknown): body is ApiError {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return typeof error === 'object' && error !== null && 'message' in error;
}

/** Lists may come bare or wrapped ({ items: [...] }); accept both so a shape tweak doesn't blank a view. */
function asList<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (typeof body === 'object' && body !== null) {
    for (const value of Object.values(body)) if (Array.isArray(value)) return value as T[];
  }
  return [];
}

// The renderer takes only types from the server; typed as the contract's literal, so a drift won't compile.
const CONTROL_API_PREFIX: typeof CONTRACT_PREFIX = '/v1';
const seg = encodeURIComponent;

export function createControlClient(session: Session) {
  async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (session.token) headers['Authorization'] = `Bearer ${session.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${session.apiBase}${CONTROL_API_PREFIX}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ControlApiError(0, 'network', `Cannot reach the control API at ${session.apiBase}`);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!res.ok) {
      if (isApiError(parsed)) throw new ControlApiError(res.status, parsed.error.code, parsed.error.message);
      throw new ControlApiError(res.status, `http-${res.status}`, `${method} ${path} answered ${res.status}`);
    }
    return parsed as T;
  }

  return {
    status: () => call<StatusView>('GET', '/status'),
    files: async () => asList<FileView>(await call<unknown>('GET', '/files')),
    file: (fileId: string) => call<FileView>('GET', `/files/${seg(fileId)}`),
    versions: async (fileId: string) =>
      asList<VersionView>(await call<unknown>('GET', `/files/${seg(fileId)}/versions`)),
    /** `force` restores even while a WOPI client holds the file's lock. */
    restoreVersion: (fileId: string, versionId: number, force = false) =>
      call<FileView>(
        'POST',
        `/files/${seg(fileId)}/versions/${seg(String(versionId))}/restore${force ? '?force=1' : ''}`,
      ),
    locks: async () => asList<LockEntry>(await call<unknown>('GET', '/locks')),
    setLock: (fileId: string, lockId: string) =>
      call<LockChangeResult>('PUT', `/locks/${seg(fileId)}`, { lockId }),
    forceUnlock: (fileId: string) => call<LockChangeResult>('DELETE', `/locks/${seg(fileId)}`),
    expireLock: (fileId: string) => call<LockChangeResult>('POST', `/locks/${seg(fileId)}/expire`),
    requests: (query: RequestQuery, signal?: AbortSignal) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== '') params.set(key, String(value));
      }
      const qs = params.toString();
      return call<RequestPage>('GET', `/requests${qs ? `?${qs}` : ''}`, undefined, signal);
    },
    request: (requestId: string, reveal = false) =>
      call<RequestRecord>('GET', `/requests/${seg(requestId)}${reveal ? '?reveal=1' : ''}`),
    clearRequests: () => call<ClearedRequests>('DELETE', '/requests'),
    discovery: () => call<DiscoveryStateView>('GET', '/discovery'),
    refreshDiscovery: () => call<DiscoveryStateView | undefined>('POST', '/discovery/refresh'),
    profiles: async () => asList<ClientProfileView>(await call<unknown>('GET', '/profiles')),
    tunnel: () => call<TunnelState>('GET', '/tunnel'),
    startTunnel: (body: TunnelStartBody) => call<TunnelState | undefined>('POST', '/tunnel/start', body),
    stopTunnel: () => call<TunnelState | undefined>('POST', '/tunnel/stop'),
    checkTunnel: () => call<TunnelState | ReachabilityResult | undefined>('POST', '/tunnel/check'),
    personas: async () => asList<Persona>(await call<unknown>('GET', '/personas')),
    mintToken: (body: MintTokenBody) => call<TokenGrant>('POST', '/tokens', body),
    launch: (body: LaunchBody) => call<LaunchLink>('POST', '/launch', body),
    settings: () => call<SettingsView>('GET', '/settings'),
    /** The newest PostMessages the host kept this run, oldest first. */
    hostMessages: () => call<HostMessageHistory>('GET', '/hostpage/messages'),
  };
}

export type ControlClient = ReturnType<typeof createControlClient>;

export function describeError(err: unknown): string {
  if (err instanceof ControlApiError) return err.status ? `${err.message} (${err.code})` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

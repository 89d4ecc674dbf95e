// The shell drives the engine through the same control API as the UI and the CLI (HTTP + token),
// not through engine internals: so the tray works unchanged if the engine moves to another process.
import { ControlRoutes } from '../server/contracts';
import type { ApiError, TunnelState } from '../server/contracts';

export interface ControlEndpoint {
  controlUrl: string;
  controlToken: string;
}

export class ControlCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlCallError';
  }
}

function splitRoute(route: string): { method: string; path: string } {
  const [method = 'GET', path = '/'] = route.split(' ');
  return { method, path };
}

const isApiError = (v: unknown): v is ApiError =>
  typeof v === 'object' && v !== null && typeof (v as ApiError).error?.message === 'string';

export async function callControl<T>(ep: ControlEndpoint, route: string, body?: unknown): Promise<T> {
  const { method, path } = splitRoute(route);
  const res = await fetch(new URL(path, ep.controlUrl), {
    method,
    headers: {
      authorization: `Bearer ${ep.controlToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    if (isApiError(data)) throw new ControlCallError(res.status, data.error.code, data.error.message);
    throw new ControlCallError(res.status, 'http-error', `${method} ${path} answered ${res.status}`);
  }
  return data as T;
}

export interface TunnelStartRequest {
  server?: string;
  subdomain?: string;
}

export const getTunnel = (ep: ControlEndpoint): Promise<TunnelState> => callControl(ep, ControlRoutes.tunnel);

export function startTunnel(ep: ControlEndpoint, req: TunnelStartRequest): Promise<TunnelState> {
  return callControl(ep, ControlRoutes.startTunnel, { provider: 'localtunnel', ...req });
}

export const stopTunnel = (ep: ControlEndpoint): Promise<TunnelState> =>
  callControl(ep, ControlRoutes.stopTunnel);

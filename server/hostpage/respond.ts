// Responses of the host-page routes: never cached (a cached page would replay an expired token).
import type { ServerResponse } from 'node:http';

export const NO_CACHE = { 'cache-control': 'no-cache, no-store', expires: '-1', pragma: 'no-cache' };

export function html(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'x-content-type-options': 'nosniff',
    ...NO_CACHE,
    ...headers,
  });
  res.end(body);
}

export function json(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) return void res.writeHead(status, NO_CACHE).end();
  res.writeHead(status, { 'content-type': 'application/json', ...NO_CACHE }).end(JSON.stringify(body));
}

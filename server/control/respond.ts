// JSON out of the control listener. Every answer carries no-store and nosniff, and never any CORS
// header: the API is same-origin only, so there is nothing to allow.
import type { Response } from 'express';

export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function sendJson(
  res: Response,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = BASE_HEADERS,
): void {
  // Set explicitly: a middleware that failed half-way may have left another type behind.
  res
    .status(status)
    .set({ ...headers, 'content-type': 'application/json; charset=utf-8' })
    .send(JSON.stringify(body));
}

// The closed set of answers a WOPI handler can give, and the one place that turns them into HTTP.
import type { ServerResponse } from 'node:http';
import type { LockView } from '../contracts/api';
import { H } from './headers';

export type Hdrs = Record<string, string>;

export type Outcome =
  | { kind: 'ok'; json?: object; headers?: Hdrs; body?: { file: string; size: number; start?: number } }
  | { kind: 'bad-request'; why: string; headers?: Hdrs }
  | { kind: 'unauthorized'; why: string }
  | { kind: 'not-found'; why: string }
  | { kind: 'lock-mismatch'; current: LockView | null; why: string; headers?: Hdrs }
  | { kind: 'conflict'; why: string; headers?: Hdrs }
  | { kind: 'precondition-failed'; why: string }
  | { kind: 'too-large'; why: string }
  | { kind: 'not-implemented'; why: string }
  | { kind: 'proof-failed'; why: string }
  | { kind: 'server-error'; why: string };

const STATUS: Record<Outcome['kind'], number> = {
  ok: 200,
  'bad-request': 400,
  unauthorized: 401,
  'not-found': 404,
  'lock-mismatch': 409,
  conflict: 409,
  'precondition-failed': 412,
  'too-large': 413,
  'not-implemented': 501,
  'proof-failed': 500,
  'server-error': 500,
};

export const statusOf = (o: Outcome): number => STATUS[o.kind];

/** Header values must be Latin-1; free text is reduced to printable ASCII. */
export const asciiHeader = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 1000);

/** Write status and headers (the body, if any, is written by the caller). */
export function writeHead(res: ServerResponse, o: Outcome): void {
  const status = statusOf(o);
  const headers: Hdrs = { ...('headers' in o ? o.headers : undefined) };
  if (o.kind === 'lock-mismatch') {
    // Every lock 409 carries the current lock: empty when unlocked (validator checks presence).
    headers[H.lock] = o.current?.lockId ?? '';
    headers[H.lockFailureReason] = asciiHeader(o.why);
  }
  if (o.kind !== 'ok') headers[H.serverError] = asciiHeader(o.why);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.statusCode = status;
}

export const ok = (json?: object, headers?: Hdrs): Outcome => ({ kind: 'ok', json, headers });
export const badRequest = (why: string, headers?: Hdrs): Outcome => ({ kind: 'bad-request', why, headers });
export const notFound = (why: string): Outcome => ({ kind: 'not-found', why });
export const lockMismatch = (current: LockView | null, why: string, headers?: Hdrs): Outcome => ({
  kind: 'lock-mismatch',
  current,
  why,
  headers,
});
export const notImplemented = (why: string): Outcome => ({ kind: 'not-implemented', why });

/** The one-line reason for a lock conflict, phrased for the person reading the log. */
export function mismatchWhy(op: string, current: LockView | null, sent: string | undefined): string {
  if (!current)
    return `${op}: the file is not locked, so the lock id sent does not match (X-WOPI-Lock is empty)`;
  if (sent === undefined || sent === '')
    return `${op}: the file is locked and no lock id was sent; the current lock is in X-WOPI-Lock`;
  return `${op}: the file is locked with a different lock id; the current lock is in X-WOPI-Lock`;
}

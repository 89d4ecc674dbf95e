// The closed set of answers a WOPI handler can give, and the one place that turns them into HTTP.
import type { FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { LockView } from '../contracts/api';
import type { StorageError } from '../storage/errors';
import { WopiHeader } from '../protocol/headers';

export type Hdrs = Record<string, string>;

export type Outcome =
  // `body` is an open file the writer streams and closes.
  | { kind: 'ok'; json?: object; headers?: Hdrs; body?: { handle: FileHandle; size: number } }
  | { kind: 'bad-request'; why: string; headers?: Hdrs }
  | { kind: 'unauthorized'; why: string }
  | { kind: 'not-found'; why: string }
  | { kind: 'lock-mismatch'; current: LockView | null; why: string; headers?: Hdrs }
  | { kind: 'conflict'; why: string; headers?: Hdrs }
  | { kind: 'precondition-failed'; why: string }
  | { kind: 'too-large'; why: string }
  | { kind: 'timeout'; why: string }
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
  timeout: 408,
  'not-implemented': 501,
  'proof-failed': 500,
  'server-error': 500,
};

export const statusOf = (o: Outcome): number => STATUS[o.kind];

const MAX_TEXT_HEADER = 1000;
// Lock ids are opaque printable ASCII of at most 1024 characters (PROTOCOL §5.1).
const REPRESENTABLE_LOCK = /^[\x20-\x7e]{0,1024}$/;
/** Headers carrying a sentence for the log (capped; never a value a client acts on). */
const FREE_TEXT: ReadonlySet<string> = new Set([
  WopiHeader.serverError,
  WopiHeader.lockFailureReason,
  WopiHeader.invalidFileNameError,
]);

/**
 * Free text as a header value: node:http refuses anything outside Latin-1 (and a response that throws
 * while its headers are set never goes out), so every character outside printable ASCII is written as a
 * \uXXXX escape, which keeps it readable in a log. The full text stays in the request record.
 */
export function asciiHeader(s: string): string {
  let out = '';
  for (let i = 0; i < s.length && out.length < MAX_TEXT_HEADER; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c <= 0x7e ? s[i] : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out.slice(0, MAX_TEXT_HEADER);
}

/**
 * Every header value the host writes goes through here. X-WOPI-Lock carries the lock exactly, or empty
 * when the lock cannot be represented as a WOPI lock (PROTOCOL §5.2); names are UTF-7 already
 * (X-WOPI-ValidRelativeTarget), and anything else is free text.
 */
function headerValue(name: string, value: string): string {
  if (name === WopiHeader.lock) return REPRESENTABLE_LOCK.test(value) ? value : '';
  if (FREE_TEXT.has(name)) return asciiHeader(value);
  return /^[\x20-\x7e]*$/.test(value) ? value : asciiHeader(value);
}

/** Write status and headers (the body, if any, is written by the caller). */
export function writeHead(res: ServerResponse, o: Outcome): void {
  const status = statusOf(o);
  const headers: Hdrs = { ...('headers' in o ? o.headers : undefined) };
  if (o.kind === 'lock-mismatch') {
    // Every lock 409 carries the current lock: empty when unlocked (validator checks presence).
    headers[WopiHeader.lock] = o.current?.lockId ?? '';
    // Hosts name who holds the lock here (Office logs it); the X-WOPI-Lock value is untouched.
    headers[WopiHeader.lockFailureReason] = o.current?.holderName
      ? `${lockedBy(o.current.holderName)}; ${o.why}`
      : o.why;
  }
  if (o.kind !== 'ok') headers[WopiHeader.serverError] = o.why;
  // The rest of a body that stopped arriving will not come: close rather than wait on it for keep-alive.
  if (o.kind === 'timeout') headers['connection'] = 'close';
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, headerValue(k.toLowerCase(), v));
  res.statusCode = status;
}

/**
 * The one mapping from a storage failure to a protocol answer. Races (the file went, a name got taken,
 * a folder is in the way) are the state at the request's turn, not server faults.
 */
export function storageOutcome(op: string, e: StorageError): Outcome {
  const why = `${op}: ${e.message}`;
  switch (e.code) {
    case 'not-found':
    case 'outside-folder':
      return notFound(why);
    case 'exists':
      return { kind: 'conflict', why };
    case 'invalid-name':
      return badRequest(
        why,
        op === 'RenameFile' ? { [WopiHeader.invalidFileNameError]: e.message } : undefined,
      );
    case 'too-large':
      return { kind: 'too-large', why };
    case 'aborted':
      return badRequest(why);
    case 'timeout':
      return { kind: 'timeout', why };
    case 'denied':
    case 'io':
      return { kind: 'server-error', why };
  }
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

/** The start of X-WOPI-LockFailureReason when the holder is known ('Locked by Alice Example'). */
export const lockedBy = (holderName: string): string => `Locked by ${holderName}`;

/** The one-line reason for a lock conflict, phrased for the person reading the log. */
export function mismatchWhy(op: string, current: LockView | null, sent: string | undefined): string {
  if (!current)
    return `${op}: the file is not locked, so the lock id sent does not match (X-WOPI-Lock is empty)`;
  if (sent === undefined || sent === '')
    return `${op}: the file is locked and no lock id was sent; the current lock is in X-WOPI-Lock`;
  return `${op}: the file is locked with a different lock id; the current lock is in X-WOPI-Lock`;
}

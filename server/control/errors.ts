// Control-API failures as stable codes. Routes throw ControlError; the handler is the one place that
// turns any thrown value into a status + ApiError body, so callers switch on `code`, never on text.
import type { ControlErrorCode } from '../contracts/api';
import { StorageError } from '../storage/errors';

export const STATUS_OF: Readonly<Record<ControlErrorCode, number>> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'too-large': 413,
  internal: 500,
  'not-available': 501,
};

export class ControlError extends Error {
  constructor(
    readonly code: ControlErrorCode,
    message: string,
    /** Extra response headers (e.g. Allow, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ControlError';
  }

  get status(): number {
    return STATUS_OF[this.code];
  }
}

const isControlCode = (c: unknown): c is ControlErrorCode =>
  typeof c === 'string' && Object.hasOwn(STATUS_OF, c);

const STORAGE_CODES: Readonly<Record<StorageError['code'], ControlErrorCode>> = {
  'not-found': 'not-found',
  'outside-folder': 'bad-request',
  'invalid-name': 'bad-request',
  exists: 'conflict',
  'too-large': 'too-large',
  aborted: 'internal',
  timeout: 'bad-request',
  denied: 'internal',
  io: 'internal',
};

/**
 * Any thrown value as a ControlError. Rooms may throw errors whose `code` is a control code
 * (e.g. 'bad-request' for a bad tunnel URL); anything else is an internal error.
 */
export function toControlError(e: unknown): ControlError {
  if (e instanceof ControlError) return e;
  if (e instanceof StorageError) return new ControlError(STORAGE_CODES[e.code], e.message);
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (isControlCode(code)) return new ControlError(code, message);
  return new ControlError('internal', `internal error: ${message}`);
}

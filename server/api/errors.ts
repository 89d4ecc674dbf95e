// Failures of the API model as stable codes. Every model method throws ApiModelError only (whatever the
// engine part underneath threw), so a caller (the control routes, the CLI, main/, a library user)
// switches on `code`, never on message text. No HTTP here: status codes are the control room's mapping.
import type { ControlErrorCode } from '../contracts/api';
import { StorageError } from '../storage/errors';

export type ApiErrorCode = ControlErrorCode;

const CODES: Readonly<Record<ApiErrorCode, true>> = {
  'bad-request': true,
  unauthorized: true,
  forbidden: true,
  'not-found': true,
  'method-not-allowed': true,
  conflict: true,
  'too-large': true,
  internal: true,
  'not-available': true,
};

export const isApiErrorCode = (c: unknown): c is ApiErrorCode =>
  typeof c === 'string' && Object.hasOwn(CODES, c);

export class ApiModelError extends Error {
  override readonly name = 'ApiModelError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const STORAGE_CODES: Readonly<Record<StorageError['code'], ApiErrorCode>> = {
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
 * Any thrown value as an ApiModelError. Rooms may throw errors whose `code` is one of ours (the host
 * page's LaunchError: 'not-found', 'forbidden', 'bad-request'); anything else is an internal error.
 */
export function toApiModelError(e: unknown): ApiModelError {
  if (e instanceof ApiModelError) return e;
  if (e instanceof StorageError) return new ApiModelError(STORAGE_CODES[e.code], e.message, { cause: e });
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (isApiErrorCode(code)) return new ApiModelError(code, message, { cause: e });
  return new ApiModelError('internal', `internal error: ${message}`, { cause: e });
}

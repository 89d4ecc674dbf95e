// Checks for what callers hand the API model (a JSON body over HTTP, or an object from a library user):
// each failure is a 'bad-request' naming the field and what it must be.
import { MAX_LOCK_LENGTH } from '../wopi/locks';
import { ApiModelError } from './errors';

export type JsonObject = Readonly<Record<string, unknown>>;

export const badRequest = (message: string): ApiModelError => new ApiModelError('bad-request', message);

export function objectInput(input: unknown, example: string): JsonObject {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest(`expected a JSON object like ${example}`);
  }
  return input as JsonObject;
}

export function optionalString(o: JsonObject, key: string, max = 1024): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${key} must be a string`);
  if (v.length > max) throw badRequest(`${key} must be at most ${max} characters`);
  return v;
}

export function requiredString(o: JsonObject, key: string, max = 1024): string {
  const v = optionalString(o, key, max);
  if (v === undefined || v === '') throw badRequest(`${key} is required`);
  return v;
}

export function optionalEnum<T extends string>(
  o: JsonObject,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const v = optionalString(o, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw badRequest(`${key} must be one of ${allowed.join(', ')}`);
  return v as T;
}

export function optionalNumber(o: JsonObject, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw badRequest(`${key} must be a number from ${min} to ${max}`);
  }
  return v;
}

/** A whole number in range when present. */
export function optionalWhole(o: JsonObject, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest(`${key} must be a whole number from ${min} to ${max}`);
  }
  return v;
}

/** An id argument (file id, request id): a non-empty string. Unknown ids are 'not-found' later. */
export function idArg(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw badRequest(`${what} must be a non-empty string`);
  return v;
}

/** WOPI lock ids, by the WOPI lock handlers' own limit: 1 to MAX_LOCK_LENGTH printable ASCII characters. */
const LOCK_ID = new RegExp(`^[\\x20-\\x7e]{1,${MAX_LOCK_LENGTH}}$`);

export function lockIdOf(o: JsonObject): string {
  const v = o['lockId'];
  if (typeof v !== 'string' || !LOCK_ID.test(v)) {
    throw badRequest(`lockId must be 1 to ${MAX_LOCK_LENGTH} printable ASCII characters`);
  }
  return v;
}

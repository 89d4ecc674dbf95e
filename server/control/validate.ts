// Checks for request bodies and query strings: each failure names the field and what it must be.
import { ControlError } from './errors';

export type JsonObject = Readonly<Record<string, unknown>>;

const bad = (message: string): ControlError => new ControlError('bad-request', message);

export function objectBody(body: unknown, example: string): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bad(`send a JSON object body like ${example}`);
  }
  return body as JsonObject;
}

export function optionalString(o: JsonObject, key: string, max = 1024): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(`${key} must be a string`);
  if (v.length > max) throw bad(`${key} must be at most ${max} characters`);
  return v;
}

export function requiredString(o: JsonObject, key: string, max = 1024): string {
  const v = optionalString(o, key, max);
  if (v === undefined || v === '') throw bad(`${key} is required`);
  return v;
}

export function optionalEnum<T extends string>(
  o: JsonObject,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const v = optionalString(o, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw bad(`${key} must be one of ${allowed.join(', ')}`);
  return v as T;
}

export function optionalNumber(o: JsonObject, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw bad(`${key} must be a number from ${min} to ${max}`);
  }
  return v;
}

/** A query parameter that must be a whole number in range when present. */
export function queryInt(q: URLSearchParams, key: string, min: number, max: number): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const n = /^\d{1,15}$/.test(v) ? Number(v) : NaN;
  if (!(n >= min && n <= max))
    throw bad(`query parameter ${key} must be a whole number from ${min} to ${max}`);
  return n;
}

export const queryFlag = (q: URLSearchParams, key: string): boolean =>
  ['1', 'true', 'yes'].includes(q.get(key) ?? '');

/** WOPI lock ids: 1–1024 printable ASCII characters (PROTOCOL: lock strings are opaque, up to 1024). */
export function lockIdOf(o: JsonObject): string {
  const v = o['lockId'];
  if (typeof v !== 'string' || !/^[\x20-\x7e]{1,1024}$/.test(v)) {
    throw bad('lockId must be 1 to 1024 printable ASCII characters');
  }
  return v;
}

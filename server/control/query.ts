// Query strings of control requests, read the way URLSearchParams reads them (first value wins; an
// empty value counts as absent). Only the text-to-type step lives here: ranges are the API model's.
import type { Request } from 'express';
import { ApiModelError } from '../api';

export const searchParamsOf = (req: Request): URLSearchParams =>
  new URL(req.originalUrl, 'http://control.invalid').searchParams;

export function queryText(q: URLSearchParams, key: string): string | undefined {
  const v = q.get(key);
  return v === null || v === '' ? undefined : v;
}

/** A whole number when present; the model checks its range. */
export function queryWhole(q: URLSearchParams, key: string): number | undefined {
  const v = queryText(q, key);
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v)) {
    throw new ApiModelError('bad-request', `query parameter ${key} must be a whole number`);
  }
  return Number(v);
}

export const queryFlag = (q: URLSearchParams, key: string): boolean =>
  ['1', 'true', 'yes'].includes(q.get(key) ?? '');

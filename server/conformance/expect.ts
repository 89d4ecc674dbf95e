// Expectations a case states about one response. Each failure is a CaseFailure carrying what the
// protocol wants, what the host did (one line each) and the exchange it is about, so a report can
// show "expected 409 with X-WOPI-Lock: LockString; got 200" and open that request.
import type { WopiResponse } from './client';
import { CaseFailure } from './types';

const label = (what: string): string => (what ? `${what}: ` : '');

export function expectStatus(res: WopiResponse, expected: number | readonly number[], what = ''): void {
  const allowed = typeof expected === 'number' ? [expected] : expected;
  if (!allowed.includes(res.status))
    throw new CaseFailure(`${label(what)}${allowed.join(' or ')}`, res.summary(), res.recordId);
}

/** Header present with exactly this value ("" means present and empty). */
export function expectHeader(res: WopiResponse, name: string, expected: string, what = ''): void {
  const actual = res.header(name);
  if (actual !== expected)
    throw new CaseFailure(
      `${label(what)}${name}: ${JSON.stringify(expected)}`,
      actual === undefined ? `${res.status} without ${name}` : `${name}: ${JSON.stringify(actual)}`,
      res.recordId,
    );
}

/** Header present and non-empty; returns its value. */
export function expectNonEmptyHeader(res: WopiResponse, name: string, what = ''): string {
  const actual = res.header(name);
  if (actual === undefined || actual === '')
    throw new CaseFailure(`${label(what)}${name} present and non-empty`, res.summary(), res.recordId);
  return actual;
}

/** The validator's LockMismatchValidator, strict: 409 and X-WOPI-Lock with the current lock ("" when unlocked). */
export function expectLockMismatch(res: WopiResponse, currentLock: string, what = ''): void {
  if (res.status !== 409 || res.header('X-WOPI-Lock') !== currentLock)
    throw new CaseFailure(
      `${label(what)}409 with X-WOPI-Lock: ${JSON.stringify(currentLock)}`,
      // A bare "409" would not say what is wrong with it.
      res.status === 409 && res.header('X-WOPI-Lock') === undefined
        ? `${res.summary()} (no X-WOPI-Lock)`
        : res.summary(),
      res.recordId,
    );
}

/** A 200 that is not GetLock must not carry X-WOPI-Lock (PROTOCOL §5.2). */
export function expectOkWithoutLock(res: WopiResponse, what: string): void {
  expectStatus(res, 200, what);
  if (res.header('X-WOPI-Lock') !== undefined)
    throw new CaseFailure(`${label(what)}200 without X-WOPI-Lock`, res.summary(), res.recordId);
}

/** The body as a JSON object, or a failure naming the exchange. */
export function expectJson(res: WopiResponse, what = ''): Record<string, unknown> {
  const body = res.json();
  if (!body) throw new CaseFailure(`${label(what)}a JSON object body`, res.summary(), res.recordId);
  return body;
}

/** Any other condition about one response. */
export function expectThat(ok: boolean, res: WopiResponse, expected: string, actual?: string): void {
  if (!ok) throw new CaseFailure(expected, actual ?? res.summary(), res.recordId);
}

/**
 * Validator prerequisite reading of CheckFileInfo: `true` = present and true; `false` = absent or false.
 * Returns the first property that does not match, with what it is, or undefined.
 */
export function capabilityMismatch(
  info: Readonly<Record<string, unknown>>,
  expected: Readonly<Record<string, boolean>>,
): string | undefined {
  for (const [name, want] of Object.entries(expected)) {
    const actual = info[name];
    if (want && actual !== true)
      return `${name} is ${actual === undefined ? 'absent' : JSON.stringify(actual)}, not true`;
    if (!want && actual !== undefined && actual !== false)
      return `${name} is ${JSON.stringify(actual)}, not false`;
  }
  return undefined;
}

/**
 * Stand-ins for the validator's resource documents: distinct, non-empty byte strings (the zero-byte
 * one is empty), so content checks can tell which one a file holds.
 */
export const validatorDocuments = {
  wordBlank: Buffer.from('PK\u0003\u0004 WordBlankDocument stand-in\n'),
  wordSimple: Buffer.from('PK\u0003\u0004 WordSimpleDocument stand-in, a little longer\n'),
  wordComplex: Buffer.from('PK\u0003\u0004 WordComplexDocument stand-in, longer still, with more bytes\n'),
  zeroByte: Buffer.alloc(0),
} as const;

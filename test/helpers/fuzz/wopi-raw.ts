// WOPI calls over the raw client for the storms and the crash loop: one file (id + token), an
// operation, a bound on the answer. Keeps invocation and response times for the linearizability check.
import { utf7Header } from './inputs';
import { rawRequest } from './raw-http';
import type { Delivery, HeaderValue, RawOutcome, RawResponse } from './raw-http';

export interface FileHandle {
  id: string;
  token: string;
}

export interface Timed {
  outcome: RawOutcome;
  invoke: number;
  respond: number;
  /** The response, when there was one. */
  res?: RawResponse;
}

export interface CallOptions {
  suffix?: '' | '/contents';
  method?: string;
  headers?: Array<[string, HeaderValue]>;
  body?: Buffer;
  delivery?: Delivery;
  answerWithinMs: number;
}

const now = (): number => performance.timeOrigin + performance.now();

export async function call(origin: string, f: FileHandle, o: CallOptions): Promise<Timed> {
  const invoke = now();
  const outcome = await rawRequest(origin, {
    method: o.method ?? 'POST',
    target: `/wopi/files/${f.id}${o.suffix ?? ''}?access_token=${f.token}`,
    headers: o.headers ?? [],
    ...(o.body ? { body: o.body } : {}),
    ...(o.delivery ? { delivery: o.delivery } : {}),
    answerWithinMs: o.answerWithinMs,
  });
  const respond = now();
  return { outcome, invoke, respond, ...(outcome.kind === 'answered' ? { res: outcome.res } : {}) };
}

export const ops = {
  checkFileInfo: (bound: number): CallOptions => ({ method: 'GET', answerWithinMs: bound }),
  getFile: (bound: number): CallOptions => ({ method: 'GET', suffix: '/contents', answerWithinMs: bound }),
  lock: (id: string, bound: number): CallOptions => ({
    headers: [
      ['X-WOPI-Override', 'LOCK'],
      ['X-WOPI-Lock', id],
    ],
    answerWithinMs: bound,
  }),
  unlockAndRelock: (old: string, id: string, bound: number): CallOptions => ({
    headers: [
      ['X-WOPI-Override', 'LOCK'],
      ['X-WOPI-Lock', id],
      ['X-WOPI-OldLock', old],
    ],
    answerWithinMs: bound,
  }),
  unlock: (id: string, bound: number): CallOptions => ({
    headers: [
      ['X-WOPI-Override', 'UNLOCK'],
      ['X-WOPI-Lock', id],
    ],
    answerWithinMs: bound,
  }),
  refreshLock: (id: string, bound: number): CallOptions => ({
    headers: [
      ['X-WOPI-Override', 'REFRESH_LOCK'],
      ['X-WOPI-Lock', id],
    ],
    answerWithinMs: bound,
  }),
  getLock: (bound: number): CallOptions => ({
    headers: [['X-WOPI-Override', 'GET_LOCK']],
    answerWithinMs: bound,
  }),
  putFile: (lockId: string | undefined, body: Buffer, bound: number, delivery?: Delivery): CallOptions => ({
    suffix: '/contents',
    headers: [
      ['X-WOPI-Override', 'PUT'],
      ...(lockId !== undefined ? [['X-WOPI-Lock', lockId] as [string, string]] : []),
    ],
    body,
    ...(delivery ? { delivery } : {}),
    answerWithinMs: bound,
  }),
  rename: (name: string, lockId: string, bound: number): CallOptions => ({
    headers: [
      ['X-WOPI-Override', 'RENAME_FILE'],
      ['X-WOPI-RequestedName', utf7Header(name)],
      ['X-WOPI-Lock', lockId],
    ],
    answerWithinMs: bound,
  }),
  deleteFile: (bound: number): CallOptions => ({
    headers: [['X-WOPI-Override', 'DELETE']],
    answerWithinMs: bound,
  }),
  putRelativeSuggested: (name: string, body: Buffer, bound: number): CallOptions => ({
    headers: [
      ['X-WOPI-Override', 'PUT_RELATIVE'],
      ['X-WOPI-SuggestedTarget', utf7Header(name)],
    ],
    body,
    answerWithinMs: bound,
  }),
};

export function statusOf(t: Timed): number | string {
  return t.res ? t.res.status : t.outcome.kind;
}

export function jsonOf(t: Timed): Record<string, unknown> | null {
  if (!t.res) return null;
  try {
    return JSON.parse(t.res.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Creates a file next to `seed` with PutRelativeFile (suggested name) and returns its handle and name. */
export async function createFile(
  origin: string,
  seed: FileHandle,
  name: string,
  body: Buffer,
  bound: number,
): Promise<FileHandle & { name: string }> {
  const t = await call(origin, seed, ops.putRelativeSuggested(name, body, bound));
  const json = jsonOf(t);
  const url = typeof json?.['Url'] === 'string' ? new URL(json['Url']) : null;
  const id = url?.pathname.split('/').pop();
  const token = url?.searchParams.get('access_token');
  if (statusOf(t) !== 200 || !id || !token || typeof json?.['Name'] !== 'string')
    throw new Error(`PutRelativeFile ${name} answered ${statusOf(t)}: ${t.res?.body.toString('utf8') ?? ''}`);
  return { id, token, name: json['Name'] };
}

// The `expect` parts of a scenario step (a response, a lock state, a simulated session, the file's
// state), read and checked the way format.ts reads the rest: each mistake reported with where it is.
import type { ResponseExpectation } from '../wopi-step';
import type { LockExpectation, SessionExpectation, StateExpectation } from './types';

const SIM_STATES = ['opening', 'editing', 'read-only', 'viewing', 'failed', 'closed'];
type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

export type Bad = (where: string, what: string) => void;

export function readResponseExpectation(
  v: unknown,
  where: string,
  bad: Bad,
): ResponseExpectation | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return { status: v };
  if (!isObj(v)) {
    bad(where, 'must be a status number or { status, headers, json, body }');
    return undefined;
  }
  for (const k of Object.keys(v))
    if (!['status', 'headers', 'json', 'body'].includes(k))
      bad(`${where}.${k}`, 'is not a field here; the fields are: status, headers, json, body');
  const out: ResponseExpectation = {};
  const s = v['status'];
  if (s !== undefined) {
    const list = Array.isArray(s) ? s : [s];
    if (
      list.length === 0 ||
      list.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 100 || x > 599)
    )
      bad(`${where}.status`, `${show(s)} must be an HTTP status (e.g. 409) or a list of them`);
    else out.status = Array.isArray(s) ? (s as number[]) : (s as number);
  }
  if (v['headers'] !== undefined) {
    const h = v['headers'];
    if (!isObj(h) || Object.values(h).some((x) => x !== null && typeof x !== 'string'))
      bad(`${where}.headers`, 'must map header names to values (a string, or null for "absent")');
    else out.headers = h as Record<string, string | null>;
  }
  if (v['json'] !== undefined) {
    if (!isObj(v['json']))
      bad(`${where}.json`, 'must map CheckFileInfo properties to values, or to { not: value }');
    else out.json = v['json'];
  }
  if (v['body'] !== undefined) {
    if (typeof v['body'] !== 'string') bad(`${where}.body`, 'must be the expected body text');
    else out.body = v['body'];
  }
  return out;
}

export function readLockExpectation(v: unknown, where: string, bad: Bad): LockExpectation | undefined {
  if (typeof v === 'string') return { lock: v };
  if (isObj(v) && typeof v['lock'] === 'string') {
    for (const k of Object.keys(v))
      if (k !== 'lock' && k !== 'holder')
        bad(`${where}.${k}`, 'is not a field here; the fields are: lock, holder');
    if (v['holder'] !== undefined && typeof v['holder'] !== 'string')
      bad(`${where}.holder`, 'must be a persona id or name');
    return { lock: v['lock'], ...(typeof v['holder'] === 'string' ? { holder: v['holder'] } : {}) };
  }
  bad(where, 'must be none, a lock name, session:NAME, or { lock, holder }');
  return undefined;
}

export function readSessionExpectation(
  v: unknown,
  where: string,
  bad: Bad,
  needsName: boolean,
): (SessionExpectation & { name?: string }) | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && !needsName) v = { state: v };
  if (!isObj(v)) {
    bad(where, 'must be { state, message, lockedBy }');
    return undefined;
  }
  const allowed = needsName ? ['name', 'state', 'message', 'lockedBy'] : ['state', 'message', 'lockedBy'];
  for (const k of Object.keys(v))
    if (!allowed.includes(k))
      bad(`${where}.${k}`, `is not a field here; the fields are: ${allowed.join(', ')}`);
  const out: SessionExpectation & { name?: string } = {};
  for (const k of ['state', 'message', 'lockedBy', 'name'] as const) {
    const x = v[k];
    if (x === undefined) continue;
    if (typeof x !== 'string') bad(`${where}.${k}`, 'must be a string');
    else out[k] = x;
  }
  if (out.state !== undefined && !SIM_STATES.includes(out.state))
    bad(
      `${where}.state`,
      `${show(out.state)} is not a session state; the states are: ${SIM_STATES.join(', ')}`,
    );
  return out;
}

export function readStateExpectation(
  v: unknown,
  where: string,
  bad: Bad,
  sessions: Set<string>,
): StateExpectation | undefined {
  if (!isObj(v) || Object.keys(v).length === 0) {
    bad(where, 'must say what to expect: { lock, content, sha256, session }');
    return undefined;
  }
  for (const k of Object.keys(v))
    if (!['lock', 'content', 'sha256', 'session'].includes(k))
      bad(`${where}.${k}`, 'is not a field here; the fields are: lock, content, sha256, session');
  const out: StateExpectation = {};
  if (v['lock'] !== undefined) {
    const l = readLockExpectation(v['lock'], `${where}.lock`, bad);
    if (l) out.lock = l;
  }
  if (v['content'] !== undefined) {
    if (typeof v['content'] !== 'string') bad(`${where}.content`, 'must be the expected text of the file');
    else out.content = v['content'];
  }
  if (v['sha256'] !== undefined) {
    if (typeof v['sha256'] !== 'string' || !/^[0-9a-fA-F]{64}$/.test(v['sha256']))
      bad(`${where}.sha256`, 'must be 64 hex digits (sha256sum of the expected file)');
    else out.sha256 = v['sha256'].toLowerCase();
  }
  if (v['session'] !== undefined) {
    const s = readSessionExpectation(v['session'], `${where}.session`, bad, true);
    if (s) {
      const name = s.name ?? 'main';
      if (!sessions.has(name))
        bad(`${where}.session.name`, `${show(name)} is not a session opened by an earlier step`);
      out.session = { ...s, name };
    }
  }
  return out;
}

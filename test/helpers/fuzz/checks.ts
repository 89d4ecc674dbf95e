// Invariants checked on every fuzz response, and how a violation is written down: the case (with a
// curl-like reproduction and the seed) and what the host did.
import { LOCK_409_OPS } from './generator';
import { decodeUtf7, NAME_MAX_BYTES, utf8Bytes } from './inputs';
import type { FuzzCase } from './generator';
import type { HeaderValue, RawOutcome, RawResponse } from './raw-http';
import type { World } from './world';

/**
 * The host's rule for which names it serves (editor lock files, backups, temporary and hidden files are
 * not), said independently of its code: a name it creates or suggests must be one it serves.
 */
export const servedName = (name: string): boolean =>
  !(name.startsWith('~$') || name.startsWith('.') || name.endsWith('~') || name.endsWith('.tmp'));

export type ViolationKind =
  | '5xx'
  | 'status'
  | 'unanswered'
  | 'closed'
  | 'header'
  | 'lock-409'
  | 'protocol'
  | 'content'
  | 'lost-bytes'
  | 'version'
  | 'index'
  | 'temp-files'
  | 'server-died'
  | 'log-5xx'
  | 'warning'
  | 'stdout'
  | 'secret'
  | 'storm'
  | 'linearizability';

export interface Violation {
  kind: ViolationKind;
  message: string;
  case?: FuzzCase;
  status?: number;
  /** The host's x-request-id for the response, when there was one. */
  requestId?: string;
}

const TOKEN_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// eslint-disable-next-line no-control-regex -- control characters are what a header value must not hold
const CTL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

const show = (v: HeaderValue): string =>
  typeof v === 'string'
    ? JSON.stringify(v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v)
    : `bytes(${v.toString('hex')})`;

/** A one-paragraph, curl-like description of the request: enough to send it again by hand. */
export function reproduce(c: FuzzCase): string {
  const target = c.spec.target.replace(/(access_token=)([A-Za-z0-9]{12})[A-Za-z0-9]+/g, '$1$2…');
  const headers = c.spec.headers
    .map(([k, v]) => `-H '${k}: ${k.toLowerCase() === 'authorization' ? 'Bearer <token>' : show(v)}'`)
    .join(' ');
  const body = c.spec.body ? ` --data-binary <${c.spec.body.length} bytes>` : '';
  const extra = [
    c.spec.contentLength !== undefined
      ? `Content-Length: ${typeof c.spec.contentLength === 'number' ? c.spec.contentLength : c.spec.contentLength.text}`
      : '',
    c.spec.chunked ? 'chunked' : '',
    c.spec.delivery && c.spec.delivery.kind !== 'whole' ? `delivery ${JSON.stringify(c.spec.delivery)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `curl -X ${c.spec.method} '<wopi>${target}' ${headers}${body}${extra ? ` (${extra})` : ''}`;
}

export function describeCase(c: FuzzCase): string {
  const on = c.file ? ` on ${c.file.kind} ${JSON.stringify(c.file.label)}` : '';
  const features = c.features.length ? ` [${c.features.join('; ')}]` : '';
  return `case #${c.n} (client ${c.client}) ${c.op}${on}${features}\n    ${reproduce(c)}`;
}

export function describeResponse(res: RawResponse): string {
  const wopi = res.lines.filter((l) => /^x-wopi|^content-(type|length)/i.test(l)).join(' | ');
  const body = res.body.length ? ` body ${JSON.stringify(res.body.subarray(0, 200).toString('utf8'))}` : '';
  return `-> ${res.status} ${res.reason} [${wopi}]${body}`;
}

function headerViolations(c: FuzzCase, res: RawResponse): string[] {
  const bad: string[] = [];
  if (res.malformed) bad.push(`response framing: ${res.malformed}`);
  for (const line of res.lines) {
    const i = line.indexOf(':');
    const name = line.slice(0, i);
    const value = line.slice(i + 1);
    if (!TOKEN_NAME.test(name)) bad.push(`header name ${JSON.stringify(name)} is not an HTTP token`);
    if (CTL.test(value)) bad.push(`header ${name} carries a control character`);
    // WOPI headers are ASCII; a Latin-1 byte here is a name or message that was not encoded.
    if (/^x-wopi-/i.test(name) && /[^\x20-\x7e\t]/.test(value))
      bad.push(`${name} is not ASCII: ${JSON.stringify(value.slice(0, 80))}`);
  }
  const cl = res.headers.get('content-length');
  if (cl && cl.length > 1) bad.push(`Content-Length sent ${cl.length} times`);
  if (cl && res.headers.has('transfer-encoding')) bad.push('both Content-Length and Transfer-Encoding');
  if (cl && c.spec.method !== 'HEAD' && Number(cl[0]) !== res.body.length)
    bad.push(`Content-Length ${cl[0]} but ${res.body.length} body bytes`);
  if (c.spec.method === 'HEAD' && res.body.length) bad.push('a HEAD response with a body');
  const type = res.header('content-type') ?? '';
  if (type.includes('json') && c.spec.method !== 'HEAD') {
    try {
      JSON.parse(res.body.toString('utf8'));
    } catch {
      bad.push('Content-Type says JSON but the body does not parse');
    }
  }
  return bad;
}

function protocolViolations(c: FuzzCase, res: RawResponse, world: World): Array<[Violation['kind'], string]> {
  const out: Array<[Violation['kind'], string]> = [];
  const lock = res.header('x-wopi-lock');
  const known = (v: string): boolean => v === '' || world.sentLockIds.has(v);
  if (res.status === 409 && LOCK_409_OPS.has(c.op)) {
    if (lock === undefined) out.push(['lock-409', `${c.op} answered 409 without X-WOPI-Lock`]);
    else if (!known(lock))
      out.push(['lock-409', `409 reports a lock id no client sent: ${JSON.stringify(lock)}`]);
  }
  if (res.status === 200 && c.op === 'GetLock') {
    if (lock === undefined) out.push(['protocol', 'GetLock 200 without X-WOPI-Lock']);
    else if (!known(lock))
      out.push(['protocol', `GetLock reports a lock id no client sent: ${JSON.stringify(lock)}`]);
  }
  const valid = res.header('x-wopi-validrelativetarget');
  if (valid !== undefined) {
    // A suggestion the host could not itself create is no suggestion.
    const name = decodeUtf7(valid);
    if (name === null)
      out.push(['protocol', `X-WOPI-ValidRelativeTarget ${JSON.stringify(valid)} is not valid UTF-7`]);
    // eslint-disable-next-line no-control-regex -- a suggested file name must not hold control characters
    else if (/[\\/:*?"<>|\u0000-\u001f]/.test(name) || name.trim() === '')
      out.push(['protocol', `X-WOPI-ValidRelativeTarget suggests an illegal name ${JSON.stringify(name)}`]);
    else if (utf8Bytes(name) > NAME_MAX_BYTES)
      out.push([
        'protocol',
        `X-WOPI-ValidRelativeTarget suggests a name of ${utf8Bytes(name)} UTF-8 bytes (over ${NAME_MAX_BYTES})`,
      ]);
    else if (!servedName(name))
      out.push([
        'protocol',
        `X-WOPI-ValidRelativeTarget suggests ${JSON.stringify(name)}, a name the host does not serve`,
      ]);
  }
  if (res.status === 200 && c.op !== 'GetLock' && lock !== undefined)
    out.push(['protocol', `${c.op} 200 carries X-WOPI-Lock (only GetLock's 200 may)`]);
  if (res.status !== 200 || c.spec.method === 'HEAD') return out;
  const json = (): Record<string, unknown> | null => {
    try {
      return JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
  };
  if (c.op === 'CheckFileInfo') {
    const info = json();
    if (!info) out.push(['protocol', 'CheckFileInfo 200 body is not JSON']);
    else {
      if (typeof info['BaseFileName'] !== 'string')
        out.push(['protocol', 'CheckFileInfo without BaseFileName']);
      if (!Number.isInteger(info['Size'])) out.push(['protocol', 'CheckFileInfo Size is not an integer']);
      if (typeof info['Version'] !== 'string')
        out.push(['protocol', 'CheckFileInfo Version is not a string']);
      if (Object.values(info).some((v) => v === null))
        out.push(['protocol', 'CheckFileInfo has a null property']);
    }
  }
  if ((c.op === 'GetFile' || c.op === 'PutFile') && !/^\d+$/.test(res.header('x-wopi-itemversion') ?? ''))
    out.push(['protocol', `${c.op} 200 without a numeric X-WOPI-ItemVersion`]);
  if (c.op === 'PutRelativeFile') {
    const body = json();
    const name = body?.['Name'];
    const url = body?.['Url'];
    if (typeof name !== 'string' || typeof url !== 'string' || !/[?&]access_token=[A-Za-z0-9]+/.test(url))
      out.push(['protocol', 'PutRelativeFile 200 without Name and a Url carrying access_token']);
    else if (!servedName(name))
      out.push([
        'protocol',
        `PutRelativeFile created ${JSON.stringify(name)}, a name the host does not serve`,
      ]);
  }
  if (c.op === 'RenameFile') {
    const name = json()?.['Name'];
    // The extension stays; the answer names the rest.
    const ext = /\.[^.]*$/.exec(c.file?.name ?? c.file?.label ?? '')?.[0] ?? '';
    if (typeof name !== 'string') out.push(['protocol', 'RenameFile 200 without Name']);
    else if (!servedName(`${name}${ext}`))
      out.push([
        'protocol',
        `RenameFile renamed to ${JSON.stringify(name + ext)}, a name the host does not serve`,
      ]);
  }
  return out;
}

/** Every invariant one outcome can break on its own. */
export function checkOutcome(c: FuzzCase, o: RawOutcome, world: World): Violation[] {
  const v: Violation[] = [];
  if (o.kind === 'hung-up') return v;
  if (o.kind === 'unanswered') {
    const where = o.stage === 'sending' ? 'the host stopped reading the request' : 'no response';
    v.push({ kind: 'unanswered', case: c, message: `${where} within ${Math.round(o.waitedMs / 1000)} s` });
    return v;
  }
  if (o.kind === 'closed') {
    // A request we sent in full must get an answer; a cut-short one may just be dropped.
    if (o.sentAllBody) v.push({ kind: 'closed', case: c, message: `connection closed: ${o.reason}` });
    return v;
  }
  const res = o.res;
  const status = res.status;
  const requestId = res.header('x-request-id');
  const base = { case: c, status, ...(requestId ? { requestId } : {}) };
  // The one 5xx the protocol demands: a proof-key rejection (only when proofs are enforced).
  const proofRejection =
    status === 500 && c.allowed.includes(500) && /proof/i.test(res.header('x-wopi-servererror') ?? '');
  if (status >= 500 && status !== 501 && !proofRejection)
    v.push({ ...base, kind: '5xx', message: describeResponse(res) });
  else if (!c.allowed.includes(status))
    v.push({
      ...base,
      kind: 'status',
      message: `expected ${c.allowed.join('/')} (${c.basis}), got ${describeResponse(res)}`,
    });
  for (const why of headerViolations(c, res)) v.push({ ...base, kind: 'header', message: why });
  for (const [kind, why] of protocolViolations(c, res, world))
    v.push({ ...base, kind, message: `${why} ${describeResponse(res)}` });
  return v;
}

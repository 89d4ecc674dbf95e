// The fuzz case generator: one seeded draw gives a complete request (operation, file, token placement,
// odd headers and names, body size and delivery) plus what the protocol allows as an answer. Where the
// request itself decides the status (a bad token is 401 whatever else it carries) the allowed set is
// one status; otherwise it is every status the operation may legally return.
import { chooseAuth } from './auth-variants';
import type { AuthChoice } from './auth-variants';
import { encodeNameHeader, EXTENSIONS, lockHeader, ODD_BASES, taggedBody, utf8Bytes } from './inputs';
import type { LockHeader } from './inputs';
import type { Delivery, HeaderValue, RawSpec } from './raw-http';
import type { Rng } from './rng';
import type { FileRef, World } from './world';
import { sha256 } from './world';

export type Op =
  | 'CheckFileInfo'
  | 'GetFile'
  | 'PutFile'
  | 'Lock'
  | 'GetLock'
  | 'RefreshLock'
  | 'Unlock'
  | 'UnlockAndRelock'
  | 'PutRelativeFile'
  | 'RenameFile'
  | 'DeleteFile'
  | 'PutUserInfo'
  | 'UnknownOverride'
  | 'BadPath'
  | 'OtherMethod';

/** Operations whose 409 must carry X-WOPI-Lock (the current lock, empty when unlocked). */
export const LOCK_409_OPS: ReadonlySet<Op> = new Set<Op>([
  'Lock',
  'RefreshLock',
  'Unlock',
  'UnlockAndRelock',
  'PutFile',
  'RenameFile',
  'DeleteFile',
]);

export interface FuzzCase {
  n: number;
  client: number;
  op: Op;
  /** Labels of the unusual things this request does. */
  features: string[];
  file?: FileRef;
  spec: RawSpec;
  allowed: readonly number[];
  /** Why `allowed` is what it is. */
  basis: string;
  /** The bytes the host would store if it accepted the body (PutFile, PutRelativeFile). */
  upload?: { sha: string; size: number; applies: boolean };
  /** For RenameFile / PutRelativeFile: the UTF-8 length of the full name sent, when it decodes. */
  nameBytes?: number;
  /** The decoded name sent (RenameFile base, PutRelativeFile full name or extension). */
  name?: string;
}

export interface GenOptions {
  answerWithinMs: number;
  /** The host's upload limit (serve --max-upload-mb), to aim some bodies past it. */
  maxUploadBytes: number;
  /** Largest body sent under the limit. */
  largeBodyBytes: number;
  /** The host runs with --proof enforce: unsigned WOPI requests must be refused with 500 (PITFALLS 5). */
  proofEnforced?: boolean;
}

const OPS: ReadonlyArray<readonly [Op, number]> = [
  ['CheckFileInfo', 10],
  ['GetFile', 8],
  ['PutFile', 12],
  ['Lock', 10],
  ['GetLock', 6],
  ['RefreshLock', 5],
  ['Unlock', 6],
  ['UnlockAndRelock', 4],
  ['PutRelativeFile', 6],
  ['RenameFile', 5],
  ['DeleteFile', 3],
  ['PutUserInfo', 2],
  ['UnknownOverride', 2],
  ['BadPath', 2],
  ['OtherMethod', 1],
];

const UNKNOWN_OVERRIDES: ReadonlyArray<HeaderValue> = [
  'COBALT',
  'GET_SHARE_URL',
  'GET_RESTRICTED_LINK',
  'READ_SECURE_STORE',
  'ADD_ACTIVITIES',
  'PUT',
  '',
  Buffer.from([0xdc, 0x42, 0x45, 0x52]),
];

interface Draft {
  op: Op;
  features: string[];
  file?: FileRef;
  method: string;
  suffix: string;
  auth?: AuthChoice;
  headers: Array<[string, HeaderValue]>;
  body?: Buffer;
  allowed: number[];
  basis: string;
  upload?: FuzzCase['upload'];
  nameBytes?: number;
  name?: string;
  delivery?: Delivery;
  contentLength?: RawSpec['contentLength'];
  chunked?: boolean;
  /** A target replacing /wopi/files/<id><suffix> entirely (bad paths). */
  rawTarget?: string;
  close?: boolean;
  /** Bytes past the declared body follow on the connection (the parser answers them 400). */
  garbageAfter?: boolean;
}

function pickFile(rng: Rng, world: World, op: Op): FileRef {
  const scratch = world.scratch.filter((f) => !f.deleted || rng.chance(0.1));
  // Renames and deletes go mostly to scratch files; content files keep their tracked bytes.
  const wantScratch =
    scratch.length > 0 && (op === 'DeleteFile' || rng.chance(op === 'RenameFile' ? 0.6 : 0.25));
  return wantScratch ? rng.pick(scratch) : rng.pick(world.content);
}

function lockValue(h: LockHeader, world: World): Array<[string, HeaderValue]> {
  if (h.kind === 'absent') return [];
  if (h.kind === 'valid') world.sentLockIds.add(h.value);
  return [['X-WOPI-Lock', h.value]];
}

function bodyFor(rng: Rng, tag: string, o: GenOptions): { body: Buffer; label: string } {
  const kind = rng.weighted<string>([
    ['empty', 2],
    ['small', 12],
    ['medium', 3],
    ['large', 1],
    ['over the upload limit', 0.4],
  ]);
  const size =
    kind === 'empty'
      ? 0
      : kind === 'small'
        ? rng.int(16, 4096)
        : kind === 'medium'
          ? rng.int(16 * 1024, 256 * 1024)
          : kind === 'large'
            ? rng.int(o.largeBodyBytes / 2, o.largeBodyBytes)
            : o.maxUploadBytes + rng.int(1, 64 * 1024);
  return { body: size === 0 ? Buffer.alloc(0) : taggedBody(rng, tag, size), label: `${kind} body` };
}

/** How the body goes out; returns the bytes the host would take as the body, or null when it must not. */
function deliver(rng: Rng, d: Draft): Buffer | null {
  const body = d.body ?? Buffer.alloc(0);
  const how = rng.weighted<string>([
    ['whole', 80],
    ['chunked', 5],
    ['trickle', body.length > 0 && body.length <= 64 * 1024 ? 5 : 0],
    ['short stall', body.length > 1 ? 1 : 0],
    ['hang up mid-body', body.length > 1 ? 4 : 0],
    ['Content-Length too small', body.length > 1 ? 1 : 0],
    ['Content-Length too large, then hang up', 1],
    ['Content-Length not a number', 1],
  ]);
  if (how !== 'whole') d.features.push(how);
  switch (how) {
    case 'chunked':
      d.chunked = true;
      return body;
    case 'trickle':
      d.delivery = { kind: 'trickle', chunk: Math.max(1, Math.ceil(body.length / 20)), everyMs: 50 };
      return body;
    case 'short stall':
      d.delivery = { kind: 'stall', after: Math.floor(body.length / 2), ms: 1500 };
      return body;
    case 'hang up mid-body':
      d.delivery = { kind: 'hang-up', after: rng.int(0, body.length - 1) };
      return null;
    case 'Content-Length too small': {
      const n = rng.int(1, body.length - 1);
      d.contentLength = n;
      // The rest arrives as a second, garbage request, which the parser refuses on its own; Node may
      // write that 400 before the answer to the first request.
      d.garbageAfter = true;
      return body.subarray(0, n);
    }
    case 'Content-Length too large, then hang up':
      d.contentLength = body.length + rng.int(1, 1000);
      d.delivery = { kind: 'hang-up', after: body.length };
      return null;
    case 'Content-Length not a number':
      d.contentLength = { text: rng.pick(['abc', '-1', '1e3', '+5', `${body.length}, ${body.length + 1}`]) };
      d.allowed = [400];
      d.basis = 'an unparseable Content-Length is refused by the HTTP parser';
      return null;
    default:
      return body;
  }
}

function opBody(rng: Rng, d: Draft, world: World, o: GenOptions, n: number): void {
  const file = d.file!;
  const tag = `${d.op} ${file.label} #${n} seed ${world.rng.seed}`;
  const { body, label } = bodyFor(rng, tag, o);
  d.body = body;
  d.features.push(label);
  const over = body.length > o.maxUploadBytes;
  if (over) d.allowed = [...new Set([...d.allowed, 413])];
  const stored = deliver(rng, d);
  // PutFile refuses a declared oversize body before anything else; PutRelativeFile checks its names first.
  if (over && d.op === 'PutFile' && d.contentLength === undefined && !d.chunked) {
    d.allowed = [413];
    d.basis = 'a declared Content-Length over maxUploadBytes is refused before the body is read';
  }
  d.upload = stored
    ? { sha: sha256(stored), size: stored.length, applies: !over }
    : { sha: sha256(body), size: body.length, applies: false };
}

function nameBase(rng: Rng, prefix: string): { base: string; label: string } {
  // A small shared pool makes names collide (existing targets, overwrite, rename races).
  if (rng.chance(0.25)) return { base: `${prefix}same-${rng.int(1, 3)}`, label: 'colliding name' };
  const odd = rng.pick(ODD_BASES);
  return { base: rng.chance(0.8) ? `${prefix}${odd.value}` : odd.value, label: odd.label };
}

function build(rng: Rng, world: World, d: Draft, o: GenOptions, n: number): void {
  const file = d.file!;
  const edit = d.auth!.valid && !d.auth!.viewOnly;
  const pool = world.lockIds;
  switch (d.op) {
    case 'CheckFileInfo':
    case 'GetFile': {
      d.method = rng.chance(0.15) ? 'HEAD' : 'GET';
      if (d.method === 'HEAD') d.features.push('HEAD');
      if (d.op === 'GetFile') {
        d.suffix = '/contents';
        if (rng.chance(0.15)) {
          const v = rng.pick(['0', '1', '10', '99999999999999999999', '-1', '1e3', 'abc', String(2 ** 31)]);
          d.headers.push(['X-WOPI-MaxExpectedSize', v]);
          d.features.push(`X-WOPI-MaxExpectedSize ${v}`);
          d.allowed = [200, 400, 412];
        } else d.allowed = [200];
      } else d.allowed = [200];
      d.basis = 'a read with a valid token';
      return;
    }
    case 'Lock':
    case 'RefreshLock':
    case 'Unlock':
    case 'UnlockAndRelock': {
      d.headers.push([
        'X-WOPI-Override',
        d.op === 'RefreshLock' ? 'REFRESH_LOCK' : d.op === 'Unlock' ? 'UNLOCK' : 'LOCK',
      ]);
      const h = lockHeader(rng, pool);
      d.headers.push(...lockValue(h, world));
      if (h.kind === 'valid' && h.value.length <= 500 && rng.chance(0.03)) {
        // A repeated header arrives joined ("A, A"): one more well-formed lock id.
        d.headers.push(['X-WOPI-Lock', h.value]);
        world.sentLockIds.add(`${h.value}, ${h.value}`);
        d.features.push('X-WOPI-Lock sent twice');
      }
      let valid = h.kind === 'valid';
      if (h.kind !== 'valid' || h.label !== 'pool lock id') d.features.push(h.label);
      if (d.op === 'UnlockAndRelock') {
        const old = rng.chance(0.9)
          ? lockHeader(rng, pool)
          : ({ kind: 'invalid', label: 'empty old lock', value: '' } as const);
        // X-WOPI-OldLock present is what makes a LOCK an UnlockAndRelock.
        const oldValue = old.kind === 'absent' ? '' : old.value;
        d.headers.push(['X-WOPI-OldLock', oldValue]);
        if (old.kind !== 'valid' || old.label !== 'pool lock id') d.features.push(`old: ${old.label}`);
        valid = valid && old.kind === 'valid';
      }
      d.allowed = valid ? [200, 409] : [400];
      d.basis = valid ? 'a lock operation with well-formed lock ids' : 'a malformed or missing lock id';
      if (!edit) d.basis = 'view-only token';
      return;
    }
    case 'GetLock':
      d.headers.push(['X-WOPI-Override', 'GET_LOCK']);
      d.allowed = [200];
      d.basis = 'GetLock always answers 200';
      return;
    case 'PutFile': {
      d.suffix = '/contents';
      d.headers.push(['X-WOPI-Override', 'PUT']);
      const h = rng.chance(0.85)
        ? lockHeader(rng, pool)
        : ({ kind: 'absent', label: 'no X-WOPI-Lock' } as const);
      d.headers.push(...lockValue(h, world));
      if (h.kind !== 'valid' || h.label !== 'pool lock id') d.features.push(h.label);
      d.allowed = [200, 409];
      d.basis = 'PutFile';
      opBody(rng, d, world, o, n);
      return;
    }
    case 'PutRelativeFile': {
      d.headers.push(['X-WOPI-Override', 'PUT_RELATIVE']);
      const mode = rng.weighted<string>([
        ['suggested', 5],
        ['suggested extension', 2],
        ['relative', 5],
        ['both targets', 1],
        ['no target', 1],
      ]);
      d.features.push(mode);
      const { base, label } = nameBase(rng, 'rel-');
      const ext = rng.pick(EXTENSIONS);
      const full = mode === 'suggested extension' ? ext || '.docx' : `${base}${ext}`;
      if (mode !== 'suggested extension') d.features.push(label);
      const enc = encodeNameHeader(rng, full);
      if (enc.label !== 'UTF-7') d.features.push(enc.label);
      if (mode === 'both targets') {
        d.headers.push(['X-WOPI-SuggestedTarget', enc.value], ['X-WOPI-RelativeTarget', enc.value]);
        d.allowed = [400, 501];
        d.basis = 'both target headers';
      } else if (mode === 'no target') {
        d.allowed = [400, 501];
        d.basis = 'no target header';
      } else {
        const suggested = mode !== 'relative';
        d.headers.push([suggested ? 'X-WOPI-SuggestedTarget' : 'X-WOPI-RelativeTarget', enc.value]);
        if (!suggested && rng.chance(0.5)) {
          const v = rng.pick(['True', 'true', 'False', 'yes', '1']);
          d.headers.push(['X-WOPI-OverwriteRelativeTarget', v]);
          d.features.push(`overwrite ${v}`);
        }
        if (enc.decodesTo === undefined) {
          d.allowed = [400];
          d.basis = 'a target name that is not valid UTF-7';
        } else {
          d.name = enc.decodesTo;
          // An extension alone keeps the current base name: the name is that base plus the extension.
          const current = (file.name ?? file.label).split('/').pop()!;
          const currentBase = current.includes('.') ? current.slice(0, current.lastIndexOf('.')) : current;
          d.nameBytes = utf8Bytes(
            mode === 'suggested extension' ? `${currentBase}${enc.decodesTo}` : enc.decodesTo,
          );
          // Suggested mode may rename but never refuses the name (PITFALLS 18).
          d.allowed = suggested ? [200] : [200, 400, 409];
          d.basis = suggested ? 'suggested mode never fails on the name' : 'relative mode';
        }
      }
      if (rng.chance(0.3)) d.headers.push(['X-WOPI-Size', rng.pick(['0', '-5', 'abc', '12'])]);
      opBody(rng, d, world, o, n);
      return;
    }
    case 'RenameFile': {
      d.headers.push(['X-WOPI-Override', 'RENAME_FILE']);
      const { base, label } = nameBase(rng, file.kind === 'content' ? 'cf-' : 'rel-');
      d.features.push(label);
      const missing = rng.chance(0.03);
      const enc = encodeNameHeader(rng, base);
      if (missing) d.features.push('no X-WOPI-RequestedName');
      else {
        d.headers.push(['X-WOPI-RequestedName', enc.value]);
        if (enc.label !== 'UTF-7') d.features.push(enc.label);
      }
      const h = rng.chance(0.5)
        ? lockHeader(rng, pool)
        : ({ kind: 'valid', label: 'empty (validator style)', value: '' } as const);
      if (h.kind === 'absent') d.features.push('no X-WOPI-Lock');
      else d.headers.push(['X-WOPI-Lock', h.value]);
      if (!missing && enc.decodesTo !== undefined) {
        d.name = enc.decodesTo;
        const ext = /\.[^.]*$/.exec(file.name ?? file.label)?.[0] ?? '';
        d.nameBytes = utf8Bytes(enc.decodesTo) + utf8Bytes(ext);
        d.allowed = [200, 400, 409];
        d.basis = 'RenameFile';
      } else {
        d.allowed = [400];
        d.basis = 'a requested name that is missing or not valid UTF-7';
      }
      return;
    }
    case 'DeleteFile':
      d.headers.push(['X-WOPI-Override', 'DELETE']);
      d.allowed = [200, 409];
      d.basis = 'DeleteFile';
      return;
    case 'PutUserInfo': {
      d.headers.push(['X-WOPI-Override', 'PUT_USER_INFO']);
      const chars = rng.pick([0, 10, 1024, 1025, 3000]);
      const unit = rng.pick(['u', 'ü', '文']);
      d.body = Buffer.from(unit.repeat(chars), 'utf8');
      d.features.push(`UserInfo of ${chars} × ${unit}`);
      d.allowed = chars <= 1024 ? [200] : [400];
      d.basis = 'UserInfo is at most 1024 characters';
      return;
    }
    case 'UnknownOverride': {
      const v = rng.pick(UNKNOWN_OVERRIDES);
      const onContents = rng.chance(0.2);
      if (onContents) d.suffix = '/contents';
      d.headers.push(['X-WOPI-Override', onContents && v === 'PUT' ? 'LOCK' : v]);
      if (rng.chance(0.2)) {
        d.headers.push(['X-WOPI-Override', 'UNLOCK']);
        d.features.push('duplicate X-WOPI-Override');
      }
      d.features.push(
        `override ${typeof v === 'string' ? JSON.stringify(v) : 'raw bytes'}${onContents ? ' on /contents' : ''}`,
      );
      d.allowed = [501];
      d.basis = 'an override this host does not implement';
      return;
    }
    case 'OtherMethod':
      d.method = rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS']);
      if (rng.chance(0.5)) d.suffix = '/contents';
      d.features.push(`${d.method} method`);
      d.allowed = [405, 501];
      d.basis = 'a method WOPI does not use';
      return;
    default:
      return;
  }
}

const BAD_PATHS = (id: string): Array<{ label: string; target: string; allowed: number[] }> => [
  { label: 'no file id', target: '/wopi/files/', allowed: [404, 501] },
  { label: 'files collection', target: '/wopi/files', allowed: [404, 501] },
  { label: 'extra segment', target: `/wopi/files/${id}/contents/extra`, allowed: [401, 404, 501] },
  { label: 'unknown sub-resource', target: `/wopi/files/${id}/ancestry`, allowed: [401, 404, 501] },
  { label: 'bad percent-encoding', target: '/wopi/files/%ZZ', allowed: [400, 404, 501] },
  { label: 'traversal id', target: '/wopi/files/..%2f..%2fetc%2fpasswd', allowed: [401, 404] },
  // URL parsing resolves the dot segment, so this is the file itself.
  { label: 'dot-dot segment', target: `/wopi/files/${id}/../${id}`, allowed: [200, 400, 401, 404, 409, 501] },
  { label: 'containers', target: `/wopi/containers/${id}`, allowed: [401, 404, 501] },
  { label: 'double slash', target: `//wopi//files/${id}`, allowed: [400, 404, 501] },
  { label: 'upper-case WOPI', target: `/WOPI/files/${id}`, allowed: [404] },
  { label: 'control chars in id', target: '/wopi/files/%1B%5D0%3Bfuzz%07', allowed: [401, 404] },
  { label: 'NUL in id', target: '/wopi/files/a%00b', allowed: [400, 401, 404] },
  { label: 'very long path', target: `/wopi/files/${'x'.repeat(9000)}`, allowed: [401, 404, 414, 431] },
  { label: 'host page without link', target: `/host/${id}`, allowed: [403, 405] },
  { label: 'host page, forged link', target: `/host/${id}?l=ln1abc`, allowed: [403, 405] },
  { label: 'messages without session', target: '/host-session/messages', allowed: [403, 405] },
];

/** One fuzz case for `client`, the `n`th of the run. */
export function nextCase(rng: Rng, world: World, client: number, n: number, o: GenOptions): FuzzCase {
  const op = rng.weighted(OPS);
  const d: Draft = { op, features: [], method: 'POST', suffix: '', headers: [], allowed: [], basis: '' };
  if (op === 'BadPath') {
    const file = rng.pick(world.content);
    const bad = rng.pick(BAD_PATHS(file.id));
    const auth = rng.chance(0.5) ? `?access_token=${file.token}` : '';
    d.method = rng.pick(['GET', 'POST']);
    d.rawTarget = `${bad.target}${bad.target.includes('?') ? auth.replace('?', '&') : auth}`;
    d.features.push(bad.label);
    d.allowed = bad.allowed;
    d.basis = 'not a WOPI file URL';
    if (d.method === 'POST') d.headers.push(['X-WOPI-Override', 'LOCK'], ['X-WOPI-Lock', 'A']);
  } else {
    d.file = pickFile(rng, world, op);
    // Content files are never deleted for real: their bytes are what the ledger checks.
    d.auth = chooseAuth(rng, world, d.file, op === 'DeleteFile' && d.file.kind === 'content');
    if (d.auth.label !== 'query') d.features.push(`token: ${d.auth.label}`);
    d.headers.push(...d.auth.headers);
    build(rng, world, d, o, n);
    const writes = !['CheckFileInfo', 'GetFile', 'GetLock', 'PutUserInfo'].includes(op);
    if (!d.auth.valid) {
      if (d.allowed.length !== 1 || d.allowed[0] !== 400 || !d.basis.includes('Content-Length')) {
        d.allowed = [401];
        d.basis = 'the access token is missing or not valid for this file';
      }
    } else if (d.auth.viewOnly && writes && op !== 'UnknownOverride' && op !== 'OtherMethod') {
      // Refused one way or another, but never done.
      d.allowed = [400, 401, 403, 404, 409, 413, 501].filter((s) => s !== 413 || d.allowed.includes(413));
      d.basis = 'a view-only token cannot write';
    }
    if (d.file.kind === 'scratch' && !d.allowed.includes(404) && d.auth.valid) {
      // Another client may have deleted it a moment ago.
      d.allowed = [...d.allowed, 404];
    }
  }
  sprinkle(rng, d, world);
  if (d.garbageAfter && !d.allowed.includes(400)) d.allowed = [...d.allowed, 400];
  const wopiPath = (d.rawTarget ?? '/wopi/').startsWith('/wopi/');
  if (o.proofEnforced && wopiPath) {
    // The HTTP parser may still refuse first; everything that reaches the host fails the proof check.
    const parser = /Content-Length|server limit/.test(d.basis)
      ? d.allowed.filter((s) => s === 400 || s === 431)
      : [];
    d.allowed = [...parser, ...(d.garbageAfter ? [400] : []), 500];
    d.basis = 'proof mode enforce refuses unsigned requests with 500';
  }
  const query = d.auth?.query ? `?${d.auth.query}` : '';
  const spec: RawSpec = {
    method: d.method,
    target: d.rawTarget ?? `/wopi/files/${d.file!.id}${d.suffix}${query}`,
    headers: d.headers,
    answerWithinMs: o.answerWithinMs,
    ...(d.body !== undefined ? { body: d.body } : {}),
    ...(d.delivery ? { delivery: d.delivery } : {}),
    ...(d.contentLength !== undefined ? { contentLength: d.contentLength } : {}),
    ...(d.chunked ? { chunked: true } : {}),
    ...(d.close ? { close: true } : {}),
  };
  return {
    n,
    client,
    op,
    features: d.features,
    ...(d.file ? { file: d.file } : {}),
    spec,
    allowed: d.allowed,
    basis: d.basis,
    ...(d.upload ? { upload: d.upload } : {}),
    ...(d.nameBytes !== undefined ? { nameBytes: d.nameBytes } : {}),
    ...(d.name !== undefined ? { name: d.name } : {}),
  };
}

/** Headers any request may carry: proofs that do not verify, correlation ids, odd bytes, a huge header. */
function sprinkle(rng: Rng, d: Draft, world: World): void {
  if (rng.chance(0.1)) {
    const proof = rng.bytes(48).toString('base64');
    world.secrets.set(proof, 'X-WOPI-Proof value');
    d.headers.push(
      ['X-WOPI-Proof', proof],
      ['X-WOPI-TimeStamp', rng.pick(['639000000000000000', 'abc', '9'.repeat(30), ''])],
    );
    if (rng.chance(0.5)) {
      const old = rng.bytes(48).toString('base64');
      world.secrets.set(old, 'X-WOPI-ProofOld value');
      d.headers.push(['X-WOPI-ProofOld', old]);
    }
    d.features.push('unverifiable proof headers');
  }
  if (rng.chance(0.2)) d.headers.push(['X-WOPI-CorrelationId', rng.bytes(16).toString('hex')]);
  if (rng.chance(0.1)) {
    d.close = true;
    d.features.push('Connection: close');
  }
  if (rng.chance(0.05)) {
    d.headers.push(['User-Agent', Buffer.from([0x66, 0x75, 0x7a, 0x7a, 0xe9, 0xff, 0x80])]);
    d.features.push('non-ASCII User-Agent bytes');
  }
  if (rng.chance(0.05)) {
    // Header names are case-insensitive.
    d.headers = d.headers.map(([k, v]) => [mangleCase(rng, k), v]);
    d.features.push('header names in mixed case');
  }
  if (rng.chance(0.01)) {
    d.headers.push(['X-Fuzz-Pad', 'p'.repeat(20_000)]);
    d.features.push('20 KB header');
    d.allowed = d.basis.includes('Content-Length') ? [400, 431] : [431];
    d.basis = 'request headers past the server limit';
  }
}

function mangleCase(rng: Rng, name: string): string {
  return name
    .split('')
    .map((c) => (rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase()))
    .join('');
}

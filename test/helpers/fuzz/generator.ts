// The fuzz case generator: one seeded draw gives a complete request (operation, file, token placement,
// odd headers and names, body size and delivery) plus what the protocol allows as an answer. Where the
// request itself decides the status (a bad token is 401 whatever else it carries) the allowed set is
// one status; otherwise it is every status the operation may legally return.
import { chooseAuth } from './auth-variants';
import type { AuthChoice } from './auth-variants';
import { BAD_PATHS, build } from './op-builders';
import type { Delivery, HeaderValue, RawSpec } from './raw-http';
import type { Rng } from './rng';
import type { FileRef, World } from './world';

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

export interface Draft {
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
    if (d.auth.ambiguous && !d.allowed.includes(401)) d.allowed = [...d.allowed, 401];
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

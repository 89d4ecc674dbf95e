// The per-operation part of a fuzz case: headers, names, lock ids and what the protocol allows as an
// answer for each WOPI operation, plus the URLs that are not WOPI file URLs at all.
import { encodeNameHeader, EXTENSIONS, lockHeader, ODD_BASES, utf8Bytes } from './inputs';
import type { LockHeader } from './inputs';
import { opBody } from './bodies';
import type { Draft, GenOptions } from './generator';
import type { HeaderValue } from './raw-http';
import type { Rng } from './rng';
import type { World } from './world';

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

/** A lock header no host may accept (absent, empty, too long, not ASCII). */
const invalid = (h: LockHeader): boolean => h.kind === 'invalid' || h.kind === 'absent';

function lockValue(h: LockHeader, world: World): Array<[string, HeaderValue]> {
  if (h.kind === 'absent') return [];
  if (h.kind === 'valid' || h.kind === 'debatable') world.sentLockIds.add(h.value);
  return [['X-WOPI-Lock', h.value]];
}

function nameBase(rng: Rng, prefix: string): { base: string; label: string } {
  // A small shared pool makes names collide (existing targets, overwrite, rename races).
  if (rng.chance(0.25)) return { base: `${prefix}same-${rng.int(1, 3)}`, label: 'colliding name' };
  const odd = rng.pick(ODD_BASES);
  return { base: rng.chance(0.8) ? `${prefix}${odd.value}` : odd.value, label: odd.label };
}

export function build(rng: Rng, world: World, d: Draft, o: GenOptions, n: number): void {
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
      let debatable = h.kind === 'debatable';
      let refused = invalid(h);
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
        debatable = debatable || old.kind === 'debatable';
        refused = refused || invalid(old);
      }
      d.allowed = valid ? [200, 409] : debatable && !refused ? [200, 400, 409] : [400];
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
      // A malformed lock id can never match the file's lock: refused as such (400) or as a mismatch (409).
      d.allowed = h.kind === 'invalid' || h.kind === 'debatable' ? [200, 400, 409] : [200, 409];
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
          d.allowed = enc.lenient ? [200, 400, 409] : [400];
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
        d.allowed = !missing && enc.lenient ? [200, 400, 409] : [400];
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

export const BAD_PATHS = (id: string): Array<{ label: string; target: string; allowed: number[] }> => [
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

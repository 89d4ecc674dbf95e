// Checks what a client hands in for a rule (a control-API body, an entry of a rules file) and
// normalizes it: defaults filled in, unknown fields refused. Every failure names the field (with its
// path: `rules[2].fire.count`) and what it must be, so the person can fix it in one go.
import type { WopiOperation } from '../contracts/api';
import type { FaultEffect, FaultFiring, FaultMatch, FaultStatus } from '../contracts/lab';
import { FaultRuleError } from './types';

/** The WOPI operations a rule can name (RequestRecord.operation of a call on a file). */
export const RULE_OPERATIONS: readonly WopiOperation[] = [
  'CheckFileInfo',
  'GetFile',
  'PutFile',
  'Lock',
  'UnlockAndRelock',
  'GetLock',
  'RefreshLock',
  'Unlock',
  'PutRelativeFile',
  'RenameFile',
  'DeleteFile',
  'PutUserInfo',
];

export const FAULT_STATUSES: readonly FaultStatus[] = [400, 401, 404, 409, 412, 413, 500, 501, 503];

/** Operations with a streamed body, the only ones a throttle or a cut body applies to. */
export const BODY_OPERATIONS: readonly WopiOperation[] = ['GetFile', 'PutFile'];

const EFFECT_KINDS = ['status', 'latency', 'throttle', 'abort-body', 'drop-connection', 'file-info'] as const;

/** A rule as the engine keeps it, before it has an id. */
export interface NormalizedRule {
  name?: string;
  match: FaultMatch;
  fire: FaultFiring;
  effect: FaultEffect;
  enabled: boolean;
  preset?: string;
}

type Obj = Record<string, unknown>;

const bad = (field: string, what: string): FaultRuleError =>
  new FaultRuleError('bad-request', `${field} ${what}`);

const join = (at: string, key: string): string => (at ? `${at}.${key}` : key);

function object(v: unknown, at: string, example: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw bad(at || 'the rule', `must be a JSON object like ${example}`);
  return v as Obj;
}

/** Refuses fields the shape does not have (a typo would otherwise be silently ignored). */
function onlyKeys(o: Obj, at: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k))
      throw bad(join(at, k), `is not a field here; use ${allowed.map((a) => join(at, a)).join(', ')}`);
}

function str(o: Obj, key: string, at: string, max: number, ascii = false): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad(join(at, key), 'must be a string');
  if (v.length > max) throw bad(join(at, key), `must be at most ${max} characters`);
  if (ascii && !/^[\x20-\x7e]*$/.test(v)) throw bad(join(at, key), 'must be printable ASCII');
  return v;
}

function whole(o: Obj, key: string, at: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw bad(join(at, key), `must be a whole number from ${min} to ${max}`);
  return v;
}

function required<T>(v: T | undefined, field: string, what: string): T {
  if (v === undefined) throw bad(field, `is required (${what})`);
  return v;
}

export function parseMatch(v: unknown, at: string): FaultMatch {
  if (v === undefined) return {};
  const o = object(v, at, '{"operations":["PutFile"],"fileId":"…","personaId":"…"}');
  onlyKeys(o, at, ['operations', 'fileId', 'personaId']);
  const out: FaultMatch = {};
  const ops = o['operations'];
  if (ops !== undefined) {
    if (!Array.isArray(ops)) throw bad(join(at, 'operations'), 'must be an array like ["PutFile"]');
    ops.forEach((op, i) => {
      if (typeof op !== 'string' || !(RULE_OPERATIONS as readonly string[]).includes(op))
        throw bad(
          `${join(at, 'operations')}[${i}]`,
          `"${String(op)}" is not an operation a rule can match; use one of ${RULE_OPERATIONS.join(', ')}`,
        );
    });
    if (ops.length > 0) out.operations = [...new Set(ops as WopiOperation[])];
  }
  const fileId = str(o, 'fileId', at, 200);
  if (fileId !== undefined && fileId !== '') out.fileId = fileId;
  const personaId = str(o, 'personaId', at, 200);
  if (personaId !== undefined && personaId !== '') out.personaId = personaId;
  return out;
}

export function parseFiring(v: unknown, at: string): FaultFiring {
  if (v === undefined) return { mode: 'every' };
  const o = object(v, at, '{"mode":"next","count":1}');
  const mode = o['mode'];
  switch (mode) {
    case 'every':
      onlyKeys(o, at, ['mode']);
      return { mode };
    case 'next': {
      onlyKeys(o, at, ['mode', 'count']);
      const count = o['count'] === undefined ? 1 : whole(o, 'count', at, 1, 1_000_000_000)!;
      return { mode, count };
    }
    case 'probability': {
      onlyKeys(o, at, ['mode', 'probability', 'seed']);
      const p = o['probability'];
      if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1)
        throw bad(join(at, 'probability'), 'must be a number from 0 to 1 (0.25 = one request in four)');
      // Unsigned 32-bit: the seed is mixed as one, so a wider number would repeat another seed's draws.
      const seed = whole(o, 'seed', at, 0, 0xffffffff) ?? 1;
      return { mode, probability: p, seed };
    }
    default:
      throw bad(join(at, 'mode'), 'must be "next", "every" or "probability"');
  }
}

function parseStatus(o: Obj, at: string): FaultEffect {
  onlyKeys(o, at, ['kind', 'status', 'lock', 'lockFailureReason', 'retryAfterSeconds', 'serverError']);
  const status = o['status'];
  if (typeof status !== 'number' || !(FAULT_STATUSES as readonly number[]).includes(status))
    throw bad(join(at, 'status'), `must be one of ${FAULT_STATUSES.join(', ')}`);
  const lock = str(o, 'lock', at, 1024, true);
  const lockFailureReason = str(o, 'lockFailureReason', at, 1000);
  const retryAfterSeconds = whole(o, 'retryAfterSeconds', at, 0, 86_400);
  const serverError = str(o, 'serverError', at, 1000);
  // The paired headers belong to their statuses only (PROTOCOL §1.6, §5.2): X-WOPI-Lock on a 409.
  if (status !== 409 && lock !== undefined)
    throw bad(join(at, 'lock'), `is sent only with status 409 (a lock conflict), not ${status}`);
  if (status !== 409 && lockFailureReason !== undefined)
    throw bad(join(at, 'lockFailureReason'), `is sent only with status 409, not ${status}`);
  if (status !== 503 && retryAfterSeconds !== undefined)
    throw bad(join(at, 'retryAfterSeconds'), `is sent only with status 503, not ${status}`);
  const out: FaultEffect = { kind: 'status', status: status as FaultStatus };
  if (lock !== undefined) out.lock = lock;
  if (lockFailureReason !== undefined) out.lockFailureReason = lockFailureReason;
  if (retryAfterSeconds !== undefined) out.retryAfterSeconds = retryAfterSeconds;
  if (serverError !== undefined) out.serverError = serverError;
  return out;
}

const PROPERTY_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

export function parseEffect(v: unknown, at: string): FaultEffect {
  const o = object(v, at, '{"kind":"status","status":503,"retryAfterSeconds":30}');
  const kind = o['kind'];
  switch (kind) {
    case 'status':
      return parseStatus(o, at);
    case 'latency':
      onlyKeys(o, at, ['kind', 'ms']);
      return { kind, ms: required(whole(o, 'ms', at, 1, 600_000), join(at, 'ms'), 'milliseconds to wait') };
    case 'throttle':
      onlyKeys(o, at, ['kind', 'bytesPerSecond']);
      return {
        kind,
        bytesPerSecond: required(
          whole(o, 'bytesPerSecond', at, 1, 1_000_000_000),
          join(at, 'bytesPerSecond'),
          'the rate, e.g. 16384',
        ),
      };
    case 'abort-body':
      onlyKeys(o, at, ['kind', 'afterBytes']);
      return {
        kind,
        afterBytes: required(
          whole(o, 'afterBytes', at, 0, Number.MAX_SAFE_INTEGER),
          join(at, 'afterBytes'),
          'how many body bytes pass before the cut',
        ),
      };
    case 'drop-connection':
      onlyKeys(o, at, ['kind']);
      return { kind };
    case 'file-info': {
      onlyKeys(o, at, ['kind', 'set']);
      const set = object(o['set'], join(at, 'set'), '{"UserCanWrite":false}');
      const keys = Object.keys(set);
      if (keys.length === 0 || keys.length > 64)
        throw bad(join(at, 'set'), 'must name 1 to 64 CheckFileInfo properties, e.g. {"UserCanWrite":false}');
      const out: Record<string, string | number | boolean | null> = {};
      for (const k of keys) {
        const val = set[k];
        if (!PROPERTY_NAME.test(k))
          throw bad(
            `${join(at, 'set')}.${k}`,
            'is not a CheckFileInfo property name (PascalCase, like UserCanWrite)',
          );
        const ok =
          val === null ||
          typeof val === 'boolean' ||
          (typeof val === 'number' && Number.isFinite(val)) ||
          (typeof val === 'string' && val.length <= 2048);
        if (!ok)
          throw bad(
            `${join(at, 'set')}.${k}`,
            'must be a boolean, a number, a string (<= 2048) or null (removes it)',
          );
        out[k] = val as string | number | boolean | null;
      }
      return { kind, set: out };
    }
    default:
      throw bad(join(at, 'kind'), `must be one of ${EFFECT_KINDS.join(', ')}`);
  }
}

/** The operations an effect may apply to, and what they default to when the rule names none. */
function checkOperations(effect: FaultEffect, match: FaultMatch, at: string): FaultMatch {
  const limit: readonly WopiOperation[] | undefined =
    effect.kind === 'throttle' || effect.kind === 'abort-body'
      ? BODY_OPERATIONS
      : effect.kind === 'file-info'
        ? ['CheckFileInfo']
        : undefined;
  if (!limit) return match;
  if (!match.operations) return { ...match, operations: [...limit] };
  const field = join(at, 'match.operations');
  for (const op of match.operations)
    if (!limit.includes(op))
      throw bad(
        field,
        `cannot include ${op}: a ${effect.kind} effect applies to ${limit.join(' and ')} only`,
      );
  return match;
}

/** A rule input (FaultRuleInput) → the normalized rule; `at` prefixes field names ('rules[2]'). */
export function parseRuleInput(v: unknown, at = ''): NormalizedRule {
  const o = object(v, at, '{"match":{"operations":["PutFile"]},"effect":{"kind":"status","status":503}}');
  onlyKeys(o, at, ['name', 'match', 'fire', 'effect', 'enabled', 'preset']);
  if (o['effect'] === undefined)
    throw bad(join(at, 'effect'), 'is required, e.g. {"kind":"status","status":503}');
  const effect = parseEffect(o['effect'], join(at, 'effect'));
  const match = checkOperations(effect, parseMatch(o['match'], join(at, 'match')), at);
  const fire = parseFiring(o['fire'], join(at, 'fire'));
  const enabled = o['enabled'];
  if (enabled !== undefined && typeof enabled !== 'boolean')
    throw bad(join(at, 'enabled'), 'must be true or false');
  const out: NormalizedRule = { match, fire, effect, enabled: enabled !== false };
  const name = str(o, 'name', at, 200);
  if (name !== undefined && name.trim() !== '') out.name = name.trim();
  const preset = str(o, 'preset', at, 100);
  if (preset !== undefined && preset !== '') out.preset = preset;
  return out;
}

/** PATCH body: only the fields present change. */
export interface RulePatch {
  enabled?: boolean;
  name?: string;
  fire?: FaultFiring;
  match?: FaultMatch;
}

export function parsePatch(v: unknown): RulePatch {
  const o = object(v, '', '{"enabled":false}');
  onlyKeys(o, '', ['enabled', 'name', 'fire', 'match']);
  const out: RulePatch = {};
  if (o['enabled'] !== undefined) {
    if (typeof o['enabled'] !== 'boolean') throw bad('enabled', 'must be true or false');
    out.enabled = o['enabled'];
  }
  const name = str(o, 'name', '', 200);
  if (name !== undefined) {
    if (name.trim() === '') throw bad('name', 'must not be empty');
    out.name = name.trim();
  }
  if (o['fire'] !== undefined) out.fire = parseFiring(o['fire'], 'fire');
  if (o['match'] !== undefined) out.match = parseMatch(o['match'], 'match');
  return out;
}

/** Re-checks a rule's match against its effect (after a PATCH changed the match). */
export function matchForEffect(effect: FaultEffect, match: FaultMatch): FaultMatch {
  return checkOperations(effect, match, '');
}

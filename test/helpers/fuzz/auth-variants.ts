// How a fuzzed request presents its access token: in the query, as a Bearer header, both, or wrongly
// (absent, altered signature, expired, minted for another file, view-only). Bad ones must get 401.
import type { HeaderValue } from './raw-http';
import type { Rng } from './rng';
import type { FileRef, World } from './world';

export interface AuthChoice {
  label: string;
  /** Query string part, without the leading '?' ('' for none). */
  query: string;
  headers: Array<[string, HeaderValue]>;
  /** A valid token for this file reaches the host (query first, as the host reads it). */
  valid: boolean;
  /** The valid token only grants view rights. */
  viewOnly: boolean;
  /**
   * A good and a bad (or empty) token both arrive; which one a host reads first is its choice, so a
   * 401 is also a right answer.
   */
  ambiguous?: boolean;
}

/** The token with its last hex digit changed to another one: never equal to the original. */
export function alterSignature(token: string): string {
  const last = token.charAt(token.length - 1);
  const other = '0123456789abcdef'.split('').find((c) => c !== last)!;
  return `${token.slice(0, -1)}${other}`;
}

/** `refusedOnly`: only tokens that must not be able to write (a DeleteFile aimed at a tracked file). */
export function chooseAuth(rng: Rng, world: World, file: FileRef, refusedOnly = false): AuthChoice {
  const others = world.content.filter((f) => f.id !== file.id);
  const w = refusedOnly ? 0 : 1;
  const mode = rng.weighted<string>([
    ['query', 40 * w],
    ['bearer', 8 * w],
    ['both', 8 * w],
    ['bearer lower-case scheme', 2 * w],
    ['empty query token, Bearer header', 2 * w],
    ['view-only', file.viewToken ? 5 : 0],
    ['none', 2],
    ['altered signature', 2],
    ['malformed', 2],
    ['expired', file.expiredToken ? 2 : 0],
    ['other file', others.length ? 2 : 0],
    ['duplicate query, bad first', w],
    ['duplicate Authorization, bad first', 1],
    ['Bearer only, bad; good in query', w],
  ]);
  const good = file.token;
  const q = (t: string): string => `access_token=${t}`;
  const bearer = (t: string): [string, HeaderValue] => ['Authorization', `Bearer ${t}`];
  const ok = (query: string, headers: Array<[string, HeaderValue]>, viewOnly = false): AuthChoice => ({
    label: mode,
    query,
    headers,
    valid: true,
    viewOnly,
  });
  const either = (query: string, headers: Array<[string, HeaderValue]>): AuthChoice => ({
    ...ok(query, headers),
    ambiguous: true,
  });
  const bad = (query: string, headers: Array<[string, HeaderValue]> = []): AuthChoice => ({
    label: mode,
    query,
    headers,
    valid: false,
    viewOnly: false,
  });
  switch (mode) {
    case 'query':
      return ok(q(good), []);
    case 'bearer':
      return ok('', [bearer(good)]);
    case 'both':
      return ok(q(good), [bearer(good)]);
    case 'bearer lower-case scheme':
      return ok('', [['Authorization', `bearer ${good}`]]);
    case 'empty query token, Bearer header':
      return either('access_token=', [bearer(good)]);
    case 'view-only':
      return ok(q(file.viewToken!), [], true);
    case 'none':
      return bad('');
    case 'altered signature':
      return bad(q(alterSignature(good)));
    case 'malformed':
      return bad(q(rng.pick(['garbage', 'wb1', 'wb1zz', '%00', 'a'.repeat(5000)])));
    case 'expired':
      return bad(q(file.expiredToken!));
    case 'other file':
      return bad(q(rng.pick(others).token));
    case 'duplicate query, bad first':
      return either(`${q(alterSignature(good))}&${q(good)}`, []);
    case 'duplicate Authorization, bad first':
      // Node keeps the first Authorization header of a request and drops the rest.
      return bad('', [bearer(alterSignature(good)), bearer(good)]);
    default:
      return either(q(good), [bearer(alterSignature(good))]);
  }
}

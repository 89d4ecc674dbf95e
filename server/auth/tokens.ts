// WOPI access tokens: HMAC-signed, self-contained, bound to file, user, permissions and expiry.
// Only [A-Za-z0-9] so every reading of the signed URL (raw, escaped) yields the same bytes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Permission } from '../contracts/api';

export interface TokenClaims {
  fileId: string;
  userId: string;
  userName: string;
  permissions: Permission;
  /** Absolute expiry, epoch ms (access_token_ttl). */
  expiresAt: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'other-file'; claims?: TokenClaims };

/** Every access token starts so; redaction finds tokens by this shape wherever they end up. */
export const ACCESS_TOKEN_PREFIX = 'wb1';
const SIG_HEX = 32;

export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

export function createTokenService(secretHex: string, now: () => number) {
  const key = Buffer.from(secretHex, 'hex');
  const sign = (payloadHex: string): string =>
    createHmac('sha256', key).update(payloadHex).digest('hex').slice(0, SIG_HEX);

  function decode(token: string): { claims: TokenClaims; payloadHex: string; sig: string } | null {
    if (!token.startsWith(ACCESS_TOKEN_PREFIX) || !/^[A-Za-z0-9]+$/.test(token) || token.length > 4096)
      return null;
    const body = token.slice(ACCESS_TOKEN_PREFIX.length);
    const payloadHex = body.slice(0, -SIG_HEX);
    const sig = body.slice(-SIG_HEX);
    if (payloadHex.length === 0 || payloadHex.length % 2 !== 0 || !/^[0-9a-f]+$/.test(payloadHex))
      return null;
    try {
      const arr = JSON.parse(Buffer.from(payloadHex, 'hex').toString('utf8')) as unknown;
      if (!Array.isArray(arr) || arr.length !== 5) return null;
      const [fileId, userId, userName, p, exp] = arr as unknown[];
      if (typeof fileId !== 'string' || typeof userId !== 'string' || typeof userName !== 'string')
        return null;
      if ((p !== 'e' && p !== 'v') || typeof exp !== 'number') return null;
      return {
        claims: { fileId, userId, userName, permissions: p === 'e' ? 'edit' : 'view', expiresAt: exp },
        payloadHex,
        sig,
      };
    } catch {
      return null;
    }
  }

  return {
    mint(claims: TokenClaims): string {
      const payload = JSON.stringify([
        claims.fileId,
        claims.userId,
        claims.userName,
        claims.permissions === 'edit' ? 'e' : 'v',
        claims.expiresAt,
      ]);
      const payloadHex = Buffer.from(payload, 'utf8').toString('hex');
      return `${ACCESS_TOKEN_PREFIX}${payloadHex}${sign(payloadHex)}`;
    },
    /** Verify for a request on `fileId`. */
    verify(token: string, fileId: string): TokenCheck {
      const d = decode(token);
      if (!d) return { ok: false, reason: 'malformed' };
      const expected = Buffer.from(sign(d.payloadHex));
      const got = Buffer.from(d.sig);
      if (expected.length !== got.length || !timingSafeEqual(expected, got))
        return { ok: false, reason: 'bad-signature' };
      if (d.claims.expiresAt <= now()) return { ok: false, reason: 'expired', claims: d.claims };
      if (d.claims.fileId !== fileId) return { ok: false, reason: 'other-file', claims: d.claims };
      return { ok: true, claims: d.claims };
    },
    /** Claims of a genuine token, without file/expiry checks (for logging who called). */
    peek(token: string): TokenClaims | null {
      const d = decode(token);
      if (!d) return null;
      const expected = Buffer.from(sign(d.payloadHex));
      const got = Buffer.from(d.sig);
      return expected.length === got.length && timingSafeEqual(expected, got) ? d.claims : null;
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

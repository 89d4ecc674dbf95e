// Launch links: short-lived, HMAC-signed URLs to the host page that bind one file, action, user
// (with permissions) and client profile. Only [A-Za-z0-9] so the link survives any URL handling.
// Host-page sessions (PostMessage forwarding) are signed the same way under another prefix.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Permission } from '../contracts/api';

export interface LaunchClaims {
  fileId: string;
  action: string;
  userId: string;
  userName: string;
  permissions: Permission;
  profile: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface HostSessionClaims {
  sessionId: string;
  fileId: string;
  /** Epoch ms (the access token's expiry). */
  expiresAt: number;
}

export type LinkFailure = 'malformed' | 'bad-signature' | 'expired' | 'other-file';

export type Checked<T> = { ok: true; claims: T } | { ok: false; reason: LinkFailure; claims?: T };

export const LAUNCH_SECRET_KEY = 'launch-link-secret';
/** Launch-link and host-session tokens start so; redaction finds them by this shape wherever they end up. */
export const LINK_PREFIX = 'ln1';
export const SESSION_PREFIX = 'hs1';
const SIG_HEX = 40;
const MAX_TOKEN = 4096;

export function newLaunchSecret(): string {
  return randomBytes(32).toString('hex');
}

export function createLaunchLinks(secretHex: string, now: () => number) {
  const key = Buffer.from(secretHex, 'hex');
  const sign = (prefix: string, payloadHex: string): string =>
    createHmac('sha256', key).update(`${prefix}.${payloadHex}`).digest('hex').slice(0, SIG_HEX);

  function seal(prefix: string, fields: unknown[]): string {
    const payloadHex = Buffer.from(JSON.stringify(fields), 'utf8').toString('hex');
    return `${prefix}${payloadHex}${sign(prefix, payloadHex)}`;
  }

  /** The fields of a token this secret signed: null when malformed, false when the signature is wrong. */
  function open(prefix: string, token: string): unknown[] | null | false {
    if (!token.startsWith(prefix) || token.length > MAX_TOKEN || !/^[A-Za-z0-9]+$/.test(token)) return null;
    const body = token.slice(prefix.length);
    const payloadHex = body.slice(0, -SIG_HEX);
    const sig = body.slice(-SIG_HEX);
    if (!payloadHex || payloadHex.length % 2 !== 0 || !/^[0-9a-f]+$/.test(payloadHex)) return null;
    const expected = Buffer.from(sign(prefix, payloadHex));
    const got = Buffer.from(sig);
    if (expected.length !== got.length || !timingSafeEqual(expected, got)) return false;
    try {
      const fields = JSON.parse(Buffer.from(payloadHex, 'hex').toString('utf8')) as unknown;
      return Array.isArray(fields) ? fields : null;
    } catch {
      return null;
    }
  }

  function check<T extends { fileId: string; expiresAt: number }>(
    claims: T | null,
    fileId: string,
  ): Checked<T> {
    if (!claims) return { ok: false, reason: 'malformed' };
    if (claims.expiresAt <= now()) return { ok: false, reason: 'expired', claims };
    if (claims.fileId !== fileId) return { ok: false, reason: 'other-file', claims };
    return { ok: true, claims };
  }

  return {
    mint(c: LaunchClaims): string {
      return seal(LINK_PREFIX, [
        c.fileId,
        c.action,
        c.userId,
        c.userName,
        c.permissions === 'edit' ? 'e' : 'v',
        c.profile,
        c.expiresAt,
      ]);
    },
    /** Checks a link's `l` parameter for a request on `fileId`. */
    verify(token: string, fileId: string): Checked<LaunchClaims> {
      const fields = open(LINK_PREFIX, token);
      if (fields === false) return { ok: false, reason: 'bad-signature' };
      return check(toLaunch(fields), fileId);
    },
    mintSession(c: HostSessionClaims): string {
      return seal(SESSION_PREFIX, [c.sessionId, c.fileId, c.expiresAt]);
    },
    verifySession(token: string): Checked<HostSessionClaims> {
      const fields = open(SESSION_PREFIX, token);
      if (fields === false) return { ok: false, reason: 'bad-signature' };
      const claims = toSession(fields);
      return check(claims, claims?.fileId ?? '');
    },
  };
}

export type LaunchLinks = ReturnType<typeof createLaunchLinks>;

function toLaunch(f: unknown[] | null): LaunchClaims | null {
  if (!f || f.length !== 7) return null;
  const [fileId, action, userId, userName, p, profile, expiresAt] = f;
  if (![fileId, action, userId, userName, profile].every((x) => typeof x === 'string')) return null;
  if ((p !== 'e' && p !== 'v') || typeof expiresAt !== 'number') return null;
  return {
    fileId: fileId as string,
    action: action as string,
    userId: userId as string,
    userName: userName as string,
    permissions: p === 'e' ? 'edit' : 'view',
    profile: profile as string,
    expiresAt,
  };
}

function toSession(f: unknown[] | null): HostSessionClaims | null {
  if (!f || f.length !== 3) return null;
  const [sessionId, fileId, expiresAt] = f;
  if (typeof sessionId !== 'string' || typeof fileId !== 'string' || typeof expiresAt !== 'number')
    return null;
  return { sessionId, fileId, expiresAt };
}

/** `${publicBase}/host/<file id>?action=<action>&l=<signed>`. */
export function launchUrl(publicBase: string, fileId: string, action: string, token: string): string {
  return `${publicBase}/host/${encodeURIComponent(fileId)}?action=${encodeURIComponent(action)}&l=${token}`;
}

// What every way of getting a public URL must offer the manager, plus the input checks shared by them.
import { randomBytes } from 'node:crypto';

export type TunnelProviderName = 'localtunnel' | 'public-url';

export interface TunnelOpenOptions {
  /** localtunnel: the tunnel server, e.g. https://localtunnel.me or a self-hosted one. */
  server?: string;
  /** localtunnel: requested id; generated when absent. */
  subdomain?: string;
  /** public-url: the URL the person's own reverse proxy serves. */
  publicUrl?: string;
  /** Cancels an open that is still in progress (stop() during connect). */
  signal?: AbortSignal;
}

export interface OpenTunnel {
  /** Public origin without a trailing slash, e.g. http://abcd.localhost:8080. */
  url: string;
  /** The id the server actually granted (localtunnel only). */
  subdomain?: string;
  close(): void;
  /** The tunnel went away on its own (all connections lost). Not called after close(). */
  onClose(cb: (reason: string) => void): void;
  /** A connection error that means the tunnel is no longer usable. Not called after close(). */
  onError(cb: (error: Error) => void): void;
}

export interface TunnelProvider {
  open(localPort: number, opts: TunnelOpenOptions): Promise<OpenTunnel>;
}

export type TunnelErrorCode =
  | 'invalid-server-url'
  | 'invalid-subdomain'
  | 'invalid-public-url'
  | 'id-refused'
  | 'subdomain-taken'
  | 'not-a-tunnel-server'
  | 'server-error'
  | 'unreachable'
  | 'timeout'
  | 'tunnel-connect-failed'
  | 'aborted';

/** Typed failure: the manager retries only when `retryable` is true. */
export class TunnelError extends Error {
  constructor(
    readonly code: TunnelErrorCode,
    message: string,
    readonly retryable: boolean,
    /** The socket error behind an 'unreachable' (ECONNREFUSED, ENOTFOUND, ...), when there was one. */
    readonly errno?: string,
  ) {
    super(message);
    this.name = 'TunnelError';
  }
}

export const DEFAULT_TUNNEL_SERVER = 'https://localtunnel.me';

// DNS label rules plus localtunnel's own 4..63 length; no leading or trailing hyphen.
const SUBDOMAIN_RE = /^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$/;

export function isValidSubdomain(id: string): boolean {
  return SUBDOMAIN_RE.test(id);
}

/** Lower-cases and checks a requested id; throws a non-retryable TunnelError when unusable. */
export function normalizeSubdomain(raw: string): string {
  const id = raw.trim().toLowerCase();
  if (!isValidSubdomain(id)) {
    throw new TunnelError(
      'invalid-subdomain',
      `subdomain "${raw}" is not valid: use 4-63 characters a-z, 0-9 and "-", not starting or ending with "-"`,
      false,
    );
  }
  return id;
}

/** A random id in the allowed shape; always passed because some servers answer `/?new` with HTML. */
export function randomSubdomain(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(10);
  let tail = '';
  for (const b of bytes) tail += alphabet[b % alphabet.length];
  return `wb-${tail}`;
}

function parseHttpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * An origin (scheme, host, port) with nothing else: the WOPI host appends its own paths, and proof keys
 * are checked against URLs rebuilt from this, so a stray path or query would break both.
 */
function requireBareOrigin(raw: string, code: TunnelErrorCode, what: string): string {
  const url = parseHttpUrl(raw);
  if (!url) throw new TunnelError(code, `${what} "${raw}" must be an http:// or https:// URL`, false);
  if (url.username || url.password) {
    throw new TunnelError(code, `${what} "${raw}" must not contain a user name or password`, false);
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new TunnelError(code, `${what} "${raw}" must not have a path, query or fragment`, false);
  }
  return url.origin;
}

export function normalizePublicUrl(raw: string): string {
  return requireBareOrigin(raw, 'invalid-public-url', 'public URL');
}

export function normalizeServerUrl(raw: string): string {
  return requireBareOrigin(raw, 'invalid-server-url', 'tunnel server URL');
}

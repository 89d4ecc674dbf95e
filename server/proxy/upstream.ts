// Where a proxied request goes: the user's host at `--upstream URL`. The URL's path says where that
// host serves WOPI. A last segment that starts with "wopi" (`http://h/api/wopi`, `http://h/wopi_test`)
// is the host's own `/wopi` and replaces the client's; any other path is a prefix the client's path
// goes under (`http://h/api` -> `/api/wopi/files/1`). The query string is passed on byte for byte:
// access tokens (and whatever else rides there) are the upstream's business.

export interface Upstream {
  /** As configured, without a trailing slash (what records and the console show). */
  href: string;
  origin: string;
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  /** The Host header the upstream expects. */
  host: string;
  /** The path that replaces `/wopi`, or the prefix put before it. */
  base: string;
  replacesWopi: boolean;
}

export function parseUpstream(href: string): Upstream {
  const u = new URL(href);
  const base = u.pathname.replace(/\/+$/, '');
  const last = base.slice(base.lastIndexOf('/') + 1);
  return {
    href: `${u.origin}${base}`,
    origin: u.origin,
    protocol: u.protocol === 'https:' ? 'https:' : 'http:',
    hostname: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    host: u.host,
    base,
    replacesWopi: /^wopi/i.test(last),
  };
}

/** The upstream path (and query) for a client's `/wopi…` path and raw query. */
export function upstreamPath(up: Upstream, path: string, rawQuery: string): string {
  const rest = up.replacesWopi && (path === '/wopi' || path.startsWith('/wopi/')) ? path.slice(5) : path;
  return `${up.base}${rest}${rawQuery ? `?${rawQuery}` : ''}`;
}

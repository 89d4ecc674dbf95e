// Headers across the proxy: end-to-end headers pass unchanged (case, order and repeats kept, from
// node's raw header list); hop-by-hop ones stay on their hop (RFC 9110 §7.6.1), and the request
// says who it was forwarded for and which public URL it was sent to.

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
]);

/** Names listed in a Connection header are hop-by-hop for that message too. */
function namedInConnection(raw: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== 'connection') continue;
    for (const name of raw[i + 1]!.split(',')) out.add(name.trim().toLowerCase());
  }
  return out;
}

/** `raw` (node's rawHeaders: name, value, name, value…) without hop-by-hop headers or `drop`. */
export function endToEnd(raw: readonly string[], drop: ReadonlySet<string> = new Set()): string[] {
  const named = namedInConnection(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || name.startsWith('proxy-') || named.has(name) || drop.has(name)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** Replaced on the way up: the upstream's Host, and our own forwarding headers. */
const REPLACED_UP = new Set(['host', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-for', 'via']);

export interface ForwardedFor {
  /** The upstream's host (its Host header). */
  upstreamHost: string;
  /** The public origin the client called (X-Forwarded-Host / -Proto). */
  publicUrl: URL;
  /** The client's address, appended to any X-Forwarded-For it came with. */
  clientAddress: string | undefined;
  /** This proxy, in Via (a request coming back with it is a loop). */
  via: string;
}

/** The request headers to send upstream. */
export function upstreamRequestHeaders(raw: readonly string[], f: ForwardedFor): string[] {
  const out = endToEnd(raw, REPLACED_UP);
  const before: string[] = [];
  const vias: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'x-forwarded-for') before.push(raw[i + 1]!);
    if (name === 'via') vias.push(raw[i + 1]!);
  }
  if (f.clientAddress) before.push(f.clientAddress);
  return [
    'Host',
    f.upstreamHost,
    ...out,
    'X-Forwarded-Host',
    f.publicUrl.host,
    'X-Forwarded-Proto',
    f.publicUrl.protocol.replace(':', ''),
    ...(before.length ? ['X-Forwarded-For', before.join(', ')] : []),
    'Via',
    [...vias, f.via].join(', '),
  ];
}

/** Lower-case name -> value (repeats joined), for the record. */
export function flatten(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    out[k] = out[k] === undefined ? raw[i + 1]! : `${out[k]}, ${raw[i + 1]!}`;
  }
  return out;
}

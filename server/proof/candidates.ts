// URL variants for diagnosing a proof that did not verify: Office signs the public URL it
// called, so a signature made for another scheme/host/port points at a proxy or tunnel rewrite.

interface UrlParts {
  scheme: string;
  host: string;
  port: string;
  /** Path + query + fragment, byte for byte as given (never re-encoded: the signature covers it). */
  rest: string;
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

export function splitUrl(url: string): UrlParts | null {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\[[^\]]*\]|[^/?#:]*)(?::(\d*))?([/?#].*)?$/s.exec(url);
  if (!m) return null;
  return { scheme: (m[1] ?? '').toLowerCase(), host: m[2] ?? '', port: m[3] ?? '', rest: m[4] ?? '' };
}

export function originOf(url: string): string {
  const p = splitUrl(url);
  return p ? joinUrl({ ...p, rest: '' }) : url;
}

function joinUrl(p: UrlParts): string {
  return `${p.scheme}://${p.host}${p.port ? `:${p.port}` : ''}${p.rest}`;
}

/**
 * Variants of `publicUrl` (the URL we check against) that a client may really have signed:
 * http<->https, with and without an explicit default port, the local listener's port, and the
 * local URL itself (localhost and 127.0.0.1). Excludes `publicUrl` itself; order is stable.
 */
export function candidateUrlsFor(publicUrl: string, localUrl: string): string[] {
  const out: string[] = [];
  const add = (url: string): void => {
    if (url !== publicUrl && !out.includes(url)) out.push(url);
  };
  const pub = splitUrl(publicUrl);
  const local = splitUrl(localUrl);

  if (pub) {
    for (const scheme of [pub.scheme, pub.scheme === 'https' ? 'http' : 'https']) {
      const ports = ['', DEFAULT_PORT[scheme] ?? '', pub.port];
      if (local?.port) ports.push(local.port);
      for (const port of ports) add(joinUrl({ ...pub, scheme, port }));
    }
  }
  if (local) {
    add(localUrl);
    const swapped = swapLoopbackName(local.host);
    if (swapped) add(joinUrl({ ...local, host: swapped }));
    for (const scheme of ['http', 'https']) add(joinUrl({ ...local, scheme }));
  }
  return out;
}

function swapLoopbackName(host: string): string | null {
  const lower = host.toLowerCase();
  if (lower === 'localhost') return '127.0.0.1';
  if (lower === '127.0.0.1') return 'localhost';
  return null;
}

// The Content-Security-Policy the shell adds to every response from the app origin (the control
// listener that serves the UI). It is added on top of any policy the page carries: browsers enforce
// every policy present, so the result can only get stricter, never looser.
import { originOf } from './navigation';

/** Returns `scheme://host:port` for an http(s) origin, or throws: the value goes into a header. */
export function checkedOrigin(value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`not an http(s) origin: ${value}`);
  return url.origin;
}

export function buildCsp(appOrigin: string): string {
  const o = checkedOrigin(appOrigin);
  const directives: [string, string][] = [
    ['default-src', "'none'"],
    ['script-src', o],
    // Inline style attributes are how the UI positions virtualized rows; styles cannot run code.
    ['style-src', `${o} 'unsafe-inline'`],
    ['img-src', `${o} data: blob:`],
    ['font-src', `${o} data:`],
    // The control API (JSON + SSE) is the only thing the UI may talk to.
    ['connect-src', o],
    ['manifest-src', o],
    ['worker-src', o],
    ['media-src', "'none'"],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['child-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

export type ResponseHeaders = Record<string, string[] | string>;

/** Adds `policy` to response headers, keeping an existing CSP header (case-insensitive name). Pure. */
export function withCsp(headers: ResponseHeaders | undefined, policy: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let cspKey: string | undefined;
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = Array.isArray(value) ? [...value] : [value];
    if (name.toLowerCase() === 'content-security-policy') cspKey = name;
  }
  const key = cspKey ?? 'Content-Security-Policy';
  out[key] = [...(out[key] ?? []), policy];
  return out;
}

/** Only responses for the app origin get the policy; other origins are not ours to shape. */
export function isAppOriginUrl(url: string, appOrigin: string): boolean {
  return originOf(url) === appOrigin;
}

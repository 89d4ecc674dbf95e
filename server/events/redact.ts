// Secrets never leave in clear: one place that blanks tokens, proofs and signatures in anything
// that goes to the console, the UI (until revealed) or an export.
import type { RequestRecord } from '../contracts/api';
import type { AnyEventEnvelope, HostPageMessage } from '../contracts/events';
import { SECRET_HEADERS, SECRET_PARAMS } from '../wopi/headers';

export const redactValue = (v: string): string => `[redacted ${v.length} chars]`;

export function redactQuery(query: string): string {
  if (!query) return query;
  return query
    .split('&')
    .map((pair) => {
      const i = pair.indexOf('=');
      if (i < 0) return pair;
      const k = pair.slice(0, i);
      return SECRET_PARAMS.includes(decodeSafe(k).toLowerCase())
        ? `${k}=${redactValue(pair.slice(i + 1))}`
        : pair;
    })
    .join('&');
}

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?${redactQuery(url.slice(q + 1))}`;
}

export function redactHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    const lk = k.toLowerCase();
    if (lk === 'authorization' && /^bearer /i.test(v)) out[k] = `Bearer ${redactValue(v.slice(7))}`;
    else out[k] = SECRET_HEADERS.includes(lk) ? redactValue(v) : v;
  }
  return out;
}

/** Token-shaped values inside JSON bodies (PutRelativeFile's Url carries one). */
export function redactText(text: string): string {
  return text.replace(
    /([?&](?:access_token|token|sig)=)([^&"\s]+)/g,
    (_m, k: string, v: string) => `${k}${redactValue(v)}`,
  );
}

export function redactRecord(r: RequestRecord): RequestRecord {
  return {
    ...r,
    query: redactQuery(r.query),
    requestHeaders: redactHeaders(r.requestHeaders),
    responseHeaders: redactHeaders(r.responseHeaders),
    requestBody: r.requestBody?.text
      ? { ...r.requestBody, text: redactText(r.requestBody.text) }
      : r.requestBody,
    responseBody: r.responseBody?.text
      ? { ...r.responseBody, text: redactText(r.responseBody.text) }
      : r.responseBody,
    redacted: true,
  };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const SECRET_KEY = /^(access_?token|token|authorization|password|secret)$/i;

/** Any JSON value with secret-named fields blanked and token-bearing URLs inside strings redacted. */
function redactJson(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return redactText(v);
  if (depth > 16 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => redactJson(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = SECRET_KEY.test(k) && typeof x === 'string' ? redactValue(x) : redactJson(x, depth + 1);
  }
  return out;
}

/** PostMessage values come from the WOPI client's frame: nothing stops one carrying a token URL. */
export function redactMessage(m: HostPageMessage): HostPageMessage {
  return { ...m, values: redactJson(m.values) as Record<string, unknown> };
}

/** An event as it may leave the engine (stream, history routes): the kinds that carry secrets redacted. */
export function redactEnvelope<E extends AnyEventEnvelope>(env: E): E {
  if (env.type === 'request:completed') return { ...env, data: redactRecord(env.data) };
  if (env.type === 'hostpage:message') return { ...env, data: redactMessage(env.data) };
  return env;
}

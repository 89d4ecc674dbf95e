// Secrets never leave in clear. This is the one redactor every record, event, control-API answer
// and console line goes through on its way out (the request log on disk stays complete: it is the
// person's own machine, and one record can be revealed on purpose).
//
// It is structural: it walks the whole value, every key and every string, instead of naming the
// fields that may hold a secret, so a field added later (a proof verdict's URL, a new event) cannot
// carry a token out. A string loses
// - the value of a secret query parameter (access_token, token, sig) wherever a URL or query sits,
// - anything shaped like a token this host signs (access tokens, launch links, host-page sessions),
//   whatever it is embedded in (a launch link in a CheckFileInfo body, a URL in a proof reason),
// - a Bearer credential;
// and the value under a secret-named key (Authorization, the proof headers, cookies, access_token…)
// is blanked. Values with nothing to redact are returned as they are (no copy), since this runs on
// every SSE frame.
import { LINK_PREFIX, SESSION_PREFIX } from '../auth/launch-links';
import { ACCESS_TOKEN_PREFIX } from '../auth/tokens';
import type { RequestRecord } from '../contracts/api';
import type { AnyEventEnvelope, HostPageMessage } from '../contracts/events';
import { SECRET_HEADERS, SECRET_PARAMS } from '../protocol/headers';

export const redactValue = (v: string): string => `[redacted ${v.length} chars]`;

const PLACEHOLDER = '[redacted ';
/** Deeper than this, a value is replaced rather than walked (a PostMessage may nest anything). */
const MAX_DEPTH = 32;
const TOO_DEEP = '[not shown: nested too deep to check for secrets]';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// `access_token` may also arrive with its underscore percent-encoded.
const PARAM_NAMES = SECRET_PARAMS.map((p) => escapeRe(p).replace(/_/g, '(?:_|%5f)')).join('|');
const SHAPES = [ACCESS_TOKEN_PREFIX, LINK_PREFIX, SESSION_PREFIX].map(escapeRe).join('|');

/**
 * One pass over a string, three alternatives:
 * 1. a secret parameter at the start of a query or after ? & # ; (its value, up to the next delimiter,
 *    unless it is already a placeholder, so redacting twice changes nothing);
 * 2. a token of ours by its shape (prefix + hex payload + hex signature), also right after a
 *    percent-escape (`access_token%3Dwb1…` inside an encoded URL);
 * 3. `Bearer <credential>` (16+ token68 characters, so ordinary prose is left alone).
 */
const SECRET_TEXT = new RegExp(
  `(^|[?&#;])(${PARAM_NAMES})=(?!\\[redacted )([^&#\\s"'<>\\\\]+)` +
    `|((?:${SHAPES})[0-9a-f]{16,})` +
    `|\\b(bearer)[ \\t]+(?!\\[redacted )([A-Za-z0-9._~+/-]{16,}=*)`,
  'gi',
);

const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

/** A token shape counts at the start of a word, or right after a percent-escape (`%3Dwb1…`). */
function startsToken(text: string, at: number): boolean {
  if (at === 0 || !/[A-Za-z0-9]/.test(text[at - 1]!)) return true;
  return at >= 3 && /^%[0-9A-Fa-f]{2}$/.test(text.slice(at - 3, at));
}

function replaceSecret(
  m: string,
  lead: string | undefined,
  param: string | undefined,
  value: string | undefined,
  shaped: string | undefined,
  scheme: string | undefined,
  credential: string | undefined,
  at: number,
  text: string,
): string {
  if (param !== undefined) {
    // A URL quoted in a sentence ("…?access_token=X, not …", "…=X: a proxy…") ends before the
    // punctuation that follows it; that punctuation is the sentence's, so it stays.
    const v = value ?? '';
    const tail = TRAILING_PUNCTUATION.exec(v)?.[0] ?? '';
    return `${lead ?? ''}${param}=${redactValue(v.slice(0, v.length - tail.length))}${tail}`;
  }
  if (shaped !== undefined) return startsToken(text, at) ? redactValue(shaped) : m;
  return `${scheme ?? ''} ${redactValue(credential ?? '')}`;
}

/**
 * What any match of SECRET_TEXT must contain, as one cheap test: most strings (header values, paths,
 * numbers as text) fail it and are returned without running the full pattern.
 */
const MAYBE_SECRET = new RegExp(`(?:${PARAM_NAMES})=|(?:${SHAPES})[0-9a-f]{16}|bearer[ \t]`, 'i');

/** A string with every secret it embeds replaced by a placeholder (the same string when there is none). */
export function redactText(text: string): string {
  return MAYBE_SECRET.test(text) ? text.replace(SECRET_TEXT, replaceSecret) : text;
}

/** A URL or a raw query string: the same rules as any other text. */
export const redactUrl = redactText;
export const redactQuery = redactText;

// Keys compared without case, '-' or '_': access_token, accessToken and Access-Token are one key.
const normalizeKey = (k: string): string => k.toLowerCase().replace(/[-_]/g, '');
const SECRET_KEYS = new Set(
  [
    ...SECRET_HEADERS,
    ...SECRET_PARAMS,
    'proxy-authorization',
    'x-host-session',
    'access_token',
    'password',
    'secret',
    'session_token',
    'control_token',
  ].map(normalizeKey),
);

const AUTH_SCHEME = /^(bearer|basic|digest|negotiate|ntlm)[ \t]+(.*)$/is;

// The same few keys (header names, record fields) come by again and again: remember the verdict.
const keyVerdicts = new Map<string, boolean>();
const KEY_VERDICTS_MAX = 4096;

function isSecretKey(k: string): boolean {
  let secret = keyVerdicts.get(k);
  if (secret === undefined) {
    secret = SECRET_KEYS.has(normalizeKey(k));
    if (keyVerdicts.size >= KEY_VERDICTS_MAX) keyVerdicts.clear();
    keyVerdicts.set(k, secret);
  }
  return secret;
}

/** The value under a secret-named key: blanked, keeping an auth scheme so "Bearer" still reads. */
function redactSecretValue(v: string): string {
  const scheme = AUTH_SCHEME.exec(v);
  const secret = scheme ? scheme[2]! : v;
  if (secret.startsWith(PLACEHOLDER)) return v;
  return scheme ? `${scheme[1]!} ${redactValue(secret)}` : redactValue(v);
}

function walk(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return redactText(v);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = walk(x, depth + 1);
      if (y !== x) (out ??= v.slice())[i] = y;
    }
    return out ?? v;
  }
  const obj = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(obj)) {
    const x = obj[k];
    const y = typeof x === 'string' && isSecretKey(k) ? redactSecretValue(x) : walk(x, depth + 1);
    const key = redactText(k);
    if (key !== k) {
      out ??= { ...obj };
      delete out[k];
      out[key] = y;
    } else if (y !== x) (out ??= { ...obj })[k] = y;
  }
  return out ?? obj;
}

/**
 * Any JSON-shaped value (record, event, API answer, log line object) with every secret replaced.
 * The input is never modified; when it holds no secret, it is returned itself.
 */
export function redact<T>(value: T): T {
  return walk(value, 0) as T;
}

export function redactHeaders(h: Record<string, string>): Record<string, string> {
  return redact(h);
}

/** Shorter credentials are not looked for as text: they would blank ordinary words. */
const MIN_KNOWN_SECRET = 8;

/**
 * The credentials a record of someone else's host carries (its access_token, its Bearer value), as
 * sent and decoded. Their shape is that host's, not ours, so the pattern above cannot know them;
 * their values are known, and are then blanked wherever else they show up (an upstream that echoes
 * its token in a body, in another parameter, in a header).
 */
function credentialsOf(r: RequestRecord): string[] {
  const out = new Set<string>();
  const m = /(?:^|&)access_token=([^&#]*)/i.exec(r.query);
  if (m?.[1]) {
    out.add(m[1]);
    try {
      out.add(decodeURIComponent(m[1].replace(/\+/g, ' ')));
    } catch {
      /* the raw form is enough */
    }
  }
  for (const [k, v] of Object.entries(r.requestHeaders)) {
    const bearer = k.toLowerCase() === 'authorization' ? /^bearer\s+(.+)$/i.exec(v.trim()) : null;
    if (bearer?.[1]) out.add(bearer[1]);
  }
  return [...out].filter((x) => x.length >= MIN_KNOWN_SECRET && !x.startsWith(PLACEHOLDER));
}

function blankKnown(v: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof v === 'string') {
    let out = v;
    for (const x of secrets) if (out.includes(x)) out = out.split(x).join(redactValue(x));
    return out;
  }
  if (v === null || typeof v !== 'object' || depth >= MAX_DEPTH) return v;
  if (Array.isArray(v)) return v.map((x: unknown) => blankKnown(x, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    out[blankKnown(k, secrets, depth + 1) as string] = blankKnown(x, secrets, depth + 1);
  return out;
}

/** A request record as it may be shown: secrets replaced, and marked so the UI can offer to reveal. */
export function redactRecord(r: RequestRecord): RequestRecord {
  const out = redact(r);
  // Our own host's tokens have our shape; a proxied host's or a conformance target's are found by value.
  const known = r.source === 'proxy' || r.source === 'check' ? credentialsOf(r) : [];
  return { ...(known.length > 0 ? (blankKnown(out, known, 0) as RequestRecord) : out), redacted: true };
}

/** PostMessage values come from the WOPI client's frame: nothing stops one carrying a token URL. */
export function redactMessage(m: HostPageMessage): HostPageMessage {
  return redact(m);
}

/** An event as it may leave the engine (stream, history routes, printer, desktop notifications). */
export function redactEnvelope<E extends AnyEventEnvelope>(env: E): E {
  if (env.type === 'request:completed') return { ...env, data: redactRecord(env.data) };
  return redact(env);
}

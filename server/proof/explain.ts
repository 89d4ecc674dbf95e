// Wording helpers for proof verdicts: durations people can read, and the access-token forms
// that clients and validators have been seen to sign (PITFALLS.md B3).

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  if (abs < 60_000) return `${(abs / 1000).toFixed(1)} s`;
  if (abs < 3_600_000)
    return withRest(Math.floor(abs / 60_000), 'min', Math.floor((abs % 60_000) / 1000), 's');
  if (abs < 86_400_000)
    return withRest(Math.floor(abs / 3_600_000), 'h', Math.floor((abs % 3_600_000) / 60_000), 'min');
  return `${Math.floor(abs / 86_400_000)} days`;
}

function withRest(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor > 0 ? `${major} ${majorUnit} ${minor} ${minorUnit}` : `${major} ${majorUnit}`;
}

export interface TokenVariant {
  token: string;
  /** Completes "when the access token is taken …". */
  form: string;
}

/** Other spellings of the same token a client may have signed; empty for [A-Za-z0-9] tokens. */
export function tokenVariants(token: string): TokenVariant[] {
  const out: TokenVariant[] = [];
  const add = (candidate: string, form: string): void => {
    if (candidate !== token && !out.some((v) => v.token === candidate)) out.push({ token: candidate, form });
  };
  let raw = token;
  if (/%[0-9a-fA-F]{2}/.test(token)) {
    try {
      raw = decodeURIComponent(token);
      add(raw, 'percent-decoded (the client signed the raw token)');
    } catch {
      // Not valid percent-encoding: treat the token as raw.
    }
  }
  const escaped = encodeURIComponent(raw);
  add(escaped, 'percent-encoded (the client signed the escaped token)');
  // .NET's HttpUtility.UrlEncode writes lower-case hex, as in Microsoft's published vectors.
  add(
    escaped.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    'percent-encoded with lower-case hex',
  );
  add(
    raw.replace(/[^A-Za-z0-9]/g, (c) => encodeURIComponent(c).replace(/[!'()*~._-]/g, hexEscape)),
    'with every non-alphanumeric character percent-encoded',
  );
  return out;
}

function hexEscape(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

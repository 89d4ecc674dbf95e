// The byte string Office signs (PROTOCOL.md §8.2): every integer big-endian,
//   [u32 len(token)][token UTF-8][u32 len(URL)][URL upper-cased UTF-8][u32 8][i64 ticks].

export interface ProofPayload {
  /** The access token exactly as it appears in the query string (not decoded). */
  accessToken: string;
  /** The absolute URL the client called, including the full query string, as received. */
  url: string;
  /** X-WOPI-TimeStamp as parsed (see ticks.ts). */
  timestampTicks: bigint;
}

/**
 * Upper-case like .NET's ToUpperInvariant: a per-character simple mapping. JavaScript's
 * toUpperCase applies full mappings that change lengths ('ß' -> 'SS'), which .NET does not, so
 * characters whose upper case is more than one code point are kept as they are.
 */
export function toUpperInvariant(text: string): string {
  // Fast path: URLs are almost always ASCII.
  if (!/[\u0080-\uffff]/.test(text)) return text.toUpperCase();
  let out = '';
  for (const ch of text) {
    const upper = ch.toUpperCase();
    out += [...upper].length === 1 ? upper : ch;
  }
  return out;
}

export function buildExpectedProof(payload: ProofPayload): Buffer {
  const token = Buffer.from(payload.accessToken, 'utf8');
  const url = Buffer.from(toUpperInvariant(payload.url), 'utf8');
  const out = Buffer.alloc(4 + token.length + 4 + url.length + 4 + 8);
  let at = 0;
  at = out.writeUInt32BE(token.length, at);
  at += token.copy(out, at);
  at = out.writeUInt32BE(url.length, at);
  at += url.copy(out, at);
  at = out.writeUInt32BE(8, at);
  out.writeBigInt64BE(payload.timestampTicks, at);
  return out;
}

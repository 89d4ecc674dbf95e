// RFC 2152 UTF-7 for the name headers (Node has no built-in codec). Strict decoding: malformed
// input is an error the caller answers with 400, never a mangled file name.
import iconv from 'iconv-lite';

export class Utf7Error extends Error {}

const B64 = /^[A-Za-z0-9+/]*$/;
const B64CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function decodeUtf7(input: string): string {
  // Validate shift sequences ourselves: iconv-lite is lenient about garbage.
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && c !== 0x09)) throw new Utf7Error(`character ${i + 1} is not valid in UTF-7`);
    if (input[i] !== '+') continue;
    let j = i + 1;
    while (j < input.length && /[A-Za-z0-9+/]/.test(input[j]!)) j++;
    const run = input.slice(i + 1, j);
    if (run.length === 0 && input[j] !== '-')
      throw new Utf7Error(`a "+" at character ${i + 1} starts no UTF-7 sequence`);
    if (!B64.test(run)) throw new Utf7Error('bad base64 in a UTF-7 sequence');
    const bits = run.length * 6;
    if (bits % 16 >= 6) throw new Utf7Error(`the UTF-7 sequence at character ${i + 1} is truncated`);
    const spare = bits % 16;
    if (spare > 0 && (B64CHARS.indexOf(run[run.length - 1]!) & ((1 << spare) - 1)) !== 0) {
      throw new Utf7Error(`the UTF-7 sequence at character ${i + 1} has stray bits`);
    }
    i = j - 1;
  }
  const out = iconv.decode(Buffer.from(input, 'latin1'), 'utf7');
  if (out.includes('\ufffd')) throw new Utf7Error('the UTF-7 sequence does not decode to text');
  for (const ch of out) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) throw new Utf7Error('the UTF-7 sequence encodes a lone surrogate');
  }
  return out;
}

export function encodeUtf7(input: string): string {
  return iconv.encode(input, 'utf7').toString('latin1');
}

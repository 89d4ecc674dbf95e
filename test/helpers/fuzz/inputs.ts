// The odd inputs the fuzzer draws from: file names that stress Unicode and byte limits, lock ids at
// and past the 1024 limit, name headers in valid and broken encodings. Each comes with a label so a
// violation says which kind of input caused it.
import { encodeUtf7 } from '../wopi-client';
import type { HeaderValue } from './raw-http';
import type { Rng } from './rng';

export interface Labelled<T> {
  label: string;
  value: T;
}

/** The file-system limit on one name, in bytes (ext4, APFS, NTFS in UTF-16 units). */
export const NAME_MAX_BYTES = 255;

/** Base names (no extension). Some are legal, some must be refused or cleaned up by the host. */
export const ODD_BASES: ReadonlyArray<Labelled<string>> = [
  { label: 'ascii', value: 'report' },
  { label: 'ideographic space U+3000', value: '報告\u3000書' },
  { label: 'emoji', value: '📄 notes 🎉' },
  { label: 'emoji ZWJ sequence', value: '👩\u200d💻 dev' },
  { label: 'combining marks', value: 'e\u0301te\u0301 a\u0308\u0308\u0308' },
  { label: 'NFD vs NFC', value: 'cafe\u0301' },
  { label: 'RTL text', value: 'מסמך عربي' },
  { label: 'RTL override U+202E', value: 'invoice\u202excod' },
  { label: 'RLM only', value: '\u200f' },
  { label: 'ideographic space only', value: '\u3000' },
  { label: 'spaces only', value: '   ' },
  { label: 'empty', value: '' },
  { label: '250 ASCII chars', value: 'a'.repeat(250) },
  { label: '251 ASCII chars', value: 'b'.repeat(251) },
  { label: '86 chars, 258 UTF-8 bytes', value: 'あ'.repeat(86) },
  { label: '250 chars, 500 UTF-8 bytes', value: 'é'.repeat(250) },
  { label: '64 emoji, 256 UTF-8 bytes', value: '😀'.repeat(64) },
  { label: '200 CJK chars, 600 UTF-8 bytes', value: '文'.repeat(200) },
  { label: 'control char U+0001', value: 'a\u0001b' },
  { label: 'tab', value: 'tab\tname' },
  { label: 'newline', value: 'two\nlines' },
  { label: 'DEL', value: 'del\u007f' },
  { label: 'C1 control U+0085', value: 'x\u0085y' },
  { label: 'line separator U+2028', value: 'line\u2028sep' },
  { label: 'reserved device name', value: 'CON' },
  { label: 'reserved device name, lower case', value: 'nul' },
  { label: 'leading dot', value: '.hidden' },
  { label: 'trailing dot', value: 'trail.' },
  { label: 'trailing space', value: 'trail ' },
  { label: 'slash', value: 'a/b' },
  { label: 'dot-dot path', value: '../up' },
  { label: 'backslashes', value: '..\\..\\x' },
  { label: 'percent', value: '100% %2e%2e' },
  { label: 'plus', value: 'a+b+-c' },
  { label: 'quotes', value: 'say "hi" it\'s' },
  { label: 'tilde-dollar (editor lock name)', value: '~$draft' },
  { label: 'trailing tilde (backup name)', value: 'backup~' },
  { label: 'lone surrogate', value: 'x\ud800y' },
  { label: 'header-like text', value: 'a\r\nX-Injected: 1' },
];

export const EXTENSIONS: readonly string[] = [
  '.docx',
  '.xlsx',
  '.wopitest',
  '.DOCX',
  '.tar.gz',
  '',
  '.' + 'x'.repeat(20),
];

/** UTF-7 that must be refused (400), never turned into a mangled name. */
export const INVALID_UTF7: ReadonlyArray<Labelled<string>> = [
  { label: 'lone plus', value: 'a+' },
  { label: 'plus then nothing valid', value: '+!x' },
  { label: 'truncated sequence', value: '+ZZ-x' },
  // '+AGF' is 'a' plus two set spare bits (+AGE- would be a valid 'a').
  { label: 'stray bits', value: '+AGF-x' },
  { label: 'lone surrogate in UTF-7', value: `${encodeUtf7('\ud83d')}x` },
  { label: 'non-ASCII byte in UTF-7', value: 'caf\u00e9' },
];

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

// .NET's direct set minus CR, LF and TAB: those are legal UTF-7 but would break the HTTP header line.
const HEADER_DIRECT = /^[A-Za-z0-9'(),\-./:? ]$/;

/** UTF-7 as the validator encodes it, except that no character a header line cannot hold goes out raw. */
export function utf7Header(input: string): string {
  let out = '';
  let run = '';
  const flush = (): void => {
    if (!run) return;
    const units = Buffer.alloc(run.length * 2);
    for (let k = 0; k < run.length; k++) units.writeUInt16BE(run.charCodeAt(k), k * 2);
    out += `+${units.toString('base64').replace(/=+$/, '')}-`;
    run = '';
  };
  for (const ch of input.split('')) {
    if (ch === '+') {
      flush();
      out += '+-';
    } else if (HEADER_DIRECT.test(ch)) {
      flush();
      out += ch;
    } else run += ch;
  }
  flush();
  return out;
}

/** A name header value: how `name` is encoded on the wire, labelled. Valid UTF-7 most of the time. */
export function encodeNameHeader(
  rng: Rng,
  name: string,
): Labelled<HeaderValue> & { decodesTo?: string; lenient?: boolean } {
  // Raw bytes are a wrong encoding only for non-ASCII names (plain ASCII is valid UTF-7 as it is); a raw
  // CR or LF would not be an odd encoding but a second header line, so those names always go encoded.
  const nonAscii = /[\u0080-\uffff]/.test(name) && !/[\r\n\0]/.test(name);
  const how = rng.weighted<string>([
    ['utf7', 8],
    ['raw utf-8 bytes', nonAscii ? 1 : 0],
    ['invalid utf-7', 1],
  ]);
  if (how === 'utf7') {
    // A lone surrogate is not text: encoding it is legal UTF-7 syntax, but it decodes to nothing a name can hold.
    const wellFormed = !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name);
    return { label: 'UTF-7', value: utf7Header(name), ...(wellFormed ? { decodesTo: name } : {}) };
  }
  // Not UTF-7, but some clients send it: refusing (400) and reading it as UTF-8 are both defensible.
  if (how === 'raw utf-8 bytes')
    return { label: 'raw UTF-8 bytes', value: Buffer.from(name, 'utf8'), lenient: true };
  const bad = rng.pick(INVALID_UTF7);
  return { label: `invalid UTF-7 (${bad.label})`, value: `${utf7Header(name)}${bad.value}` };
}

/** Lock ids the clients share, so locks collide: a few short ones and an Office-style JSON one. */
export function lockPool(rng: Rng): string[] {
  const hex = rng.bytes(8).toString('hex');
  return ['A', 'B', 'C', `{"S":"${hex}","F":4,"E":2,"M":"fuzz"}`];
}

export type LockHeader =
  | { kind: 'valid'; label: string; value: string }
  /** ASCII but not printable: a host may refuse it (400) or take it as an opaque id. */
  | { kind: 'debatable'; label: string; value: string }
  | { kind: 'invalid'; label: string; value: HeaderValue }
  | { kind: 'absent'; label: string };

/** X-WOPI-Lock for a lock operation: a pool id mostly, otherwise an edge case. */
export function lockHeader(rng: Rng, pool: readonly string[]): LockHeader {
  const which = rng.weighted<string>([
    ['pool', 30],
    ['1024 chars', 1],
    ['1025 chars', 1],
    ['empty', 1],
    ['absent', 1],
    ['raw UTF-8', 1],
    ['tab', 1],
    ['single space', 1],
  ]);
  switch (which) {
    case 'pool':
      return { kind: 'valid', label: 'pool lock id', value: rng.pick(pool) };
    case '1024 chars':
      return { kind: 'valid', label: '1024-char lock id', value: 'L'.repeat(1024) };
    case '1025 chars':
      return { kind: 'invalid', label: '1025-char lock id', value: 'L'.repeat(1025) };
    case 'empty':
      return { kind: 'invalid', label: 'empty lock id', value: '' };
    case 'absent':
      return { kind: 'absent', label: 'no X-WOPI-Lock header' };
    case 'raw UTF-8':
      return { kind: 'invalid', label: 'non-ASCII lock id', value: Buffer.from('löck-✓', 'utf8') };
    case 'tab':
      return { kind: 'debatable', label: 'lock id with a tab', value: 'a\tb' };
    default:
      // HTTP trims leading and trailing whitespace, so a lone space arrives as an empty value.
      return { kind: 'invalid', label: 'lock id of one space', value: ' ' };
  }
}

/** A body of `size` bytes that starts with `tag`, so each upload's bytes are unique and traceable. */
export function taggedBody(rng: Rng, tag: string, size: number): Buffer {
  const head = Buffer.from(`${tag}\n`, 'utf8');
  if (size <= head.length) return head;
  return Buffer.concat([head, rng.bytes(size - head.length)]);
}

/**
 * Strict RFC 2152 decoding for checking the host's X-WOPI-ValidRelativeTarget (written here, not taken
 * from the host, so the host's encoder is checked against an independent reading). Null when invalid.
 */
export function decodeUtf7(text: string): string | null {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c.charCodeAt(0) > 0x7e || (c.charCodeAt(0) < 0x20 && c !== '\t')) return null;
    if (c !== '+') {
      out += c;
      continue;
    }
    let j = i + 1;
    while (j < text.length && /[A-Za-z0-9+/]/.test(text.charAt(j))) j++;
    const run = text.slice(i + 1, j);
    if (run === '') {
      if (text.charAt(j) !== '-') return null;
      out += '+';
    } else {
      // A run ends on a whole UTF-16 unit, give or take fewer than 6 padding bits.
      if ((run.length * 6) % 16 >= 6) return null;
      const bytes = Buffer.from(run, 'base64');
      for (let k = 0; k + 1 < bytes.length; k += 2) out += String.fromCharCode(bytes.readUInt16BE(k));
    }
    i = text.charAt(j) === '-' ? j : j - 1;
  }
  return out;
}

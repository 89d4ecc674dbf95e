// File-name rules shared by PutRelativeFile and RenameFile. Two limits apply at once: the one WOPI
// clients are told (FileNameMaxLength: characters, without the extension) and the file system's
// (255 bytes per name component on ext4, XFS, Btrfs and APFS, counted in UTF-8, extension included;
// NTFS counts 255 UTF-16 units, which a name within 255 UTF-8 bytes never exceeds).
import { unservedReason } from '../storage/paths';

export const FILE_NAME_MAX_LENGTH = 250;
export const NAME_MAX_BYTES = 255;

// Characters no mainstream file system (Windows being the strictest) accepts in a name.
// eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
const ILLEGAL = /[\\/:*?"<>|\u0000-\u001f\u007f]/;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
/** Room a suggested name keeps for a base and a " (9999)" suffix next to its extension. */
const EXT_MAX_BYTES = NAME_MAX_BYTES - 32;

export type NameProblem = { ok: false; reason: string };

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

export function splitExt(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { base: name.slice(0, dot), ext: name.slice(dot) } : { base: name, ext: '' };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest start of `s` within `maxUnits` UTF-16 units and `maxBytes` UTF-8 bytes, cut between
 * user-perceived characters (never inside a surrogate pair, never between a letter and its accent).
 */
export function cutToFit(s: string, maxUnits: number, maxBytes: number): string {
  if (s.length <= maxUnits && utf8Bytes(s) <= maxBytes) return s;
  let out = '';
  let size = 0;
  for (const { segment } of graphemes.segment(s)) {
    const b = utf8Bytes(segment);
    if (out.length + segment.length > maxUnits || size + b > maxBytes) break;
    out += segment;
    size += b;
  }
  return out;
}

/** Why `name` (a full file name) can't be used as it is, or ok. */
export function checkName(name: string): { ok: true } | NameProblem {
  if (!name.trim()) return { ok: false, reason: 'the name is empty' };
  const bad = ILLEGAL.exec(name);
  if (bad)
    return {
      ok: false,
      reason: `the name contains the character ${JSON.stringify(bad[0])}, which file systems forbid`,
    };
  if (name.startsWith('.')) return { ok: false, reason: 'the name starts with a dot' };
  // A name the host would not serve would make a file it then ignores (its watcher too).
  const unserved = unservedReason(name);
  if (unserved) return { ok: false, reason: unserved };
  if (/[. ]$/.test(name)) return { ok: false, reason: 'the name ends with a dot or a space' };
  if (RESERVED.test(name)) return { ok: false, reason: `"${name}" is a reserved device name on Windows` };
  if (name === '..' || name === '.') return { ok: false, reason: 'the name is a path' };
  const { base } = splitExt(name);
  if (base.length > FILE_NAME_MAX_LENGTH) {
    return {
      ok: false,
      reason: `the name is ${base.length} characters long without its extension; the limit is ${FILE_NAME_MAX_LENGTH}`,
    };
  }
  const size = utf8Bytes(name);
  if (size > NAME_MAX_BYTES) {
    return {
      ok: false,
      reason: `the name is ${size} bytes long in UTF-8; file systems allow ${NAME_MAX_BYTES} bytes per name`,
    };
  }
  return { ok: true };
}

/**
 * `ext` when a suggested name can keep it (legal, and leaving room for a base), else ''. A trailing "~"
 * (a backup's mark, which the host does not serve) is dropped first.
 */
export function usableExt(ext: string): string {
  const e = ext.replace(/~+$/, '');
  return e && checkName(`x${e}`).ok && utf8Bytes(e) <= EXT_MAX_BYTES ? e : '';
}

/**
 * A legal version of `base` (no extension) that fits next to `ext`: illegal characters become '_',
 * leading/trailing dots and spaces go, and the length is cut to both limits. '' when nothing is left.
 */
export function sanitizeBase(base: string, ext = ''): string {
  let s = '';
  for (const ch of base) s += ILLEGAL.test(ch) ? '_' : ch;
  s = trimEdges(s);
  // Nothing after the base to keep a trailing ".tmp" from making it a temporary file's name.
  if (!ext) s = trimEdges(s.replace(/(\.tmp)+$/, ''));
  if (RESERVED.test(s)) s = `_${s}`;
  s = trimEdges(cutToFit(s, FILE_NAME_MAX_LENGTH, NAME_MAX_BYTES - utf8Bytes(ext)));
  return s.trim() ? s : '';
}

/**
 * Without what no name may start or end with: dots and spaces (file systems), and what would make it a
 * name the host does not serve: a leading "~$" (Office lock files), a trailing "~" (backups).
 */
const trimEdges = (s: string): string => s.replace(/^(?:[. ]|~\$)+/, '').replace(/[. ~]+$/, '');

export class NoFreeNameError extends Error {}

/** First of "base.ext", "base (1).ext", ... (each cut to fit the limits) for which `taken` says no. */
export async function uniqueName(
  base: string,
  ext: string,
  taken: (name: string) => Promise<boolean>,
): Promise<string> {
  for (let n = 0; n < 10_000; n++) {
    const suffix = n === 0 ? '' : ` (${n})`;
    const room = NAME_MAX_BYTES - utf8Bytes(suffix + ext);
    const cut = cutToFit(base, FILE_NAME_MAX_LENGTH - suffix.length, room);
    const b = cut === base ? base : trimEdges(cut); // a cut must not leave a dot or space at the end
    if (!b) break;
    const name = `${b}${suffix}${ext}`;
    if (!(await taken(name))) return name;
  }
  throw new NoFreeNameError(`no free file name for "${base}${ext}"`);
}

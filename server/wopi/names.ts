// File-name rules shared by PutRelativeFile and RenameFile.
export const FILE_NAME_MAX_LENGTH = 250;

// Characters no mainstream file system (Windows being the strictest) accepts in a name.
// eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
const ILLEGAL = /[\\/:*?"<>|\u0000-\u001f\u007f]/;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export type NameProblem = { ok: false; reason: string };

export function splitExt(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { base: name.slice(0, dot), ext: name.slice(dot) } : { base: name, ext: '' };
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
  return { ok: true };
}

/** A legal version of `base` (no extension): illegal characters become '_', length capped. */
export function sanitizeBase(base: string): string {
  let s = '';
  for (const ch of base) s += ILLEGAL.test(ch) ? '_' : ch;
  s = s.replace(/^[. ]+/, '').replace(/[. ]+$/, '');
  if (RESERVED.test(s)) s = `_${s}`;
  if (s.length > FILE_NAME_MAX_LENGTH) s = s.slice(0, FILE_NAME_MAX_LENGTH).replace(/[. ]+$/, '');
  return s || 'Untitled';
}

/** First of "base.ext", "base (1).ext", ... for which `taken` says no. */
export async function uniqueName(
  base: string,
  ext: string,
  taken: (name: string) => Promise<boolean>,
): Promise<string> {
  for (let n = 0; n < 10_000; n++) {
    const suffix = n === 0 ? '' : ` (${n})`;
    const b =
      base.length + suffix.length > FILE_NAME_MAX_LENGTH
        ? base.slice(0, FILE_NAME_MAX_LENGTH - suffix.length)
        : base;
    const name = `${b}${suffix}${ext}`;
    if (!(await taken(name))) return name;
  }
  throw new Error('no free file name');
}

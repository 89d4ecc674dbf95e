// The data dir holds secrets (the HMAC keys that sign access tokens and launch links, the control
// token in runtime.json, the request log with tokens in clear, copies of the person's files): it is
// the owner's alone. Directories are 0700 and files 0600; what an earlier run (or a umask) left
// more open is tightened, since mkdir's and open's modes only apply to what they create.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** POSIX permissions only: on Windows the user profile's ACLs do this job, and chmod cannot. */
const POSIX = process.platform !== 'win32';

/**
 * Clears the group and other bits of `p` when any is set (owner bits kept). Best effort: a path this
 * user does not own cannot be changed, and a missing one has nothing to protect.
 */
function tighten(p: string): void {
  if (!POSIX) return;
  let mode: number;
  try {
    mode = fs.statSync(p).mode;
  } catch {
    return;
  }
  if ((mode & 0o077) === 0) return;
  try {
    fs.chmodSync(p, mode & 0o700);
  } catch {
    // Not ours to change (e.g. a shared directory given as --data-dir): its files are still 0600.
  }
}

/** Creates `dir` (and missing parents) owner-only, and tightens it if it already existed. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir);
}

/** Makes existing files owner-only (absent ones are skipped). */
export function tightenFiles(...files: string[]): void {
  for (const f of files) tighten(f);
}

/**
 * Writes `file` owner-only and whole: a fresh 0600 temp file renamed over it, so readers never see
 * a torn file and an old, more open file's mode does not carry over.
 */
export function writePrivateFile(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

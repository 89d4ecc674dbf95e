import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Default data dir: per served folder, in the user's data directory (never inside the folder). */
export function defaultDataDir(folder: string): string {
  const base = process.env['XDG_DATA_HOME'] || path.join(os.homedir(), '.local', 'share');
  const id = crypto.createHash('sha256').update(path.resolve(folder)).digest('hex').slice(0, 12);
  return path.join(base, 'wopi-workbench', `${path.basename(path.resolve(folder)) || 'root'}-${id}`);
}

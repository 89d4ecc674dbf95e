import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

function userDataBase(): string {
  return path.join(
    process.env['XDG_DATA_HOME'] || path.join(os.homedir(), '.local', 'share'),
    'wopi-workbench',
  );
}

/** Default data dir: per served folder, in the user's data directory (never inside the folder). */
export function defaultDataDir(folder: string): string {
  const id = crypto.createHash('sha256').update(path.resolve(folder)).digest('hex').slice(0, 12);
  return path.join(userDataBase(), `${path.basename(path.resolve(folder)) || 'root'}-${id}`);
}

/** Default data dir of `serve --samples`; the sample copy lives inside it. */
export function defaultSamplesDataDir(): string {
  return path.join(userDataBase(), 'samples');
}

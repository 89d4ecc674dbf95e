// Which folder to serve at launch. No Electron here: the dialog that asks the person lives in
// dialogs.ts, and the writable copy of the samples is server/config/sample-folder.ts (shared with the CLI).
import fs from 'node:fs';
import path from 'node:path';

export type StartupChoice =
  | { kind: 'folder'; folder: string; source: 'argument' | 'recent' }
  | { kind: 'ask'; reason: 'first-run' | 'recent-missing' }
  | { kind: 'invalid-argument'; folder: string; message: string };

export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A folder given on the command line wins (and is an error if unusable: the person asked for it);
 * otherwise the most recent folder that still exists; otherwise ask (first-run picker).
 */
export function chooseStartupFolder(
  argFolder: string | undefined,
  recent: readonly string[],
  cwd: string,
  exists: (p: string) => boolean = isDirectory,
): StartupChoice {
  if (argFolder !== undefined) {
    const folder = path.resolve(cwd, argFolder);
    if (exists(folder)) return { kind: 'folder', folder, source: 'argument' };
    return {
      kind: 'invalid-argument',
      folder,
      message: `The folder "${folder}" does not exist or is not a folder.`,
    };
  }
  const found = recent.find((f) => exists(f));
  if (found) return { kind: 'folder', folder: found, source: 'recent' };
  return { kind: 'ask', reason: recent.length > 0 ? 'recent-missing' : 'first-run' };
}

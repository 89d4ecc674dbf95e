// Recently served folders, most recent first, in userData. The list is small and capped; a corrupt
// file is kept aside by readJsonFile and the app starts with an empty list.
import path from 'node:path';
import { isRecord, readJsonFile, writeJsonFileAtomic } from './json-file';
import type { JsonReadResult, JsonValidator } from './json-file';

export const RECENT_FOLDERS_VERSION = 1;
export const MAX_RECENT_FOLDERS = 10;

export const validateRecentFolders: JsonValidator<string[]> = (data) => {
  if (!isRecord(data) || data['version'] !== RECENT_FOLDERS_VERSION)
    return { ok: false, reason: 'unknown format' };
  const folders = data['folders'];
  if (!Array.isArray(folders)) return { ok: false, reason: 'folders is not a list' };
  const clean: string[] = [];
  for (const f of folders) {
    // Only absolute paths: a relative one would resolve against whatever cwd the app starts in.
    if (typeof f !== 'string' || !path.isAbsolute(f) || f.includes('\0'))
      return { ok: false, reason: 'bad entry' };
    clean.push(f);
  }
  return { ok: true, value: clean.slice(0, MAX_RECENT_FOLDERS) };
};

/** Moves `folder` to the front, without duplicates, capped. Pure. */
export function addRecentFolder(list: readonly string[], folder: string, max = MAX_RECENT_FOLDERS): string[] {
  const abs = path.resolve(folder);
  return [abs, ...list.filter((f) => path.resolve(f) !== abs)].slice(0, max);
}

export function removeRecentFolder(list: readonly string[], folder: string): string[] {
  const abs = path.resolve(folder);
  return list.filter((f) => path.resolve(f) !== abs);
}

export function loadRecentFolders(file: string, now?: () => number): JsonReadResult<string[]> {
  return readJsonFile(file, validateRecentFolders, now);
}

export function saveRecentFolders(file: string, folders: readonly string[]): void {
  writeJsonFileAtomic(file, { version: RECENT_FOLDERS_VERSION, folders });
}

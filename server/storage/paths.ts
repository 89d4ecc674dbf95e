// Mapping between relative paths (the DB's view) and disk paths, refusing anything that would
// leave the served folder, plus the rules for which files are served at all.
import fs from 'node:fs/promises';
import path from 'node:path';
import { StorageError } from './errors';

export const TEMP_PREFIX = '.wopi-workbench-';

/** Why a name is never served (editor temp/lock files, our own temp files, hidden files); null if it is. */
export function unservedReason(name: string): string | null {
  if (name.startsWith('~$'))
    return 'names starting with "~$" are Office lock files, which this host does not serve';
  if (name.startsWith('.'))
    return 'names starting with "." are hidden or lock files, which this host does not serve';
  if (name.endsWith('~')) return 'names ending with "~" are backup files, which this host does not serve';
  if (name.endsWith('.tmp'))
    return 'names ending with ".tmp" are temporary files, which this host does not serve';
  return null;
}

export function isServedName(name: string): boolean {
  return unservedReason(name) === null;
}

export function isServedRelPath(rel: string): boolean {
  return rel.split('/').every((seg) => seg !== '' && seg !== '..' && isServedName(seg));
}

export function toRel(folder: string, abs: string): string {
  return path.relative(folder, abs).split(path.sep).join('/');
}

/** A path as a person types it (`./a/b.docx`, `a\b.docx`) in the index's form (`a/b.docx`). */
export const relFromUser = (p: string): string => p.replace(/\\/g, '/').replace(/^\.?\//, '');

/** Lexical check; symlinks are checked by `realInside`. */
export function toAbs(folder: string, rel: string): string {
  if (
    !rel ||
    rel.includes('\0') ||
    rel.split('/').some((s) => s === '..' || s === '') ||
    path.isAbsolute(rel)
  ) {
    throw new StorageError('outside-folder', `path "${rel}" is not inside the served folder`);
  }
  const abs = path.resolve(folder, ...rel.split('/'));
  const back = path.relative(folder, abs);
  if (back.startsWith('..') || path.isAbsolute(back)) {
    throw new StorageError('outside-folder', `path "${rel}" is not inside the served folder`);
  }
  return abs;
}

/** Resolve symlinks and refuse targets outside the (real) served folder. */
export async function realInside(realFolder: string, abs: string): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new StorageError('not-found', `no file at ${abs}`, e);
    throw new StorageError('io', `cannot resolve ${abs}`, e);
  }
  const back = path.relative(realFolder, real);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) {
    throw new StorageError('outside-folder', `"${abs}" resolves outside the served folder`);
  }
  return real;
}

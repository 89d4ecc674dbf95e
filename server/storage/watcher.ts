// Outside edits: chokidar reports adds, changes and deletes; the index decides what changed
// (our own writes arrive here too and are recognised by their unchanged stat signature).
import { watch } from 'chokidar';
import path from 'node:path';
import type { FileIndex } from './file-index';
import type { FilesRepo } from '../state/files-repo';
import { isServedName, toRel } from './paths';

export function watchFolder(
  folder: string,
  index: FileIndex,
  files: FilesRepo,
  onError: (e: unknown) => void,
) {
  const watcher = watch(folder, {
    ignoreInitial: true,
    ignored: (p: string) => p !== folder && !isServedName(path.basename(p)),
    awaitWriteFinish: { stabilityThreshold: 150, pollInterval: 50 },
    followSymlinks: false,
  });
  const handle = (abs: string): void => {
    const rel = toRel(folder, abs);
    const run = async (): Promise<void> => {
      const row = files.getByPath(rel);
      if (row) await index.refresh(row);
      else await index.ensure(rel);
    };
    run().catch(onError);
  };
  watcher.on('add', handle).on('change', handle).on('unlink', handle).on('error', onError);
  return {
    ready: new Promise<void>((resolve) => watcher.once('ready', () => resolve())),
    close: () => watcher.close(),
  };
}

// The writable copy of the bundled sample documents that a first run serves (CLI `--samples`,
// `npm start`, the desktop app's first-run choice). Serving the shipped files themselves would let
// the first simulated save rewrite a file of the install or of the repository.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './options';

/** Name of the copy inside a data dir (the CLI) or the app's user-data folder (the desktop). */
export const SAMPLE_FOLDER_NAME = 'sample-folder';

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Copies the samples from `source` into `target` once and returns `target`. An existing copy is left
 * alone, whatever it holds: it may carry the person's edits (delete it to get fresh samples). A
 * missing source (a checkout without samples) gives an empty folder rather than a failure.
 */
export async function ensureSampleFolder(source: string, target: string): Promise<string> {
  if (isDirectory(target)) return target;
  if (fs.existsSync(target)) {
    throw new ConfigError(
      'folder',
      `the sample folder "${target}" exists but is not a folder; move it away so the samples can be copied there.`,
    );
  }
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const staging = `${target}.partial-${process.pid}`;
  await fs.promises.rm(staging, { recursive: true, force: true });
  if (isDirectory(source)) {
    await fs.promises.cp(source, staging, { recursive: true, errorOnExist: false });
  } else {
    await fs.promises.mkdir(staging, { recursive: true });
  }
  // Rename last so an interrupted copy is never mistaken for a finished one.
  try {
    await fs.promises.rename(staging, target);
  } catch (e) {
    // Another run finished its copy first: keep that one.
    await fs.promises.rm(staging, { recursive: true, force: true });
    if (!isDirectory(target)) throw e;
  }
  return target;
}

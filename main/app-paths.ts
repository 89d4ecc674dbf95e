// Where the desktop app finds its files, for both `electron .` in a checkout and a packaged app.
// Pure path arithmetic; the Electron facts (appPath, resourcesPath, userData) come in as values.
import crypto from 'node:crypto';
import path from 'node:path';
import type { DesktopArgs } from './args';
import type { WorkbenchOptions } from '../server/index';
import { SAMPLE_FOLDER_NAME } from '../server/config/sample-folder';

export interface AppLocations {
  /** app.getAppPath(): the checkout root in development, `.../resources/app.asar` when packaged. */
  appPath: string;
  /** process.resourcesPath: where extraResources (the sample folder) land when packaged. */
  resourcesPath: string;
  isPackaged: boolean;
  userData: string;
  /** Directory of the running main bundle (dist/main). */
  mainDir: string;
}

export interface AppPaths {
  uiDir: string;
  preload: string;
  iconsDir: string;
  /** Read-only sample documents shipped with the app. */
  sampleSource: string;
  /** Writable copy the app actually serves, so edits never touch the install folder. */
  sampleFolder: string;
  /** Parent of the per-folder engine data dirs, or the one dir given with --data-dir. */
  dataRoot: string;
  /** True when --data-dir named the data dir itself (used as is, like the CLI). */
  dataDirFixed: boolean;
  windowStateFile: string;
  recentFoldersFile: string;
}

export function resolveAppPaths(loc: AppLocations, dataDirOverride?: string): AppPaths {
  return {
    uiDir: path.join(loc.appPath, 'dist', 'renderer'),
    preload: path.join(loc.mainDir, 'preload.cjs'),
    iconsDir: path.join(loc.mainDir, 'icons'),
    sampleSource: loc.isPackaged
      ? path.join(loc.resourcesPath, 'samples')
      : path.join(loc.appPath, 'assets', 'samples'),
    sampleFolder: path.join(loc.userData, SAMPLE_FOLDER_NAME),
    dataRoot: dataDirOverride ? path.resolve(dataDirOverride) : path.join(loc.userData, 'engine-data'),
    dataDirFixed: dataDirOverride !== undefined,
    windowStateFile: path.join(loc.userData, 'window-state.json'),
    recentFoldersFile: path.join(loc.userData, 'recent-folders.json'),
  };
}

/**
 * One data dir per served folder (locks, versions and ids belong to that folder), named like the
 * CLI's default: `<folder name>-<12 hex of sha256(path)>`.
 */
export function dataDirFor(folder: string, paths: AppPaths): string {
  if (paths.dataDirFixed) return paths.dataRoot;
  const abs = path.resolve(folder);
  const id = crypto.createHash('sha256').update(abs).digest('hex').slice(0, 12);
  return path.join(paths.dataRoot, `${path.basename(abs) || 'root'}-${id}`);
}

/** Engine options for one folder: flags win, the rest is the engine's own defaults. */
export function buildEngineOptions(folder: string, args: DesktopArgs, paths: AppPaths): WorkbenchOptions {
  const opts: WorkbenchOptions = {
    folder: path.resolve(folder),
    dataDir: dataDirFor(folder, paths),
    uiDir: paths.uiDir,
  };
  if (args.host !== undefined) opts.host = args.host;
  if (args.wopiPort !== undefined) opts.wopiPort = args.wopiPort;
  if (args.controlPort !== undefined) opts.controlPort = args.controlPort;
  if (args.publicUrl !== undefined) opts.publicUrl = args.publicUrl;
  if (args.client !== undefined) opts.clientProfile = args.client;
  if (args.discoveryUrl !== undefined) opts.discoveryUrl = args.discoveryUrl;
  if (args.proof !== undefined) opts.proofMode = args.proof;
  // Like `serve --tunnel`: the engine opens a tunnel at start only when asked to.
  if (args.tunnel === true) {
    opts.tunnel = {};
    if (args.tunnelServer !== undefined) opts.tunnel.server = args.tunnelServer;
    if (args.subdomain !== undefined) opts.tunnel.subdomain = args.subdomain;
  }
  return opts;
}

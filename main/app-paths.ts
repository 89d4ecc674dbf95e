// Where the desktop app finds its files, for both `electron .` in a checkout and a packaged app.
// Pure path arithmetic; the Electron facts (appPath, resourcesPath, userData) come in as values.
import path from 'node:path';
import type { DesktopArgs } from './args';
import type { WorkbenchOptions } from '../server/index';

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
  dataDir: string;
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
    sampleFolder: path.join(loc.userData, 'sample-folder'),
    dataDir: dataDirOverride ? path.resolve(dataDirOverride) : path.join(loc.userData, 'engine-data'),
    windowStateFile: path.join(loc.userData, 'window-state.json'),
    recentFoldersFile: path.join(loc.userData, 'recent-folders.json'),
  };
}

/** Engine options for one folder: flags win, the rest is the engine's own defaults. */
export function buildEngineOptions(folder: string, args: DesktopArgs, paths: AppPaths): WorkbenchOptions {
  const opts: WorkbenchOptions = { folder: path.resolve(folder), dataDir: paths.dataDir, uiDir: paths.uiDir };
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

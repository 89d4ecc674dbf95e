// The whole IPC surface between the preload and main, in one place. Every channel is prefixed `wb:`;
// the preload exposes one named function per channel and never raw ipcRenderer. Imported by the
// preload bundle too, so keep it free of Node and Electron imports.

export const IPC_PREFIX = 'wb:';

export const IpcChannel = {
  pickFolder: 'wb:pick-folder',
  revealFile: 'wb:reveal-file',
  openExternal: 'wb:open-external',
  copyText: 'wb:copy-text',
} as const;

export type IpcChannelName = (typeof IpcChannel)[keyof typeof IpcChannel];

/** Arguments per channel, as the preload sends them. */
export interface IpcArgs {
  'wb:pick-folder': [];
  /** A path relative to the served folder (FileView.path) or an absolute path inside it. */
  'wb:reveal-file': [path: string];
  'wb:open-external': [url: string];
  'wb:copy-text': [text: string];
}

export interface IpcResults {
  /** Absolute path, or null when the person cancelled. */
  'wb:pick-folder': string | null;
  'wb:reveal-file': void;
  'wb:open-external': void;
  'wb:copy-text': void;
}

/**
 * Startup values reach the sandboxed preload synchronously through
 * webPreferences.additionalArguments, as `--wb-<name>=<value>`.
 */
export const STARTUP_ARG = { appVersion: '--wb-app-version=' } as const;

/** Reads one startup value from argv (the sandboxed preload's process.argv); '' when absent. */
export function readStartupArg(argv: readonly string[], prefix: string): string {
  const hit = argv.find((a) => a.startsWith(prefix));
  return hit === undefined ? '' : hit.slice(prefix.length);
}

/** What `window.workbenchDesktop` offers. The UI treats every member as optional. */
export interface WorkbenchDesktopApi {
  pickFolder(): Promise<string | null>;
  revealFile(path: string): Promise<void>;
  openExternal(url: string): Promise<void>;
  copyText(text: string): Promise<void>;
  appVersion(): string;
}

export const DESKTOP_GLOBAL = 'workbenchDesktop';

// BrowserWindow options: the hardening lives here, as data, so a test can pin every flag.
// `import type` only: this module must load in plain Node, where importing 'electron' throws.
import type { BrowserWindowConstructorOptions } from 'electron';
import { STARTUP_ARG } from './ipc/contract';
import { MIN_WINDOW_SIZE } from './window-state';
import type { WindowState } from './window-state';

export interface WindowOptionsInput {
  preloadPath: string;
  state: WindowState;
  appVersion: string;
  /** Linux/Windows window icon; macOS takes the bundle icon. */
  iconPath?: string;
}

export function buildWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const { state } = input;
  const opts: BrowserWindowConstructorOptions = {
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'WOPI Workbench',
    // Shown on 'ready-to-show' so the person never sees an empty white frame.
    show: false,
    backgroundColor: '#1f2430',
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      additionalArguments: [`${STARTUP_ARG.appVersion}${input.appVersion}`],
    },
  };
  if (state.x !== undefined && state.y !== undefined) {
    opts.x = state.x;
    opts.y = state.y;
  }
  if (input.iconPath !== undefined) opts.icon = input.iconPath;
  return opts;
}

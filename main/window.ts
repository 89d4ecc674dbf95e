// Electron-facing: the main window and the guards around every web contents and the session.
// All decisions come from pure modules (security/*, window-options, window-state); this file only
// connects them to Electron events.
import { BrowserWindow, screen, shell } from 'electron';
import type { App, Session, WebContents } from 'electron';
import { buildCsp, isAppOriginUrl, withCsp } from './security/csp';
import { decideWindowOpen, isNavigationAllowed, isPermissionGranted } from './security/navigation';
import { buildWindowOptions } from './window-options';
import { captureWindowState, fitToDisplays } from './window-state';
import type { WindowState } from './window-state';

/** The origin the UI is served from; null until an engine is running. Read on every check. */
export type OriginSource = () => string | null;

function openExternally(url: string | null, log: (msg: string) => void): void {
  if (url === null) return;
  shell.openExternal(url).catch((e: unknown) => log(`openExternal failed: ${String(e)}`));
}

function guardContents(contents: WebContents, appOrigin: OriginSource, log: (msg: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    openExternally(decision.openExternally, log);
    return { action: decision.action };
  });
  const blockForeign = (event: { preventDefault(): void }, url: string): void => {
    if (isNavigationAllowed(url, appOrigin())) return;
    event.preventDefault();
    log(`blocked navigation to ${url.slice(0, 200)}`);
  };
  contents.on('will-navigate', (event) => blockForeign(event, event.url));
  contents.on('will-redirect', (event) => {
    if (event.isMainFrame) blockForeign(event, event.url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applies the navigation/new-window guards to every web contents the app ever creates. */
export function hardenAllWebContents(app: App, appOrigin: OriginSource, log: (msg: string) => void): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, appOrigin, log));
}

/** CSP on app-origin responses, and permission handlers that deny by default. Install once per session. */
export function hardenSession(session: Session, appOrigin: OriginSource): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const origin = appOrigin();
    if (origin === null || !isAppOriginUrl(details.url, origin)) {
      callback({});
      return;
    }
    callback({ responseHeaders: withCsp(details.responseHeaders, buildCsp(origin)) });
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, appOrigin()));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin, appOrigin()),
  );
}

export interface MainWindowInput {
  preloadPath: string;
  appVersion: string;
  iconPath?: string;
  savedState: WindowState;
  /** Called with the state to persist when the window closes. */
  onStateToSave: (state: WindowState) => void;
}

export function currentWindowState(win: BrowserWindow): WindowState {
  return captureWindowState(win.getNormalBounds(), win.isMaximized(), win.isFullScreen());
}

export function createMainWindow(input: MainWindowInput): BrowserWindow {
  const areas = screen.getAllDisplays().map((d) => d.workArea);
  const state = fitToDisplays(input.savedState, areas);
  const opts = buildWindowOptions({
    preloadPath: input.preloadPath,
    appVersion: input.appVersion,
    state,
    ...(input.iconPath === undefined ? {} : { iconPath: input.iconPath }),
  });
  const win = new BrowserWindow(opts);
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    if (state.fullScreen) win.setFullScreen(true);
    win.show();
  });
  win.on('close', () => input.onStateToSave(currentWindowState(win)));
  return win;
}

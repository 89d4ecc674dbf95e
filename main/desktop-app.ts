// Electron-facing: ties the engine, the window, the tray/menus, notifications and the shutdown
// registry together. Decisions live in the pure modules; this file sequences them. All state is
// held in the closure of createDesktopApp (no module-level globals).
import path from 'node:path';
import { Notification, app, clipboard, session } from 'electron';
import type { BrowserWindow } from 'electron';
import type { DesktopArgs } from './args';
import { buildEngineOptions } from './app-paths';
import type { AppPaths } from './app-paths';
import { controlClientFor } from './control-client';
import { askStartupFolder, pickFolderDialog, showError } from './dialogs';
import { startEngine } from './engine-host';
import type { RunningEngine } from './engine-host';
import { registerIpcHandlers } from './ipc/handlers';
import type { MenuAction, ShellState } from './menu-model';
import { createShellMenus } from './menus';
import type { ShellMenus } from './menus';
import { createNotificationPolicy } from './notifications';
import type { Notice } from './notifications';
import { addRecentFolder, loadRecentFolders, removeRecentFolder, saveRecentFolders } from './recent-folders';
import { originOf } from './security/navigation';
import { createShutdownRegistry } from './shutdown-registry';
import type { ShutdownReport } from './shutdown-registry';
import { chooseStartupFolder, isDirectory } from './startup-folder';
import { createMainWindow, currentWindowState, hardenAllWebContents, hardenSession } from './window';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from './window-state';
import type { WindowState } from './window-state';
import type { TunnelState } from '../server/contracts';
import { ensureSampleFolder } from '../server/config/sample-folder';

/** Long enough for the engine to finish a large PutFile and close the tunnel; short enough to never hang a quit. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

export interface DesktopAppInput {
  args: DesktopArgs;
  paths: AppPaths;
  appVersion: string;
  log: (message: string) => void;
}

export interface DesktopApp {
  /** Picks the folder (argument, recent, or the first-run dialog) and opens the window. */
  start(): Promise<void>;
  onSecondInstance(args: DesktopArgs, workingDirectory: string): void;
  showWindow(): void;
  shutdown(): Promise<ShutdownReport>;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function createDesktopApp(input: DesktopAppInput): DesktopApp {
  const { args, paths, log } = input;
  const isMac = process.platform === 'darwin';
  const shutdown = createShutdownRegistry({ deadlineMs: SHUTDOWN_DEADLINE_MS });
  const policy = createNotificationPolicy({ now: Date.now });
  let engine: RunningEngine | null = null;
  let engineCleanup: Array<() => void> = [];
  let win: BrowserWindow | null = null;
  let tunnel: TunnelState | null = null;
  let recent: string[] = [];
  let menus: ShellMenus | null = null;

  const appOrigin = (): string | null => (engine ? originOf(engine.info.uiUrl) : null);

  function shellState(): ShellState {
    return {
      folder: engine?.folder ?? null,
      engineRunning: engine !== null,
      tunnel,
      publicUrl: engine ? (tunnel?.publicUrl ?? engine.publicUrl()) : null,
      recentFolders: recent,
    };
  }
  const refreshMenus = (): void => menus?.update(shellState());

  function setRecent(next: string[]): void {
    recent = next;
    try {
      saveRecentFolders(paths.recentFoldersFile, recent);
    } catch (e) {
      log(`could not save recent folders: ${message(e)}`);
    }
    refreshMenus();
  }

  function notify(notice: Notice | null): void {
    if (!notice || !Notification.isSupported()) return;
    const n = new Notification({
      title: notice.title,
      body: notice.body,
      icon: path.join(paths.iconsDir, '256x256.png'),
    });
    n.on('click', () => showWindow());
    n.show();
  }

  function saveState(state: WindowState): void {
    try {
      saveWindowState(paths.windowStateFile, state);
    } catch (e) {
      log(`could not save window state: ${message(e)}`);
    }
  }

  function savedWindowState(): WindowState {
    const loaded = loadWindowState(paths.windowStateFile);
    if (loaded.kind === 'ok') return loaded.value;
    if (loaded.kind === 'corrupt')
      log(`window state unusable (${loaded.reason}); kept at ${loaded.keptAt ?? 'nowhere'}`);
    return DEFAULT_WINDOW_STATE;
  }

  function loadUi(target: BrowserWindow, uiUrl: string): void {
    // A superseded navigation (a quick folder switch) rejects; that is not an error worth a dialog.
    target.loadURL(uiUrl).catch((e: unknown) => log(`UI load: ${message(e)}`));
  }

  function showWindow(): void {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return;
    }
    if (!engine) return;
    const created = createMainWindow({
      preloadPath: paths.preload,
      appVersion: input.appVersion,
      savedState: savedWindowState(),
      onStateToSave: saveState,
      ...(isMac ? {} : { iconPath: path.join(paths.iconsDir, '256x256.png') }),
    });
    created.on('closed', () => {
      if (win === created) win = null;
    });
    win = created;
    loadUi(created, engine.info.uiUrl);
  }

  async function stopEngine(): Promise<void> {
    const running = engine;
    if (!running) return;
    for (const fn of engineCleanup) fn();
    engineCleanup = [];
    engine = null;
    tunnel = null;
    await running.stop();
  }

  async function openFolder(folder: string): Promise<boolean> {
    const previous = engine?.folder ?? null;
    // Stop first: fixed ports (--wopi-port) could not be bound twice.
    await stopEngine();
    let started: RunningEngine;
    try {
      started = await startEngine(buildEngineOptions(folder, args, paths));
    } catch (e) {
      showError('Could not serve this folder', `${folder}\n\n${message(e)}`);
      if (previous !== null && previous !== folder) return openFolder(previous);
      refreshMenus();
      return false;
    }
    if (shutdown.started) {
      // Quit was requested while this engine was starting: the registry will not stop it.
      await started.stop();
      return false;
    }
    engine = started;
    const unregister = shutdown.register(`engine (${started.folder})`, 'engine', () => started.stop());
    engineCleanup = [
      unregister,
      started.on('tunnel:changed', (state) => {
        tunnel = state;
        notify(policy.onTunnelChanged(state));
        refreshMenus();
      }),
      started.on('request:completed', (record) => notify(policy.onRequestCompleted(record))),
    ];
    app.addRecentDocument(started.folder);
    setRecent(addRecentFolder(recent, started.folder));
    if (win && !win.isDestroyed()) loadUi(win, started.info.uiUrl);
    else showWindow();
    return true;
  }

  async function chooseAndOpenFolder(): Promise<void> {
    const folder = await pickFolderDialog(win && !win.isDestroyed() ? win : null);
    if (folder !== null) await openFolder(folder);
  }

  async function toggleTunnel(action: 'tunnel-on' | 'tunnel-off'): Promise<void> {
    if (!engine) return;
    const client = controlClientFor(engine.info);
    try {
      if (action === 'tunnel-on') {
        await client.startTunnel({
          body: {
            provider: 'localtunnel',
            ...(args.tunnelServer === undefined ? {} : { server: args.tunnelServer }),
            ...(args.subdomain === undefined ? {} : { subdomain: args.subdomain }),
          },
        });
      } else {
        await client.stopTunnel();
      }
    } catch (e) {
      notify({
        kind: 'tunnel',
        title: action === 'tunnel-on' ? 'Tunnel not started' : 'Tunnel not stopped',
        body: message(e),
      });
    }
    // The state itself arrives as a 'tunnel:changed' event.
  }

  function onAction(action: MenuAction): void {
    const run = (p: Promise<unknown>): void => {
      p.catch((e: unknown) => log(`menu action failed: ${message(e)}`));
    };
    if (typeof action === 'object') {
      if (isDirectory(action.openRecent)) run(openFolder(action.openRecent));
      else {
        showError(
          'Folder not found',
          `${action.openRecent} is no longer there; it was removed from the recent list.`,
        );
        setRecent(removeRecentFolder(recent, action.openRecent));
      }
      return;
    }
    switch (action) {
      case 'tunnel-on':
      case 'tunnel-off':
        return run(toggleTunnel(action));
      case 'open-folder':
        return run(chooseAndOpenFolder());
      case 'copy-public-url': {
        const url = shellState().publicUrl;
        if (url) run(clipboard.writeText(url));
        return;
      }
      case 'show-window':
        return showWindow();
      case 'clear-recent':
        app.clearRecentDocuments();
        return setRecent([]);
      case 'quit':
        return app.quit();
    }
  }

  /** First run (or every remembered folder gone): ask until a folder opens or the person quits. */
  async function askForFolder(reason: 'first-run' | 'recent-missing'): Promise<void> {
    for (;;) {
      const choice = await askStartupFolder(reason);
      if (choice === 'quit') return app.quit();
      const folder =
        choice === 'sample'
          ? await ensureSampleFolder(paths.sampleSource, paths.sampleFolder)
          : await pickFolderDialog(null);
      if (folder !== null && (await openFolder(folder))) return;
    }
  }

  async function start(): Promise<void> {
    hardenAllWebContents(app, appOrigin, log);
    hardenSession(session.defaultSession, appOrigin);
    const unregisterIpc = registerIpcHandlers({
      trustedOrigin: appOrigin,
      servedFolder: () => engine?.folder ?? null,
      onRejected: (channel, reason) => log(`IPC ${channel} refused: ${reason}`),
    });
    menus = createShellMenus({
      trayIconPath: path.join(paths.iconsDir, isMac ? '16x16.png' : '32x32.png'),
      isMac,
      onAction,
    });
    shutdown.register('window state', 'window', () => {
      if (win && !win.isDestroyed()) {
        saveState(currentWindowState(win));
        // The UI would only show a dropped connection while the engine stops.
        win.hide();
      }
    });
    shutdown.register('ipc handlers', 'final', unregisterIpc);
    shutdown.register('tray', 'final', () => menus?.destroy());

    const loaded = loadRecentFolders(paths.recentFoldersFile);
    if (loaded.kind === 'ok') recent = loaded.value;
    if (loaded.kind === 'corrupt')
      log(`recent folders unusable (${loaded.reason}); kept at ${loaded.keptAt ?? 'nowhere'}`);
    refreshMenus();

    const choice = chooseStartupFolder(args.folder, recent, process.cwd());
    if (choice.kind === 'folder' && (await openFolder(choice.folder))) return;
    if (choice.kind === 'invalid-argument') showError('Folder not found', choice.message);
    // A folder that failed to open already showed its error; the generic first-run text fits.
    await askForFolder(choice.kind === 'ask' ? choice.reason : 'first-run');
  }

  return {
    start,
    showWindow,
    shutdown: () => shutdown.run(),
    onSecondInstance(second, workingDirectory) {
      if (second.folder !== undefined) {
        const folder = path.resolve(workingDirectory, second.folder);
        if (folder !== engine?.folder) {
          openFolder(folder).catch((e: unknown) => log(`second instance: ${message(e)}`));
          return;
        }
      }
      showWindow();
    },
  };
}

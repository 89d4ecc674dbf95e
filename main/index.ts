// Electron main entry (bundled to dist/main/main.cjs): command line, single-instance lock, and the
// ready/quit lifecycle. Everything else is in desktop-app.ts and the pure modules it uses.
import path from 'node:path';
import { app } from 'electron';
import { parseDesktopArgs, userArgv } from './args';
import { resolveAppPaths } from './app-paths';
import { createDesktopApp } from './desktop-app';
import { redactText } from './engine-entry';

function log(message: string): void {
  // Redacted: an error about loading the UI, say, quotes its URL, control token included.
  console.log(`[wopi-workbench] ${redactText(message)}`);
}

function main(): void {
  const defaultApp = process.defaultApp === true;
  const { args, errors } = parseDesktopArgs(userArgv(process.argv, defaultApp));
  if (errors.length > 0) {
    console.error(`WOPI Workbench: ${errors.join(' ')}`);
    app.exit(2);
    return;
  }
  // Before anything touches userData: the single-instance lock is scoped to it.
  if (args.userDataDir !== undefined) app.setPath('userData', path.resolve(args.userDataDir));
  if (!app.requestSingleInstanceLock()) {
    log('another instance is running; handing over to it');
    app.quit();
    return;
  }

  const paths = resolveAppPaths(
    {
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
      isPackaged: app.isPackaged,
      userData: app.getPath('userData'),
      mainDir: __dirname,
    },
    args.dataDir,
  );
  const desktop = createDesktopApp({ args, paths, appVersion: app.getVersion(), log });
  let readyToQuit = false;

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const second = parseDesktopArgs(userArgv(argv, defaultApp));
    desktop.onSecondInstance(second.args, workingDirectory);
  });
  app.on('activate', () => desktop.showWindow());
  app.on('window-all-closed', () => {
    // macOS apps stay in the dock (and the tray keeps serving) until Quit.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (readyToQuit) return;
    // Hold the quit until the engine has finished its writes and closed the tunnel and SQLite.
    event.preventDefault();
    desktop
      .shutdown()
      .then((report) => {
        for (const step of report.steps.filter((s) => s.outcome !== 'done')) {
          log(`shutdown step "${step.name}" ${step.outcome}${step.error ? `: ${step.error}` : ''}`);
        }
      })
      .catch((e: unknown) => log(`shutdown failed: ${String(e)}`))
      .finally(() => {
        readyToQuit = true;
        app.quit();
      });
  });
  // Ctrl-C in the terminal that ran `npm start`, or a service manager's stop: quit cleanly.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(() => desktop.start())
    .catch((e: unknown) => {
      console.error('WOPI Workbench failed to start:', e);
      app.exit(1);
    });
}

main();

// Electron-facing: registers the `wb:` handlers. Each goes through guardedHandler (sender + argument
// validation); the bodies here are the OS calls only.
import { BrowserWindow, clipboard, ipcMain, shell } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { IpcChannel } from './contract';
import type { IpcChannelName } from './contract';
import { guardedHandler } from './sender-guard';
import type { GuardOptions, IpcImplementation } from './sender-guard';
import { resolveInsideFolder } from './validate-args';
import { pickFolderDialog } from '../dialogs';

export interface IpcDeps extends GuardOptions {
  /** The folder being served: reveal requests must stay inside it. */
  servedFolder: () => string | null;
}

function handle<C extends IpcChannelName>(
  channel: C,
  impl: IpcImplementation<C, IpcMainInvokeEvent>,
  deps: IpcDeps,
): void {
  ipcMain.handle(channel, guardedHandler(channel, impl, deps));
}

export function registerIpcHandlers(deps: IpcDeps): () => void {
  handle(
    IpcChannel.pickFolder,
    (_args, event) => pickFolderDialog(BrowserWindow.fromWebContents(event.sender), 'Choose a folder'),
    deps,
  );
  handle(
    IpcChannel.revealFile,
    ([requested]) => {
      const folder = deps.servedFolder();
      const target = folder === null ? null : resolveInsideFolder(folder, requested);
      if (target === null) throw new Error('wb:reveal-file refused: path is outside the served folder');
      shell.showItemInFolder(target);
    },
    deps,
  );
  handle(IpcChannel.openExternal, ([url]) => shell.openExternal(url), deps);
  // Electron 45's clipboard is asynchronous, like navigator.clipboard.
  handle(IpcChannel.copyText, ([text]) => clipboard.writeText(text), deps);
  return () => {
    for (const channel of Object.values(IpcChannel)) ipcMain.removeHandler(channel);
  };
}

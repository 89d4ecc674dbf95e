// Preload for the sandboxed window (bundled to a single CommonJS file: a sandboxed preload can
// require nothing but 'electron'). Exposes one frozen object of named functions; never ipcRenderer,
// never IPC event objects, and every channel name comes from the contract.
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_GLOBAL, IpcChannel, STARTUP_ARG, readStartupArg } from './ipc/contract';
import type { IpcArgs, IpcChannelName, IpcResults, WorkbenchDesktopApi } from './ipc/contract';

function invoke<C extends IpcChannelName>(channel: C, ...args: IpcArgs[C]): Promise<IpcResults[C]> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcResults[C]>;
}

const appVersion = readStartupArg(process.argv, STARTUP_ARG.appVersion);

const api: WorkbenchDesktopApi = {
  pickFolder: () => invoke(IpcChannel.pickFolder),
  revealFile: (path) => invoke(IpcChannel.revealFile, path),
  openExternal: (url) => invoke(IpcChannel.openExternal, url),
  copyText: (text) => invoke(IpcChannel.copyText, text),
  appVersion: () => appVersion,
};

contextBridge.exposeInMainWorld(DESKTOP_GLOBAL, Object.freeze(api));

// Electron-facing: the native dialogs (folder picker, first-run choice, errors).
import { dialog } from 'electron';
import type { BrowserWindow, OpenDialogOptions } from 'electron';

export async function pickFolderDialog(
  parent: BrowserWindow | null,
  title = 'Choose a folder to serve',
): Promise<string | null> {
  const options: OpenDialogOptions = { title, properties: ['openDirectory', 'createDirectory'] };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

export type FirstRunChoice = 'sample' | 'choose' | 'quit';

/** Shown when there is no folder to reopen: the sample folder is the default answer. */
export async function askStartupFolder(reason: 'first-run' | 'recent-missing'): Promise<FirstRunChoice> {
  const detail =
    reason === 'first-run'
      ? 'WOPI Workbench serves the files of one folder to WOPI clients. Start with the bundled sample documents, or pick a folder of your own. Files are edited in place; earlier versions are kept.'
      : 'The folders you used before are no longer there. Open the sample documents or pick another folder.';
  const { response } = await dialog.showMessageBox({
    type: 'question',
    title: 'WOPI Workbench',
    message: 'Which folder should WOPI Workbench serve?',
    detail,
    buttons: ['Open the Sample Folder', 'Choose a Folder…', 'Quit'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  });
  return response === 0 ? 'sample' : response === 1 ? 'choose' : 'quit';
}

export function showError(title: string, message: string): void {
  dialog.showErrorBox(title, message);
}

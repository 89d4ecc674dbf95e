// Electron-facing: renders the menu models (menu-model.ts) as the tray menu and the app menu.
import { Menu, Tray, nativeImage } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import { trayMenuModel, trayTooltip, workbenchMenuModel } from './menu-model';
import type { MenuAction, MenuItemModel, ShellState } from './menu-model';

export type ActionHandler = (action: MenuAction) => void;

function toElectron(items: MenuItemModel[], onAction: ActionHandler): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'label':
        return { label: item.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { label: item.label, submenu: toElectron(item.items, onAction) };
      case 'action':
        return {
          label: item.label,
          enabled: item.enabled,
          ...(item.checked === undefined ? {} : { type: 'checkbox' as const, checked: item.checked }),
          click: () => onAction(item.action),
        };
    }
  });
}

function appMenuTemplate(
  state: ShellState,
  onAction: ActionHandler,
  isMac: boolean,
): MenuItemConstructorOptions[] {
  const quit: MenuItemConstructorOptions = {
    label: 'Quit WOPI Workbench',
    accelerator: 'CmdOrCtrl+Q',
    click: () => onAction('quit'),
  };
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: isMac ? 'Workbench' : 'File',
      submenu: [
        ...toElectron(workbenchMenuModel(state), onAction),
        ...(isMac ? [] : [{ type: 'separator' as const }, quit]),
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}

export interface ShellMenus {
  update(state: ShellState): void;
  destroy(): void;
}

/** Creates the tray icon and the app menu; `update` re-renders both from the current state. */
export function createShellMenus(opts: {
  trayIconPath: string;
  isMac: boolean;
  onAction: ActionHandler;
}): ShellMenus {
  const image = nativeImage.createFromPath(opts.trayIconPath);
  const tray = new Tray(image.isEmpty() ? nativeImage.createEmpty() : image);
  // Linux tray icons only open their menu; a click on Windows should bring the window back.
  tray.on('click', () => opts.onAction('show-window'));
  return {
    update(state) {
      tray.setToolTip(trayTooltip(state));
      tray.setContextMenu(Menu.buildFromTemplate(toElectron(trayMenuModel(state), opts.onAction)));
      Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(state, opts.onAction, opts.isMac)));
    },
    destroy() {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}

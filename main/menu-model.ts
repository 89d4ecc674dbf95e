// What the tray menu and the app's Workbench menu show, derived from the shell's state. Pure data:
// menus.ts turns it into Electron menus and maps each action to a handler.
import path from 'node:path';
import type { TunnelState, TunnelStatus } from '../server/contracts';

export type MenuAction =
  | 'tunnel-on'
  | 'tunnel-off'
  | 'open-folder'
  | 'copy-public-url'
  | 'show-window'
  | 'clear-recent'
  | 'quit'
  | { openRecent: string };

export type MenuItemModel =
  | { type: 'label'; label: string }
  | { type: 'separator' }
  | { type: 'action'; label: string; action: MenuAction; enabled: boolean; checked?: boolean }
  | { type: 'submenu'; label: string; items: MenuItemModel[] };

export interface ShellState {
  folder: string | null;
  engineRunning: boolean;
  tunnel: TunnelState | null;
  publicUrl: string | null;
  recentFolders: readonly string[];
}

const TUNNEL_UP: ReadonlySet<TunnelStatus> = new Set([
  'online',
  'unverified',
  'connecting',
  'reconnecting',
  'dropped',
]);

/** The toggle turns the tunnel off whenever one exists or is being retried, else on. */
export function tunnelToggleAction(tunnel: TunnelState | null): 'tunnel-on' | 'tunnel-off' {
  return tunnel && TUNNEL_UP.has(tunnel.status) ? 'tunnel-off' : 'tunnel-on';
}

export function tunnelStatusLabel(tunnel: TunnelState | null): string {
  if (!tunnel || tunnel.status === 'off') return 'Tunnel: off';
  const url = tunnel.publicUrl ? ` — ${tunnel.publicUrl}` : '';
  return `Tunnel: ${tunnel.status}${url}`;
}

function tunnelItems(state: ShellState): MenuItemModel[] {
  const toggle = tunnelToggleAction(state.tunnel);
  return [
    { type: 'label', label: tunnelStatusLabel(state.tunnel) },
    {
      type: 'action',
      label: 'Tunnel',
      action: toggle,
      enabled: state.engineRunning,
      checked: toggle === 'tunnel-off',
    },
    {
      type: 'action',
      label: 'Copy Public URL',
      action: 'copy-public-url',
      enabled: state.publicUrl !== null,
    },
  ];
}

export function recentMenu(recent: readonly string[]): MenuItemModel {
  const items: MenuItemModel[] = recent.map((folder) => ({
    type: 'action',
    label: folder,
    action: { openRecent: folder },
    enabled: true,
  }));
  if (items.length > 0) items.push({ type: 'separator' });
  items.push({ type: 'action', label: 'Clear Recent', action: 'clear-recent', enabled: recent.length > 0 });
  return { type: 'submenu', label: 'Open Recent', items };
}

export function trayMenuModel(state: ShellState): MenuItemModel[] {
  const serving = state.folder ? `Serving ${path.basename(state.folder)}` : 'No folder open';
  return [
    { type: 'label', label: serving },
    { type: 'separator' },
    ...tunnelItems(state),
    { type: 'separator' },
    { type: 'action', label: 'Open Folder…', action: 'open-folder', enabled: true },
    recentMenu(state.recentFolders),
    { type: 'action', label: 'Show Window', action: 'show-window', enabled: true },
    { type: 'separator' },
    { type: 'action', label: 'Quit WOPI Workbench', action: 'quit', enabled: true },
  ];
}

/** The app menu's "Workbench" submenu; Edit/View/Window come from Electron roles in menus.ts. */
export function workbenchMenuModel(state: ShellState): MenuItemModel[] {
  return [
    { type: 'action', label: 'Open Folder…', action: 'open-folder', enabled: true },
    recentMenu(state.recentFolders),
    { type: 'separator' },
    ...tunnelItems(state),
  ];
}

export function trayTooltip(state: ShellState): string {
  const folder = state.folder ? path.basename(state.folder) : 'no folder';
  return `WOPI Workbench — ${folder} — ${tunnelStatusLabel(state.tunnel)}`;
}

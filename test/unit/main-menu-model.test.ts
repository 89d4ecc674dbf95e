import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { trayMenuModel, trayTooltip, tunnelToggleAction, workbenchMenuModel } from '../../main/menu-model';
import type { MenuItemModel, ShellState } from '../../main/menu-model';
import type { TunnelState, TunnelStatus } from '../../server/contracts';

const tunnel = (status: TunnelStatus, publicUrl?: string): TunnelState => ({
  provider: 'localtunnel',
  status,
  since: 0,
  warnings: [],
  ...(publicUrl ? { publicUrl } : {}),
});

const base: ShellState = {
  folder: path.resolve('/srv/Contoso Docs'),
  engineRunning: true,
  tunnel: null,
  publicUrl: null,
  recentFolders: [],
};

function find(items: MenuItemModel[], label: string): MenuItemModel | undefined {
  for (const item of items) {
    if ('label' in item && item.label === label) return item;
    if (item.type === 'submenu') {
      const inner = find(item.items, label);
      if (inner) return inner;
    }
  }
  return undefined;
}

void test('tunnel toggle: on when off or failed, off while up, connecting or retrying', () => {
  assert.equal(tunnelToggleAction(null), 'tunnel-on');
  assert.equal(tunnelToggleAction(tunnel('off')), 'tunnel-on');
  assert.equal(tunnelToggleAction(tunnel('failed')), 'tunnel-on');
  for (const s of ['online', 'unverified', 'connecting', 'reconnecting', 'dropped'] as const) {
    assert.equal(tunnelToggleAction(tunnel(s)), 'tunnel-off', s);
  }
});

void test('tray menu reflects the tunnel and the public URL', () => {
  const off = trayMenuModel(base);
  assert.deepEqual(find(off, 'Tunnel'), {
    type: 'action',
    label: 'Tunnel',
    action: 'tunnel-on',
    enabled: true,
    checked: false,
  });
  assert.equal((find(off, 'Copy Public URL') as { enabled: boolean }).enabled, false);
  assert.ok(find(off, 'Tunnel: off'));
  assert.ok(find(off, 'Serving Contoso Docs'));

  const online = trayMenuModel({
    ...base,
    tunnel: tunnel('online', 'https://abcd.loca.lt'),
    publicUrl: 'https://abcd.loca.lt',
  });
  assert.deepEqual(find(online, 'Tunnel'), {
    type: 'action',
    label: 'Tunnel',
    action: 'tunnel-off',
    enabled: true,
    checked: true,
  });
  assert.equal((find(online, 'Copy Public URL') as { enabled: boolean }).enabled, true);
  assert.ok(find(online, 'Tunnel: online — https://abcd.loca.lt'));
});

void test('the tunnel cannot be toggled while no engine runs', () => {
  const items = trayMenuModel({ ...base, engineRunning: false, folder: null });
  assert.equal((find(items, 'Tunnel') as { enabled: boolean }).enabled, false);
  assert.ok(find(items, 'No folder open'));
});

void test('open recent lists folders with their actions; clear is disabled when empty', () => {
  const a = path.resolve('/a');
  const menu = workbenchMenuModel({ ...base, recentFolders: [a] });
  assert.deepEqual(find(menu, a), { type: 'action', label: a, action: { openRecent: a }, enabled: true });
  assert.equal((find(menu, 'Clear Recent') as { enabled: boolean }).enabled, true);
  assert.equal((find(workbenchMenuModel(base), 'Clear Recent') as { enabled: boolean }).enabled, false);
});

void test('the tray ends with quit', () => {
  const items = trayMenuModel(base);
  assert.deepEqual(items.at(-1), {
    type: 'action',
    label: 'Quit WOPI Workbench',
    action: 'quit',
    enabled: true,
  });
  assert.match(trayTooltip(base), /Contoso Docs — Tunnel: off/);
});

// Tunnel room wiring: the manager's public URL becomes the engine's public base, its states go on
// the bus, and the runtime file follows the URL so `token` hands out the public WOPISrc.
import { listProfiles } from '../discovery/profiles';
import type { Engine } from '../engine';
import type { TunnelStartRequest } from '../control/rooms';
import { createTunnelManager } from '../tunnel';

export async function wireTunnel(wb: Engine) {
  const profile = () => listProfiles().find((p) => p.id === wb.options.clientProfile);
  const manager = createTunnelManager({
    localPort: () => Number(new URL(wb.wopiUrl()).port),
    emit: (s) => {
      wb.bus.emit('tunnel:changed', s);
      if (wb.wopiUrl()) wb.refreshRuntime();
    },
    now: wb.options.clock,
    instanceId: wb.instanceId,
    checkProfileHttps: () => profile()?.requiresHttps ?? false,
    profileKind: () => profile()?.kind ?? 'custom',
  });
  wb.hooks.publicUrlOverride = () => manager.publicUrl();
  wb.hooks.onUrlsIssued = () => manager.markUrlsIssued();
  wb.shutdown.add('tunnel', async () => {
    await manager.stop();
  });
  return {
    state: () => manager.state(),
    start: (req: TunnelStartRequest) => manager.start(req),
    stop: () => manager.stop(),
    check: () => manager.checkReachability(wb.instanceId),
    /** Start what the options ask for; a failure is reported in the state, the engine keeps serving. */
    async afterStart(): Promise<void> {
      if (wb.options.tunnel) await manager.start({ provider: 'localtunnel', ...wb.options.tunnel });
      else if (wb.options.publicUrl)
        await manager.start({ provider: 'public-url', publicUrl: wb.options.publicUrl });
    },
  };
}

// Connects the optional rooms (discovery/proof, host page + simulator, tunnel, control API) to the
// engine's hooks. Each room stays ignorant of the others; server/wiring/ is where they meet.
import type { Engine } from './engine';
import { wireControl } from './wiring/control';
import { wireDiscoveryProof } from './wiring/discovery-proof';
import { wireHostPage } from './wiring/host-page';
import { wireTunnel } from './wiring/tunnel';

export interface Rooms {
  discovery: Awaited<ReturnType<typeof wireDiscoveryProof>>;
  hostPage: Awaited<ReturnType<typeof wireHostPage>>;
  tunnel: Awaited<ReturnType<typeof wireTunnel>>;
  afterStart(): Promise<void>;
}

export async function wireRooms(wb: Engine): Promise<Rooms> {
  const discovery = await wireDiscoveryProof(wb);
  const hostPage = await wireHostPage(wb, discovery);
  const tunnel = await wireTunnel(wb);
  await wireControl(wb, { discovery, hostPage, tunnel });
  return {
    discovery,
    hostPage,
    tunnel,
    async afterStart() {
      await discovery.afterStart();
      await hostPage.afterStart();
      await tunnel.afterStart();
    },
  };
}

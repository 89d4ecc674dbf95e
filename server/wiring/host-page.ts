// Host page + simulated client wiring (placeholder until the room lands).
import type { Engine } from '../engine';
import type { wireDiscoveryProof } from './discovery-proof';

export async function wireHostPage(wb: Engine, discovery: Awaited<ReturnType<typeof wireDiscoveryProof>>) {
  void wb;
  void discovery;
  return { afterStart: async (): Promise<void> => {} };
}

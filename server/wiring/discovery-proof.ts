// Discovery + proof-key room wiring (placeholder until the room lands).
import type { Engine } from '../engine';

export async function wireDiscoveryProof(wb: Engine) {
  void wb;
  return { afterStart: async (): Promise<void> => {} };
}

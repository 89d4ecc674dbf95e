// Tunnel wiring (placeholder until the room lands).
import type { Engine } from '../engine';

export async function wireTunnel(wb: Engine) {
  void wb;
  return { afterStart: async (): Promise<void> => {} };
}

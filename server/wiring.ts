// Connects the optional rooms (discovery/proof, host page + simulator, tunnel, control API) to the
// engine's hooks. Each room stays ignorant of the others; this file is the only place they meet.
import type { Engine } from './engine';

export async function wireRooms(wb: Engine): Promise<{ afterStart(): Promise<void> }> {
  void wb;
  return { afterStart: async () => {} };
}

// Control API wiring (placeholder until the room lands).
import type { Engine } from '../engine';
import type { Rooms } from '../wiring';

export async function wireControl(wb: Engine, rooms: Omit<Rooms, 'afterStart'>): Promise<void> {
  void wb;
  void rooms;
}

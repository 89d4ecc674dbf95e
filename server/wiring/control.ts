// Control API wiring: the control listener answers through the control room's handler. The other
// rooms are handed over as they are; the control API finds their capabilities structurally.
import { createControlHandler } from '../control/handler';
import type { Engine } from '../engine';
import type { Rooms } from '../wiring';

export function wireControl(wb: Engine, rooms: Omit<Rooms, 'afterStart'>): Promise<void> {
  wb.hooks.controlHandler = createControlHandler(wb, rooms);
  return Promise.resolve();
}

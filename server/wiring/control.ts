// Control API wiring: the API model over the engine and the rooms, and the Express app that serves
// it on the control listener.
import { createApiModel } from '../api';
import { createControlApp } from '../control';
import type { Engine } from '../engine';
import type { Rooms } from '../wiring';

export function wireControl(wb: Engine, rooms: Omit<Rooms, 'afterStart'>): Promise<void> {
  wb.hooks.controlHandler = createControlApp(createApiModel({ engine: wb, rooms }), wb);
  return Promise.resolve();
}

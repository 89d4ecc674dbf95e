// The engine's public surface for the shells (CLI, Electron) and tests.
export { createWorkbench } from './engine';
export type { Engine as Workbench, ReadyInfo, EngineHooks } from './engine';
export type { WorkbenchOptions } from './config/options';
export { ConfigError } from './config/options';
export { wireRooms } from './wiring';
export type { Rooms } from './wiring';

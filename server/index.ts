// The engine's public surface for the shells (CLI, Electron) and tests.
export { createWorkbench } from './engine';
export type { Engine as Workbench, ReadyInfo, EngineHooks } from './engine';
export type { WorkbenchOptions } from './config/options';
export { ConfigError } from './config/options';
export { wireRooms } from './wiring';
// For shells that pass engine data on (notifications, logs): the one redactor.
export { redactEnvelope, redactText } from './events/redact';
export type { Rooms } from './wiring';

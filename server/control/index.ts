// The control listener: an Express application over the API model (server/api).
export { createControlApp, MAX_JSON_BODY_BYTES } from './app';
export type { ControlApp, ControlAppEngine, ControlAppOptions } from './app';

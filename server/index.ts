// The package's public surface: the factory, the WOPI router for mounting in another Express app,
// and the types a library user needs. The shells (CLI, Electron) and tests use the same entry.
import type { Router } from 'express';
import type { Workbench } from './workbench';

export { createWorkbench } from './workbench';
export type { Workbench, ReadyInfo, MintTokenOptions } from './workbench';
export type { WorkbenchOptions } from './config/options';
export { ConfigError } from './config/options';
export { ApiModelError } from './api';
export type { ApiModel, ApiErrorCode } from './api';
export type { TokenGrant, Permission, Persona } from './contracts/api';
export { createMemoryLockStore } from './state/lock-store';
export type { LockStore, StoredLock } from './state/lock-store';
// For shells that pass engine data on (notifications, logs): the one redactor.
export { redactEnvelope, redactText } from './events/redact';

/**
 * The WOPI routes (`/wopi/files/...`) and the host page (`/host/...`) as an Express router, for
 * mounting in your own app behind your own middleware. Proofs are checked against the URL as
 * received (`req.originalUrl`), so pass `publicUrl` to createWorkbench: the URL clients call, with
 * the mount path if you mount under one. Do not put a body parser in front of it: the WOPI
 * operations read their bodies as streams.
 */
export function createWopiRouter(workbench: Workbench): Router {
  return workbench.wopiRouter();
}

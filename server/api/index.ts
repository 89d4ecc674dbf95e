// The API model: what the control API does, as typed methods with no HTTP in them (see types.ts).
export { createApiModel } from './model';
export { ApiModelError, isApiErrorCode, toApiModelError } from './errors';
export type { ApiErrorCode } from './errors';
export type { ApiDeps, ApiEngine, ApiModel, ApiModelOptions, ApiRooms } from './types';

export type * from './api';
export type * from './events';
export * from './control';
export * from './client';

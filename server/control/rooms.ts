// Kept only for server/wiring/tunnel.ts, which imports the type from here until the wiring rewrite
// imports it from the contracts (where it lives now).
export type { TunnelStartRequest } from '../contracts/api';

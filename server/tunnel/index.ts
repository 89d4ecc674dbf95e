// The tunnel room's public surface: the manager for the engine, providers and checks for tests and tools.
export { createTunnelManager, backoffDelay } from './manager';
export type { TunnelManager, TunnelManagerDeps, TunnelStartOptions, BackoffOptions } from './manager';
export { createLocaltunnelProvider, publicOrigin } from './localtunnel-provider';
export type { LocaltunnelProviderOptions } from './localtunnel-provider';
export { createPublicUrlProvider } from './public-url-provider';
export {
  DEFAULT_TUNNEL_SERVER,
  TunnelError,
  isValidSubdomain,
  normalizePublicUrl,
  normalizeServerUrl,
  normalizeSubdomain,
  randomSubdomain,
} from './provider';
export type {
  OpenTunnel,
  TunnelErrorCode,
  TunnelOpenOptions,
  TunnelProvider,
  TunnelProviderName,
} from './provider';
export { checkReachability, HOP_LOCAL, HOP_PUBLIC, HOP_SERVER } from './reachability';
export type { ReachabilityInput } from './reachability';
export { tunnelWarnings } from './warnings';
export type { WarningInput } from './warnings';

// What the API model is built from and what it offers. It names only members the engine and the
// rooms keep across their rewrites (engine: options, bus, index, locks, files, versions, blobs,
// requestLog, mintToken, status; rooms: their public methods), so it does not care how they are assembled.
import type {
  ClearedRequests,
  ClientProfileView,
  DiscoveryStateView,
  FileView,
  LaunchLink,
  LaunchRequest,
  LockChangeResult,
  LockEntry,
  MintTokenRequest,
  Persona,
  ReachabilityResult,
  RequestListQuery,
  RequestPage,
  RequestRecord,
  SetLockRequest,
  SettingsView,
  StatusView,
  TokenGrant,
  TunnelStartRequest,
  TunnelState,
  VersionView,
} from '../contracts/api';
import type { HostMessageHistory } from '../contracts/control';
import type { Core } from '../core';
import type { DiscoveryRoom } from '../discovery/room';
import type { HostPageRoom } from '../hostpage/room';
import type { TunnelRoom } from '../tunnel/room';

/** The engine members the model reads. */
export type ApiEngine = { status(): StatusView } & Pick<
  Core,
  'options' | 'bus' | 'index' | 'locks' | 'files' | 'versions' | 'blobs' | 'requestLog' | 'mintTokenForId'
>;

/** The rooms' methods the model delegates to (the real rooms satisfy this; so does any stand-in). */
export interface ApiRooms {
  discovery: Pick<DiscoveryRoom, 'state' | 'refresh' | 'profiles'>;
  hostPage: Pick<HostPageRoom, 'launch'>;
  tunnel: Pick<TunnelRoom, 'state' | 'start' | 'stop' | 'check'>;
}

export interface ApiDeps {
  engine: ApiEngine;
  rooms: ApiRooms;
}

export interface ApiModelOptions {
  /** PostMessages kept for hostMessages(); default HOST_MESSAGE_HISTORY. */
  hostMessageHistory?: number;
}

/**
 * Everything the control API can do, as plain async methods: one per JSON route of
 * server/contracts/control.ts (same names), no HTTP in it. Inputs are checked at run time; every
 * failure is an ApiModelError with a stable `code`. Answers are the engine's own data, with the
 * request log's secrets redacted unless `reveal` is asked for; minted tokens and launch links are
 * handed out in clear, since that is what they are for.
 */
export interface ApiModel {
  status(): Promise<StatusView>;
  personas(): Promise<Persona[]>;
  settings(): Promise<SettingsView>;
  /** A WOPI access token for one file; 'not-found' for an unknown file. */
  mintToken(req: MintTokenRequest): Promise<TokenGrant>;

  files(): Promise<FileView[]>;
  file(fileId: string): Promise<FileView>;
  /** Oldest first; a deleted file's history is still listed (and restorable). */
  versions(fileId: string): Promise<VersionView[]>;
  /** 'conflict' while a WOPI client holds the file's lock, unless `force`. */
  restoreVersion(fileId: string, versionId: number, opts?: { force?: boolean }): Promise<FileView>;

  locks(): Promise<LockEntry[]>;
  /** Sets the lock, replacing (stealing) any current one; bypasses WOPI lock rules on purpose. */
  setLock(fileId: string, req: SetLockRequest): Promise<LockChangeResult>;
  forceUnlock(fileId: string): Promise<LockChangeResult>;
  expireLock(fileId: string): Promise<LockChangeResult>;

  /** Newest first, redacted. */
  requests(query?: RequestListQuery): Promise<RequestPage>;
  /** Redacted unless `reveal`. */
  request(requestId: string, opts?: { reveal?: boolean }): Promise<RequestRecord>;
  clearRequests(): Promise<ClearedRequests>;

  discovery(): Promise<DiscoveryStateView>;
  /** Never fails for a failed fetch: the returned state says so. */
  refreshDiscovery(): Promise<DiscoveryStateView>;
  profiles(): Promise<ClientProfileView[]>;
  tunnel(): Promise<TunnelState>;
  startTunnel(req: TunnelStartRequest): Promise<TunnelState>;
  stopTunnel(): Promise<TunnelState>;
  checkTunnel(): Promise<ReachabilityResult>;
  /** A signed host-page link; 'not-found' for an unknown file. */
  launch(req: LaunchRequest): Promise<LaunchLink>;

  /** The newest host-page PostMessages of this run (1..hostMessageHistory, default all kept). */
  hostMessages(query?: { limit?: number }): Promise<HostMessageHistory>;
}

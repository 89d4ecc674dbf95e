// What the API model is built from and what it offers. It names only members the engine and the
// rooms keep across their rewrites (engine: options, bus, index, locks, files, versions, blobs,
// requestLog, mintToken, status; rooms: their public methods), so it does not care how they are assembled.
import type { StatusView } from '../contracts/api';
import type { JsonRouteName, RouteBody, RouteQuery, RouteResponse } from '../contracts/control';
import type { Core } from '../core';
import type { DiscoveryRoom } from '../discovery/room';
import type { HostPageRoom } from '../hostpage/room';
import type { TunnelRoom } from '../tunnel/room';

/** The engine members the model reads. */
export type ApiEngine = { status(): StatusView } & Pick<
  Core,
  | 'options'
  | 'bus'
  | 'index'
  | 'locks'
  | 'files'
  | 'versions'
  | 'blobs'
  | 'requestLog'
  | 'mintTokenForId'
  | 'checkRuns'
  | 'faults'
  | 'publishRecord'
  | 'wopiUrl'
  | 'publicBase'
>;

/** The rooms' methods the model delegates to (the real rooms satisfy this; so does any stand-in). */
export interface ApiRooms {
  discovery: Pick<DiscoveryRoom, 'state' | 'refresh' | 'profiles'>;
  hostPage: Pick<HostPageRoom, 'launch' | 'launchUpstream' | 'proxied' | 'simulatorKeys' | 'simSessions'>;
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

/** What JSON route R answers: each method's types are its route's, read from the contract. */
type Answer<R extends JsonRouteName> = Promise<RouteResponse<R>>;

/**
 * Everything the control API can do, as plain async methods: one per JSON route of
 * server/contracts/control.ts (same names), no HTTP in it. Inputs are checked at run time; every
 * failure is an ApiModelError with a stable `code`. Answers are the engine's own data, with the
 * request log's secrets redacted unless `reveal` is asked for; minted tokens and launch links are
 * handed out in clear, since that is what they are for.
 */
export interface ApiModel {
  status(): Answer<'status'>;
  personas(): Answer<'personas'>;
  settings(): Answer<'settings'>;
  /** A WOPI access token for one file; 'not-found' for an unknown file. */
  mintToken(req: RouteBody<'mintToken'>): Answer<'mintToken'>;

  files(): Answer<'files'>;
  file(fileId: string): Answer<'file'>;
  /** Oldest first; a deleted file's history is still listed (and restorable). */
  versions(fileId: string): Answer<'versions'>;
  /** 'conflict' while a WOPI client holds the file's lock, unless `force`. */
  restoreVersion(
    fileId: string,
    versionId: number,
    opts?: RouteQuery<'restoreVersion'>,
  ): Answer<'restoreVersion'>;

  locks(): Answer<'locks'>;
  /** Sets the lock, replacing (stealing) any current one; bypasses WOPI lock rules on purpose. */
  setLock(fileId: string, req: RouteBody<'setLock'>): Answer<'setLock'>;
  forceUnlock(fileId: string): Answer<'forceUnlock'>;
  expireLock(fileId: string): Answer<'expireLock'>;

  /** Newest first, redacted. */
  requests(query?: RouteQuery<'requests'>): Answer<'requests'>;
  /** Redacted unless `reveal`. */
  request(requestId: string, opts?: RouteQuery<'request'>): Answer<'request'>;
  clearRequests(): Answer<'clearRequests'>;

  discovery(): Answer<'discovery'>;
  /** Never fails for a failed fetch: the returned state says so. */
  refreshDiscovery(): Answer<'refreshDiscovery'>;
  profiles(): Answer<'profiles'>;
  tunnel(): Answer<'tunnel'>;
  startTunnel(req: RouteBody<'startTunnel'>): Answer<'startTunnel'>;
  stopTunnel(): Answer<'stopTunnel'>;
  checkTunnel(): Answer<'checkTunnel'>;
  /** A signed host-page link; 'not-found' for an unknown file. */
  launch(req: RouteBody<'launch'>): Answer<'launch'>;

  /** The newest host-page PostMessages of this run (1..hostMessageHistory, default all kept). */
  hostMessages(query?: RouteQuery<'hostMessages'>): Answer<'hostMessages'>;

  /**
   * Starts a conformance run and answers it at once (state 'running'); it goes on in the background,
   * stored and published as 'check:updated' after every case. 'conflict' while another run is going;
   * 'bad-request' for an unknown group.
   */
  startCheck(req: RouteBody<'startCheck'>): Answer<'startCheck'>;
  /** Newest first (the newest 100 are kept). */
  checks(): Answer<'checks'>;
  check(runId: string): Answer<'check'>;

  // Fault rules (server/api/faults.ts). Rules apply oldest first; the first that fires wins.
  faults(): Answer<'faults'>;
  /** 'bad-request' names the field and the fix; 'not-found' for an unknown preset. */
  addFault(req: RouteBody<'addFault'>): Answer<'addFault'>;
  updateFault(ruleId: string, req: RouteBody<'updateFault'>): Answer<'updateFault'>;
  removeFault(ruleId: string): Answer<'removeFault'>;
  clearFaults(): Answer<'clearFaults'>;
  exportFaults(): Answer<'exportFaults'>;
  importFaults(req: RouteBody<'importFaults'>): Answer<'importFaults'>;
  faultPresets(): Answer<'faultPresets'>;

  // The simulated client (server/api/simulator.ts).
  simulator(): Answer<'simulator'>;
  setMisbehaviour(req: RouteBody<'setMisbehaviour'>): Answer<'setMisbehaviour'>;
  rotateSimulatorKey(): Answer<'rotateSimulatorKey'>;
  runSimulator(req: RouteBody<'runSimulator'>): Answer<'runSimulator'>;
  simSessions(): Answer<'simSessions'>;
  startSimSession(req: RouteBody<'startSimSession'>): Answer<'startSimSession'>;
  simSession(sessionId: string): Answer<'simSession'>;
  saveSimSession(sessionId: string, req?: RouteBody<'saveSimSession'>): Answer<'saveSimSession'>;
  closeSimSession(sessionId: string): Answer<'closeSimSession'>;

  // Scenarios (server/api/scenarios.ts).
  scenarios(): Answer<'scenarios'>;
  /** Answers at once (state 'running'); 'conflict' while a conformance or scenario run is going. */
  runScenario(req: RouteBody<'runScenario'>): Answer<'runScenario'>;
}

// Control API surface (listener on 127.0.0.1 only). Every route needs `Authorization: Bearer <controlToken>`.
// JSON in and out; errors are ApiError with a stable code. Data shapes live in ./api; which shape
// each route takes and answers is ControlRouteTypes below, next to the route table.
import type {
  CheckRunView,
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
  StartCheckRequest,
  StatusView,
  TokenGrant,
  TunnelStartRequest,
  TunnelState,
  VersionView,
} from './api';
import type { EventEnvelope } from './events';
import type {
  AddFaultRequest,
  FaultPresetView,
  FaultRulesFile,
  FaultRuleView,
  ImportFaultsRequest,
  RunScenarioRequest,
  RunSimulatorRequest,
  RunSimulatorResult,
  ScenarioSummary,
  SetMisbehaviourRequest,
  SimSaveRequest,
  SimSessionView,
  SimulatorView,
  StartSimSessionRequest,
  UpdateFaultRequest,
} from './lab';

export const CONTROL_API_PREFIX = '/v1';

export const ControlRoutes = {
  status: 'GET /v1/status',
  files: 'GET /v1/files',
  file: 'GET /v1/files/:fileId',
  versions: 'GET /v1/files/:fileId/versions',
  restoreVersion: 'POST /v1/files/:fileId/versions/:versionId/restore',
  locks: 'GET /v1/locks',
  /** body { lockId } — sets the lock, replacing (stealing) any current one. */
  setLock: 'PUT /v1/locks/:fileId',
  forceUnlock: 'DELETE /v1/locks/:fileId',
  expireLock: 'POST /v1/locks/:fileId/expire',
  /** query: before (cursor), limit, operation, fileId, status ('2xx'|'4xx'|'5xx'|number), q (text over headers/path) */
  requests: 'GET /v1/requests',
  /** query: reveal=1 to get secrets in clear */
  request: 'GET /v1/requests/:requestId',
  clearRequests: 'DELETE /v1/requests',
  discovery: 'GET /v1/discovery',
  refreshDiscovery: 'POST /v1/discovery/refresh',
  profiles: 'GET /v1/profiles',
  tunnel: 'GET /v1/tunnel',
  /** body { provider: 'localtunnel', server?, subdomain? } | { provider: 'public-url', publicUrl } */
  startTunnel: 'POST /v1/tunnel/start',
  stopTunnel: 'POST /v1/tunnel/stop',
  checkTunnel: 'POST /v1/tunnel/check',
  personas: 'GET /v1/personas',
  /** body { fileId, personaId?, permissions?, ttlMinutes? } -> TokenGrant */
  mintToken: 'POST /v1/tokens',
  /** body { fileId, action?, personaId?, profile? } -> LaunchLink */
  launch: 'POST /v1/launch',
  settings: 'GET /v1/settings',
  /** query: limit (1..HOST_MESSAGE_HISTORY) -> HostMessageHistory, the newest hostpage:message events of this run */
  hostMessages: 'GET /v1/hostpage/messages',
  /** SSE; resume with Last-Event-ID header or ?since=<seq>. Event name = EventEnvelope.type, data = envelope JSON. */
  events: 'GET /v1/events',
  /** Conformance runs of this data dir, newest first (the newest 100 are kept). */
  checks: 'GET /v1/checks',
  check: 'GET /v1/checks/:runId',
  /** body StartCheckRequest -> CheckRunView (state 'running'; 'check:updated' events follow) */
  startCheck: 'POST /v1/checks',

  /** The fault rules, oldest first (they apply in that order; the first that fires wins). */
  faults: 'GET /v1/faults',
  /** body AddFaultRequest -> FaultRuleView ('bad-request' names the field and the fix). */
  addFault: 'POST /v1/faults',
  /** body UpdateFaultRequest (enable/disable, rename, new firing or match; resets the counts of a new firing). */
  updateFault: 'PATCH /v1/faults/:ruleId',
  removeFault: 'DELETE /v1/faults/:ruleId',
  clearFaults: 'DELETE /v1/faults',
  /** The rules as a FaultRulesFile (what `serve --faults FILE` reads). */
  exportFaults: 'GET /v1/faults/export',
  /** body ImportFaultsRequest -> every rule after the import. */
  importFaults: 'POST /v1/faults/import',
  /** The preset library: each documented Office behaviour and the rule that reproduces it. */
  faultPresets: 'GET /v1/faults/presets',

  /** The simulated client: keys, misbehaviours (with help and which are sticky), its sessions. */
  simulator: 'GET /v1/simulator',
  /** body SetMisbehaviourRequest: misbehaviours applied to every session opened from now on. */
  setMisbehaviour: 'PUT /v1/simulator/misbehaviour',
  /** Rotates the simulator's proof key (the current one becomes the old one in its discovery). */
  rotateSimulatorKey: 'POST /v1/simulator/rotate-key',
  /** body RunSimulatorRequest: a whole session at once (open, save, close), e.g. with one misbehaviour. */
  runSimulator: 'POST /v1/simulator/run',
  simSessions: 'GET /v1/simulator/sessions',
  /** body StartSimSessionRequest -> the session after open (editing, read-only, viewing or failed). */
  startSimSession: 'POST /v1/simulator/sessions',
  simSession: 'GET /v1/simulator/sessions/:sessionId',
  /** body SimSaveRequest: PutFile (+ RefreshLock); in read-only the PutFile is still sent, to show the refusal. */
  saveSimSession: 'POST /v1/simulator/sessions/:sessionId/save',
  /** Unlock (when it holds the lock and no co-author remains), then closed. */
  closeSimSession: 'POST /v1/simulator/sessions/:sessionId/close',

  /** The shipped scenarios. */
  scenarios: 'GET /v1/scenarios',
  /** body RunScenarioRequest -> CheckRunView (kind 'scenario', state 'running'; 'check:updated' events follow). */
  runScenario: 'POST /v1/scenarios/run',
} as const;

export type ControlRouteName = keyof typeof ControlRoutes;

/**
 * What each route takes and answers. `body` is the JSON request body, `query` the query string (a
 * `true` flag is sent as `1`), `response` the JSON answer; path parameters come from the route string
 * (RouteParams). A route missing here, or a name that is not a route, does not compile.
 */
export type ControlRouteTypes = CompleteRouteMap<{
  status: { response: StatusView };
  files: { response: FileView[] };
  file: { response: FileView };
  /** Newest first; a deleted file keeps its versions. */
  versions: { response: VersionView[] };
  /** force: restore even while a WOPI client holds the file's lock. */
  restoreVersion: { query: { force?: boolean }; response: FileView };
  locks: { response: LockEntry[] };
  setLock: { body: SetLockRequest; response: LockChangeResult };
  forceUnlock: { response: LockChangeResult };
  expireLock: { response: LockChangeResult };
  requests: { query: RequestListQuery; response: RequestPage };
  request: { query: { reveal?: boolean }; response: RequestRecord };
  clearRequests: { response: ClearedRequests };
  discovery: { response: DiscoveryStateView };
  /** Answers the refreshed state, which says "failed" when the fetch failed. */
  refreshDiscovery: { response: DiscoveryStateView };
  profiles: { response: ClientProfileView[] };
  tunnel: { response: TunnelState };
  startTunnel: { body: TunnelStartRequest; response: TunnelState };
  stopTunnel: { response: TunnelState };
  checkTunnel: { response: ReachabilityResult };
  personas: { response: Persona[] };
  mintToken: { body: MintTokenRequest; response: TokenGrant };
  launch: { body: LaunchRequest; response: LaunchLink };
  settings: { response: SettingsView };
  hostMessages: { query: { limit?: number }; response: HostMessageHistory };
  /** Not JSON: a text/event-stream of EventEnvelope frames (and STREAM_RESET_EVENT). */
  events: { query: { since?: number }; stream: true };
  checks: { response: CheckRunView[] };
  check: { response: CheckRunView };
  /** 'conflict' while another run is going; the run goes on in the background. */
  startCheck: { body: StartCheckRequest; response: CheckRunView };
  faults: { response: FaultRuleView[] };
  addFault: { body: AddFaultRequest; response: FaultRuleView };
  updateFault: { body: UpdateFaultRequest; response: FaultRuleView };
  removeFault: { response: FaultRuleView };
  clearFaults: { response: { removed: number } };
  exportFaults: { response: FaultRulesFile };
  importFaults: { body: ImportFaultsRequest; response: FaultRuleView[] };
  faultPresets: { response: FaultPresetView[] };
  simulator: { response: SimulatorView };
  setMisbehaviour: { body: SetMisbehaviourRequest; response: SimulatorView };
  rotateSimulatorKey: { response: SimulatorView };
  runSimulator: { body: RunSimulatorRequest; response: RunSimulatorResult };
  simSessions: { response: SimSessionView[] };
  startSimSession: { body: StartSimSessionRequest; response: SimSessionView };
  simSession: { response: SimSessionView };
  saveSimSession: { body: SimSaveRequest; response: SimSessionView };
  closeSimSession: { response: SimSessionView };
  scenarios: { response: ScenarioSummary[] };
  /** 'conflict' while a conformance or scenario run is going. */
  runScenario: { body: RunScenarioRequest; response: CheckRunView };
}>;

/** The routes answering a stream rather than one JSON value. */
export type StreamRouteName = {
  [R in ControlRouteName]: ControlRouteTypes[R] extends { stream: true } ? R : never;
}[ControlRouteName];
export type JsonRouteName = Exclude<ControlRouteName, StreamRouteName>;

interface RouteShape {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  response?: unknown;
  stream?: true;
}
type CompleteRouteMap<
  M extends { [R in ControlRouteName]: RouteShape } & { [K in Exclude<keyof M, ControlRouteName>]: never },
> = M;

type PathOf<S> = S extends `${string} ${infer P}` ? P : never;
type ParamNames<P> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<Rest>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** Path parameters of a route, read from its route string ('fileId' for "GET /v1/files/:fileId"). */
export type RouteParams<R extends ControlRouteName> = {
  [K in ParamNames<PathOf<(typeof ControlRoutes)[R]>>]: string;
};
/** The JSON body a route takes; undefined when it takes none. */
export type RouteBody<R extends ControlRouteName> = ControlRouteTypes[R] extends { body: infer B }
  ? B
  : undefined;
/** The query a route reads; an empty object when it reads none. */
export type RouteQuery<R extends ControlRouteName> = ControlRouteTypes[R] extends { query: infer Q }
  ? Q
  : Record<never, never>;
/** The JSON a route answers with on success. */
export type RouteResponse<R extends JsonRouteName> = ControlRouteTypes[R] extends { response: infer T }
  ? T
  : never;

/**
 * SSE event sent instead of a replay when the stream cannot resume from the client's seq (backlog
 * overrun, or a seq from an earlier run): the client refetches state and continues from `lastSeq`.
 */
export const STREAM_RESET_EVENT = 'stream:reset';

/** Data of a STREAM_RESET_EVENT frame. */
export interface StreamResetData {
  lastSeq: number;
  /** One sentence saying why, for the person. */
  reason: string;
}

/** How many hostpage:message events the control room keeps for GET /v1/hostpage/messages (the newest). */
export const HOST_MESSAGE_HISTORY = 500;

/** Body of GET /v1/hostpage/messages. */
export interface HostMessageHistory {
  /** Oldest first, each with its event seq, so a client can merge them with the live stream. */
  items: EventEnvelope<'hostpage:message'>[];
  /**
   * The bus seq when this answer was made: every PostMessage with a seq up to here is in `items`, was
   * left out by `limit`, or is counted in `dropped`.
   */
  lastSeq: number;
  /** Messages of this run the host no longer keeps (older than HOST_MESSAGE_HISTORY). */
  dropped: number;
}

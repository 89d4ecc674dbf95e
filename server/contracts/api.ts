// Control-API data shapes shared by the engine, the CLI, the Electron shell and the UI. Types only.

export type Permission = 'view' | 'edit';
export type ProofMode = 'enforce' | 'report' | 'off';

export type WopiOperation =
  | 'CheckFileInfo'
  | 'GetFile'
  | 'PutFile'
  | 'Lock'
  | 'UnlockAndRelock'
  | 'GetLock'
  | 'RefreshLock'
  | 'Unlock'
  | 'PutRelativeFile'
  | 'RenameFile'
  | 'DeleteFile'
  | 'PutUserInfo'
  | 'Unsupported'
  | 'HostPage'
  | 'Other';

export interface Persona {
  id: string;
  name: string;
  permissions: Permission;
  email?: string;
}

export interface LockView {
  lockId: string;
  /** Epoch ms. */
  createdAt: number;
  refreshedAt: number;
  expiresAt: number;
  /**
   * Who took the lock (the token's user on Lock; the named persona for a lock-lab set). Metadata
   * only: WOPI locks are not owned by a user (PROTOCOL §5.1); hosts name the holder in
   * X-WOPI-LockFailureReason on a conflict.
   */
  holderId?: string;
  holderName?: string;
}

export interface FileView {
  id: string;
  /** Relative to the served folder, forward slashes. */
  path: string;
  name: string;
  extension: string;
  size: number;
  version: string;
  sha256?: string;
  /** ISO 8601 UTC. */
  lastModified: string;
  lock: LockView | null;
}

export type VersionReason =
  'put' | 'put-relative-overwrite' | 'delete' | 'restore' | 'external' | 'created' | 'control';

export interface VersionView {
  id: number;
  fileId: string;
  path: string;
  /** The file's Version string this content had. */
  version: string;
  size: number;
  sha256: string;
  /** Epoch ms. */
  createdAt: number;
  reason: VersionReason;
  /** True when the bytes are kept as a blob and can be restored. */
  restorable: boolean;
}

export interface BodySummary {
  size: number;
  contentType?: string;
  sha256?: string;
  /** Inline text (JSON or text) when small; never binary. */
  text?: string;
  truncated?: boolean;
}

export type ProofCombination = 'proof-current' | 'proofold-current' | 'proof-old';

export interface ProofVerdict {
  mode: ProofMode;
  /** valid: one accepted combination verified; invalid: none did; missing: no proof headers; skipped: no keys/mode off. */
  outcome: 'valid' | 'invalid' | 'missing' | 'expired' | 'skipped';
  combination?: ProofCombination;
  /** One sentence a person can act on. */
  reason: string;
  /** The public URL the signature was checked against. */
  urlVerified: string;
  /** Rewritten URLs (scheme, host, port) that would have verified, if any. */
  wouldVerifyWith?: string[];
  /** Age of X-WOPI-TimeStamp at check time, ms (negative = in the future). */
  timestampAgeMs?: number;
  /** Whether the verdict made the request fail (enforce mode). */
  rejected: boolean;
  /** A discovery refresh was triggered (failure, or only the old key verified). */
  refreshTriggered?: boolean;
}

export interface RequestRecord {
  id: string;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  method: string;
  /** Path without query string. */
  path: string;
  /** Raw query string (secrets redacted at every exit unless revealed). */
  query: string;
  operation: WopiOperation;
  override?: string;
  fileId?: string;
  filePath?: string;
  userId?: string;
  userName?: string;
  status: number;
  /** One line explaining a 4xx/5xx. */
  why?: string;
  lockBefore?: string | null;
  lockAfter?: string | null;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  requestBody?: BodySummary;
  responseBody?: BodySummary;
  proof?: ProofVerdict;
  correlationId?: string;
  /** Set when secrets in this record were replaced by a placeholder. */
  redacted?: boolean;
  /**
   * Who produced the exchange: absent or 'host' = this workbench's own WOPI host answered it;
   * 'proxy' = forwarded to the user's host (`serve --upstream`); 'check' = sent by a conformance run
   * to a host that is not this process (the client side of the exchange).
   */
  source?: 'host' | 'proxy' | 'check' | 'event';
  /** Proxy mode: the upstream URL the request was forwarded to (no query: tokens stay out). */
  upstream?: string;
  /** Set on every exchange a conformance run caused (client or host side). */
  check?: CheckTag;
  /** What the protocol linter found in this exchange; absent or empty = nothing. */
  findings?: LintFinding[];
  /** Set when a fault rule touched this request (the answer, or its timing, is injected). */
  fault?: FaultTag;
  /** source 'event': a lock-lab action or an on-disk change (method 'EVENT', status 0). */
  event?: TimelineEvent;
}

// The QA lab's tags on records (the rest of the lab's shapes are in ./lab).

/** On a request a fault rule touched: which rule, and what it did, so nobody mistakes it for a host bug. */
export interface FaultTag {
  ruleId: string;
  ruleName: string;
  preset?: string;
  effect: 'status' | 'latency' | 'throttle' | 'abort-body' | 'drop-connection' | 'file-info';
  /** One line: what the rule did ('answered 503, Retry-After: 30'). */
  summary: string;
}

export type TimelineEventKind =
  | 'lock-set'
  | 'lock-steal'
  | 'lock-expire'
  | 'lock-force-unlock'
  | 'disk-add'
  | 'disk-change'
  | 'disk-remove';

/**
 * Carried by a RequestRecord with `source: 'event'` (method 'EVENT', status 0): not an HTTP
 * exchange, but something that happened to a file, on the same time axis as the requests.
 */
export interface TimelineEvent {
  kind: TimelineEventKind;
  /** One line ('Lock stolen: was abc…, now def…'; 'Changed on disk: 1,204 → 1,310 bytes'). */
  summary: string;
  /** Who did it: 'control API', 'lock lab', 'scenario <name>', 'disk'. */
  actor?: string;
  /** Lock events: the holder persona, when one was named. */
  personaId?: string;
}

/** Ties a request record to the conformance run and case that sent it. */
export interface CheckTag {
  runId: string;
  caseId: string;
}

/** One protocol-linter finding on an exchange: the rule it breaks and why it matters. */
export interface LintFinding {
  /** Stable rule id, kebab-case ('lock-conflict-missing-header'); lint rules document each. */
  rule: string;
  severity: 'error' | 'warning';
  /** One sentence: what is wrong in this exchange and what Office does about it. */
  message: string;
}

export type CheckCaseStatus = 'pass' | 'fail' | 'skip' | 'error';

/** One conformance case's outcome. */
export interface CheckCaseResult {
  /** Stable id, `Group.CaseName` ('Locks.UnlockUnlockedFile'). */
  id: string;
  group: string;
  name: string;
  /** One line: what the case checks. */
  title: string;
  /** 'validator': a case Microsoft's WOPI validator also runs; 'workbench': our own, from the protocol text. */
  origin: 'validator' | 'workbench';
  /** The rule and where it comes from (the case's rationale), for workbench cases. */
  rationale?: string;
  status: CheckCaseStatus;
  /** Failures: what the protocol wants vs what the host did, each one line. */
  expected?: string;
  actual?: string;
  /** skip: why; error: what broke (network, timeout) in one sentence. */
  reason?: string;
  durationMs: number;
  /** Request-record ids of the exchanges this case caused, in order. */
  exchanges: string[];
  /** fail: the exchange the failure is about (one of `exchanges`), when there is one. */
  failedExchange?: string;
}

export interface CheckGroupResult {
  id: string;
  title: string;
  /** skipped: the host's CheckFileInfo says it does not support the group. */
  status: 'ran' | 'skipped';
  /** e.g. 'SupportsLocks is not true'. */
  skippedBecause?: string;
  cases: CheckCaseResult[];
}

export interface CheckRunView {
  id: string;
  /** Epoch ms. */
  startedAt: number;
  finishedAt?: number;
  state: 'running' | 'done' | 'failed';
  /** failed: why the run could not go on (target unreachable, write refused...). */
  error?: string;
  /** The target's files endpoint (never the token). */
  wopiSrc: string;
  /** BaseFileName from the first CheckFileInfo. */
  fileName?: string;
  /** True when the run targets this workbench's own host. */
  ownHost: boolean;
  signed: boolean;
  /** Absent or 'conformance': a conformance run; 'scenario': a scenario run (one group, its steps as cases). */
  kind?: 'conformance' | 'scenario';
  /** kind 'scenario': which scenario. */
  scenario?: { id?: string; title: string };
  groups: CheckGroupResult[];
  totals: Record<CheckCaseStatus, number>;
}

/** Body of POST /v1/checks: a file of ours (fileId), or any host (wopiSrc + accessToken). */
export interface StartCheckRequest {
  fileId?: string;
  wopiSrc?: string;
  accessToken?: string;
  accessTokenTtl?: number;
  /** Group ids; absent = every group the host supports. */
  groups?: string[];
  /** Sign requests with the simulator's proof keys. */
  sign?: boolean;
  /** Run against a file whose name does not end in .wopitest. */
  allowWrites?: boolean;
}

export interface RequestPage {
  items: RequestRecord[];
  /** Pass as `before` to get the next (older) page; absent when there is none. */
  nextCursor?: string;
  total: number;
}

/**
 * `online`: traffic is known to reach this workbench (a localtunnel socket is connected, or a
 * reachability check of a public URL passed). `unverified`: a public URL is in use (links carry it)
 * but nothing has shown that it leads here yet; `error` says why when a check failed.
 */
export type TunnelStatus =
  'off' | 'connecting' | 'online' | 'unverified' | 'dropped' | 'reconnecting' | 'failed';

export interface ReachabilityHop {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ReachabilityResult {
  ok: boolean;
  checkedAt: number;
  hops: ReachabilityHop[];
}

export interface TunnelState {
  provider: 'none' | 'localtunnel' | 'public-url';
  status: TunnelStatus;
  publicUrl?: string;
  server?: string;
  subdomain?: string;
  error?: string;
  /** Epoch ms of the last status change. */
  since: number;
  attempt?: number;
  warnings: string[];
  reachability?: ReachabilityResult;
  /** True when URLs handed out earlier carry an old public URL. */
  staleUrlsIssued?: boolean;
}

export interface DiscoveryActionView {
  app: string;
  name: string;
  ext: string;
  requires: string[];
  isDefault: boolean;
  urlsrc: string;
}

export interface DiscoveryChange {
  kind: 'action-added' | 'action-removed' | 'proof-key-rotated' | 'proof-key-changed' | 'zone-changed';
  detail: string;
}

export interface DiscoveryStateView {
  profile: string;
  source: string;
  proofMode: ProofMode;
  status: 'never' | 'ok' | 'failed';
  lastAttemptAt?: number;
  lastSuccessAt?: number;
  error?: string;
  zone?: string;
  actions: DiscoveryActionView[];
  proofKey?: { currentFingerprint?: string; oldFingerprint?: string };
  changes: DiscoveryChange[];
  snapshotId?: number;
}

export interface ClientProfileView {
  id: string;
  name: string;
  kind: 'office' | 'office-test' | 'collabora' | 'onlyoffice' | 'file' | 'simulator' | 'custom';
  discoveryUrl: string;
  proofMode: ProofMode;
  requiresHttps: boolean;
}

export interface StatusView {
  appVersion: string;
  folder: string;
  dataDir: string;
  wopiUrl: string;
  publicUrl: string;
  controlUrl: string;
  startedAt: number;
  clientProfile: string;
  proofMode: ProofMode;
  fileCount: number;
  lockCount: number;
  requestCount: number;
  lastSeq: number;
  /** Proxy mode: the upstream WOPI host every /wopi/… request is forwarded to. */
  upstream?: string;
}

export interface TokenGrant {
  wopiSrc: string;
  accessToken: string;
  /** Absolute expiry, epoch ms (what WOPI calls access_token_ttl). */
  accessTokenTtl: number;
}

export interface LaunchLink {
  url: string;
  /** Epoch ms. */
  expiresAt: number;
  action: string;
  profile: string;
}

/** One current lock (GET /v1/locks), with the file it is on; the file may have been deleted since. */
export interface LockEntry extends LockView {
  fileId: string;
  path: string;
}

/** What a control lock action did (PUT/DELETE /v1/locks/:fileId, POST .../expire); mirrors lock:changed. */
export interface LockChangeResult {
  fileId: string;
  path: string;
  before: LockView | null;
  after: LockView | null;
}

/** DELETE /v1/requests: how many logged requests were deleted. */
export interface ClearedRequests {
  cleared: number;
}

/** GET /v1/settings: the settings a person may see. An allowlist, so an option added later stays private until listed. */
export interface SettingsView {
  folder: string;
  dataDir: string;
  host: string;
  wopiPort: number;
  controlPort: number;
  publicUrl: string | null;
  clientProfile: string;
  discoveryUrl: string | null;
  proofMode: ProofMode | null;
  tunnel: { server: string | null; subdomain: string | null } | null;
  uiDir: string | null;
  tokenTtlMinutes: number;
  launchLinkTtlMinutes: number;
  maxUploadBytes: number;
  versionRetention: number;
  requestLogRetention: number;
  logBodyInlineBytes: number;
  lockDurationMs: number;
  watch: boolean;
  /** Proxy mode: the upstream WOPI host (`serve --upstream`); null when this workbench is the host. */
  upstream: string | null;
}

/** Body of PUT /v1/locks/:fileId. */
export interface SetLockRequest {
  lockId: string;
  /** The persona the lock is held for (shown as the holder on conflicts); default none. */
  personaId?: string;
}

/** Query of GET /v1/requests; every field narrows the page. A type, not an interface, so it is a query record. */
export type RequestListQuery = {
  /** `nextCursor` of the previous page. */
  before?: string;
  /** 1..1000. */
  limit?: number;
  operation?: WopiOperation;
  fileId?: string;
  /** A class ('4xx') or a code ('409'). */
  status?: string;
  /** Text searched in the path and headers. */
  q?: string;
};

/** Body of POST /v1/tunnel/start. */
export type TunnelStartRequest =
  | { provider: 'localtunnel'; server?: string; subdomain?: string }
  | { provider: 'public-url'; publicUrl: string };

/** Body of POST /v1/tokens: a persona id or name (any other name mints for an ad-hoc user). */
export interface MintTokenRequest {
  fileId: string;
  personaId?: string;
  permissions?: Permission;
  ttlMinutes?: number;
}

/** Body of POST /v1/launch. */
export interface LaunchRequest {
  fileId: string;
  /** Discovery action name ('view', 'edit', ...); absent means the client's default for the file. */
  action?: string;
  personaId?: string;
  /** Client profile id; absent means the active one. */
  profile?: string;
  /**
   * Proxy mode (`serve --upstream`): `fileId` is a file id of the upstream host, and this is the
   * access token that host minted for it (absent: the one `serve --token` gave). The host page hands
   * it to the WOPI client; the WOPISrc is this workbench's public URL + /wopi/files/<fileId>.
   */
  accessToken?: string;
  /** The token's access_token_ttl (epoch ms) when known; absent or 0: unknown. */
  accessTokenTtl?: number;
}

/** Stable control-API failure codes: callers switch on these, never on the message text. */
export type ControlErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'too-large'
  | 'internal'
  | 'not-available';

export interface ApiError {
  error: { code: ControlErrorCode; message: string };
}

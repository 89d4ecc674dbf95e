// The QA lab's data shapes: fault rules and their presets, the simulated client's sessions and
// misbehaviours, scenario files, and the workbench events shown among the requests. Types only.
import type { CheckTag, Permission, WopiOperation } from './api';

export type { FaultTag, TimelineEvent, TimelineEventKind } from './api';

// ---------------------------------------------------------------------------------------------
// Fault rules

/** Which requests a rule applies to; an absent field matches anything. */
export interface FaultMatch {
  /** WOPI operations (as in RequestRecord.operation); absent or empty = every operation. */
  operations?: WopiOperation[];
  /** One file id; absent = any file. */
  fileId?: string;
  /** A persona id (the token's user id); absent = any persona. */
  personaId?: string;
}

/** When a matching request is touched. */
export type FaultFiring =
  /** The next `count` matching requests, then the rule is spent (it stays listed, with hits). */
  | { mode: 'next'; count: number }
  | { mode: 'every' }
  /**
   * Each matching request with this probability (0..1), drawn from a generator seeded with `seed`: the
   * n-th matching request fires or not the same way in every run with the same seed.
   */
  | { mode: 'probability'; probability: number; seed: number };

/** Statuses a status fault may answer, each with the headers the protocol pairs with it. */
export type FaultStatus = 400 | 401 | 404 | 409 | 412 | 413 | 500 | 501 | 503;

/** What a rule does to a request it fires on. */
export type FaultEffect =
  /**
   * Answer this status instead of running the operation (nothing is read or written). 409 carries
   * `X-WOPI-Lock: lock` ('' when absent) and `X-WOPI-LockFailureReason`; 503 carries `Retry-After`;
   * 500 may carry `X-WOPI-ServerError`.
   */
  | {
      kind: 'status';
      status: FaultStatus;
      lock?: string;
      lockFailureReason?: string;
      retryAfterSeconds?: number;
      serverError?: string;
    }
  /** Wait this long, then handle the request normally. */
  | { kind: 'latency'; ms: number }
  /** GetFile: send the body at this rate; PutFile: read the upload at this rate. */
  | { kind: 'throttle'; bytesPerSecond: number }
  /**
   * GetFile: send the headers and `afterBytes` of the body, then cut the connection. PutFile: read
   * `afterBytes` of the upload, then cut the connection; nothing is written, the file keeps its bytes.
   */
  | { kind: 'abort-body'; afterBytes: number }
  /** Close the connection without any answer. */
  | { kind: 'drop-connection' }
  /** CheckFileInfo: run it, then set these properties in its JSON (e.g. UserCanWrite: false). */
  | { kind: 'file-info'; set: Record<string, string | number | boolean | null> };

/** What a client sends to add a rule (also one entry of an exported rules file). */
export interface FaultRuleInput {
  /** Shown in request rows; default: made from the effect and the match. */
  name?: string;
  match?: FaultMatch;
  /** Default { mode: 'every' }. */
  fire?: FaultFiring;
  effect: FaultEffect;
  /** Default true. */
  enabled?: boolean;
  /** Set when the rule came from a preset. */
  preset?: string;
}

export interface FaultRuleView {
  id: string;
  name: string;
  match: FaultMatch;
  fire: FaultFiring;
  effect: FaultEffect;
  enabled: boolean;
  preset?: string;
  /** Epoch ms. */
  createdAt: number;
  /** Matching requests seen, and how many of them the rule fired on. */
  matched: number;
  hits: number;
  /** mode 'next': how many firings are left (0 = spent). */
  remaining?: number;
  /** One sentence each where the rule contradicts itself (e.g. ReadOnly with UserCanWrite true). */
  warnings: string[];
}

/** Body of POST /v1/faults: a rule, or a preset by id with optional changes to its rule. */
export type AddFaultRequest =
  FaultRuleInput | { preset: string; match?: FaultMatch; fire?: FaultFiring; name?: string };

/** PATCH /v1/faults/:ruleId. */
export interface UpdateFaultRequest {
  enabled?: boolean;
  name?: string;
  fire?: FaultFiring;
  match?: FaultMatch;
}

/** The JSON file `serve --faults FILE` reads and GET /v1/faults/export writes. */
export interface FaultRulesFile {
  format: 'wopi-workbench-faults';
  version: 1;
  rules: FaultRuleInput[];
}

/** POST /v1/faults/import: the rules file, added to (or, with replace, instead of) the current rules. */
export interface ImportFaultsRequest extends FaultRulesFile {
  replace?: boolean;
}

/** A named fault that reproduces one documented Office behaviour. */
export interface FaultPresetView {
  /** kebab-case ('lock-held-elsewhere'). */
  id: string;
  title: string;
  /** What Office does when the host answers this way, in one or two sentences. */
  officeBehaviour: string;
  /** What the matching requests get, in one line ('Lock, PutFile… → 409, X-WOPI-Lock: …'). */
  response: string;
  /** Where the behaviour is documented. */
  source: { title: string; url: string };
  rule: FaultRuleInput;
}

// ---------------------------------------------------------------------------------------------
// The simulated client (a headless Office-like client the control API drives)

export type SimSessionState = 'opening' | 'editing' | 'read-only' | 'viewing' | 'failed' | 'closed';

/** One request the simulated client sent. */
export interface SimStepView {
  operation: string;
  status: number;
  ok: boolean;
  /** The failure was what a chosen misbehaviour asks for. */
  expected?: boolean;
  /** X-WOPI-Lock / X-WOPI-LockFailureReason in the answer. */
  lock?: string;
  lockFailureReason?: string;
  proof: string;
  error?: string;
  correlationId: string;
  at: number;
}

export interface SimSessionView {
  id: string;
  fileId: string;
  fileName: string;
  persona: { id: string; name: string; permissions: Permission };
  action: 'view' | 'edit' | 'editnew';
  state: SimSessionState;
  /** What the client shows the user, one sentence (as Office would: "Alice is editing; read-only"). */
  message: string;
  /** The lock this session edits under (shared with the session it co-authors with). */
  lockId: string | null;
  /** read-only after a Lock 409: the lock found and who holds it, as far as the host says. */
  lockedBy?: { lockId: string; holder?: string; reason?: string };
  /** The session this one joined to co-author (same lock, as Office does). */
  coauthorOf?: string;
  misbehave: string[];
  steps: SimStepView[];
  /** Epoch ms. */
  openedAt: number;
  /**
   * The last save and the host's answer (added with the simulator work): a refusal carries the lock
   * the host holds (X-WOPI-Lock) and its X-WOPI-LockFailureReason.
   */
  lastSave?: { ok: boolean; status: number; lock?: string; reason?: string };
}

/** POST /v1/simulator/sessions. */
export interface StartSimSessionRequest {
  fileId: string;
  /** Persona id or name; default: the first persona with edit rights. */
  personaId?: string;
  /** Default 'edit'. */
  action?: 'view' | 'edit' | 'editnew';
  misbehave?: string[];
  /** Join this session's edit (co-authoring: same lock) instead of taking a lock of its own. */
  coauthorWith?: string;
  /** Every request the session sends carries X-Workbench-Check with this tag (a scenario run's step). */
  tag?: CheckTag;
}

/** POST /v1/simulator/sessions/:sessionId/save: the new text (text files), or the simulator's stamped edit. */
export interface SimSaveRequest {
  text?: string;
}

export interface MisbehaviourView {
  id: string;
  /** One sentence: what the client does wrong and what a correct host answers. */
  help: string;
  /** Applied to every new session (sticky), until cleared. */
  active: boolean;
}

export interface SimulatorView {
  /** '' when the simulator is not running. */
  origin: string;
  discoveryUrl: string;
  fingerprints: { current: string | null; old: string | null };
  misbehaviours: MisbehaviourView[];
  sessions: SimSessionView[];
}

/** PUT /v1/simulator/misbehaviour: the sticky misbehaviours ([] clears them). */
export interface SetMisbehaviourRequest {
  misbehave: string[];
}

/** POST /v1/simulator/run: one whole session (open, save when editing, close) with misbehaviours. */
export interface RunSimulatorRequest {
  fileId: string;
  personaId?: string;
  /** Default true. */
  edit?: boolean;
  misbehave?: string[];
  /** As StartSimSessionRequest.tag. */
  tag?: CheckTag;
}

export interface RunSimulatorResult {
  ok: boolean;
  opened: boolean;
  saved: boolean;
  steps: SimStepView[];
  /** One line per failed step, e.g. 'Lock → 500 (expected: unsigned)'. */
  summary: string;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/** A shipped scenario (GET /v1/scenarios). */
export interface ScenarioSummary {
  id: string;
  title: string;
  description: string;
  /** The fault preset it reproduces, if any. */
  preset?: string;
  steps: number;
}

/** POST /v1/scenarios/run: a shipped scenario by id, or a scenario document (parsed JSON or YAML text). */
export interface RunScenarioRequest {
  id?: string;
  scenario?: unknown;
  /** YAML or JSON text of a scenario. */
  text?: string;
}

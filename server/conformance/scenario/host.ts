// What a scenario needs from the workbench it runs against, and nothing more: tokens, fault rules,
// the simulated client, the lock lab, locks, and its one file. Two adapters implement it: one over the
// typed control client (./control-host.ts, for a workbench in another process) and one over the API
// model (server/api/scenarios.ts, for the workbench the run is part of).
import type { LockChangeResult, LockEntry, Persona, SetLockRequest } from '../../contracts/api';
import type {
  AddFaultRequest,
  FaultPresetView,
  FaultRuleView,
  SimSaveRequest,
  SimSessionView,
  StartSimSessionRequest,
} from '../../contracts/lab';
import type { RequestRecord } from '../../contracts/api';

export interface ScenarioHost {
  /** WOPI requests go to this workbench's own host, whose router records (and tags) them. */
  readonly ownHost: boolean;
  /** Receives the client-side record of an exchange the host did not record (no answer, say). */
  readonly record?: (rec: RequestRecord) => void;
  personas(): Promise<Persona[]>;
  /** How the host checks proof keys now (enforce, report, off). */
  proofMode(): Promise<string>;
  /**
   * The file at `rel` in the served folder, made with `content` when it is missing (never
   * overwritten); answers its file id and its WOPISrc on the local WOPI listener.
   */
  ensureFile(rel: string, content: string): Promise<{ fileId: string; wopiSrc: string }>;
  /** An edit or view token (the persona's rights) for the file. */
  mintToken(fileId: string, personaId?: string): Promise<string>;
  /** The file's bytes on disk. */
  readFile(rel: string): Promise<Buffer>;
  /** Changes the file on disk as an external editor would (append, or replace all bytes). */
  touchFile(rel: string, action: 'append' | 'replace', data: Buffer): Promise<void>;

  faultPresets(): Promise<FaultPresetView[]>;
  addFault(req: AddFaultRequest): Promise<FaultRuleView>;
  removeFault(ruleId: string): Promise<unknown>;

  startSimSession(req: StartSimSessionRequest): Promise<SimSessionView>;
  saveSimSession(sessionId: string, req: SimSaveRequest): Promise<SimSessionView>;
  closeSimSession(sessionId: string): Promise<SimSessionView>;
  simSession(sessionId: string): Promise<SimSessionView>;

  setLock(fileId: string, req: SetLockRequest): Promise<LockChangeResult>;
  forceUnlock(fileId: string): Promise<LockChangeResult>;
  expireLock(fileId: string): Promise<LockChangeResult>;
  locks(): Promise<LockEntry[]>;
  /** Ids of the logged requests tagged with this run and step, oldest first (the simulator's, say). */
  stepRequests(runId: string, caseId: string): Promise<string[]>;
}

// What a scenario says, once read: its file, personas and typed steps (format.ts reads a document into
// these; the runner and the hosts only need the types).
import type { FaultRuleInput } from '../../contracts/lab';
import type { ResponseExpectation, StepOperation } from '../wopi-step';

/** The scratch file a scenario uses when it names none (made at the served folder's root). */
export const DEFAULT_SCENARIO_FILE = 'workbench-scenario.wopitest';
export const DEFAULT_SCENARIO_TEXT = 'WOPI Workbench scenario file. Scenario runs lock and write it.\n';

/** A lock state: 'none' (unlocked), a lock name, or `session:NAME` (that simulated session's lock). */
export interface LockExpectation {
  lock: string;
  /** The persona named as the holder (id or name). */
  holder?: string;
}

export interface SessionExpectation {
  state?: string;
  /** Text the client's message must contain. */
  message?: string;
  /** Text the holder named on a read-only fall-back must contain. */
  lockedBy?: string;
}

export interface StateExpectation {
  lock?: LockExpectation;
  /** The file's bytes on disk, as UTF-8 text. */
  content?: string;
  /** The file's bytes on disk, SHA-256 in hex. */
  sha256?: string;
  /** A simulated session's state. */
  session?: SessionExpectation & { name: string };
}

export interface StepBase {
  /** Position in `steps` (0-based), for messages. */
  index: number;
  /** Shown in reports; default made from the step. */
  title: string;
  /** Persona id or name the step acts as. */
  as?: string;
}

export type ScenarioStep = StepBase &
  (
    | { kind: 'fault'; preset?: string; rule?: FaultRuleInput; operations?: string[]; persona?: string }
    | { kind: 'faults-clear' }
    | {
        kind: 'wopi';
        operation: StepOperation;
        lock?: string;
        oldLock?: string;
        body?: string;
        name?: string;
        /** Send this token instead of the persona's (e.g. 'INVALID'). */
        token?: string;
        /** Variable name → CheckFileInfo property to keep, for later `{{name}}`. */
        keep?: Record<string, string>;
        expect?: ResponseExpectation;
      }
    | {
        kind: 'sim';
        action: 'open' | 'save' | 'close';
        session: string;
        mode?: 'edit' | 'view' | 'coauthor';
        with?: string;
        text?: string;
        misbehave?: string[];
        expect?: SessionExpectation;
      }
    | { kind: 'lock-lab'; action: 'set' | 'steal' | 'expire' | 'unlock'; lock?: string }
    | { kind: 'disk'; action: 'append' | 'replace'; text: string }
    | { kind: 'wait'; ms?: number; until?: LockExpectation; timeoutMs: number }
    | ({ kind: 'expect' } & StateExpectation)
  );

export interface Scenario {
  id?: string;
  title: string;
  description: string;
  preset?: string;
  file: { path: string; content: string };
  personas: string[];
  /** What the host must be set up as: proof 'enforce' (a --proof enforce host rejects a bad proof). */
  requires?: { proof?: 'enforce' | 'report' | 'off' };
  steps: ScenarioStep[];
}

// The conformance room's vocabulary: a case is a function of a context (a recording WOPI client
// aimed at one file, the host's CheckFileInfo, cleanup), grouped the way Microsoft's validator
// groups them, so a host's CheckFileInfo decides which groups run.
import type { CheckCaseResult } from '../contracts/api';
import type { ProofSigner, WopiClient, WopiResponse, WopiTarget } from './client';

/** One failed expectation: what the protocol wants and what the host did, one line each. */
export class CaseFailure extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
    /** The exchange the failure is about (its request-record id), when there is one. */
    readonly exchange?: string,
  ) {
    super(`expected ${expected}; got ${actual}`);
    this.name = 'CaseFailure';
  }
}

/** A case that cannot run here (a capability, a key, an earlier step) — a skip, not a failure. */
export class CaseSkip extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CaseSkip';
  }
}

export interface CaseContext {
  /** The file under test (the run's --wopisrc and --token). */
  target: WopiTarget;
  /** Every call is recorded and tagged with the run and this case. */
  client: WopiClient;
  /** The target's CheckFileInfo body as read at the start of the run. */
  info: Readonly<Record<string, unknown>>;
  /** Registers an undo step run after the case, pass or fail (unlock, delete a created file...). */
  cleanup(step: () => Promise<unknown>): void;
  /** Present with --sign: the proof-key signer (current key, and the old one when discovery has one). */
  signer?: ProofSigner;
}

export interface CheckCase {
  /** PascalCase, unique in its group; the validator's name when the validator has the case. */
  name: string;
  /** One line: what it checks. */
  title: string;
  origin: CheckCaseResult['origin'];
  /** The rule and where it comes from (PROTOCOL.md section, docs page), for workbench cases. */
  rationale?: string;
  run(ctx: CaseContext): Promise<void>;
}

export interface CheckGroup {
  /** PascalCase, the validator's group name when it has one. */
  id: string;
  title: string;
  /**
   * CheckFileInfo properties the group needs: `true` = must be true; the group is skipped (with the
   * property named) when the host says otherwise. The validator's prerequisites, read the same way.
   */
  requires: Readonly<Record<string, boolean>>;
  /** Only with --sign (proof-key groups). */
  needsSigner?: boolean;
  cases: readonly CheckCase[];
}

export type { ProofSigner, WopiResponse, WopiTarget };

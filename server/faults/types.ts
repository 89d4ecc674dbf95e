// The faults room's own shapes: a rule as stored (the contract's view without its counts and
// warnings), and what the engine hands the WOPI router when a rule fires.
import type { FaultEffect, FaultRuleView } from '../contracts/lab';

/** A normalized rule as it is kept in the data dir (counts live beside it). */
export type StoredFaultRule = Omit<FaultRuleView, 'matched' | 'hits' | 'remaining' | 'warnings'>;

/** A rule with its counts, as the store returns it. */
export interface StoredFaultRow {
  rule: StoredFaultRule;
  matched: number;
  hits: number;
}

/** What the engine persists through (server/state/fault-rules.ts satisfies it). */
export interface FaultRuleStore {
  /** Oldest first. */
  list(): StoredFaultRow[];
  insert(rule: StoredFaultRule): void;
  /** Replaces the rule (same id); `counts` resets them too. */
  update(rule: StoredFaultRule, counts?: { matched: number; hits: number }): void;
  setCounts(id: string, matched: number, hits: number): void;
  remove(id: string): boolean;
  /** Removes every rule; returns how many there were. */
  clear(): number;
  /** Several changes in one transaction (an import). */
  batch(fn: () => void): void;
}

/** The rule that fired on a request: what the router applies and tags the record with. */
export interface FiredFault {
  ruleId: string;
  ruleName: string;
  preset?: string;
  effect: FaultEffect;
}

/** A failure a caller can fix: `code` is the API model's, the message names the field. */
export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
  constructor(
    readonly code: 'bad-request' | 'not-found',
    message: string,
  ) {
    super(message);
  }
}

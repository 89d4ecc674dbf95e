// The linter's vocabulary: a rule, and what a rule sees of one exchange and of the traffic before it.
import type { LintFinding } from '../contracts/api';
import type { Exchange } from './exchange';

/** What the traffic before this exchange showed of its file (same host, same file id). */
export interface Before {
  /** The file's lock: a lock id, null = unlocked, undefined = the traffic does not tell. */
  lock: string | null | undefined;
  /** The Version the file had before this exchange started, as the traffic showed it. */
  version: string | undefined;
  /** A successful PutFile that sent no X-WOPI-ItemVersion, and the Version before it. */
  unconfirmedPut: { before: string; endAt: number } | undefined;
  /** Some exchange on this file id was answered 2xx. */
  answered: boolean;
}

export interface LintContext {
  x: Exchange;
  before: Before;
  /** The access token of this exchange was already reported by the token rule. */
  tokenReported: (raw: string) => boolean;
}

export interface LintRule {
  /** Stable, kebab-case: findings, the UI and the docs name it. */
  id: string;
  severity: LintFinding['severity'];
  /** One line for docs/LINT-RULES.md: what the rule checks. */
  doc: string;
  /** Where the protocol says so (sections of PROTOCOL.md / PITFALLS.md). */
  cite: string;
  /** The finding's message (one sentence: what is wrong here and what Office does about it), or nothing. */
  check(ctx: LintContext): string | undefined;
}

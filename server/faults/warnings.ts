// Where a rule contradicts itself or the protocol: one sentence each, shown with the rule. A warning
// never refuses the rule (a QA engineer may want the contradiction on purpose); it says what a client
// will make of it. Kept as a small table of checks.
import type { WopiOperation } from '../contracts/api';
import type { FaultEffect } from '../contracts/lab';
import type { StoredFaultRule } from './types';

export interface WarningContext {
  /** The lock a file holds now (null: unlocked), for rules naming one file. */
  lockOf?: (fileId: string) => string | null;
  /** Every rule (the one checked included), for checks across rules. */
  rules: readonly StoredFaultRule[];
}

type Check = (
  rule: StoredFaultRule,
  ops: readonly WopiOperation[] | undefined,
  ctx: WarningContext,
) => string | null;

const set = (e: FaultEffect): Record<string, unknown> => (e.kind === 'file-info' ? e.set : {});
const status = (e: FaultEffect): number | undefined => (e.kind === 'status' ? e.status : undefined);
/** The rule's operations that are in `list` (all of `list` when the rule matches any operation). */
const among = (ops: readonly WopiOperation[] | undefined, list: readonly WopiOperation[]): WopiOperation[] =>
  ops ? ops.filter((o) => list.includes(o)) : [...list];

const CHECKS: readonly Check[] = [
  (r) =>
    set(r.effect)['ReadOnly'] === true && set(r.effect)['UserCanWrite'] === true
      ? 'ReadOnly true with UserCanWrite true contradicts itself: clients may offer editing and then fail to save.'
      : null,
  (r) =>
    set(r.effect)['SupportsUpdate'] === false && set(r.effect)['UserCanWrite'] === true
      ? 'SupportsUpdate false with UserCanWrite true: the user may edit but the host says it cannot save (PutFile), so edits are lost.'
      : null,
  (r, _ops, ctx) => {
    if (set(r.effect)['SupportsLocks'] !== false) return null;
    // Consistent only when another enabled rule also refuses Lock (501), as a lockless host would.
    const refused = ctx.rules.some(
      (o) =>
        o.id !== r.id &&
        o.enabled &&
        o.effect.kind === 'status' &&
        o.effect.status === 501 &&
        (!o.match.operations || o.match.operations.includes('Lock')),
    );
    return refused
      ? null
      : 'SupportsLocks false, but this host still answers Lock with 200: add a rule answering Lock with 501 to act as a host without locks.';
  },
  (r, ops) => {
    const never = among(ops, ['GetFile', 'CheckFileInfo', 'PutUserInfo']);
    return status(r.effect) === 409 && never.length > 0
      ? `409 on ${never.join(', ')}: the protocol never answers ${never.length > 1 ? 'these' : 'it'} with 409, so a client treats it as an unknown failure.`
      : null;
  },
  (r, ops) => {
    const other = ops ? ops.filter((o) => o !== 'GetFile') : ['every operation but GetFile'];
    return status(r.effect) === 412 && other.length > 0
      ? `412 outside GetFile (${other.join(', ')}): the protocol uses 412 only for a GetFile larger than X-WOPI-MaxExpectedSize.`
      : null;
  },
  (r, ops) => {
    const other = ops ? ops.filter((o) => o !== 'PutFile' && o !== 'PutRelativeFile') : ['other operations'];
    return status(r.effect) === 413 && other.length > 0
      ? `413 on ${other.join(', ')}: the protocol uses 413 only for PutFile and PutRelativeFile bodies that are too large.`
      : null;
  },
  (r, ops) =>
    status(r.effect) === 501 && among(ops, ['CheckFileInfo', 'GetFile']).length > 0
      ? `501 on ${among(ops, ['CheckFileInfo', 'GetFile']).join(', ')}: every host must implement these; the client cannot open the file at all.`
      : null,
  (r, _ops, ctx) => {
    if (r.effect.kind !== 'status' || r.effect.status !== 409 || !r.match.fileId || !ctx.lockOf) return null;
    const real = ctx.lockOf(r.match.fileId);
    return real !== null && (r.effect.lock ?? '') === real
      ? 'The 409 reports X-WOPI-Lock equal to the lock the file really holds: a client that retries with it gets the same 409 again, which no real host would answer.'
      : null;
  },
  (r) =>
    r.effect.kind === 'status' && r.effect.status === 409 && r.effect.lock === undefined
      ? 'A 409 without a lock reports X-WOPI-Lock "" (the file is unlocked); set effect.lock to act as a lock held elsewhere.'
      : null,
  (r) =>
    r.effect.kind === 'status' && r.effect.status === 500 && r.effect.serverError === undefined
      ? 'A 500 should carry X-WOPI-ServerError (set effect.serverError); without it the rule sends a generic one.'
      : null,
];

export function warningsFor(rule: StoredFaultRule, ctx: WarningContext): string[] {
  const out: string[] = [];
  for (const check of CHECKS) {
    const w = check(rule, rule.match.operations, ctx);
    if (w) out.push(w);
  }
  return out;
}

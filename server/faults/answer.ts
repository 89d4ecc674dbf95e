// What a fired rule puts on the wire and in the record, shared by this host's router
// (server/http/faults-apply.ts) and the inspecting proxy: a status answer with the headers the
// protocol pairs with it, and the record's fault tag.
import type { ServerResponse } from 'node:http';
import type { RequestRecord } from '../contracts/api';
import type { FaultEffect } from '../contracts/lab';
import { WopiHeader } from '../protocol/headers';
import { firedSummary } from './describe';
import type { FiredFault } from './types';

/** Free text as a header value node accepts: printable ASCII, others as \uXXXX (as the host does). */
const ascii = (s: string): string =>
  s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).slice(0, 1000);

/** Answers the status of a status effect, with its paired headers (PROTOCOL §1.5, §1.6, §5.2), no body. */
export function answerStatus(
  res: ServerResponse,
  f: FiredFault,
  e: Extract<FaultEffect, { kind: 'status' }>,
): void {
  res.statusCode = e.status;
  if (e.status === 409) {
    res.setHeader(WopiHeader.lock, e.lock ?? '');
    if (e.lockFailureReason !== undefined)
      res.setHeader(WopiHeader.lockFailureReason, ascii(e.lockFailureReason));
  }
  if (e.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(e.retryAfterSeconds));
  const serverError = e.serverError ?? (e.status === 500 ? `fault rule "${f.ruleName}"` : undefined);
  if (serverError !== undefined) res.setHeader(WopiHeader.serverError, ascii(serverError));
  res.setHeader('content-length', 0);
  res.end();
}

/** Effects whose answer is not the host's own: the protocol linter does not judge those records. */
export const answerIsInjected = (f: FiredFault): boolean =>
  f.effect.kind === 'status' || f.effect.kind === 'drop-connection' || f.effect.kind === 'abort-body';

/** Tags the record: which rule, what it did, and a why that says it was injected. */
export function tagFaultRecord(rec: RequestRecord, f: FiredFault): void {
  const summary = firedSummary(f.effect);
  rec.fault = { ruleId: f.ruleId, ruleName: f.ruleName, effect: f.effect.kind, summary };
  if (f.preset !== undefined) rec.fault.preset = f.preset;
  // No status went out: the record says so (0), not the status node would have written.
  const unanswered =
    f.effect.kind === 'drop-connection' || (f.effect.kind === 'abort-body' && rec.operation === 'PutFile');
  if (unanswered) {
    rec.status = 0;
    rec.responseHeaders = {};
  }
  const note = `injected by fault rule "${f.ruleName}": ${summary}`;
  // A delay, a pace or an edited CheckFileInfo leave the host's own answer; its why (if any) stays.
  rec.why = answerIsInjected(f) || !rec.why ? note : `${note}; ${rec.why}`;
}

// WOPI header names (lower-case, as node:http presents them) — the only place they are spelled.
// Shared wire vocabulary: the host, the simulated client, discovery and redaction all read it.
import type { CheckTag } from '../contracts/api';

export const WopiHeader = {
  override: 'x-wopi-override',
  lock: 'x-wopi-lock',
  oldLock: 'x-wopi-oldlock',
  itemVersion: 'x-wopi-itemversion',
  lockFailureReason: 'x-wopi-lockfailurereason',
  maxExpectedSize: 'x-wopi-maxexpectedsize',
  suggestedTarget: 'x-wopi-suggestedtarget',
  relativeTarget: 'x-wopi-relativetarget',
  overwriteRelativeTarget: 'x-wopi-overwriterelativetarget',
  validRelativeTarget: 'x-wopi-validrelativetarget',
  requestedName: 'x-wopi-requestedname',
  invalidFileNameError: 'x-wopi-invalidfilenameerror',
  size: 'x-wopi-size',
  fileConversion: 'x-wopi-fileconversion',
  editors: 'x-wopi-editors',
  serverError: 'x-wopi-servererror',
  serverVersion: 'x-wopi-serverversion',
  hostEndpoint: 'x-wopi-hostendpoint',
  correlationId: 'x-wopi-correlationid',
  sessionContext: 'x-wopi-sessioncontext',
  proof: 'x-wopi-proof',
  proofOld: 'x-wopi-proofold',
  timestamp: 'x-wopi-timestamp',
  authorization: 'authorization',
} as const;

/** Headers whose values are secrets: redacted at every exit. */
export const SECRET_HEADERS: readonly string[] = [
  WopiHeader.authorization,
  WopiHeader.proof,
  WopiHeader.proofOld,
  'cookie',
  'set-cookie',
];

/** Query parameters whose values are secrets. */
export const SECRET_PARAMS: readonly string[] = ['access_token', 'token', 'sig'];

/**
 * Tags a conformance run's request with its run and case (`<runId> <caseId>`). Not a WOPI header:
 * the runner sends it and this workbench's own host reads it, so its records carry the tag.
 */
export const CHECK_TAG_HEADER = 'x-workbench-check';

// A run id (a UUID, or any short token) and a `Group.Case` id (a case name may hold dots, as the
// validator's `files.GetLock` does); anything else is not our tag.
const CHECK_TAG = /^([A-Za-z0-9_-]{1,64}) ([A-Za-z][A-Za-z0-9_]{0,63}\.[A-Za-z][A-Za-z0-9_.-]{0,127})$/;

/** The run and case a request's check-tag header names, or undefined when absent or malformed. */
export function parseCheckTag(value: string | string[] | undefined): CheckTag | undefined {
  if (typeof value !== 'string') return undefined;
  const m = CHECK_TAG.exec(value);
  return m ? { runId: m[1]!, caseId: m[2]! } : undefined;
}

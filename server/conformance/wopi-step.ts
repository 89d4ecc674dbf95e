// One WOPI operation by name, sent through the recording client, and the expectations a step states
// about its answer (status, header values, CheckFileInfo properties), each a CaseFailure naming what
// was wanted and what came back. Scenario steps run through this; a conformance case may too.
import type { WopiClient, WopiResponse, WopiTarget } from './client';
import { expectHeader, expectJson, expectStatus, expectThat } from './expect';
import { CaseFailure } from './types';

/** The operations a step can send, by their WOPI names. */
export const STEP_OPERATIONS = [
  'CheckFileInfo',
  'GetFile',
  'Lock',
  'Unlock',
  'RefreshLock',
  'UnlockAndRelock',
  'GetLock',
  'PutFile',
  'PutRelativeFile',
  'RenameFile',
  'DeleteFile',
] as const;
export type StepOperation = (typeof STEP_OPERATIONS)[number];

export interface WopiCall {
  operation: StepOperation;
  /** X-WOPI-Lock (Lock, Unlock, RefreshLock, UnlockAndRelock, PutFile, RenameFile). */
  lock?: string;
  /** X-WOPI-OldLock (UnlockAndRelock). */
  oldLock?: string;
  /** PutFile / PutRelativeFile body. */
  body?: string;
  /** RenameFile: the requested name (no extension); PutRelativeFile: the suggested target. */
  name?: string;
}

export function sendWopi(client: WopiClient, target: WopiTarget, call: WopiCall): Promise<WopiResponse> {
  switch (call.operation) {
    case 'CheckFileInfo':
      return client.checkFileInfo(target);
    case 'GetFile':
      return client.getFile(target);
    case 'Lock':
      return client.lock(target, call.lock);
    case 'Unlock':
      return client.unlock(target, call.lock);
    case 'RefreshLock':
      return client.refreshLock(target, call.lock);
    case 'UnlockAndRelock':
      return client.unlockAndRelock(target, call.lock, call.oldLock ?? '');
    case 'GetLock':
      return client.getLock(target);
    case 'PutFile':
      return client.putFile(target, call.body ?? '', call.lock !== undefined ? { lock: call.lock } : {});
    case 'PutRelativeFile':
      return client.putRelativeFile(target, call.body ?? '', { suggestedTarget: call.name ?? '.wopitest' });
    case 'RenameFile':
      return client.renameFile(
        target,
        call.name ?? 'renamed',
        call.lock !== undefined ? { lock: call.lock } : {},
      );
    case 'DeleteFile':
      return client.deleteFile(target);
  }
}

/** What a step expects of one answer; absent fields are not checked. */
export interface ResponseExpectation {
  status?: number | number[];
  /** Header name → exact value; null = the header must be absent. */
  headers?: Record<string, string | null>;
  /** JSON body properties (CheckFileInfo): equal to the value, or `{ not: value }`. */
  json?: Record<string, unknown>;
  /** The body as text, exactly (GetFile). */
  body?: string;
}

const isNot = (v: unknown): v is { not: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && 'not' in v;

/** Throws a CaseFailure for the first expectation the answer does not meet. */
export function checkResponse(res: WopiResponse, want: ResponseExpectation, what = ''): void {
  if (want.status !== undefined) expectStatus(res, want.status, what);
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    if (value === null) {
      const actual = res.header(name);
      if (actual !== undefined)
        throw new CaseFailure(
          `${what ? `${what}: ` : ''}no ${name}`,
          `${name}: ${JSON.stringify(actual)}`,
          res.recordId,
        );
    } else expectHeader(res, name, value, what);
  }
  if (want.json !== undefined) {
    const body = expectJson(res, what);
    for (const [name, value] of Object.entries(want.json)) {
      const actual = body[name];
      const shown = actual === undefined ? `${name} absent` : `${name}: ${JSON.stringify(actual)}`;
      if (isNot(value))
        expectThat(
          JSON.stringify(actual) !== JSON.stringify(value.not),
          res,
          `${name} other than ${JSON.stringify(value.not)}`,
          shown,
        );
      else
        expectThat(
          JSON.stringify(actual) === JSON.stringify(value),
          res,
          `${name}: ${JSON.stringify(value)}`,
          shown,
        );
    }
  }
  if (want.body !== undefined)
    expectThat(
      res.text === want.body,
      res,
      `body ${JSON.stringify(want.body.slice(0, 80))}`,
      `body ${JSON.stringify(res.text.slice(0, 80))}`,
    );
}

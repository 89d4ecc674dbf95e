// How a fault rule reads in one line each: what it matches, when it fires, what it does.
import type { Persona, WopiOperation } from '../../../server/contracts';
import type { FaultEffect, FaultFiring, FaultMatch, FaultRuleView } from '../../../server/contracts/lab';

/** The operations a rule may match (what RequestRecord.operation says), in the order a client sends them. */
export const FAULT_OPERATIONS: readonly WopiOperation[] = [
  'CheckFileInfo',
  'GetFile',
  'Lock',
  'GetLock',
  'RefreshLock',
  'UnlockAndRelock',
  'PutFile',
  'Unlock',
  'PutRelativeFile',
  'RenameFile',
  'DeleteFile',
  'PutUserInfo',
];

export interface Names {
  file: (id: string) => string;
  persona: (id: string) => string;
}

export function namesFrom(files: ReadonlyMap<string, { path: string }>, personas: readonly Persona[]): Names {
  return {
    file: (id) => files.get(id)?.path ?? id,
    persona: (id) => personas.find((p) => p.id === id)?.name ?? id,
  };
}

export function describeMatch(match: FaultMatch, names: Names): string {
  const ops =
    match.operations && match.operations.length > 0 ? match.operations.join(', ') : 'every operation';
  const file = match.fileId ? names.file(match.fileId) : 'any file';
  const persona = match.personaId ? names.persona(match.personaId) : 'anyone';
  return `${ops} · ${file} · ${persona}`;
}

export function describeFiring(fire: FaultFiring): string {
  switch (fire.mode) {
    case 'every':
      return 'every match';
    case 'next':
      return fire.count === 1 ? 'next match only' : `next ${fire.count} matches`;
    case 'probability':
      return `${Math.round(fire.probability * 1000) / 10}% of matches (seed ${fire.seed})`;
  }
}

export function describeEffect(effect: FaultEffect): string {
  switch (effect.kind) {
    case 'status': {
      const parts = [`answer ${effect.status}`];
      if (effect.status === 409) parts.push(`X-WOPI-Lock: ${effect.lock ? effect.lock : '(empty)'}`);
      if (effect.lockFailureReason) parts.push(`reason “${effect.lockFailureReason}”`);
      if (effect.retryAfterSeconds !== undefined) parts.push(`Retry-After: ${effect.retryAfterSeconds}`);
      if (effect.serverError) parts.push(`X-WOPI-ServerError: ${effect.serverError}`);
      return parts.join(', ');
    }
    case 'latency':
      return `add ${effect.ms} ms latency`;
    case 'throttle':
      return `throttle the body to ${effect.bytesPerSecond} B/s`;
    case 'abort-body':
      return `cut the body after ${effect.afterBytes} bytes`;
    case 'drop-connection':
      return 'drop the connection, no answer';
    case 'file-info': {
      const set = Object.entries(effect.set).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
      return `CheckFileInfo with ${set.length > 0 ? set.join(', ') : 'nothing changed'}`;
    }
  }
}

/** Spent: a 'next N' rule that has fired N times (it stays listed, with its hits). */
export function isSpent(rule: FaultRuleView): boolean {
  return rule.fire.mode === 'next' && rule.remaining === 0;
}

// Lock rules (PROTOCOL §5): the current lock goes back on every conflict, and a conflict is a 409.
import type { WopiOperation } from '../../contracts/api';
import { WopiHeader } from '../../protocol/headers';
import { is2xx, proofFailed } from '../exchange';
import type { LintContext, LintRule } from '../types';

/** Operations whose 409 is about the lock (PutRelativeFile's 409 may be a name conflict instead). */
const LOCK_409_OPS: ReadonlySet<WopiOperation> = new Set<WopiOperation>([
  'Lock',
  'UnlockAndRelock',
  'RefreshLock',
  'Unlock',
  'PutFile',
  'RenameFile',
  'DeleteFile',
]);

/** Lock ids are opaque and may be long (Office's look like JSON): quoted, but not whole. */
export const quoteLock = (id: string): string =>
  JSON.stringify(id.length > 60 ? `${id.slice(0, 57)}...` : id);

const missingHeader: LintRule = {
  id: 'lock-conflict-missing-header',
  severity: 'error',
  doc: 'A 409 to a lock operation, PutFile, RenameFile or DeleteFile must carry X-WOPI-Lock with the current lock ("" when unlocked).',
  cite: 'PROTOCOL.md §5.2, §3.3–3.8; PITFALLS.md #10',
  check({ x }) {
    if (x.status !== 409 || !LOCK_409_OPS.has(x.op)) return undefined;
    if (x.resHeader(WopiHeader.lock) !== undefined) return undefined;
    return `${x.op} answered 409 without X-WOPI-Lock: Office reads the current lock from that header (it probes with wrong lock ids on purpose), so without it editing fails and co-authoring breaks.`;
  },
};

/** The lock id this exchange asks the file to hold, when it conflicts with `current`. */
function conflicting({ x }: LintContext, current: string): string | undefined {
  const h = x.reqHeader(WopiHeader.lock);
  switch (x.op) {
    case 'Lock':
    case 'RefreshLock':
    case 'Unlock':
      return h !== undefined && h !== '' && h !== current ? h : undefined;
    case 'UnlockAndRelock': {
      const old = x.reqHeader(WopiHeader.oldLock);
      return old !== undefined && old !== current ? old : undefined;
    }
    case 'PutFile':
      return h !== current ? (h ?? '') : undefined;
    default:
      return undefined;
  }
}

/**
 * Answers that legitimately come before the lock is compared: the token (401), the file (404), a
 * body that never arrived whole (408) or is too large (413), an operation not supported (501), a
 * lock id too long for the host or a malformed upload (400).
 */
function answeredBeforeLockCheck(ctx: LintContext, asked: string): boolean {
  const s = ctx.x.status;
  if (s === 401 || s === 404 || s === 408 || s === 413 || s === 501) return true;
  if (s === 400 && (asked.length > 256 || ctx.x.op === 'PutFile')) return true;
  return s >= 500 && proofFailed(ctx.x.rec);
}

const wrongStatus: LintRule = {
  id: 'lock-conflict-wrong-status',
  severity: 'error',
  doc: 'A Lock, RefreshLock, Unlock, UnlockAndRelock or PutFile whose lock id differs from the lock the file holds (as the traffic showed it) must be answered 409.',
  cite: 'PROTOCOL.md §5.3; PITFALLS.md #10, #12',
  check(ctx) {
    const current = ctx.before.lock;
    if (typeof current !== 'string') return undefined;
    const asked = conflicting(ctx, current);
    if (asked === undefined || ctx.x.status === 409 || answeredBeforeLockCheck(ctx, asked)) return undefined;
    const what = asked === '' ? 'without a lock id' : `with lock ${quoteLock(asked)}`;
    const effect = is2xx(ctx.x.status)
      ? 'Office then believes this session holds the lock and two sessions overwrite each other'
      : 'Office cannot read the current lock from it, so it cannot recover and the session fails';
    return `${ctx.x.op} ${what} on a file locked with ${quoteLock(current)} was answered ${ctx.x.status} instead of 409: ${effect}.`;
  },
};

const getLockHeader: LintRule = {
  id: 'getlock-missing-header',
  severity: 'error',
  doc: 'GetLock answers 200 with X-WOPI-Lock always present: the current lock, or "" when unlocked.',
  cite: 'PROTOCOL.md §3.4, §5.2; PITFALLS.md #14',
  check({ x }) {
    if (x.op !== 'GetLock' || !is2xx(x.status) || x.resHeader(WopiHeader.lock) !== undefined)
      return undefined;
    return 'GetLock answered 200 without X-WOPI-Lock: the header must carry the current lock ("" when unlocked), so Office cannot tell whether the file is locked.';
  },
};

export const LOCK_RULES: readonly LintRule[] = [missingHeader, wrongStatus, getLockHeader];

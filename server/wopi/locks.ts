// Lock, UnlockAndRelock, RefreshLock, Unlock, GetLock (PROTOCOL §3.3–§3.7, table §5.3).
import type { WopiContext } from './context';
import { lockIdOf } from './context';
import { WopiHeader } from '../protocol/headers';
import type { LockDecision, LockHolder } from './lock-service';
import type { Outcome } from './outcomes';
import { badRequest, lockMismatch, mismatchWhy, ok } from './outcomes';

export const MAX_LOCK_LENGTH = 1024;

/** A lock id header: required, non-empty, at most 1024 printable ASCII characters. */
function lockHeader(ctx: WopiContext, name: string, label: string): string | Outcome {
  const v = ctx.req.headers[name];
  if (typeof v !== 'string' || v === '') return badRequest(`${label} header is missing or empty`);
  if (v.length > MAX_LOCK_LENGTH)
    return badRequest(`${label} is ${v.length} characters; lock ids are at most ${MAX_LOCK_LENGTH}`);
  if (!/^[\x20-\x7e]+$/.test(v)) return badRequest(`${label} must be printable ASCII`);
  return v;
}

const isOutcome = (v: string | Outcome): v is Outcome => typeof v !== 'string';

function answer(ctx: WopiContext, op: string, d: LockDecision, sent: string): Outcome {
  const version = { [WopiHeader.itemVersion]: String(ctx.file.row.version) };
  if (d.ok) {
    ctx.notes.lockBefore = lockIdOf(d.before);
    ctx.notes.lockAfter = lockIdOf(d.after);
    return ok(undefined, version);
  }
  ctx.notes.lockBefore = lockIdOf(d.current);
  ctx.notes.lockAfter = lockIdOf(d.current);
  return lockMismatch(d.current, mismatchWhy(op, d.current, sent), version);
}

/** The token's user, recorded as the holder of a lock this request takes. */
const caller = (ctx: WopiContext): LockHolder => ({
  holderId: ctx.claims.userId,
  holderName: ctx.claims.userName,
});

export function lock(ctx: WopiContext): Outcome {
  const id = lockHeader(ctx, WopiHeader.lock, 'X-WOPI-Lock');
  if (isOutcome(id)) return id;
  return answer(ctx, 'Lock', ctx.deps.locks.lock(ctx.file.row.id, id, caller(ctx)), id);
}

export function unlockAndRelock(ctx: WopiContext): Outcome {
  const id = lockHeader(ctx, WopiHeader.lock, 'X-WOPI-Lock');
  if (isOutcome(id)) return id;
  const old = lockHeader(ctx, WopiHeader.oldLock, 'X-WOPI-OldLock');
  if (isOutcome(old)) return old;
  return answer(
    ctx,
    'UnlockAndRelock',
    ctx.deps.locks.unlockAndRelock(ctx.file.row.id, old, id, caller(ctx)),
    old,
  );
}

export function refreshLock(ctx: WopiContext): Outcome {
  const id = lockHeader(ctx, WopiHeader.lock, 'X-WOPI-Lock');
  if (isOutcome(id)) return id;
  return answer(ctx, 'RefreshLock', ctx.deps.locks.refresh(ctx.file.row.id, id), id);
}

export function unlock(ctx: WopiContext): Outcome {
  const id = lockHeader(ctx, WopiHeader.lock, 'X-WOPI-Lock');
  if (isOutcome(id)) return id;
  return answer(ctx, 'Unlock', ctx.deps.locks.unlock(ctx.file.row.id, id), id);
}

export function getLock(ctx: WopiContext): Outcome {
  const cur = ctx.deps.locks.current(ctx.file.row.id);
  ctx.notes.lockBefore = lockIdOf(cur);
  ctx.notes.lockAfter = lockIdOf(cur);
  // The only 200 that carries X-WOPI-Lock, empty when unlocked.
  return ok(undefined, { [WopiHeader.lock]: cur?.lockId ?? '' });
}

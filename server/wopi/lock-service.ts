// WOPI lock rules (PROTOCOL §5), once, above any LockStore (state/lock-store.ts). Every decision is
// read, decide, compare-and-swap, so it holds even when other hosts share the store. Expired locks are
// exactly "unlocked".
import type { LockView } from '../contracts/api';
import type { LockChangeCause } from '../contracts/events';
import type { LockStore } from '../state/lock-store';

export type LockDecision =
  { ok: true; before: LockView | null; after: LockView | null } | { ok: false; current: LockView | null };

export interface LockChange {
  fileId: string;
  before: LockView | null;
  after: LockView | null;
  cause: LockChangeCause;
  action: string;
}

/**
 * Who takes a lock: the token's user on Lock and UnlockAndRelock, the named persona on a lock-lab set.
 * Metadata only (no WOPI rule reads it); it names the holder in X-WOPI-LockFailureReason on conflicts.
 * A refresh (Lock with the same id, RefreshLock) keeps the holder that took the lock, so a co-author
 * joining with the same id does not take it over; UnlockAndRelock records the caller, who now holds
 * the new id.
 */
export interface LockHolder {
  holderId?: string;
  holderName?: string;
}

/** How often one decision is retried when another writer of a shared store changed the lock first. */
const SWAP_ATTEMPTS = 32;

/** A rule's answer: what the file's lock becomes, or a refusal (the lock stays as it is). */
type Step = { ok: true; after: LockView | null } | { ok: false };

export function createLockService(deps: {
  store: LockStore;
  now: () => number;
  durationMs: number;
  onChange: (c: LockChange) => void;
}) {
  const { store, now, durationMs } = deps;

  const sameLock = (a: LockView | null, b: LockView | null): boolean =>
    a === b || (a !== null && b !== null && a.lockId === b.lockId && a.expiresAt === b.expiresAt);

  /**
   * Read, decide on the live lock (an expired one is no lock), and write with compare-and-swap; when
   * another writer got there first, decide again on what it left. A refusal still drops an expired lock.
   */
  function run(
    action: string,
    cause: LockChangeCause,
    fileId: string,
    rule: (cur: LockView | null, t: number) => Step,
  ): LockDecision {
    for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
      const t = now();
      const stored = store.get(fileId);
      const expired = stored && stored.expiresAt <= t ? stored : null;
      const cur = expired ? null : stored;
      const step = rule(cur, t);
      const target = step.ok ? step.after : cur;
      if (target !== stored && !store.compareAndSwap(fileId, stored, target)) continue;
      if (expired)
        deps.onChange({ fileId, before: expired, after: null, cause: 'expired', action: 'expiry' });
      if (!step.ok) return { ok: false, current: cur };
      if (!sameLock(cur, step.after))
        deps.onChange({ fileId, before: cur, after: step.after, cause, action });
      return { ok: true, before: cur, after: step.after };
    }
    throw new Error(`${action}: the lock of file ${fileId} kept changing under ${SWAP_ATTEMPTS} attempts`);
  }

  const take = (lockId: string, t: number, holder: LockHolder = {}): Step => ({
    ok: true,
    after: {
      lockId,
      createdAt: t,
      refreshedAt: t,
      expiresAt: t + durationMs,
      ...(holder.holderId ? { holderId: holder.holderId } : {}),
      ...(holder.holderName ? { holderName: holder.holderName } : {}),
    },
  });
  const extend = (cur: LockView, t: number): Step => ({
    ok: true,
    after: { ...cur, refreshedAt: t, expiresAt: t + durationMs },
  });
  const keep = (cur: LockView | null): Step => ({ ok: true, after: cur });
  const refuse: Step = { ok: false };
  const holds = (cur: LockView | null, lockId: string | undefined): cur is LockView =>
    cur !== null && lockId !== undefined && cur.lockId === lockId;

  /** The live lock (dropping an expired one, reported as such). */
  const current = (fileId: string): LockView | null => {
    const d = run('current', 'wopi', fileId, keep);
    return d.ok ? d.before : null;
  };

  return {
    current,
    /** Lock: take when unlocked, refresh when the same id, else conflict. */
    lock: (fileId: string, lockId: string, holder?: LockHolder) =>
      run('Lock', 'wopi', fileId, (cur, t) =>
        !cur ? take(lockId, t, holder) : holds(cur, lockId) ? extend(cur, t) : refuse,
      ),
    unlockAndRelock: (fileId: string, oldLockId: string, newLockId: string, holder?: LockHolder) =>
      run('UnlockAndRelock', 'wopi', fileId, (cur, t) =>
        holds(cur, oldLockId) ? take(newLockId, t, holder) : refuse,
      ),
    refresh: (fileId: string, lockId: string) =>
      run('RefreshLock', 'wopi', fileId, (cur, t) => (holds(cur, lockId) ? extend(cur, t) : refuse)),
    unlock: (fileId: string, lockId: string) =>
      run('Unlock', 'wopi', fileId, (cur) => (holds(cur, lockId) ? { ok: true, after: null } : refuse)),
    /** May a write carrying `lockId` (or none) proceed? Unlocked files are decided by the caller (0-byte rule). */
    checkWrite: (fileId: string, lockId: string | undefined) =>
      run('check', 'wopi', fileId, (cur) => (!cur || holds(cur, lockId) ? keep(cur) : refuse)),
    // Control-side actions for the lock lab; they bypass WOPI rules on purpose and say so in events.
    forceUnlock: (fileId: string) =>
      run('force-unlock', 'control', fileId, () => ({ ok: true, after: null })),
    setLock: (fileId: string, lockId: string, holder?: LockHolder) =>
      run('set-lock', 'control', fileId, (_cur, t) => take(lockId, t, holder)),
    expireNow: (fileId: string) => run('expire-now', 'control', fileId, () => ({ ok: true, after: null })),
    /** Emit expiry events for locks whose time ran out (the UI's countdown reaching zero). */
    sweep: (): void => {
      const t = now();
      for (const l of store.list()) if (l.expiresAt <= t) current(l.fileId);
    },
    list: () => {
      const t = now();
      return store.list().filter((l) => l.expiresAt > t);
    },
  };
}

export type LockService = ReturnType<typeof createLockService>;

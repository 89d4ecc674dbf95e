// WOPI lock rules (PROTOCOL §5), once, above a compare-and-swap store. Every decision is a single
// SQLite transaction: read, decide, write. Expired locks are exactly "unlocked".
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

export function createLockService(deps: {
  store: LockStore;
  now: () => number;
  durationMs: number;
  onChange: (c: LockChange) => void;
}) {
  const { store, now, durationMs } = deps;

  /** Inside a transaction: the live lock, dropping an expired one (reported after commit). */
  function live(fileId: string, expired: LockChange[]): LockView | null {
    const l = store.get(fileId);
    if (l && l.expiresAt <= now()) {
      store.remove(fileId);
      expired.push({ fileId, before: l, after: null, cause: 'expired', action: 'expiry' });
      return null;
    }
    return l;
  }

  function run(
    action: string,
    cause: LockChangeCause,
    fileId: string,
    fn: (cur: LockView | null) => LockDecision,
  ): LockDecision {
    const expired: LockChange[] = [];
    const d = store.atomic(() => fn(live(fileId, expired)));
    for (const e of expired) deps.onChange(e);
    if (d.ok && !sameLock(d.before, d.after))
      deps.onChange({ fileId, before: d.before, after: d.after, cause, action });
    return d;
  }

  const sameLock = (a: LockView | null, b: LockView | null): boolean =>
    a === b || (a !== null && b !== null && a.lockId === b.lockId && a.expiresAt === b.expiresAt);
  const take = (fileId: string, lockId: string): LockView =>
    store.set(fileId, lockId, now(), now() + durationMs);
  const extend = (fileId: string): LockView => store.refresh(fileId, now(), now() + durationMs);

  return {
    current(fileId: string): LockView | null {
      // Fast path without a write transaction: most reads find a live lock or none.
      const seen = store.get(fileId);
      if (!seen || seen.expiresAt > now()) return seen;
      const expired: LockChange[] = [];
      const l = store.atomic(() => live(fileId, expired));
      for (const e of expired) deps.onChange(e);
      return l;
    },
    /** Lock: take when unlocked, refresh when the same id, else conflict. */
    lock: (fileId: string, lockId: string) =>
      run('Lock', 'wopi', fileId, (cur) => {
        if (!cur) return { ok: true, before: null, after: take(fileId, lockId) };
        if (cur.lockId === lockId) return { ok: true, before: cur, after: extend(fileId) };
        return { ok: false, current: cur };
      }),
    unlockAndRelock: (fileId: string, oldLockId: string, newLockId: string) =>
      run('UnlockAndRelock', 'wopi', fileId, (cur) => {
        if (!cur || cur.lockId !== oldLockId) return { ok: false, current: cur };
        return { ok: true, before: cur, after: take(fileId, newLockId) };
      }),
    refresh: (fileId: string, lockId: string) =>
      run('RefreshLock', 'wopi', fileId, (cur) => {
        if (!cur || cur.lockId !== lockId) return { ok: false, current: cur };
        return { ok: true, before: cur, after: extend(fileId) };
      }),
    unlock: (fileId: string, lockId: string) =>
      run('Unlock', 'wopi', fileId, (cur) => {
        if (!cur || cur.lockId !== lockId) return { ok: false, current: cur };
        store.remove(fileId);
        return { ok: true, before: cur, after: null };
      }),
    /** May a write carrying `lockId` (or none) proceed? Unlocked files are decided by the caller (0-byte rule). */
    checkWrite: (fileId: string, lockId: string | undefined) =>
      run('check', 'wopi', fileId, (cur) => {
        if (!cur) return { ok: true, before: null, after: null };
        if (lockId !== undefined && cur.lockId === lockId) return { ok: true, before: cur, after: cur };
        return { ok: false, current: cur };
      }),
    // Control-side actions for the lock lab; they bypass WOPI rules on purpose and say so in events.
    forceUnlock: (fileId: string) =>
      run('force-unlock', 'control', fileId, (cur) => {
        store.remove(fileId);
        return { ok: true, before: cur, after: null };
      }),
    setLock: (fileId: string, lockId: string) =>
      run(`set-lock`, 'control', fileId, (cur) => ({ ok: true, before: cur, after: take(fileId, lockId) })),
    expireNow: (fileId: string) =>
      run('expire-now', 'control', fileId, (cur) => {
        if (!cur) return { ok: true, before: null, after: null };
        store.remove(fileId);
        return { ok: true, before: cur, after: null };
      }),
    /** Emit expiry events for locks whose time ran out (the UI's countdown reaching zero). */
    sweep(): void {
      for (const l of store.expiredAt(now())) this.current(l.fileId);
    },
    list: () => store.list().filter((l) => l.expiresAt > now()),
  };
}

export type LockService = ReturnType<typeof createLockService>;

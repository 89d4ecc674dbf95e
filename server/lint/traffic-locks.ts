// A file's lock "as the traffic shows it": what one exchange reveals (a 409's X-WOPI-Lock, a lock
// taken with 200, an Unlock that succeeded), and a tracker that carries it from one exchange to the
// next. Shared by the linter (for records whose producer does not know the lock) and the inspecting
// proxy (which shows lock before → after on its records without seeing the host's lock table).
import type { WopiOperation } from '../contracts/api';

/** Locks lapse this long after the last Lock/RefreshLock (PROTOCOL §5: 30 minutes). */
export const LOCK_LIFETIME_MS = 30 * 60_000;
/** The operations that may change a file's lock (UnlockAndRelock, Unlock, Lock) or end it (DeleteFile). */
export const LOCK_CHANGERS: ReadonlySet<WopiOperation> = new Set<WopiOperation>([
  'Lock',
  'UnlockAndRelock',
  'Unlock',
  'DeleteFile',
]);

export interface WireLock {
  op: WopiOperation;
  status: number;
  /** Request X-WOPI-Lock / X-WOPI-OldLock, response X-WOPI-Lock (undefined = header absent). */
  reqLock: string | undefined;
  reqOldLock: string | undefined;
  resLock: string | undefined;
}

/** The lock before and after one exchange, each undefined when this exchange alone does not tell. */
export interface Shown {
  before?: string | null;
  after?: string | null;
}

const idOrNull = (v: string): string | null => (v === '' ? null : v);

export function lockShownBy(w: WireLock): Shown {
  // PutRelativeFile's lock answer is about its *target* (another file), never the file in the URL.
  if (w.op === 'PutRelativeFile') return {};
  // A conflict names the current lock (empty: unlocked), whichever operation met it.
  if (w.status === 409 && w.resLock !== undefined) {
    const cur = idOrNull(w.resLock);
    return { before: cur, after: cur };
  }
  if (w.status < 200 || w.status >= 300) return {};
  const h = w.reqLock === undefined || w.reqLock === '' ? undefined : w.reqLock;
  switch (w.op) {
    case 'Lock':
      return h === undefined ? {} : { after: h };
    case 'UnlockAndRelock':
      return h === undefined || !w.reqOldLock ? {} : { before: w.reqOldLock, after: h };
    case 'RefreshLock':
    case 'PutFile':
    case 'RenameFile':
      return h === undefined ? {} : { before: h, after: h };
    case 'Unlock':
      return h === undefined ? {} : { before: h, after: null };
    case 'GetLock':
      return w.resLock === undefined ? {} : { before: idOrNull(w.resLock), after: idOrNull(w.resLock) };
    case 'DeleteFile':
      return { after: null };
    default:
      return {};
  }
}

/**
 * The exchange decides or reports the lock itself: Lock, UnlockAndRelock, Unlock and DeleteFile set
 * or clear it, GetLock and every 409 report it. Others (RefreshLock, PutFile, RenameFile with a lock
 * id) only show the id the client believed in.
 */
export const setsOrShowsLock = (w: WireLock): boolean =>
  LOCK_CHANGERS.has(w.op) || w.op === 'GetLock' || (w.status === 409 && w.op !== 'PutRelativeFile');

interface Tracked {
  id: string | null;
  /** When the exchange that showed it ended (epoch ms). */
  at: number;
}

/**
 * Per key (host + file id), the lock the traffic last showed, bounded to `max` keys (oldest out).
 * It takes exchanges in the order they ended and assumes they did not overlap: the caller asks only
 * about exchanges no lock-changing exchange ran alongside (the proxy knows what is in flight; a
 * conformance run sends one request at a time).
 */
export function createLockTracker(max = 10_000) {
  const files = new Map<string, Tracked>();
  return {
    /** The lock at `at`, or undefined when the traffic does not tell (never seen, or it may have lapsed). */
    current(key: string, at: number): string | null | undefined {
      const t = files.get(key);
      if (!t || at - t.at >= LOCK_LIFETIME_MS) return undefined;
      return t.id;
    },
    /** Nothing is known any more (exchanges overlapped: the order the host took them in is unknown). */
    forget(key: string): void {
      files.delete(key);
    },
    /** What an exchange that ended at `endAt` showed. */
    observe(key: string, w: WireLock, endAt: number): void {
      const after = lockShownBy(w).after;
      const known = files.get(key);
      if (after !== undefined && known && !setsOrShowsLock(w)) {
        // A RefreshLock or save with the lock id changes no lock: the id already known stays (a
        // host that accepted another id has not replaced the lock with it), its lifetime restarts.
        if (w.op === 'RefreshLock') known.at = endAt;
      } else if (after !== undefined) {
        if (!files.has(key) && files.size >= max) files.delete(files.keys().next().value!);
        files.set(key, { id: after, at: endAt });
      } else if (LOCK_CHANGERS.has(w.op) && w.status >= 200 && w.status < 300) {
        // It changed the lock in a way the wire did not show: what was known no longer holds.
        files.delete(key);
      }
    },
  };
}

export type LockTracker = ReturnType<typeof createLockTracker>;

// Lock before -> after for the proxy's records, as the traffic shows it. The proxy cannot read the
// upstream's lock table; it knows what earlier exchanges on the file showed and what is in flight.
// "Before" is given only when no lock-changing exchange on the same file ran alongside this one
// (then the order the upstream took them in is unknown); "after" is what this exchange showed, or
// the lock carried over when it changes nothing.
import type { WopiOperation } from '../contracts/api';
import { createLockTracker, LOCK_CHANGERS, lockShownBy, setsOrShowsLock } from '../lint';
import type { WireLock } from '../lint';

interface Flight {
  changer: boolean;
  /** Another exchange on the same file that may change the lock overlapped this one. */
  overlapped: boolean;
}

export function createLockView() {
  const tracker = createLockTracker();
  const flying = new Map<string, Set<Flight>>();

  return {
    /** An exchange on `fileId` starts; the returned function ends it with what it showed. */
    begin(fileId: string, op: WopiOperation) {
      const mine: Flight = { changer: LOCK_CHANGERS.has(op), overlapped: false };
      let set = flying.get(fileId);
      if (!set) flying.set(fileId, (set = new Set()));
      for (const f of set) {
        if (f.changer) mine.overlapped = true;
        if (mine.changer) f.overlapped = true;
      }
      set.add(mine);
      let ended = false;
      return (w: WireLock | undefined, at: number): { before?: string | null; after?: string | null } => {
        if (ended) return {};
        ended = true;
        set.delete(mine);
        if (set.size === 0) flying.delete(fileId);
        const known = mine.overlapped ? undefined : tracker.current(fileId, at);
        if (!w) return known === undefined ? {} : { before: known, after: known };
        const shown = lockShownBy(w);
        if (mine.overlapped) tracker.forget(fileId);
        else tracker.observe(fileId, w, at);
        const before = known !== undefined ? known : shown.before;
        // A refused lock operation changed nothing; a successful one the wire did not explain is unknown.
        // An exchange that only names the id the client believed in leaves the known lock as it was.
        const changed = LOCK_CHANGERS.has(w.op) && w.status >= 200 && w.status < 300;
        const after =
          known !== undefined && !setsOrShowsLock(w)
            ? known
            : shown.after !== undefined
              ? shown.after
              : changed
                ? undefined
                : known;
        return {
          ...(before !== undefined ? { before } : {}),
          ...(after !== undefined ? { after } : {}),
        };
      };
    },
  };
}

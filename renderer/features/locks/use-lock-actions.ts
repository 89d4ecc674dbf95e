// Lock-lab actions. The SSE lock:changed event updates every view; the action's own result is applied
// too, so the table is right even while the stream is reconnecting. Removing a lock is one click (it is
// what the lab is for), but an editor may be holding it: the notice offers to put the same lock id back.
import { useCallback, useState } from 'react';
import type { LockChangeResult } from '../../../server/contracts';
import { describeError } from '../../api/control-client';
import { useApp } from '../../state/app-context';

export type LockAction = 'unlock' | 'expire' | 'set';

export function useLockActions() {
  const app = useApp();
  const [busy, setBusy] = useState<string | null>(null);

  const run = useCallback(
    async (
      fileId: string,
      action: LockAction,
      work: () => Promise<LockChangeResult>,
      done: string,
      undo?: { label: string; run: () => void },
    ) => {
      setBusy(`${action}:${fileId}`);
      try {
        app.workspace.applyLock(await work());
        app.notices.push('success', done, undo ? { action: undo } : {});
        return true;
      } catch (err) {
        app.notices.push('error', describeError(err));
        return false;
      } finally {
        setBusy(null);
      }
    },
    [app],
  );

  /** Put back the lock an action is about to remove or replace: same id, a fresh 30 minutes. */
  const relock = (fileId: string, name: string, unless?: string) => {
    const lockId = app.workspace.get().locks.get(fileId)?.lockId;
    if (!lockId || lockId === unless) return undefined;
    return { label: 'Undo', run: () => void setLock(fileId, name, lockId) };
  };

  // Stealing replaces someone's lock: Undo gives it back to them.
  const setLock = (fileId: string, name: string, lockId: string, personaId?: string): Promise<boolean> =>
    run(
      fileId,
      'set',
      () => app.client.setLock({ params: { fileId }, body: personaId ? { lockId, personaId } : { lockId } }),
      `Locked ${name}`,
      relock(fileId, name, lockId),
    );

  return {
    busy,
    forceUnlock: (fileId: string, name: string) =>
      run(
        fileId,
        'unlock',
        () => app.client.forceUnlock({ params: { fileId } }),
        `Unlocked ${name}`,
        relock(fileId, name),
      ),
    expireNow: (fileId: string, name: string) =>
      run(
        fileId,
        'expire',
        () => app.client.expireLock({ params: { fileId } }),
        `Expired the lock on ${name}`,
        relock(fileId, name),
      ),
    setLock,
  };
}

/** A lock id that is obviously ours when it shows up in a client's 409. */
export function newLockId(): string {
  const random = crypto.randomUUID?.() ?? Math.random().toString(16).slice(2);
  return `workbench-${random.slice(0, 8)}`;
}

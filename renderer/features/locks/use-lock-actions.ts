// Lock-lab actions. The SSE lock:changed event updates every view; the action's own result is applied
// too, so the table is right even while the stream is reconnecting.
import { useCallback, useState } from 'react';
import type { LockChangeResult } from '../../../server/contracts';
import { describeError } from '../../api/control-client';
import { useApp } from '../../state/app-context';

export type LockAction = 'unlock' | 'expire' | 'set';

export function useLockActions() {
  const app = useApp();
  const [busy, setBusy] = useState<string | null>(null);

  const run = useCallback(
    async (fileId: string, action: LockAction, work: () => Promise<LockChangeResult>, done: string) => {
      setBusy(`${action}:${fileId}`);
      try {
        app.workspace.applyLock(await work());
        app.notices.push('success', done);
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

  return {
    busy,
    forceUnlock: (fileId: string, name: string) =>
      run(fileId, 'unlock', () => app.client.forceUnlock(fileId), `Unlocked ${name}`),
    expireNow: (fileId: string, name: string) =>
      run(fileId, 'expire', () => app.client.expireLock(fileId), `Expired the lock on ${name}`),
    setLock: (fileId: string, name: string, lockId: string) =>
      run(fileId, 'set', () => app.client.setLock(fileId, lockId), `Locked ${name}`),
  };
}

/** A lock id that is obviously ours when it shows up in a client's 409. */
export function newLockId(): string {
  const random = crypto.randomUUID?.() ?? Math.random().toString(16).slice(2);
  return `workbench-${random.slice(0, 8)}`;
}

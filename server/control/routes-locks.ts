// The lock lab: list, set/steal, force-unlock and expire WOPI locks. These bypass WOPI lock rules on
// purpose (that is the point of the lab); the lock service records them with cause 'control'.
import type { LockChangeResult, LockEntry } from '../contracts/api';
import type { LockDecision } from '../wopi/lock-service';
import { ControlError } from './errors';
import { readJsonBody } from './http-io';
import type { ControlDeps, RouteTable } from './router';
import { lockIdOf, objectBody } from './validate';

type LockRoutes = Pick<RouteTable, 'locks' | 'setLock' | 'forceUnlock' | 'expireLock'>;

export function lockRoutes({ engine }: ControlDeps): LockRoutes {
  const { locks, files, index } = engine;

  /** A file the engine knows (present or deleted: a lock can outlive its file). */
  const knownPath = (fileId: string): string => {
    const row = files.get(fileId);
    if (!row) throw new ControlError('not-found', `no file with id ${fileId}`);
    return row.path;
  };

  const result = (fileId: string, path: string, d: LockDecision): LockChangeResult => {
    // Control actions always succeed in the lock service; a refusal here would be a bug there.
    if (!d.ok) throw new ControlError('internal', 'the lock service refused a control action');
    return { fileId, path, before: d.before, after: d.after };
  };

  return {
    locks: async () => {
      const body: LockEntry[] = locks.list().map((l) => ({
        fileId: l.fileId,
        path: files.get(l.fileId)?.path ?? '',
        lockId: l.lockId,
        createdAt: l.createdAt,
        refreshedAt: l.refreshedAt,
        expiresAt: l.expiresAt,
      }));
      return { body };
    },
    setLock: async ({ req, params }) => {
      const fileId = params['fileId']!;
      const lockId = lockIdOf(objectBody(await readJsonBody(req), '{"lockId":"my-lock"}'));
      const fresh = await index.resolve(fileId);
      if (!fresh) throw new ControlError('not-found', `no file with id ${fileId}`);
      return { body: result(fileId, fresh.row.path, locks.setLock(fileId, lockId)) };
    },
    forceUnlock: async ({ params }) => {
      const fileId = params['fileId']!;
      const path = knownPath(fileId);
      return { body: result(fileId, path, locks.forceUnlock(fileId)) };
    },
    expireLock: async ({ params }) => {
      const fileId = params['fileId']!;
      const path = knownPath(fileId);
      return { body: result(fileId, path, locks.expireNow(fileId)) };
    },
  };
}

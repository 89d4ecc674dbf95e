// One lab action at a time per view, with its notices: a busy key while it runs, a success notice when
// asked, and on failure the error, or `unavailable` when the host lacks that part of the lab (501).
import { useCallback, useState } from 'react';
import { describeError } from '../../api/control-client';
import { useApp } from '../../state/app-context';
import { isUnavailable } from '../../state/lab';

export function useGuarded(unavailable: string) {
  const app = useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const guard = useCallback(
    async <T>(key: string, work: () => Promise<T>, done?: (value: T) => string): Promise<T | undefined> => {
      setBusy(key);
      try {
        const value = await work();
        if (done) app.notices.push('success', done(value));
        return value;
      } catch (err) {
        app.notices.push('error', isUnavailable(err) ? unavailable : describeError(err));
        return undefined;
      } finally {
        setBusy(null);
      }
    },
    [app, unavailable],
  );
  return { app, busy, guard };
}

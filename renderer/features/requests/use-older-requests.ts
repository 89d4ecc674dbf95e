// Paging older rows from the host with the current filters as query params; pages that bring nothing
// new (already loaded live) are skipped automatically.
import { useCallback } from 'react';
import { describeError } from '../../api/control-client';
import { useApp } from '../../state/app-context';
import { filterToQuery } from '../../state/request-filter';
import { filterKey } from '../../state/request-log';
import { useStore } from '../../state/store';

const PAGE = 500;
const MAX_EMPTY_PAGES = 20;

export function useOlderRequests(): { loadOlder: () => Promise<void>; canLoadOlder: boolean } {
  const app = useApp();
  const older = useStore(app.requests, (s) => s.older);

  const loadOlder = useCallback(async () => {
    const { filter, older: paging } = app.requests.get();
    const key = filterKey(filter);
    if (paging.loading) return;
    let cursor = paging.filterKey === key ? paging.cursor : undefined;
    app.requests.setOlder({ loading: true, error: undefined });
    try {
      for (let page = 0; page < MAX_EMPTY_PAGES; page++) {
        const result = await app.client.requests({
          query: { ...filterToQuery(filter), before: cursor, limit: PAGE },
        });
        // The filter changed while we were waiting: this page belongs to the old one.
        if (filterKey(app.requests.get().filter) !== key) return;
        const added = app.requests.addOlder(result, key);
        if (added > 0 || !result.nextCursor) {
          if (added === 0) app.notices.push('info', 'No older requests on the host');
          return;
        }
        cursor = result.nextCursor;
      }
      app.requests.setOlder({ loading: false, cursor });
    } catch (err) {
      app.requests.setOlder({ loading: false, error: describeError(err) });
      app.notices.push('error', `Could not load older requests: ${describeError(err)}`);
    }
  }, [app]);

  return { loadOlder, canLoadOlder: !older.exhausted };
}

// Requests: live list on the left, the selected call's detail on the right.
import { useCallback, useState, type ReactElement } from 'react';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { formatClock, formatCount } from '../../components/format';
import { LiveEmpty, LiveNoMatch } from '../../components/live-table/live-empty';
import { LiveTable } from '../../components/live-table/live-table';
import { LiveView } from '../../components/live-table/live-view';
import { useApp } from '../../state/app-context';
import { isFilterActive, EMPTY_FILTER } from '../../state/request-filter';
import { useStore } from '../../state/store';
import { RequestDetailPane } from './request-detail';
import { REQUEST_TABLE, useKnownPath } from './request-table';
import { RequestToolbar } from './request-toolbar';
import './requests.css';

function NoRequests(): ReactElement {
  const app = useApp();
  const error = useStore(app.workspace, (s) => s.errors.requests);
  const cleared = useStore(app.requests, (s) => s.cleared);
  const onHost = useStore(app.requests, (s) => s.serverTotal);
  if (cleared) {
    // Not "no requests yet": the host has them, this window hides them.
    return (
      <EmptyState
        icon="requests"
        title={`Cleared at ${formatClock(cleared.at)}`}
        testId="requests-cleared"
        actions={
          <Button icon="history" onClick={() => void app.showClearedRequests()} data-testid="requests-unhide">
            Show them again
          </Button>
        }
      >
        {formatCount(cleared.hidden)} request{cleared.hidden === 1 ? ' is' : 's are'} hidden in this window;
        the host still has {formatCount(onHost)} in its log. New requests appear here as they happen.
      </EmptyState>
    );
  }
  if (error) {
    return (
      <EmptyState icon="warn" title="Couldn't load the request log" testId="requests-error">
        {error}
      </EmptyState>
    );
  }
  return (
    <LiveEmpty icon="requests" title="No WOPI requests yet" testId="requests-empty">
      Every call a WOPI client makes to this host appears here as it happens: the operation, the lock before
      and after, and the proof-key verdict. Open a file in a client from <strong>Files</strong>, or point a
      WOPI client at the WOPISrc you copy there.
    </LiveEmpty>
  );
}

export function RequestsView(): ReactElement {
  const app = useApp();
  const log = useStore(app.requests, (s) => s);
  const selectedId = useStore(app.ui, (s) => s.selectedRequestId);
  const [follow, setFollow] = useState(true);
  const knownPath = useKnownPath();
  const select = useCallback((id: string | null) => app.ui.selectRequest(id), [app]);
  const filtered = isFilterActive(log.filter);

  let content: ReactElement;
  if (log.rows.length === 0 && log.pending === 0) {
    content = <NoRequests />;
  } else if (log.visible.length === 0) {
    content = (
      <LiveNoMatch
        title="No loaded request matches these filters"
        testId="requests-no-match"
        onReset={() => app.requests.setFilter(EMPTY_FILTER)}
      >
        {filtered
          ? log.older.exhausted
            ? 'Nothing older to fetch from the host; try a broader search.'
            : 'Try a broader search, or use “Load older” to search older requests on the host.'
          : null}
      </LiveNoMatch>
    );
  } else {
    content = (
      <LiveTable
        spec={REQUEST_TABLE}
        list={log}
        context={knownPath}
        selectedKey={selectedId}
        onSelect={select}
        follow={follow}
        onFollowChange={setFollow}
      >
        {log.paused ? (
          <div className="paused-banner" data-testid="paused-banner">
            Paused · {formatCount(log.pending)} new request{log.pending === 1 ? '' : 's'} waiting
          </div>
        ) : null}
      </LiveTable>
    );
  }

  return (
    <LiveView
      className="requests-view"
      toolbar={<RequestToolbar />}
      detail={
        selectedId ? (
          <RequestDetailPane key={selectedId} id={selectedId} onClose={() => select(null)} />
        ) : null
      }
    >
      {content}
    </LiveView>
  );
}

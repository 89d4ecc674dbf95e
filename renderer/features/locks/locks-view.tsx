// Locks: every current WOPI lock with its countdown, plus the lock lab (inject, steal, expire, unlock).
import { useMemo, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import { Panel } from '../../components/panel';
import { useApp } from '../../state/app-context';
import { useStore } from '../../state/store';
import { sortedLocks } from '../../state/workspace';
import { LockRow } from './lock-row';
import { SetLockForm } from './set-lock-form';
import { useLockActions } from './use-lock-actions';
import './locks.css';

export function LocksView(): ReactElement {
  const app = useApp();
  const files = useStore(app.workspace, (s) => s.files);
  const actions = useLockActions();
  const personas = useStore(app.workspace, (s) => s.personas);
  const lockMap = useStore(app.workspace, (s) => s.locks);
  const error = useStore(app.workspace, (s) => s.errors.locks);
  const locks = useMemo(() => sortedLocks(lockMap), [lockMap]);
  const fileList = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));

  return (
    <div className="page" data-testid="locks-view">
      <div className="page-head">
        <div>
          <h1>Locks</h1>
          <p className="muted">
            WOPI locks are not owned by a user and expire 30 minutes after they were set or last refreshed.
            Changes here take effect on the next WOPI call.
          </p>
        </div>
      </div>
      {fileList.length > 0 ? (
        <Panel title="Set or steal a lock">
          <SetLockForm files={fileList} personas={personas} actions={actions} />
        </Panel>
      ) : null}
      <Panel title={`Current locks (${locks.length})`} testId="locks-panel">
        {error && locks.length === 0 ? (
          <EmptyState icon="warn" title="Couldn't list the locks" testId="locks-error">
            {error}
          </EmptyState>
        ) : locks.length === 0 ? (
          <EmptyState icon="locks" title="No file is locked" testId="locks-empty">
            A lock appears here the moment a WOPI client calls <code>Lock</code> (an editor opening a file for
            edit). To reproduce a conflict without a second client, set a lock above, then save from the
            editor: it gets 409 with your lock id.
          </EmptyState>
        ) : (
          <table className="table locks" data-testid="lock-table">
            <colgroup>
              <col />
              <col style={{ width: 84 }} />
              <col style={{ width: 84 }} />
              <col style={{ width: 150 }} />
              <col style={{ width: 292 }} />
            </colgroup>
            <thead>
              <tr>
                <th>File</th>
                <th>Set</th>
                <th>Refreshed</th>
                <th>Expires in</th>
                <th />
              </tr>
            </thead>
            {locks.map((entry) => (
              <LockRow key={entry.fileId} entry={entry} present={files.has(entry.fileId)} actions={actions} />
            ))}
          </table>
        )}
      </Panel>
    </div>
  );
}

// One current lock with a live countdown and the lock-lab actions (expire, steal, force unlock). A lock is
// a <tbody> of its own: the file and timings on one line, the lock id whole on the next (up to 1024
// characters, so it gets the table's full width to wrap in), and the steal form below when open.
import { useState, type ReactElement } from 'react';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { formatAgo, formatCountdown } from '../../components/format';
import { Icon } from '../../components/icons';
import { useNow } from '../../components/use-now';
import { useApp } from '../../state/app-context';
import type { LockEntry } from '../../../server/contracts';
import { newLockId, type useLockActions } from './use-lock-actions';

export function LockRow({
  entry,
  present,
  actions,
}: {
  entry: LockEntry;
  /** False when the file is gone from the folder: WOPI locks outlive a deleted file. */
  present: boolean;
  actions: ReturnType<typeof useLockActions>;
}): ReactElement {
  const app = useApp();
  const now = useNow();
  const [stealing, setStealing] = useState(false);
  const [lockId, setLockId] = useState('');
  const { fileId, path } = entry;
  const left = entry.expiresAt - now;
  const span = Math.max(1, entry.expiresAt - entry.refreshedAt);
  const fraction = Math.min(1, Math.max(0, left / span));
  const tone = left <= 0 ? 'danger' : left < 5 * 60_000 ? 'warning' : 'success';
  const name = path.split('/').pop() ?? path;

  return (
    <tbody
      className="lock-entry"
      data-testid="lock-row"
      data-file-id={fileId}
      data-lock-id={entry.lockId}
      data-expires-at={entry.expiresAt}
    >
      <tr className="lock-main">
        <td>
          {present ? (
            <button type="button" className="link-btn" onClick={() => app.ui.openFile(fileId)} title={path}>
              {path}
            </button>
          ) : (
            <span
              className="muted"
              title="The file was deleted; its lock is still held"
              data-testid="lock-file-gone"
            >
              {path || fileId} <small>(deleted)</small>
            </span>
          )}
        </td>
        <td className="nowrap muted" title={new Date(entry.createdAt).toISOString()}>
          {formatAgo(entry.createdAt, now)}
        </td>
        <td className="nowrap muted" title={new Date(entry.refreshedAt).toISOString()}>
          {formatAgo(entry.refreshedAt, now)}
        </td>
        <td className="nowrap">
          <div className="expiry" data-testid="lock-countdown">
            <span className={`mono tone-${tone}`}>{left > 0 ? formatCountdown(left) : 'expired'}</span>
            <span className="meter">
              <span className={`meter-fill bg-${tone}`} style={{ width: `${fraction * 100}%` }} />
            </span>
          </div>
        </td>
        <td className="right nowrap">
          <Button
            small
            icon="clock"
            busy={actions.busy === `expire:${fileId}`}
            onClick={() => void actions.expireNow(fileId, name)}
            data-testid="lock-expire"
            title="Make the lock expire now: the next WOPI call sees the file unlocked, so the holder's next save gets 409 (the notice offers Undo)"
          >
            Expire
          </Button>
          <Button
            small
            icon="key"
            onClick={() => {
              setLockId(newLockId());
              setStealing(!stealing);
            }}
            data-testid="lock-steal"
            title="Replace the lock with another id, as a second client would"
          >
            Steal…
          </Button>
          <Button
            small
            variant="danger"
            icon="unlock"
            busy={actions.busy === `unlock:${fileId}`}
            onClick={() => void actions.forceUnlock(fileId, name)}
            data-testid="lock-force-unlock"
            title="Remove the lock now, whoever holds it: the holder's next save gets 409 until it locks again (the notice offers Undo)"
          >
            Unlock
          </Button>
        </td>
      </tr>
      <tr className="lock-id-row">
        <td colSpan={5}>
          <div className="lock-id-line">
            <span className="lock-id-label muted small">Lock id</span>
            <span className="hv">
              <span className="mono hv-text" data-testid="lock-id">
                {entry.lockId}
              </span>
              <CopyButton value={entry.lockId} title="Copy lock id" />
            </span>
            {entry.holderName || entry.holderId ? (
              <span
                className="lock-holder"
                data-testid="lock-holder"
                title="Who took the lock (hosts name them on a conflict)"
              >
                <Icon name="persona" size={12} />
                held by <strong>{entry.holderName ?? entry.holderId}</strong>
              </span>
            ) : null}
          </div>
        </td>
      </tr>
      {stealing ? (
        <tr className="lock-steal-row">
          <td colSpan={5}>
            <form
              className="row-wrap"
              onSubmit={(event) => {
                event.preventDefault();
                void actions.setLock(fileId, name, lockId).then((ok) => ok && setStealing(false));
              }}
            >
              <label className="field-inline grow">
                <span>New lock id</span>
                <input
                  className="mono grow"
                  value={lockId}
                  onChange={(event) => setLockId(event.target.value)}
                  data-testid="lock-steal-id"
                  maxLength={1024}
                  autoFocus
                />
              </label>
              <Button
                type="submit"
                small
                variant="primary"
                disabled={!lockId}
                busy={actions.busy === `set:${fileId}`}
                data-testid="lock-steal-submit"
              >
                Replace lock
              </Button>
              <Button small variant="ghost" onClick={() => setStealing(false)}>
                Cancel
              </Button>
              <span className="muted small">
                The client holding the lock{' '}
                <span className="mono" title={entry.lockId}>
                  {entry.lockId.length > 24 ? `${entry.lockId.slice(0, 24)}…` : entry.lockId}
                </span>{' '}
                will get 409 on its next call.
              </span>
            </form>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

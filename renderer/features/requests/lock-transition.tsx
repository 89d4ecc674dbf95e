// "lock before → lock after" for one call, compact for the table and full for the detail pane.
import type { ReactElement } from 'react';
import type { RequestRecord } from '../../../server/contracts';
import { hasLockInfo, lockChanged, lockSide, shortLock, type LockSide } from './request-format';

function Side({ side, full }: { side: LockSide; full: boolean }): ReactElement {
  if (side.kind === 'na') return <span className="lock-na">?</span>;
  if (side.kind === 'none') return <span className="lock-none">unlocked</span>;
  return (
    <span className="lock-id mono" title={side.id}>
      {full ? side.id : shortLock(side.id)}
    </span>
  );
}

export function LockTransition({ record, full = false }: { record: RequestRecord; full?: boolean }) {
  if (!hasLockInfo(record)) return <span className="lock-na">–</span>;
  const before = lockSide(record.lockBefore);
  const after = lockSide(record.lockAfter);
  if (!lockChanged(record)) {
    return (
      <span className={`lock-transition is-same${full ? ' is-full' : ''}`} title="Lock unchanged">
        <Side side={before} full={full} />
      </span>
    );
  }
  return (
    <span className={`lock-transition is-changed${full ? ' is-full' : ''}`}>
      <Side side={before} full={full} />
      <span className="lock-arrow" aria-label="became">
        →
      </span>
      <Side side={after} full={full} />
    </span>
  );
}

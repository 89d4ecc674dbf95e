// The page a live table lives on: its toolbar, then the list with the selected row's detail beside it.
import type { ReactElement, ReactNode } from 'react';
import type { LiveRowAttributes } from './live-table';

export function LiveView({
  className,
  testId,
  dataset,
  toolbar,
  detail,
  children,
}: {
  className: string;
  testId?: string;
  /** data-* attributes of the page (states tests wait for). */
  dataset?: Omit<LiveRowAttributes, 'className' | 'title'>;
  toolbar: ReactNode;
  /** The selected row's pane, or null. */
  detail: ReactNode;
  /** The table, or the empty state standing in for it. */
  children: ReactNode;
}): ReactElement {
  return (
    <div className={`live-view ${className}`} data-testid={testId} {...dataset}>
      {toolbar}
      <div className="split">
        <div className="live-main">{children}</div>
        {detail}
      </div>
    </div>
  );
}

// Titled cards and key/value grids used by the detail panes.
import type { ReactElement, ReactNode } from 'react';

export function Panel({
  title,
  actions,
  children,
  testId,
  className,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  className?: string;
}): ReactElement {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId}>
      {title || actions ? (
        <header className="panel-head">
          {title ? <h2>{title}</h2> : <span />}
          {actions ? <div className="panel-actions">{actions}</div> : null}
        </header>
      ) : null}
      <div className="panel-body">{children}</div>
    </section>
  );
}

export interface KeyValueRow {
  key: string;
  value: ReactNode;
  mono?: boolean;
  testId?: string;
}

export function KeyValue({
  rows,
}: {
  rows: readonly (KeyValueRow | false | null | undefined)[];
}): ReactElement {
  return (
    <dl className="kv">
      {rows.map((row) =>
        row ? (
          <div className="kv-row" key={row.key} data-testid={row.testId}>
            <dt>{row.key}</dt>
            <dd className={row.mono ? 'mono' : undefined}>{row.value}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}

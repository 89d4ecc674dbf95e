// One conformance case: its status, what it checks, whose rule it is, and for a failure what the protocol
// wants against what the host did (one line each). Opened, it lists the exchanges it caused.
import { useEffect, useRef, type ReactElement } from 'react';
import type { CheckCaseResult } from '../../../server/contracts';
import { Badge } from '../../components/badge';
import { formatDuration } from '../../components/format';
import { Icon } from '../../components/icons';
import { CaseExchanges } from './case-exchanges';
import { CaseStatusBadge } from './check-badges';

/** What "workbench rule" means, when the case carries no rationale of its own. */
const WORKBENCH_RULE =
  'A rule this workbench checks from the protocol text; Microsoft’s WOPI validator does not run this case.';

export function CaseItem({
  result,
  open,
  focused,
  onToggle,
  selectedExchange,
  onSelectExchange,
}: {
  result: CheckCaseResult;
  open: boolean;
  /** Opened from elsewhere (a request's check tag): scrolled into view. */
  focused: boolean;
  onToggle: () => void;
  selectedExchange: string | null;
  onSelectExchange: (id: string) => void;
}): ReactElement {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  const own = result.origin === 'workbench';
  const rationale = result.rationale ?? WORKBENCH_RULE;

  return (
    <li
      ref={ref}
      className={`case case-${result.status}${open ? ' is-open' : ''}${focused ? ' is-focused' : ''}`}
      data-testid="check-case"
      data-case-id={result.id}
      data-status={result.status}
      data-origin={result.origin}
    >
      <button
        type="button"
        className="case-head"
        onClick={onToggle}
        aria-expanded={open}
        data-testid="check-case-toggle"
        title={open ? 'Hide the exchanges' : 'Show the exchanges this case caused'}
      >
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={13} />
        <CaseStatusBadge status={result.status} />
        <span className="case-name mono">{result.name}</span>
        <span className="case-title" title={result.title}>
          {result.title}
        </span>
        {own ? (
          <Badge tone="accent" title={rationale} testId="case-workbench-rule">
            workbench rule
          </Badge>
        ) : null}
        <span className="case-meta muted">
          {result.exchanges.length} req · {formatDuration(result.durationMs)}
        </span>
      </button>
      {result.status === 'fail' && (result.expected !== undefined || result.actual !== undefined) ? (
        <dl className="case-diff" data-testid="case-diff">
          <div className="case-line case-expected">
            <dt>Expected</dt>
            <dd className="mono" data-testid="case-expected">
              {result.expected ?? '–'}
            </dd>
          </div>
          <div className="case-line case-actual">
            <dt>Actual</dt>
            <dd className="mono" data-testid="case-actual">
              {result.actual ?? '–'}
            </dd>
          </div>
        </dl>
      ) : null}
      {result.reason ? (
        <p className={`case-reason case-reason-${result.status}`} data-testid="case-reason">
          {result.reason}
        </p>
      ) : null}
      {open ? (
        <div className="case-body">
          {own ? (
            <p className="case-rationale" data-testid="case-rationale">
              <Icon name="info" size={13} />
              <span>{rationale}</span>
            </p>
          ) : null}
          <CaseExchanges ids={result.exchanges} selectedId={selectedExchange} onSelect={onSelectExchange} />
        </div>
      ) : null}
    </li>
  );
}

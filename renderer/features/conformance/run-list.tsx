// Previous conformance runs, newest first: verdict, target, when, counts. Selecting one shows it below.
import type { ReactElement } from 'react';
import type { CheckRunView } from '../../../server/contracts';
import { formatAgo, formatDateTime } from '../../components/format';
import { useNow } from '../../components/use-now';
import { runCounts, runVerdict } from '../../state/checks';
import { CountBadges, VerdictBadge } from './check-badges';

function targetLabel(run: CheckRunView): string {
  if (run.kind === 'scenario') return run.scenario?.title ?? 'Pasted scenario';
  const where = run.ownHost ? 'This workbench' : hostOf(run.wopiSrc);
  return run.fileName ? `${where} · ${run.fileName}` : where;
}

function hostOf(wopiSrc: string): string {
  try {
    return new URL(wopiSrc).host;
  } catch {
    return wopiSrc;
  }
}

export function RunList({
  runs,
  selectedId,
  onSelect,
}: {
  runs: readonly CheckRunView[];
  selectedId: string | undefined;
  onSelect: (runId: string) => void;
}): ReactElement {
  const now = useNow();
  return (
    <ul className="stack-list run-list" data-testid="check-runs">
      {runs.map((run) => (
        <li key={run.id}>
          <button
            type="button"
            className={`run-item${run.id === selectedId ? ' is-selected' : ''}`}
            onClick={() => onSelect(run.id)}
            aria-pressed={run.id === selectedId}
            data-testid="check-run-item"
            data-run-id={run.id}
            data-state={run.state}
            title={`${run.wopiSrc}\nStarted ${formatDateTime(run.startedAt)}`}
          >
            <VerdictBadge verdict={runVerdict(run)} />
            <span className="run-item-target">{targetLabel(run)}</span>
            <span className="run-item-when muted">{formatAgo(run.startedAt, now)}</span>
            <CountBadges counts={runCounts(run)} />
          </button>
        </li>
      ))}
    </ul>
  );
}

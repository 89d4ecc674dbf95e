// How a conformance outcome reads: a case's status, a run's verdict, and a row of counts. Colour always
// comes with the word.
import type { ReactElement } from 'react';
import type { CheckCaseStatus } from '../../../server/contracts';
import { Badge, type Tone } from '../../components/badge';
import { CASE_STATUSES, type Counts, type Verdict } from '../../state/checks';

const CASE_TONE: Record<CheckCaseStatus, Tone> = {
  pass: 'success',
  fail: 'danger',
  error: 'warning',
  skip: 'neutral',
};

/** Neutral for a status this UI does not know (the host may be newer). */
function caseTone(status: string): Tone {
  return Object.hasOwn(CASE_TONE, status) ? CASE_TONE[status as CheckCaseStatus] : 'neutral';
}

export function CaseStatusBadge({ status }: { status: CheckCaseStatus }): ReactElement {
  return (
    <span className={`badge badge-${caseTone(status)} case-status`} data-status={status}>
      {status}
    </span>
  );
}

const VERDICT: Record<Verdict, { tone: Tone; label: string }> = {
  running: { tone: 'info', label: 'running' },
  passed: { tone: 'success', label: 'passed' },
  failed: { tone: 'danger', label: 'failed' },
  broken: { tone: 'danger', label: 'stopped' },
};

export function verdictTone(verdict: Verdict): Tone {
  return VERDICT[verdict].tone;
}

export function VerdictBadge({ verdict, testId }: { verdict: Verdict; testId?: string }): ReactElement {
  const { tone, label } = VERDICT[verdict];
  return (
    <Badge tone={tone} testId={testId}>
      <span data-verdict={verdict}>{label}</span>
    </Badge>
  );
}

const COUNT_LABEL: Record<CheckCaseStatus, string> = {
  pass: 'passed',
  fail: 'failed',
  error: 'errors',
  skip: 'skipped',
};

/** The non-zero counts as badges ("12 passed", "1 failed"), or "no case yet". */
export function CountBadges({ counts, testId }: { counts: Counts; testId?: string }): ReactElement {
  const shown = CASE_STATUSES.filter((status) => counts[status] > 0);
  return (
    <span className="count-badges" data-testid={testId} {...countData(counts)}>
      {shown.length === 0 ? <span className="muted small">no case yet</span> : null}
      {shown.map((status) => (
        <Badge key={status} tone={CASE_TONE[status]}>
          {counts[status]} {COUNT_LABEL[status]}
        </Badge>
      ))}
    </span>
  );
}

/** data-pass, data-fail… so tests read the counts a badge row shows. */
function countData(counts: Counts): Record<`data-${CheckCaseStatus}`, number> {
  return {
    'data-pass': counts.pass,
    'data-fail': counts.fail,
    'data-error': counts.error,
    'data-skip': counts.skip,
  };
}

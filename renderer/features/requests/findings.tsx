// What the protocol linter found in one exchange: a badge for the row (how many, coloured by the worst),
// and the findings in full for the detail pane (rule id, severity, message).
import type { ReactElement } from 'react';
import type { LintFinding, RequestRecord } from '../../../server/contracts';
import type { Tone } from '../../components/badge';
import { Icon } from '../../components/icons';
import { summarizeFindings, type Severity } from '../../state/findings';

const SEVERITY_TONE: Record<Severity, Tone> = { error: 'danger', warning: 'warning' };

/** Neutral for a severity this UI does not know (the host may be newer). */
export function severityTone(severity: string): Tone {
  return Object.hasOwn(SEVERITY_TONE, severity) ? SEVERITY_TONE[severity as Severity] : 'neutral';
}

export function FindingsBadge({ record }: { record: RequestRecord }): ReactElement | null {
  const summary = summarizeFindings(record);
  if (!summary) return null;
  const rules = (record.findings ?? []).map((finding) => finding.rule).join(', ');
  return (
    <span
      className={`badge badge-${SEVERITY_TONE[summary.worst]} badge-findings`}
      title={`${summary.count} protocol finding${summary.count === 1 ? '' : 's'}: ${rules}`}
      data-testid="findings-badge"
      data-count={summary.count}
      data-severity={summary.worst}
    >
      <Icon name="flag" size={11} />
      {summary.count}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: string }): ReactElement {
  return (
    <span className={`badge badge-${severityTone(severity)}`} data-severity={severity}>
      {severity}
    </span>
  );
}

/** The findings of one exchange, each with its rule id and the sentence saying what Office does about it. */
export function FindingList({ findings }: { findings: readonly LintFinding[] }): ReactElement {
  return (
    <ul className="stack-list finding-list" data-testid="request-findings">
      {findings.map((finding, i) => (
        <li
          key={`${finding.rule}:${i}`}
          className={`finding tone-box-${severityTone(finding.severity)}`}
          data-testid="request-finding"
          data-rule={finding.rule}
          data-severity={finding.severity}
        >
          <div className="finding-head">
            <SeverityBadge severity={finding.severity} />
            <code className="finding-rule">{finding.rule}</code>
          </div>
          <p className="finding-message">{finding.message}</p>
        </li>
      ))}
    </ul>
  );
}

// Protocol-linter findings as the UI reads them: per record (a badge: how many, how bad) and across the
// loaded request log (the Findings list: every finding with its request, newest first).
import type { LintFinding, RequestRecord } from '../../server/contracts';

export type Severity = LintFinding['severity'];

export interface FindingSummary {
  count: number;
  /** The worst severity among them: one error makes the badge an error. */
  worst: Severity;
}

/** Null when the record has no finding (absent or empty). */
export function summarizeFindings(record: RequestRecord): FindingSummary | null {
  const findings = record.findings;
  if (!findings || findings.length === 0) return null;
  const worst = findings.some((finding) => finding.severity === 'error') ? 'error' : 'warning';
  return { count: findings.length, worst };
}

/** One finding with the request it is about. */
export interface FindingRow {
  /** Unique in the list: the record id and the finding's place in it. */
  key: string;
  record: RequestRecord;
  finding: LintFinding;
}

export interface FindingFilter {
  severity: '' | Severity;
  rule: string;
}

export const EMPTY_FINDING_FILTER: FindingFilter = { severity: '', rule: '' };

export function isFindingFilterActive(filter: FindingFilter): boolean {
  return Boolean(filter.severity || filter.rule);
}

/** When a call completed: the log's order (see request-log.ts), used here to put the newest first. */
function endOf(record: RequestRecord): number {
  return record.startedAt + record.durationMs;
}

export interface FindingList {
  /** Newest request first; a request's own findings in the order the linter gave them. */
  rows: FindingRow[];
  /** Every rule seen, sorted, for the rule filter (whatever the filter keeps). */
  rules: string[];
  /** Counts before filtering. */
  totals: Record<Severity, number>;
  /** Requests carrying at least one finding. */
  requests: number;
}

/** Findings by severity, without building the list (the navigation counts them on every update). */
export function findingTotals(records: readonly RequestRecord[]): Record<Severity, number> {
  const totals: Record<Severity, number> = { error: 0, warning: 0 };
  for (const record of records) {
    for (const finding of record.findings ?? []) {
      if (finding.severity === 'error' || finding.severity === 'warning') totals[finding.severity]++;
    }
  }
  return totals;
}

/** Every finding of `records` (oldest first, as the request log holds them) that `filter` keeps. */
export function collectFindings(
  records: readonly RequestRecord[],
  filter: FindingFilter = EMPTY_FINDING_FILTER,
): FindingList {
  const rows: FindingRow[] = [];
  const rules = new Set<string>();
  const totals: Record<Severity, number> = { error: 0, warning: 0 };
  let requests = 0;
  const withFindings: { record: RequestRecord; findings: readonly LintFinding[] }[] = [];
  for (const record of records) {
    if (record.findings && record.findings.length > 0)
      withFindings.push({ record, findings: record.findings });
  }
  // The log is ordered by start time; newest first here means the latest to complete first (a stable
  // sort keeps the log's order between ties).
  withFindings.sort((a, b) => endOf(b.record) - endOf(a.record));
  for (const { record, findings } of withFindings) {
    requests++;
    findings.forEach((finding, index) => {
      rules.add(finding.rule);
      if (finding.severity === 'error' || finding.severity === 'warning') totals[finding.severity]++;
      if (filter.severity && finding.severity !== filter.severity) return;
      if (filter.rule && finding.rule !== filter.rule) return;
      rows.push({ key: `${record.id}#${index}`, record, finding });
    });
  }
  return { rows, rules: [...rules].sort(), totals, requests };
}

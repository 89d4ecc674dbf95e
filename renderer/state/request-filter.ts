// Which request rows a filter keeps. Text search covers path, query, headers and the decoded fields,
// as users of inspection tools ask for (PEERS §3.7), and the linter's findings (a rule id finds its rows).
import type { RequestListQuery, RequestRecord, WopiOperation } from '../../server/contracts';

export type StatusClass = '' | '2xx' | '3xx' | '4xx' | '5xx' | 'other';

export interface RequestFilter {
  operation: string;
  fileId: string;
  statusClass: StatusClass;
  text: string;
}

export const EMPTY_FILTER: RequestFilter = { operation: '', fileId: '', statusClass: '', text: '' };

export function isFilterActive(filter: RequestFilter): boolean {
  return Boolean(filter.operation || filter.fileId || filter.statusClass || filter.text.trim());
}

export function statusClassOf(status: number): Exclude<StatusClass, ''> {
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 300 && status < 400) return '3xx';
  if (status >= 400 && status < 500) return '4xx';
  if (status >= 500 && status < 600) return '5xx';
  return 'other';
}

const haystacks = new WeakMap<RequestRecord, string>();

function haystack(record: RequestRecord): string {
  let text = haystacks.get(record);
  if (text !== undefined) return text;
  const parts: (string | number | null | undefined)[] = [
    record.method,
    record.path,
    record.query,
    record.operation,
    record.override,
    record.filePath,
    record.fileId,
    record.userId,
    record.userName,
    record.status,
    record.why,
    record.lockBefore,
    record.lockAfter,
    record.correlationId,
    record.proof?.outcome,
    record.proof?.reason,
    // Proxy and conformance traffic: where it went, which case sent it, what the linter said.
    record.source,
    record.upstream,
    record.check?.runId,
    record.check?.caseId,
    // QA lab: "fault" finds every injected answer, a rule's name finds its requests; events by kind and text.
    record.fault ? 'fault' : undefined,
    record.fault?.ruleName,
    record.fault?.summary,
    record.event?.kind,
    record.event?.summary,
    record.event?.actor,
  ];
  for (const finding of record.findings ?? []) parts.push(finding.rule, finding.message);
  for (const [name, value] of Object.entries(record.requestHeaders ?? {})) parts.push(`${name}: ${value}`);
  for (const [name, value] of Object.entries(record.responseHeaders ?? {})) parts.push(`${name}: ${value}`);
  text = parts
    .filter((part) => part !== undefined && part !== null && part !== '')
    .join('\n')
    .toLowerCase();
  haystacks.set(record, text);
  return text;
}

export function makeMatcher(filter: RequestFilter): (record: RequestRecord) => boolean {
  const terms = filter.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const { operation, fileId, statusClass } = filter;
  return (record) => {
    if (operation && record.operation !== operation) return false;
    if (fileId && record.fileId !== fileId) return false;
    if (statusClass && statusClassOf(record.status) !== statusClass) return false;
    if (terms.length > 0) {
      const text = haystack(record);
      for (const term of terms) if (!text.includes(term)) return false;
    }
    return true;
  };
}

/** The same filter as server query params, for paging older rows. */
export function filterToQuery(filter: RequestFilter): RequestListQuery {
  const query: RequestListQuery = {};
  // The filter's operation comes from a list of the contract's operation names.
  if (filter.operation) query.operation = filter.operation as WopiOperation;
  if (filter.fileId) query.fileId = filter.fileId;
  if (filter.statusClass && filter.statusClass !== 'other') query.status = filter.statusClass;
  if (filter.text.trim()) query.q = filter.text.trim();
  return query;
}

// docs/LINT-RULES.md, written from the rule table (scripts/lint-rules-doc.ts; a test keeps it current).
import { RULES } from './rules';

export function rulesMarkdown(): string {
  const rows = RULES.map(
    (r) => `| \`${r.id}\` | ${r.severity} | ${r.doc.replace(/\|/g, '\\|')} | ${r.cite} |`,
  );
  return [
    '# Protocol lint rules',
    '',
    '<!-- Written by `node --import tsx scripts/lint-rules-doc.ts` from server/lint/rules; do not edit. -->',
    '',
    'The protocol linter reads every exchange the workbench records (its own host, the inspecting proxy',
    "`serve --upstream`, a conformance run's requests) and lists what the protocol forbids or Office trips",
    'on as findings on the record. Section numbers refer to the protocol digest (PROTOCOL.md) and its',
    'pitfalls list (PITFALLS.md). Stateful rules judge an exchange by what the traffic before it showed',
    'for the same file id on the same host (its lock, its Version, whether the id was ever answered 2xx).',
    '',
    '| rule | severity | what it checks | where the protocol says so |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

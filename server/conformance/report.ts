// A finished (or refused) check run in the three forms a person or a CI job reads: human lines for
// the terminal, JUnit XML (one testsuite per group) and the CheckRunView as JSON. Host-provided text
// (expected/actual lines, reasons) is quoted as it is: the caller makes lines terminal-safe and
// redacted; the XML is built by fast-xml-parser's builder, which escapes every value.
import { XMLBuilder } from 'fast-xml-parser';
import type { CheckCaseResult, CheckCaseStatus, CheckGroupResult, CheckRunView } from '../contracts/api';

const MARK: Record<CheckCaseStatus, string> = { pass: '✓', fail: '✗', skip: '-', error: '!' };
/** Cases of origin 'workbench' carry this tag in the text report. */
const WORKBENCH_TAG = '[workbench rule]';

const seconds = (ms: number): string => (ms / 1000).toFixed(3);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function caseLines(c: CheckCaseResult): string[] {
  const tag = c.origin === 'workbench' ? ` ${WORKBENCH_TAG}` : '';
  const head = `  ${MARK[c.status]} ${c.name}${tag}`;
  if (c.status === 'fail')
    return [head, `      expected ${c.expected ?? '(not said)'}; got ${c.actual ?? '(not said)'}`];
  if (c.status === 'error') return [head, `      error: ${c.reason ?? 'no reason given'}`];
  if (c.status === 'skip') return [`${head} (skipped: ${c.reason ?? 'no reason given'})`];
  return c.reason !== undefined ? [head, `      note: ${c.reason}`] : [head];
}

function groupLines(g: CheckGroupResult): string[] {
  if (g.status === 'skipped')
    return [
      `${g.id} — ${g.title}: skipped, ${g.skippedBecause ?? 'no reason given'} (${plural(g.cases.length, 'case')})`,
    ];
  return [`${g.id} — ${g.title}`, ...g.cases.flatMap(caseLines)];
}

/** The one-line tally: "12 passed, 1 failed, 3 skipped, 0 errors (16 cases, 2.104 s)". */
export function summaryLine(run: CheckRunView): string {
  const t = run.totals;
  const all = t.pass + t.fail + t.skip + t.error;
  const took = run.finishedAt !== undefined ? `, ${seconds(run.finishedAt - run.startedAt)} s` : '';
  return `${t.pass} passed, ${t.fail} failed, ${t.skip} skipped, ${plural(t.error, 'error')} (${plural(all, 'case')}${took})`;
}

/** True when nothing failed or broke and the run went to the end (what the CLI's exit code says). */
export function runPassed(run: CheckRunView): boolean {
  return run.state === 'done' && run.totals.fail === 0 && run.totals.error === 0;
}

/** The human report, one entry per line (no newlines added; the caller makes them terminal-safe). */
export function textReport(run: CheckRunView): string[] {
  const file = run.fileName !== undefined ? ` (${run.fileName})` : '';
  const how = [run.ownHost ? "this workbench's own host" : undefined, run.signed ? 'signed' : 'unsigned']
    .filter((x) => x !== undefined)
    .join(', ');
  const lines = [`WOPI conformance check of ${run.wopiSrc}${file}: ${how}`, ''];
  for (const g of run.groups) lines.push(...groupLines(g), '');
  if (run.groups.some((g) => g.cases.some((c) => c.origin === 'workbench')))
    lines.push(
      `${WORKBENCH_TAG}: the workbench's own rule, from the WOPI protocol text, beyond what Microsoft's validator checks.`,
    );
  if (run.state === 'failed') lines.push(`The run stopped: ${run.error ?? 'no reason given'}.`);
  else if (run.state === 'running') lines.push('The run has not finished.');
  lines.push(summaryLine(run));
  return lines;
}

/** The run as JSON text (the CheckRunView itself), on one line. */
export function jsonReport(run: CheckRunView): string {
  return JSON.stringify(run);
}

// XML 1.0 cannot carry these at all (not even escaped); a host's answer may contain them.
// eslint-disable-next-line no-control-regex -- the characters XML forbids are exactly what is matched
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const xmlText = (s: string): string => s.replace(NOT_XML, '\ufffd');

type Attrs = Record<string, string | number>;
const attrs = (a: Attrs): Record<string, string> =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [`@_${k}`, xmlText(String(v))]));
const properties = (p: Record<string, string | undefined>) => ({
  property: Object.entries(p)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([name, value]) => attrs({ name, value })),
});

function junitCase(c: CheckCaseResult) {
  const out: Record<string, unknown> = attrs({
    name: c.name,
    classname: `wopi.${c.group}`,
    time: seconds(c.durationMs),
  });
  if (c.status === 'fail') {
    const expected = c.expected ?? '';
    const actual = c.actual ?? '';
    out['failure'] = {
      ...attrs({ message: `expected ${expected}; got ${actual}`, type: 'CaseFailure' }),
      '#text': xmlText(`expected: ${expected}\nactual:   ${actual}`),
    };
  } else if (c.status === 'error') out['error'] = attrs({ message: c.reason ?? '', type: 'CaseError' });
  else if (c.status === 'skip') out['skipped'] = attrs({ message: c.reason ?? '' });
  // The schema CI tools validate has no per-testcase properties: what the case is goes in its output.
  const origin =
    c.origin === 'workbench'
      ? "workbench (the workbench's own rule, beyond Microsoft's validator)"
      : "validator (Microsoft's WOPI validator has this case)";
  const about = [`${c.id}: ${c.title}`, `origin: ${origin}`];
  if (c.exchanges.length > 0) about.push(`request records: ${c.exchanges.join(' ')}`);
  out['system-out'] = xmlText(about.join('\n'));
  return out;
}

function count(cases: readonly CheckCaseResult[], status: CheckCaseStatus): number {
  return cases.filter((c) => c.status === status).length;
}

function junitSuite(run: CheckRunView, g: CheckGroupResult) {
  return {
    ...attrs({
      name: g.id,
      tests: g.cases.length,
      failures: count(g.cases, 'fail'),
      errors: count(g.cases, 'error'),
      skipped: count(g.cases, 'skip'),
      time: seconds(g.cases.reduce((sum, c) => sum + c.durationMs, 0)),
      timestamp: new Date(run.startedAt).toISOString(),
    }),
    properties: properties({
      title: g.title,
      runId: run.id,
      wopiSrc: run.wopiSrc,
      fileName: run.fileName,
      signed: String(run.signed),
      skippedBecause: g.skippedBecause,
    }),
    testcase: g.cases.map(junitCase),
  };
}

/**
 * JUnit XML: a testsuite per group, a testcase per case (failure with expected/actual, error,
 * skipped). A run that stopped early (refused, host unreachable) gets an errored testcase saying why,
 * so a CI job does not read an empty report as green.
 */
export function junitReport(run: CheckRunView): string {
  const suites = run.groups.map((g) => junitSuite(run, g));
  if (run.state === 'failed') {
    suites.push({
      ...attrs({ name: 'Run.Stopped', tests: 1, failures: 0, errors: 1, skipped: 0, time: '0.000' }),
      properties: properties({ runId: run.id, wopiSrc: run.wopiSrc }),
      testcase: [
        {
          ...attrs({ name: 'Stopped', classname: 'wopi.Run', time: '0.000' }),
          error: attrs({ message: run.error ?? 'the run stopped', type: 'RunStopped' }),
        },
      ],
    });
  }
  const all = suites.flatMap((s) => s.testcase);
  const n = (key: string): number => all.filter((c) => key in c).length;
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    format: true,
    suppressEmptyNode: true,
  });
  const xml: string = builder.build({
    testsuites: {
      ...attrs({
        name: 'WOPI conformance',
        tests: all.length,
        failures: n('failure'),
        errors: n('error'),
        skipped: n('skipped'),
        time: run.finishedAt !== undefined ? seconds(run.finishedAt - run.startedAt) : '0.000',
      }),
      testsuite: suites,
    },
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}

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

function caseLines(c: CheckCaseResult, tagRules = true): string[] {
  const tag = tagRules && c.origin === 'workbench' ? ` ${WORKBENCH_TAG}` : '';
  const head = `  ${MARK[c.status]} ${c.name}${tag}`;
  if (c.status === 'fail') {
    const lines = [head, `      expected ${c.expected ?? '(not said)'}; got ${c.actual ?? '(not said)'}`];
    // A rule of our own says where it comes from, so the reader can weigh it.
    if (c.origin === 'workbench' && c.rationale !== undefined) lines.push(`      rule: ${c.rationale}`);
    return lines;
  }
  if (c.status === 'error') return [head, `      error: ${c.reason ?? 'no reason given'}`];
  if (c.status === 'skip') return [`${head} (skipped: ${c.reason ?? 'no reason given'})`];
  return c.reason !== undefined ? [head, `      note: ${c.reason}`] : [head];
}

function groupLines(g: CheckGroupResult, tagRules = true): string[] {
  if (g.status === 'skipped')
    return [
      `${g.id} — ${g.title}: skipped, ${g.skippedBecause ?? 'no reason given'} (${plural(g.cases.length, 'case')})`,
    ];
  return [`${g.id} — ${g.title}`, ...g.cases.flatMap((c) => caseLines(c, tagRules))];
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
  const scenario = run.kind === 'scenario';
  const lines = scenario
    ? [
        `Scenario "${run.scenario?.title ?? run.scenario?.id ?? ''}" against ${run.wopiSrc || '(no file)'}${file}`,
        '',
      ]
    : [`WOPI conformance check of ${run.wopiSrc}${file}: ${how}`, ''];
  // A scenario's steps are its own, not protocol rules: no rule tag on them.
  for (const g of run.groups) lines.push(...groupLines(g, !scenario), '');
  if (!scenario && run.groups.some((g) => g.cases.some((c) => c.origin === 'workbench')))
    lines.push(
      `${WORKBENCH_TAG}: the workbench's own rule, from the WOPI protocol text, beyond what Microsoft's validator checks.`,
    );
  if (run.state === 'failed') lines.push(`The run stopped: ${run.error ?? 'no reason given'}.`);
  else if (run.state === 'running') lines.push('The run has not finished.');
  lines.push(summaryLine(run));
  return lines;
}

/** Below this length a "secret" is too likely to be ordinary text to replace it everywhere. */
const MIN_SECRET_LENGTH = 6;

/**
 * The run with every occurrence of `secret` (the target's access token, whatever its shape) replaced
 * in its text: a host may echo its token in an answer a failure quotes.
 */
export function withoutSecret(run: CheckRunView, secret: string): CheckRunView {
  if (secret.length < MIN_SECRET_LENGTH || !JSON.stringify(run).includes(secret)) return run;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.split(secret).join('[the access token]');
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(run) as CheckRunView;
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
      '#text': xmlText(
        [
          `expected: ${expected}`,
          `actual:   ${actual}`,
          ...(c.rationale !== undefined ? [`rule:     ${c.rationale}`] : []),
          ...(c.failedExchange !== undefined ? [`request:  ${c.failedExchange}`] : []),
        ].join('\n'),
      ),
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

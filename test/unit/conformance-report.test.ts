// The check run's reports: the human lines (marks, expected vs actual, skipped groups with the
// property, workbench rules marked, the tally) and JUnit XML read back with a real XML parser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { CheckCaseResult, CheckRunView } from '../../server/contracts/api';
import { junitReport, runPassed, summaryLine, textReport } from '../../server/conformance/report';

const kase = (group: string, name: string, extra: Partial<CheckCaseResult> = {}): CheckCaseResult => ({
  id: `${group}.${name}`,
  group,
  name,
  title: `${name} does what it should`,
  origin: 'validator',
  status: 'pass',
  durationMs: 12.5,
  exchanges: ['r1', 'r2'],
  ...extra,
});

function sampleRun(): CheckRunView {
  return {
    id: 'run-1',
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_002_500,
    state: 'done',
    wopiSrc: 'http://host.example/wopi/files/abc',
    fileName: 'scratch.wopitest',
    ownHost: false,
    signed: false,
    groups: [
      { id: 'Run', title: 'Before the cases', status: 'ran', cases: [kase('Run', 'Prerequisites')] },
      {
        id: 'Locks',
        title: 'Locks',
        status: 'ran',
        cases: [
          kase('Locks', 'LockUnlock'),
          kase('Locks', 'UnlockWrongCase', {
            origin: 'workbench',
            status: 'fail',
            // Host text with XML specials and a control character XML cannot carry.
            expected: '409 with X-WOPI-Lock: "Lock<1>"',
            actual: '200 body: a & b \u0001',
          }),
          kase('Locks', 'Broken', { status: 'error', reason: 'the request failed: socket hang up' }),
          kase('Locks', 'NeedsOldKey', { status: 'skip', reason: 'no old key' }),
        ],
      },
      {
        id: 'ProofKeys',
        title: 'Proof keys',
        status: 'skipped',
        skippedBecause: 'needs --sign',
        cases: [kase('ProofKeys', 'Current', { status: 'skip', reason: 'needs --sign' })],
      },
    ],
    totals: { pass: 2, fail: 1, skip: 2, error: 1 },
  };
}

describe('conformance reports', () => {
  it('text: marks, expected vs actual on one line, skipped groups with why, workbench rules, tally', () => {
    const run = sampleRun();
    const lines = textReport(run);
    const text = lines.join('\n');
    assert.ok(lines.includes('  ✓ LockUnlock'), text);
    assert.ok(lines.includes('  ✗ UnlockWrongCase [workbench rule]'), text);
    assert.ok(
      lines.includes('      expected 409 with X-WOPI-Lock: "Lock<1>"; got 200 body: a & b \u0001'),
      text,
    );
    assert.ok(lines.includes('      error: the request failed: socket hang up'), text);
    assert.ok(lines.includes('  - NeedsOldKey (skipped: no old key)'), text);
    assert.match(text, /^ProofKeys — Proof keys: skipped, needs --sign \(1 case\)$/m);
    assert.match(text, /\[workbench rule\]: the workbench's own rule/);
    assert.equal(lines.at(-1), '2 passed, 1 failed, 2 skipped, 1 error (6 cases, 2.500 s)');
    assert.equal(summaryLine(run), lines.at(-1));
    assert.equal(runPassed(run), false);
    assert.equal(runPassed({ ...run, totals: { pass: 2, fail: 0, skip: 2, error: 0 } }), true);
    assert.equal(
      runPassed({ ...run, state: 'failed', totals: { pass: 1, fail: 0, skip: 0, error: 0 } }),
      false,
    );
  });

  it('text: a stopped run says why', () => {
    const run = { ...sampleRun(), state: 'failed' as const, error: 'refused to run: pass --allow-writes' };
    assert.ok(textReport(run).includes('The run stopped: refused to run: pass --allow-writes.'));
  });

  it('JUnit: one testsuite per group, the counts, failure message with expected and actual, well-formed', () => {
    const xml = junitReport(sampleRun());
    assert.equal(XMLValidator.validate(xml), true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
    }).parse(xml) as {
      testsuites: {
        tests: string;
        failures: string;
        errors: string;
        skipped: string;
        testsuite: Array<{
          name: string;
          tests: string;
          failures: string;
          properties: { property: Array<{ name: string; value: string }> };
          testcase: Array<Record<string, unknown> & { name: string; classname: string }>;
        }>;
      };
    };
    const root = doc.testsuites;
    assert.deepEqual([root.tests, root.failures, root.errors, root.skipped], ['6', '1', '1', '2']);
    assert.deepEqual(
      root.testsuite.map((s) => s.name),
      ['Run', 'Locks', 'ProofKeys'],
    );
    const locks = root.testsuite[1]!;
    assert.equal(locks.tests, '4');
    assert.equal(locks.failures, '1');
    const failed = locks.testcase.find((c) => c.name === 'UnlockWrongCase')!;
    assert.equal(failed.classname, 'wopi.Locks');
    const failure = failed['failure'] as { message: string; '#text': string };
    assert.equal(failure.message, 'expected 409 with X-WOPI-Lock: "Lock<1>"; got 200 body: a & b \ufffd');
    assert.match(String(failed['system-out']), /origin: workbench/);
    const skippedSuite = root.testsuite[2]!;
    assert.ok(
      skippedSuite.properties.property.some((p) => p.name === 'skippedBecause' && p.value === 'needs --sign'),
    );
    assert.ok('skipped' in skippedSuite.testcase[0]!);
  });

  it('JUnit: a stopped run is an error, never an empty green report', () => {
    const run: CheckRunView = {
      ...sampleRun(),
      state: 'failed',
      error: 'the first CheckFileInfo answered 401',
      groups: [sampleRun().groups[0]!],
      totals: { pass: 1, fail: 0, skip: 0, error: 0 },
    };
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      junitReport(run),
    ) as {
      testsuites: { errors: string; tests: string };
    };
    assert.equal(doc.testsuites.errors, '1');
    assert.equal(doc.testsuites.tests, '2');
  });
});

// renderer/state/findings.ts and the request filter's reach into findings: the badge's count and colour,
// the Findings list (every finding with its request, newest first, filtered by severity and rule), and a
// rule id or a proxy's upstream typed in Requests' search finding their rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LintFinding } from '../../server/contracts';
import {
  collectFindings,
  EMPTY_FINDING_FILTER,
  findingTotals,
  isFindingFilterActive,
  summarizeFindings,
} from '../../renderer/state/findings';
import { EMPTY_FILTER, makeMatcher } from '../../renderer/state/request-filter';
import { makeRecord } from '../helpers/request-records';

const missingLock: LintFinding = {
  rule: 'lock-conflict-missing-header',
  severity: 'error',
  message: 'A 409 without X-WOPI-Lock: Office cannot tell who holds the lock.',
};
const slow: LintFinding = {
  rule: 'slow-response',
  severity: 'warning',
  message: 'Answered in 31 s; Office gives up after 30 s.',
};
const version: LintFinding = {
  rule: 'putfile-version-unchanged',
  severity: 'warning',
  message: 'Version did not change after a successful PutFile.',
};

// The log holds rows oldest first; r3 completes last although it started before r4.
const rows = [
  makeRecord(0),
  makeRecord(1, { findings: [slow] }),
  makeRecord(2, { findings: [] }),
  makeRecord(3, { findings: [missingLock, version], durationMs: 500 }),
  makeRecord(4, { findings: [slow], source: 'proxy', upstream: 'https://dms.example/wopi/files/7' }),
];

void describe('finding summary (the row badge)', () => {
  void it('is null for a record without findings, absent or empty', () => {
    assert.equal(summarizeFindings(rows[0]!), null);
    assert.equal(summarizeFindings(rows[2]!), null);
  });

  void it('counts every finding and takes the worst severity', () => {
    assert.deepEqual(summarizeFindings(rows[1]!), { count: 1, worst: 'warning' });
    assert.deepEqual(summarizeFindings(rows[3]!), { count: 2, worst: 'error' });
  });
});

void describe('findings list', () => {
  void it('lists every finding with its request, the latest to complete first, in the linter order within one', () => {
    const list = collectFindings(rows);
    assert.deepEqual(
      list.rows.map((row) => `${row.record.id}:${row.finding.rule}`),
      [
        'r3:lock-conflict-missing-header',
        'r3:putfile-version-unchanged',
        'r4:slow-response',
        'r1:slow-response',
      ],
    );
    assert.equal(new Set(list.rows.map((row) => row.key)).size, list.rows.length);
    assert.deepEqual(list.totals, { error: 1, warning: 3 });
    assert.equal(list.requests, 3);
    assert.deepEqual(list.rules, [
      'lock-conflict-missing-header',
      'putfile-version-unchanged',
      'slow-response',
    ]);
  });

  void it('filters by severity and rule, keeping the totals and rules of everything', () => {
    const errors = collectFindings(rows, { ...EMPTY_FINDING_FILTER, severity: 'error' });
    assert.deepEqual(
      errors.rows.map((row) => row.record.id),
      ['r3'],
    );
    const slowOnes = collectFindings(rows, { severity: '', rule: 'slow-response' });
    assert.deepEqual(
      slowOnes.rows.map((row) => row.record.id),
      ['r4', 'r1'],
    );
    assert.deepEqual(slowOnes.totals, { error: 1, warning: 3 });
    assert.equal(slowOnes.rules.length, 3);
    assert.equal(collectFindings(rows, { severity: 'error', rule: 'slow-response' }).rows.length, 0);
    assert.equal(isFindingFilterActive(EMPTY_FINDING_FILTER), false);
    assert.equal(isFindingFilterActive({ severity: '', rule: 'slow-response' }), true);
  });

  void it('counts by severity the same without building the list', () => {
    assert.deepEqual(findingTotals(rows), collectFindings(rows).totals);
    assert.deepEqual(findingTotals([]), { error: 0, warning: 0 });
  });

  void it('is empty for a log without findings', () => {
    const list = collectFindings([makeRecord(0), makeRecord(1)]);
    assert.deepEqual(list, { rows: [], rules: [], totals: { error: 0, warning: 0 }, requests: 0 });
  });
});

void describe('request search over findings and proxy fields', () => {
  const ids = (text: string) => rows.filter(makeMatcher({ ...EMPTY_FILTER, text })).map((r) => r.id);

  void it('finds rows by a rule id or words of a finding message', () => {
    assert.deepEqual(ids('lock-conflict-missing-header'), ['r3']);
    assert.deepEqual(ids('office gives up'), ['r1', 'r4']);
  });

  void it('finds proxied rows by their upstream and source', () => {
    assert.deepEqual(ids('dms.example'), ['r4']);
    assert.deepEqual(ids('proxy'), ['r4']);
  });

  void it('finds a conformance exchange by its case id', () => {
    const tagged = makeRecord(9, { check: { runId: 'run-1', caseId: 'Locks.UnlockUnlockedFile' } });
    assert.equal(makeMatcher({ ...EMPTY_FILTER, text: 'locks.unlockunlockedfile' })(tagged), true);
    assert.equal(makeMatcher({ ...EMPTY_FILTER, text: 'locks.unlockunlockedfile' })(rows[0]!), false);
  });
});

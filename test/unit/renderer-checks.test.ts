// renderer/state/checks.ts: the conformance runs as the UI keeps them (newest first, the latest copy of
// each run, a late update never undoing a later one), how a run reads (counts, verdict, the notice once
// it ends, the groups a person may pick).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { CheckCaseResult, CheckGroupResult, CheckRunView } from '../../server/contracts';
import {
  CheckStore,
  checkRunOutcome,
  countCases,
  describeCounts,
  findCase,
  groupNeedsLook,
  knownGroups,
  runCounts,
  runVerdict,
  settleCheckRun,
} from '../../renderer/state/checks';
import { NoticeStore } from '../../renderer/state/notices';

function kase(
  id: string,
  status: CheckCaseResult['status'],
  patch: Partial<CheckCaseResult> = {},
): CheckCaseResult {
  const [group = '', name = ''] = id.split('.');
  return {
    id,
    group,
    name,
    title: `checks ${name}`,
    origin: 'validator',
    status,
    durationMs: 3,
    exchanges: [`${id}-x1`],
    ...patch,
  };
}

function group(
  id: string,
  cases: CheckCaseResult[],
  patch: Partial<CheckGroupResult> = {},
): CheckGroupResult {
  return { id, title: `${id} group`, status: 'ran', cases, ...patch };
}

function run(id: string, startedAt: number, patch: Partial<CheckRunView> = {}): CheckRunView {
  return {
    id,
    startedAt,
    state: 'done',
    wopiSrc: `http://127.0.0.1:1/wopi/files/${id}`,
    ownHost: true,
    signed: false,
    groups: [],
    totals: { pass: 0, fail: 0, skip: 0, error: 0 },
    ...patch,
  };
}

const prerequisites = group('Run', [kase('Run.Prerequisites', 'pass')], { title: 'Before the cases' });
const finished = run('a', 100, {
  groups: [
    prerequisites,
    group('Locks', [
      kase('Locks.Lock', 'pass'),
      kase('Locks.UnlockUnlocked', 'fail', { expected: '409', actual: '200' }),
    ]),
    group('PutRelativeFile', [kase('PutRelativeFile.Suggested', 'skip')], {
      status: 'skipped',
      skippedBecause: 'SupportsUpdate is not true',
    }),
    group('Errors', [kase('Errors.UnknownFile', 'error', { reason: 'the host did not answer' })]),
  ],
});

void describe('check store', () => {
  void it('keeps runs newest first and replaces a run by its latest copy', () => {
    const store = new CheckStore();
    store.load([run('old', 1), run('new', 3), run('mid', 2)]);
    assert.deepEqual(
      store.get().runs.map((r) => r.id),
      ['new', 'mid', 'old'],
    );
    assert.equal(store.get().loaded, true);
    store.apply(run('mid', 2, { state: 'failed', error: 'gone' }));
    assert.deepEqual(
      store.get().runs.map((r) => r.id),
      ['new', 'mid', 'old'],
    );
    assert.equal(store.byId('mid')?.error, 'gone');
    store.apply(run('newest', 4, { state: 'running' }));
    assert.equal(store.get().runs[0]?.id, 'newest');
  });

  void it('ignores an update older than the copy it holds (a start answer after the run ended)', () => {
    const store = new CheckStore();
    const one = group('Locks', [kase('Locks.A', 'pass')]);
    const two = group('Locks', [kase('Locks.A', 'pass'), kase('Locks.B', 'pass')]);
    store.apply(run('r', 1, { state: 'running', groups: [two] }));
    store.apply(run('r', 1, { state: 'running', groups: [one] }));
    assert.equal(store.byId('r')?.groups[0]?.cases.length, 2);
    store.apply(run('r', 1, { state: 'done', groups: [two] }));
    store.apply(run('r', 1, { state: 'running', groups: [two] }));
    assert.equal(store.byId('r')?.state, 'done');
  });

  void it('keeps only the newest runs past its cap', () => {
    const store = new CheckStore(2);
    store.load([run('a', 1), run('b', 2), run('c', 3)]);
    assert.deepEqual(
      store.get().runs.map((r) => r.id),
      ['c', 'b'],
    );
    store.apply(run('d', 4));
    assert.deepEqual(
      store.get().runs.map((r) => r.id),
      ['d', 'c'],
    );
  });

  void it('says why the list could not be read, and forgets it on the next load', () => {
    const store = new CheckStore();
    store.setError('Not found (not-found)');
    assert.equal(store.get().error, 'Not found (not-found)');
    store.load([]);
    assert.equal(store.get().error, undefined);
  });
});

void describe('how a run reads', () => {
  void it('counts the cases it shows, per status', () => {
    assert.deepEqual(runCounts(finished), { pass: 2, fail: 1, skip: 1, error: 1 });
    assert.deepEqual(countCases([]), { pass: 0, fail: 0, skip: 0, error: 0 });
    assert.equal(describeCounts(runCounts(finished)), '2 passed, 1 failed, 1 error, 1 skipped');
    assert.equal(describeCounts(countCases([])), 'no case ran');
  });

  void it('has one verdict: running, passed, failed (a failure or an error), or stopped', () => {
    assert.equal(runVerdict(run('r', 1, { state: 'running' })), 'running');
    assert.equal(runVerdict(finished), 'failed');
    const errorOnly = run('e', 1, { groups: [group('Errors', [kase('Errors.X', 'error')])] });
    assert.equal(runVerdict(errorOnly), 'failed');
    const clean = run('p', 1, { groups: [prerequisites, group('Locks', [kase('Locks.Lock', 'pass')])] });
    assert.equal(runVerdict(clean), 'passed');
    // A run that could not go on is not a pass, however few cases it got to.
    assert.equal(runVerdict(run('b', 1, { state: 'failed', groups: [prerequisites] })), 'broken');
  });

  void it('marks the groups that need a look and finds a case by id', () => {
    assert.deepEqual(
      finished.groups.filter(groupNeedsLook).map((g) => g.id),
      ['Locks', 'Errors'],
    );
    assert.equal(findCase(finished, 'Locks.UnlockUnlocked')?.actual, '200');
    assert.equal(findCase(finished, 'Locks.Nope'), undefined);
  });

  void it('offers every group of earlier runs but the prerequisites, once each', () => {
    const limited = run('b', 2, { groups: [prerequisites, group('Locks', [])] });
    assert.deepEqual(
      knownGroups([limited, finished]).map((g) => g.id),
      ['Locks', 'PutRelativeFile', 'Errors'],
    );
    assert.deepEqual(knownGroups([]), []);
  });
});

void describe('the notice of a run', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  void it('is said only once a run has ended, as the run says', () => {
    assert.equal(checkRunOutcome(run('r', 1, { state: 'running' })), null);
    assert.deepEqual(checkRunOutcome(finished), {
      kind: 'error',
      text: 'Conformance run failed: 2 passed, 1 failed, 1 error, 1 skipped',
    });
    const clean = run('p', 1, { groups: [group('Locks', [kase('Locks.Lock', 'pass')])] });
    assert.deepEqual(checkRunOutcome(clean), { kind: 'success', text: 'Conformance run passed: 1 passed' });
    assert.deepEqual(checkRunOutcome(run('b', 1, { state: 'failed', error: 'target unreachable' })), {
      kind: 'error',
      text: 'Conformance run stopped: target unreachable',
    });
  });

  void it('replaces the start notice when the followed run ends, not before', () => {
    const notices = new NoticeStore();
    const checks = new CheckStore();
    const started = run('r', 1, { state: 'running' });
    checks.apply(started);
    const id = notices.push('info', 'Conformance run started…', { sticky: true });
    settleCheckRun(notices, checks, id, started);
    checks.apply(run('other', 2, { state: 'done' }));
    checks.apply(run('r', 1, { state: 'running', groups: [group('Locks', [kase('Locks.Lock', 'pass')])] }));
    assert.equal(notices.get()[0]?.kind, 'info');
    checks.apply(run('r', 1, { groups: [group('Locks', [kase('Locks.Lock', 'pass')])] }));
    assert.deepEqual(notices.get()[0], { id, kind: 'success', text: 'Conformance run passed: 1 passed' });
  });

  void it('settles at once when the store already holds the ended run (its events overtook the answer)', () => {
    const notices = new NoticeStore();
    const checks = new CheckStore();
    checks.apply(run('r', 1, { state: 'failed', error: 'refused to run' }));
    const id = notices.push('info', 'Conformance run started…', { sticky: true });
    settleCheckRun(notices, checks, id, run('r', 1, { state: 'running' }));
    assert.deepEqual(notices.get()[0], {
      id,
      kind: 'error',
      text: 'Conformance run stopped: refused to run',
    });
  });

  void it('says so when the host no longer lists the run', () => {
    const notices = new NoticeStore();
    const checks = new CheckStore();
    const started = run('r', 1, { state: 'running' });
    checks.apply(started);
    const id = notices.push('info', 'Conformance run started…', { sticky: true });
    settleCheckRun(notices, checks, id, started);
    checks.load([]);
    assert.equal(notices.get()[0]?.kind, 'info');
    assert.match(notices.get()[0]?.text ?? '', /no longer on the host/);
  });
});

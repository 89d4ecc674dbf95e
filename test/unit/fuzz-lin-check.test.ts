// The lock-table linearizability checker the chaos storms rely on: it must accept every history a
// correct host can produce (including overlapping operations in either order) and reject the ones no
// sequential lock table could, or a passing storm would prove nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearize, model } from '../helpers/fuzz/lin-check';
import type { HistoryEntry, LockOp } from '../helpers/fuzz/lin-check';

const e = (op: LockOp, invoke: number, respond: number, status: number, lock?: string): HistoryEntry => ({
  op,
  invoke,
  respond,
  status,
  ...(lock !== undefined ? { lock } : {}),
});

describe('lock linearizability checker', () => {
  it('models the WOPI lock rules (PROTOCOL §5.3)', () => {
    assert.deepEqual(model(null, { kind: 'Lock', id: 'A' }), { status: 200, next: 'A' });
    assert.deepEqual(model('A', { kind: 'Lock', id: 'A' }), { status: 200, next: 'A' });
    assert.deepEqual(model('A', { kind: 'Lock', id: 'B' }), { status: 409, lock: 'A', next: 'A' });
    assert.deepEqual(model(null, { kind: 'Unlock', id: 'A' }), { status: 409, lock: '', next: null });
    assert.deepEqual(model('A', { kind: 'UnlockAndRelock', old: 'A', id: 'B' }), { status: 200, next: 'B' });
    assert.deepEqual(model(null, { kind: 'PutFile', id: 'A' }), { status: 409, lock: '', next: null });
    assert.deepEqual(model('B', { kind: 'GetLock' }), { status: 200, lock: 'B', next: 'B' });
  });

  it('accepts a sequential history and reports where it ends', () => {
    const r = linearize(
      [
        e({ kind: 'Lock', id: 'A' }, 0, 1, 200),
        e({ kind: 'Lock', id: 'B' }, 2, 3, 409, 'A'),
        e({ kind: 'UnlockAndRelock', old: 'A', id: 'B' }, 4, 5, 200),
        e({ kind: 'GetLock' }, 6, 7, 200, 'B'),
      ],
      [null],
    );
    assert.ok(r.ok, r.ok ? '' : r.explanation);
    assert.deepEqual([...r.finals], ['B']);
  });

  it('accepts overlapping operations in whichever order explains them, and keeps every possible end', () => {
    // Two overlapping Locks: either may win, as long as the loser reports the winner's id.
    const aWins = linearize(
      [e({ kind: 'Lock', id: 'A' }, 0, 10, 200), e({ kind: 'Lock', id: 'B' }, 1, 9, 409, 'A')],
      [null],
    );
    assert.ok(aWins.ok);
    const bWins = linearize(
      [e({ kind: 'Lock', id: 'A' }, 0, 10, 409, 'B'), e({ kind: 'Lock', id: 'B' }, 1, 9, 200)],
      [null],
    );
    assert.ok(bWins.ok);
    // An Unlock overlapping a GetLock that saw nothing: ambiguous end state is not a failure.
    const either = linearize(
      [e({ kind: 'Unlock', id: 'A' }, 0, 10, 200), e({ kind: 'RefreshLock', id: 'A' }, 1, 9, 200)],
      ['A'],
    );
    assert.ok(either.ok);
    assert.deepEqual([...either.finals], [null]);
  });

  it('rejects two winners of one lock', () => {
    const r = linearize(
      [e({ kind: 'Lock', id: 'A' }, 0, 10, 200), e({ kind: 'Lock', id: 'B' }, 1, 9, 200)],
      [null],
    );
    assert.equal(r.ok, false);
  });

  it('rejects an order real time forbids', () => {
    // The Unlock finished before the GetLock began, so GetLock cannot still see A.
    const r = linearize(
      [e({ kind: 'Unlock', id: 'A' }, 0, 1, 200), e({ kind: 'GetLock' }, 2, 3, 200, 'A')],
      ['A'],
    );
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.explanation, /GetLock -> 200 X-WOPI-Lock "A"/);
  });

  it('rejects a 409 that reports a lock the table never held, or an empty one while locked', () => {
    assert.equal(linearize([e({ kind: 'Lock', id: 'B' }, 0, 1, 409, 'Z')], ['A']).ok, false);
    assert.equal(linearize([e({ kind: 'Unlock', id: 'B' }, 0, 1, 409, '')], ['A']).ok, false);
  });
});

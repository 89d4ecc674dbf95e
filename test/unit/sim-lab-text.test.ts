// The sentences the QA lab shows: the holder read from X-WOPI-LockFailureReason (ours and other
// hosts' wording), a run's failed-step summary, and the lock-lab event summaries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lockEventSummary } from '../../server/events/timeline';
import { failedStepsSummary } from '../../server/hostpage/sim-sessions';
import { holderFromReason } from '../../server/simulator';
import type { SessionStep } from '../../server/simulator';

const step = (operation: string, status: number, extra: Partial<SessionStep> = {}): SessionStep => ({
  operation,
  method: 'POST',
  status,
  ok: status >= 200 && status < 300,
  proof: 'Proof (current key)',
  correlationId: 'c',
  at: 0,
  ...extra,
});

void describe('QA lab text', () => {
  void it('reads the holder from a lock failure reason, or nobody when none is named', () => {
    assert.equal(holderFromReason('Locked by Ada Editor; PutFile: the file is locked'), 'Ada Editor');
    assert.equal(holderFromReason('locked by bob@example.test'), 'bob@example.test');
    assert.equal(holderFromReason('Locked by Bob. Try again later.'), 'Bob');
    assert.equal(holderFromReason('Checked out by Grace Coauthor'), 'Grace Coauthor');
    assert.equal(holderFromReason('PutFile: the file is locked with a different lock id'), undefined);
    assert.equal(holderFromReason(undefined), undefined);
  });

  void it('summarises failed steps one per line, saying which were expected', () => {
    const steps = [
      step('CheckFileInfo', 200),
      step('Lock', 500, { expected: true }),
      step('GetFile', 409, { serverError: 'GetFile: nope' }),
      step('Unlock', 0, { error: 'ECONNRESET' }),
    ];
    assert.equal(
      failedStepsSummary(steps, ['unsigned']),
      'Lock → 500 (expected: unsigned)\nGetFile → 409 (GetFile: nope)\nUnlock → network error: ECONNRESET',
    );
    assert.equal(failedStepsSummary([step('Lock', 200)], []), 'every step succeeded');
  });

  void it('says what a lock-lab action did, naming holders', () => {
    const l = (lockId: string, holderName?: string) => ({
      lockId,
      createdAt: 0,
      refreshedAt: 0,
      expiresAt: 1,
      ...(holderName ? { holderName } : {}),
    });
    assert.equal(lockEventSummary('lock-set', null, l('A', 'Ada')), 'Lock set: A (Ada)');
    assert.equal(lockEventSummary('lock-steal', l('A'), l('B', 'Bo')), 'Lock stolen: was A, now B (Bo)');
    assert.equal(lockEventSummary('lock-expire', null, null), 'Lock expired now: the file was not locked');
    assert.equal(
      lockEventSummary('lock-force-unlock', l('x'.repeat(50)), null),
      `Lock removed by force: ${'x'.repeat(40)}…`,
    );
  });
});

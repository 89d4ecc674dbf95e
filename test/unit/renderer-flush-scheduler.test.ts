// renderer/state/flush-scheduler.ts: frame or timer, whichever first; a minimum gap between flushes;
// idle (timer-only) scheduling; cancel.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlushScheduler } from '../../renderer/state/flush-scheduler';
import { FakeScheduler } from '../helpers/fake-scheduler';

function setup(opts = { timerMs: 250, minGapMs: 100 }) {
  const env = new FakeScheduler();
  let flushes = 0;
  const scheduler = new FlushScheduler(() => flushes++, { ...opts, env });
  return { env, scheduler, flushes: () => flushes };
}

void describe('FlushScheduler', () => {
  void it('flushes on the next animation frame, once, however often it is asked', () => {
    const { env, scheduler, flushes } = setup();
    scheduler.schedule();
    scheduler.schedule();
    scheduler.schedule();
    assert.equal(flushes(), 0, 'nothing runs synchronously');
    env.frame();
    assert.equal(flushes(), 1);
    assert.equal(env.pendingTimers, 0, 'the fallback timer is cancelled by the frame');
    env.advance(1_000);
    assert.equal(flushes(), 1);
  });

  void it('falls back to the timer when no frame comes (background tab)', () => {
    const { env, scheduler, flushes } = setup();
    scheduler.schedule();
    env.advance(249);
    assert.equal(flushes(), 0);
    env.advance(1);
    assert.equal(flushes(), 1);
    assert.equal(env.pendingFrames, 0, 'the frame request is cancelled by the timer');
  });

  void it('works with timers alone when the environment has no animation frames', () => {
    const env = new FakeScheduler();
    let flushes = 0;
    const scheduler = new FlushScheduler(() => flushes++, {
      timerMs: 250,
      minGapMs: 100,
      env: env.withoutFrames(),
    });
    scheduler.schedule();
    assert.equal(env.pendingFrames, 0);
    env.advance(250);
    assert.equal(flushes, 1);
  });

  void it('keeps the minimum gap after a flush, then takes the next frame', () => {
    const { env, scheduler, flushes } = setup();
    scheduler.schedule();
    env.frame();
    assert.equal(flushes(), 1);
    scheduler.schedule();
    env.frame();
    assert.equal(flushes(), 1, 'a frame right after a flush does not flush again');
    env.advance(99);
    env.frame();
    assert.equal(flushes(), 1);
    env.advance(1);
    env.frame();
    assert.equal(flushes(), 2, 'once the gap has passed, the next frame flushes');
  });

  void it('scheduleIdle arms only a timer; cancel disarms everything', () => {
    const { env, scheduler, flushes } = setup();
    scheduler.scheduleIdle();
    assert.equal(env.pendingFrames, 0);
    assert.equal(scheduler.armed, true);
    scheduler.cancel();
    assert.equal(scheduler.armed, false);
    env.drain();
    assert.equal(flushes(), 0);
  });
});

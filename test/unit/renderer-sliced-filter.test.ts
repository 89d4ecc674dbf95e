// renderer/state/sliced-filter.ts: a long filter runs in time-budgeted slices with the main thread given
// back between them, includes rows appended meanwhile, and can be cancelled.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SchedulerEnv } from '../../renderer/state/flush-scheduler';
import { SlicedFilter } from '../../renderer/state/sliced-filter';
import { FakeScheduler } from '../helpers/fake-scheduler';

/** Each look at the clock costs 1 ms: a slice with an 8 ms budget checks the clock ~8 times. */
function tickingEnv(fake: FakeScheduler): SchedulerEnv & { reads: number; yields: number } {
  let extra = 0;
  const env = {
    reads: 0,
    now: () => {
      env.reads++;
      return fake.now() + extra++;
    },
    yields: 0,
    setTimeout: (fn: () => void, ms: number) => {
      env.yields++;
      return fake.setTimeout(fn, ms);
    },
    clearTimeout: (h: unknown) => fake.clearTimeout(h),
  };
  return env;
}

const numbers = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

void describe('SlicedFilter', () => {
  void it('splits the work by time budget and yields between slices', () => {
    const fake = new FakeScheduler();
    const env = tickingEnv(fake);
    let result: number[] | null = null;
    let calls = 0;
    const filter = new SlicedFilter(
      env,
      numbers(100_000),
      (n) => {
        calls++;
        return n % 1000 === 0;
      },
      (out) => (result = out),
      { budgetMs: 8, maxRows: 1_000_000 },
    );
    filter.start();
    assert.equal(result, null, 'not finished in the first slice');
    assert.ok(calls > 0 && calls < 100_000, `first slice checked ${calls} rows`);
    assert.equal(fake.pendingTimers, 1, 'the rest is on a timer');
    fake.drain();
    // ~8 clock reads per slice, one per 256 rows: about 2,000 rows a slice.
    assert.ok(env.yields > 30 && env.yields < 60, `${env.yields} yields`);
    assert.deepEqual(
      result,
      numbers(100).map((n) => n * 1000),
    );
  });

  void it('caps rows per slice even when the clock does not move', () => {
    const fake = new FakeScheduler();
    let result: number[] | null = null;
    new SlicedFilter(
      fake,
      numbers(25_000),
      () => true,
      (out) => (result = out),
      { budgetMs: 8, maxRows: 10_000 },
    ).start();
    assert.equal(result, null);
    fake.drain();
    assert.equal((result as number[] | null)?.length, 25_000);
  });

  void it('includes rows appended while it runs, and stops for good when cancelled', () => {
    const fake = new FakeScheduler();
    const rows = numbers(15_000);
    let result: number[] | null = null;
    const filter = new SlicedFilter(
      fake,
      rows,
      (n) => n >= 14_999,
      (out) => (result = out),
      {
        budgetMs: 8,
        maxRows: 10_000,
      },
    );
    filter.start();
    rows.push(15_000, 15_001);
    fake.drain();
    assert.deepEqual(result, [14_999, 15_000, 15_001]);

    result = null;
    const cancelled = new SlicedFilter(
      fake,
      rows,
      () => true,
      (out) => (result = out),
      { budgetMs: 8, maxRows: 10_000 },
    );
    cancelled.start();
    cancelled.cancel();
    fake.drain();
    assert.equal(result, null);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createShutdownRegistry } from '../../main/shutdown-registry';
import type { ArmTimer } from '../../main/shutdown-registry';

/** A deadline the test fires by hand: no real time involved. */
function manualTimer(): {
  arm: ArmTimer;
  fire: () => void;
  armedWith: () => number | undefined;
  cancelled: () => boolean;
} {
  let fire: (() => void) | undefined;
  let ms: number | undefined;
  let cancelled = false;
  return {
    arm: (deadline, fn) => {
      ms = deadline;
      fire = fn;
      return () => {
        cancelled = true;
      };
    },
    fire: () => fire?.(),
    armedWith: () => ms,
    cancelled: () => cancelled,
  };
}

void test('phases run in order (window, engine, final) whatever the registration order', async () => {
  const order: string[] = [];
  const timer = manualTimer();
  const reg = createShutdownRegistry({ deadlineMs: 5000, armTimer: timer.arm });
  reg.register('tray', 'final', () => {
    order.push('tray');
  });
  reg.register('engine', 'engine', async () => {
    await new Promise((r) => setImmediate(r));
    order.push('engine');
  });
  reg.register('window-state', 'window', () => {
    order.push('window-state');
  });
  const report = await reg.run();
  assert.deepEqual(order, ['window-state', 'engine', 'tray']);
  assert.equal(report.ok, true);
  assert.deepEqual(
    report.steps.map((s) => [s.name, s.outcome]),
    [
      ['tray', 'done'],
      ['engine', 'done'],
      ['window-state', 'done'],
    ],
  );
  assert.equal(timer.armedWith(), 5000);
  assert.equal(timer.cancelled(), true, 'the deadline timer does not outlive the shutdown');
});

void test('the engine phase starts only after the window phase has finished', async () => {
  const events: string[] = [];
  let releaseWindow: () => void = () => undefined;
  const reg = createShutdownRegistry({ deadlineMs: 5000, armTimer: manualTimer().arm });
  reg.register('window', 'window', () => new Promise<void>((r) => (releaseWindow = r)));
  reg.register('engine', 'engine', () => {
    events.push('engine');
  });
  const running = reg.run();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, []);
  releaseWindow();
  await running;
  assert.deepEqual(events, ['engine']);
});

void test('a failing step is reported and later phases still run', async () => {
  const reg = createShutdownRegistry({ deadlineMs: 5000, armTimer: manualTimer().arm });
  reg.register('window-state', 'window', () => {
    throw new Error('disk full');
  });
  let engineStopped = false;
  reg.register('engine', 'engine', () => {
    engineStopped = true;
  });
  const report = await reg.run();
  assert.equal(engineStopped, true);
  assert.equal(report.ok, false);
  assert.deepEqual(report.steps[0], {
    name: 'window-state',
    phase: 'window',
    outcome: 'failed',
    error: 'disk full',
  });
});

void test('a hanging step is cut off at the deadline and later phases are skipped', async () => {
  const timer = manualTimer();
  const reg = createShutdownRegistry({ deadlineMs: 3000, armTimer: timer.arm });
  reg.register('engine', 'engine', () => new Promise<void>(() => undefined));
  let finalRan = false;
  reg.register('tray', 'final', () => {
    finalRan = true;
  });
  const running = reg.run();
  await new Promise((r) => setImmediate(r));
  timer.fire();
  const report = await running;
  assert.equal(finalRan, false);
  assert.equal(report.ok, false);
  assert.deepEqual(
    report.steps.map((s) => [s.name, s.outcome]),
    [
      ['engine', 'timed-out'],
      ['tray', 'skipped'],
    ],
  );
});

void test('run is idempotent: a second quit request waits for the same shutdown', async () => {
  let stops = 0;
  const reg = createShutdownRegistry({ deadlineMs: 5000, armTimer: manualTimer().arm });
  reg.register('engine', 'engine', () => {
    stops++;
  });
  assert.equal(reg.started, false);
  const [a, b] = await Promise.all([reg.run(), reg.run()]);
  assert.equal(a, b);
  assert.equal(stops, 1);
  assert.equal(reg.started, true);
});

void test('an unregistered step (a replaced engine) does not run', async () => {
  const stopped: string[] = [];
  const reg = createShutdownRegistry({ deadlineMs: 5000, armTimer: manualTimer().arm });
  const unregister = reg.register('engine #1', 'engine', () => {
    stopped.push('1');
  });
  reg.register('engine #2', 'engine', () => {
    stopped.push('2');
  });
  unregister();
  await reg.run();
  assert.deepEqual(stopped, ['2']);
});

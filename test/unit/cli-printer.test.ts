// The console printer of a headless run: tunnel states as a reconnect emits them (one when an attempt
// starts, one when it fails) print one line each time something changed; --json keeps every state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachPrinter } from '../../server/cli/printer';
import type { TunnelState } from '../../server/contracts/api';
import type { Engine } from '../../server/engine';
import { createEventBus } from '../../server/events/bus';

const URL_ = 'http://wb-test.localhost:1234';
const REFUSED = 'cannot reach tunnel server http://127.0.0.1:1234 (ECONNREFUSED)';
const base: TunnelState = {
  provider: 'localtunnel',
  status: 'online',
  since: 0,
  warnings: [],
  publicUrl: URL_,
};
/** What the manager emits for a drop, two failed attempts and a successful third. */
const DROP_AND_BACK: TunnelState[] = [
  { ...base, status: 'dropped', error: 'tunnel dropped: socket closed' },
  { ...base, status: 'reconnecting', attempt: 1, error: 'tunnel dropped: socket closed' },
  { ...base, status: 'reconnecting', attempt: 1, error: REFUSED },
  { ...base, status: 'reconnecting', attempt: 2, error: REFUSED },
  { ...base, status: 'reconnecting', attempt: 2, error: REFUSED },
  { ...base, status: 'reconnecting', attempt: 3, error: REFUSED },
  { ...base, status: 'online', attempt: 3 },
];

function printed(json: boolean): string[] {
  const bus = createEventBus({ now: () => 0 });
  const wb = { bus, options: { folder: '/f', dataDir: '/d' } } as unknown as Engine;
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    lines.push(String(chunk).trimEnd());
    return true;
  }) as typeof process.stdout.write;
  try {
    attachPrinter(wb, { json, quiet: false });
    for (const s of DROP_AND_BACK) bus.emit('tunnel:changed', s);
  } finally {
    process.stdout.write = write;
  }
  return lines;
}

void test('console: a reconnect prints each new state once', () => {
  assert.deepEqual(printed(false), [
    `Tunnel dropped ${URL_} — tunnel dropped: socket closed`,
    `Tunnel reconnecting ${URL_} — tunnel dropped: socket closed`,
    `Tunnel reconnecting ${URL_} — ${REFUSED}`,
    `Tunnel online ${URL_}`,
  ]);
});

void test('--json: every state, with its attempt number', () => {
  const events = printed(true).map(
    (l) => JSON.parse(l) as { event: string; status: string; attempt?: number },
  );
  assert.equal(events.length, DROP_AND_BACK.length);
  assert.ok(events.every((e) => e.event === 'tunnel'));
  assert.deepEqual(
    events.map((e) => [e.status, e.attempt]),
    DROP_AND_BACK.map((s) => [s.status, s.attempt]),
  );
});

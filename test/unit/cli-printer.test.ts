// The console printer of a headless run: the ready line always comes first (what happened while the
// run started is printed after it), tunnel states as a reconnect emits them print one line each time
// something changed (--json keeps every state), and the ready block never says more about the
// public URL than the tunnel state knows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachPrinter, type ReadyExtras } from '../../server/cli/printer';
import type { TunnelState } from '../../server/contracts/api';
import type { Engine, ReadyInfo } from '../../server/engine';
import { createEventBus } from '../../server/events/bus';

const URL_ = 'http://wb-test.localhost:1234';
const LOCAL = 'http://127.0.0.1:5555';
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

const READY: ReadyInfo = {
  wopiUrl: LOCAL,
  controlUrl: 'http://127.0.0.1:6666',
  controlToken: 'ct',
  uiUrl: 'http://127.0.0.1:6666/#token=ct',
  publicUrl: LOCAL,
};

interface Run {
  bus: ReturnType<typeof createEventBus>;
  printer: ReturnType<typeof attachPrinter>;
}

/** Runs `fn` against a printer on a bare bus and returns the stdout lines it wrote. */
function capture(json: boolean, fn: (run: Run) => void): string[] {
  const bus = createEventBus({ now: () => 0 });
  const wb = { bus, options: { folder: '/f', dataDir: '/d' } } as unknown as Engine;
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    lines.push(...String(chunk).trimEnd().split('\n'));
    return true;
  }) as typeof process.stdout.write;
  try {
    fn({ bus, printer: attachPrinter(wb, { json, quiet: false }) });
  } finally {
    process.stdout.write = write;
  }
  return lines;
}

const noTunnel: ReadyExtras = { tunnel: null, sampleCopy: false };

/** Lines printed for the reconnect sequence, after the ready output. */
function afterReady(json: boolean): string[] {
  const lines = capture(json, ({ bus, printer }) => {
    printer.ready(READY, noTunnel);
    for (const s of DROP_AND_BACK) bus.emit('tunnel:changed', s);
  });
  return lines.slice(lines.findIndex((l) => l.includes('Press Ctrl-C') || l.includes('"ready"')) + 1);
}

void test('console: a reconnect prints each new state once', () => {
  assert.deepEqual(afterReady(false), [
    `Tunnel dropped ${URL_} — tunnel dropped: socket closed`,
    `Tunnel reconnecting ${URL_} — tunnel dropped: socket closed`,
    `Tunnel reconnecting ${URL_} — ${REFUSED}`,
    `Tunnel online ${URL_}`,
  ]);
});

void test('--json: every state, with its attempt number', () => {
  const events = afterReady(true).map(
    (l) => JSON.parse(l) as { event: string; status: string; attempt?: number },
  );
  assert.equal(events.length, DROP_AND_BACK.length);
  assert.ok(events.every((e) => e.event === 'tunnel'));
  assert.deepEqual(
    events.map((e) => [e.status, e.attempt]),
    DROP_AND_BACK.map((s) => [s.status, s.attempt]),
  );
});

void test('--json: ready is the first line; events from start-up follow it, in order', () => {
  const connecting: TunnelState = { ...base, status: 'connecting', publicUrl: undefined };
  const lines = capture(true, ({ bus, printer }) => {
    bus.emit('tunnel:changed', connecting);
    bus.emit('engine:warning', { code: 'internal', message: 'something to know' });
    bus.emit('tunnel:changed', base);
    printer.ready({ ...READY, publicUrl: URL_ }, { tunnel: base, sampleCopy: false });
  });
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    events.map((e) => [e['event'], e['status'] ?? e['message']]),
    [
      ['ready', undefined],
      ['tunnel', 'connecting'],
      ['warning', 'something to know'],
      ['tunnel', 'online'],
    ],
  );
  assert.deepEqual(events[0]!['tunnel'], { status: 'online', provider: 'localtunnel' });
  assert.equal(events[0]!['folder'], '/f');
  assert.equal(events[0]!['dataDir'], '/d');
});

void test('console: the ready block comes first and tells the tunnel state; start-up tunnel lines are not repeated', () => {
  const lines = capture(false, ({ bus, printer }) => {
    bus.emit('tunnel:changed', { ...base, status: 'connecting', publicUrl: undefined });
    bus.emit('tunnel:changed', base);
    bus.emit('engine:warning', { code: 'internal', message: 'something to know' });
    printer.ready({ ...READY, publicUrl: URL_ }, { tunnel: base, sampleCopy: false });
  });
  assert.equal(lines[0], 'WOPI Workbench is running.');
  assert.ok(lines.includes(`  Public URL:  ${URL_}  (tunnel online)`), lines.join('\n'));
  assert.equal(lines.at(-1), 'Warning: something to know');
  assert.ok(!lines.some((l) => l.startsWith('Tunnel ')), 'the block already said it');
});

function publicUrlLines(publicUrl: string, tunnel: TunnelState | null): string[] {
  const lines = capture(false, ({ printer }) =>
    printer.ready({ ...READY, publicUrl }, { tunnel, sampleCopy: false }),
  );
  const start = lines.findIndex((l) => l.startsWith('  Public URL:'));
  const end = lines.findIndex((l) => l.startsWith('  Inspector:'));
  return lines.slice(start, end);
}

void test('ready block: a failed tunnel says so, why, and what to do — never "local only"', () => {
  const failed: TunnelState = { ...base, status: 'failed', publicUrl: undefined, error: REFUSED };
  const text = publicUrlLines(LOCAL, failed).join('\n');
  assert.match(
    text,
    new RegExp(`^  Public URL:  none — the tunnel failed: ${REFUSED.replace(/[()]/g, '\\$&')}`),
  );
  assert.match(text, /Links use the local URL http:\/\/127\.0\.0\.1:5555/);
  assert.match(
    text,
    /check --tunnel-server and --subdomain .* restart, or start the tunnel from the inspector's Tunnel view/,
  );
  assert.doesNotMatch(text, /local only/);
});

void test('ready block: a public URL is unverified until checked, and online only after', () => {
  const pub = 'https://wopi.example.test';
  const set: TunnelState = {
    provider: 'public-url',
    status: 'unverified',
    since: 0,
    warnings: [],
    publicUrl: pub,
  };
  assert.deepEqual(publicUrlLines(pub, set), [
    `  Public URL:  ${pub}  (unverified: checking that it reaches this workbench…)`,
  ]);
  assert.deepEqual(publicUrlLines(pub, { ...set, error: `${pub} does not reach this workbench yet` }), [
    `  Public URL:  ${pub}  (unverified: ${pub} does not reach this workbench yet)`,
  ]);
  assert.deepEqual(publicUrlLines(pub, { ...set, status: 'online' }), [`  Public URL:  ${pub}  (checked)`]);
  assert.deepEqual(publicUrlLines(LOCAL, null), [
    `  Public URL:  ${LOCAL}  (local only: --tunnel or --public-url publishes it)`,
  ]);
});

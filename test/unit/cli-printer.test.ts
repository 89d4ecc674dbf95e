// The console printer of a headless run: the ready line always comes first (what happened while the
// run started is printed after it), tunnel states as a reconnect emits them print one line each time
// something changed (--json keeps every state), and the ready block never says more about the
// public URL than the tunnel state knows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachPrinter, type ReadyExtras } from '../../server/cli/printer';
import type { RequestRecord, TunnelState } from '../../server/contracts/api';
import type { Workbench, ReadyInfo } from '../../server/workbench';
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
  const wb = { bus, options: { folder: '/f', dataDir: '/d' } } as unknown as Workbench;
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

/** A request record as request data shapes it: a file id from the URL, a name and a reason quoting bytes. */
const HOSTILE: RequestRecord = {
  id: 'r1',
  startedAt: 0,
  durationMs: 1,
  method: 'POST',
  path: '/wopi/files/%1B%5D0%3Bowned%07',
  query: '',
  operation: 'GetLock',
  override: 'GET_LOCK',
  status: 404,
  requestHeaders: {},
  responseHeaders: {},
  fileId: '\u001b]0;owned\u0007',
  why: 'unknown override "\u009b31mX" from \u202ereversed\u2029 name\nforged line\u0085',
};

/** Terminal controls a console line must never carry raw (C0 but tab, DEL, C1, bidi, line separators). */
// eslint-disable-next-line no-control-regex -- what a terminal would act on
const RAW_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

void test('console: request data cannot drive the terminal: controls are shown as escapes, one line per request', () => {
  const lines = capture(false, ({ bus, printer }) => {
    printer.ready(READY, noTunnel);
    bus.emit('request:completed', HOSTILE);
  });
  const line = lines.at(-1)!;
  assert.ok(!lines.some((l) => RAW_CONTROL.test(l)), JSON.stringify(lines));
  assert.match(line, /404 GetLock +\\x1b\]0;owned\\x07 /, 'the id is shown, escaped');
  assert.ok(
    line.endsWith('"\\x9b31mX" from \\u202ereversed\\u2029 name\\x0aforged line\\x85'),
    `the reason is shown whole, on the same line: ${line}`,
  );
});

void test('--json: the same request is one JSON line with no raw terminal control, and parses to the same values', () => {
  const lines = capture(true, ({ bus, printer }) => {
    printer.ready(READY, noTunnel);
    bus.emit('request:completed', HOSTILE);
  });
  const line = lines.at(-1)!;
  assert.ok(!RAW_CONTROL.test(line), JSON.stringify(line));
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.equal(parsed['fileId'], HOSTILE.fileId);
  assert.equal(parsed['why'], HOSTILE.why);
});

void test('ready block: a folder name with controls is escaped too, and the block keeps its own lines', () => {
  const bus = createEventBus({ now: () => 0 });
  const wb = { bus, options: { folder: '/f\u001b[2J\u0085x', dataDir: '/d' } } as unknown as Workbench;
  const out: string[] = [];
  attachPrinter(wb, { json: false, quiet: false, write: (s) => out.push(s) }).ready(READY, noTunnel);
  const lines = out.join('\n').split('\n');
  assert.ok(lines.includes('  Folder:      /f\\x1b[2J\\x85x'), lines.join('\n'));
  assert.equal(lines[0], 'WOPI Workbench is running.');
});

// renderer/api/event-stream.ts against a real engine's GET /v1/events, through the shared control
// client: frames cut by eventsource-parser however the bytes arrive, resume with Last-Event-ID after a
// cut, stream:reset classified as overrun or restart and resumed from the seq the UI reloaded at, a
// refused token that stops retrying, and an address nothing answers on. The transport passes the real
// response through; it only re-chunks the bytes and can cut the connection, as a network would.
import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { EventStream, type ConnectionInfo, type ResetCause } from '../../renderer/api/event-stream';
import { createControlClient, type AnyEventEnvelope } from '../../server/contracts';
import { controlApiForSuite } from '../helpers/control-api';

const WAIT_MS = 10_000;

interface Transport {
  fetch: typeof fetch;
  /** Last-Event-ID of every stream opened, in order (undefined: none sent). */
  opens: (string | undefined)[];
  /** Errors the current stream's body, as a dropped connection does. */
  cut(): void;
}

/** The real fetch; stream bodies are handed on in pieces of 1..7 bytes when `split` is set. */
function transport(split = false): Transport {
  const opens: (string | undefined)[] = [];
  let current: ReadableStreamDefaultController<Uint8Array> | undefined;
  const wrapped: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    // The shared client passes URLs as strings.
    if (typeof input !== 'string' || !input.endsWith('/v1/events') || !res.body) return res;
    opens.push(new Headers(init?.headers).get('last-event-id') ?? undefined);
    const reader = res.body.getReader();
    let size = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        current = controller;
      },
      async pull(controller) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done || !value) return controller.close();
        if (!split) return controller.enqueue(value);
        for (let at = 0; at < value.length; at += size) {
          size = (size % 7) + 1;
          controller.enqueue(value.subarray(at, at + size));
        }
      },
      cancel: () => reader.cancel(),
    });
    return new Response(body, { status: res.status, headers: res.headers });
  };
  return {
    fetch: wrapped,
    opens,
    cut() {
      current?.error(new Error('connection dropped'));
    },
  };
}

/** Everything one EventStream reported, with a bounded wait for what a test expects next. */
function recorder(onReset: (cause: ResetCause) => Promise<number | undefined> = async () => undefined) {
  const events: AnyEventEnvelope[] = [];
  const states: ConnectionInfo[] = [];
  const resets: ResetCause[] = [];
  const waiters = new Set<() => void>();
  const poke = (): void => {
    for (const w of [...waiters]) w();
  };
  return {
    events,
    states,
    resets,
    handlers: {
      onEvent(e: AnyEventEnvelope) {
        events.push(e);
        poke();
      },
      onConnection(info: ConnectionInfo) {
        states.push(info);
        poke();
      },
      async onReset(cause: ResetCause) {
        resets.push(cause);
        poke();
        return onReset(cause);
      },
    },
    until(check: () => boolean, what: string): Promise<void> {
      if (check()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out waiting for ${what}; states: ${JSON.stringify(states)}`));
        }, WAIT_MS);
        const waiter = (): void => {
          if (!check()) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve();
        };
        waiters.add(waiter);
      });
    },
  };
}

const lastState = (states: ConnectionInfo[]): string | undefined => states.at(-1)?.state;

void describe('EventStream over a real control listener', () => {
  const bench = controlApiForSuite({ 'a.txt': 'a' });
  const streams: EventStream[] = [];
  afterEach(() => {
    for (const s of streams.splice(0)) s.stop();
  });

  const open = (t: Transport, rec: ReturnType<typeof recorder>, token = bench.wb.controlToken) => {
    const client = createControlClient({ baseUrl: bench.base, token, fetch: t.fetch });
    const stream = new EventStream(client, rec.handlers);
    streams.push(stream);
    return stream;
  };
  const warn = (n: number): number[] => {
    const seqs: number[] = [];
    for (let i = 0; i < n; i++) {
      seqs.push(bench.wb.bus.emit('engine:warning', { code: `w${i}`, message: `é✓ ${i}` }).seq);
    }
    return seqs;
  };

  void it('delivers every event once, in seq order, whatever the byte boundaries (multi-byte text split too)', async () => {
    const t = transport(true);
    const rec = recorder();
    open(t, rec).start(bench.wb.bus.lastSeq());
    await rec.until(() => lastState(rec.states) === 'connected', 'connected');
    const seqs = warn(30);
    await rec.until(() => rec.events.length >= 30, '30 events');
    assert.deepEqual(
      rec.events.map((e) => e.seq),
      seqs,
    );
    const last = rec.events.at(-1);
    assert.equal(last?.type, 'engine:warning');
    assert.deepEqual(last?.data, { code: 'w29', message: 'é✓ 29' });
    assert.deepEqual(t.opens, [String(seqs[0]! - 1)], 'one stream, resumed from the seq it started at');
  });

  void it('after a dropped connection, resumes with Last-Event-ID = the last seq applied: no gap, no repeat', async () => {
    const t = transport();
    const rec = recorder();
    open(t, rec).start(undefined);
    await rec.until(() => lastState(rec.states) === 'connected', 'connected');
    const before = warn(5);
    await rec.until(() => rec.events.length === 5, 'the first 5 events');
    t.cut();
    await rec.until(() => lastState(rec.states) === 'reconnecting', 'reconnecting');
    const during = warn(5);
    await rec.until(() => rec.events.length === 10, 'the 5 events sent while disconnected');
    assert.deepEqual(t.opens, [undefined, String(before.at(-1))]);
    assert.deepEqual(
      rec.events.map((e) => e.seq),
      [...before, ...during],
    );
    assert.match(rec.states.find((s) => s.state === 'reconnecting')?.detail ?? '', /interrupted/);
  });

  void it('a seq from an earlier run is a restart: onReset, then the stream goes on from the seq it returned', async () => {
    const t = transport();
    const reloadedAt = (): number => bench.wb.bus.lastSeq();
    const rec = recorder(async () => reloadedAt());
    open(t, rec).start(bench.wb.bus.lastSeq() + 100);
    await rec.until(() => rec.resets.length === 1 && t.opens.length === 2, 'a reset and a second stream');
    assert.deepEqual(rec.resets, ['restart']);
    assert.equal(t.opens[1], String(reloadedAt()));
    await rec.until(() => lastState(rec.states) === 'connected', 'connected again');
    const [next] = warn(1);
    await rec.until(() => rec.events.length === 1, 'the next event');
    assert.equal(rec.events[0]?.seq, next);
  });

  void it('a resume point the backlog no longer holds is an overrun', async () => {
    const t = transport();
    const rec = recorder(async () => bench.wb.bus.lastSeq());
    const from = bench.wb.bus.lastSeq();
    // More than the bus keeps (5000), so `from` has fallen out of the backlog.
    warn(5_050);
    open(t, rec).start(from);
    await rec.until(() => rec.resets.length === 1, 'a reset');
    assert.deepEqual(rec.resets, ['overrun']);
    await rec.until(() => t.opens.length === 2, 'the stream reopened');
    assert.equal(t.opens[1], String(bench.wb.bus.lastSeq()));
    assert.equal(rec.events.length, 0, 'nothing from before the reset is applied');
  });

  void it('a refused token disconnects and waits for the person instead of retrying', async () => {
    const t = transport();
    const rec = recorder();
    open(t, rec, 'not-the-token').start(undefined);
    await rec.until(() => lastState(rec.states) === 'disconnected', 'disconnected');
    assert.match(rec.states.at(-1)?.detail ?? '', /control token was refused/);
    // The shortest backoff is 400 ms: wait past it and no second attempt was made.
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(t.opens.length, 1);
  });

  void it('nothing listening: reconnecting, with the client sentence naming the address', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const rec = recorder();
    const client = createControlClient({ baseUrl: `http://127.0.0.1:${closed}`, token: 'x' });
    const stream = new EventStream(client, rec.handlers);
    streams.push(stream);
    stream.start(undefined);
    await rec.until(() => lastState(rec.states) === 'reconnecting', 'reconnecting');
    assert.match(
      rec.states.at(-1)?.detail ?? '',
      new RegExp(`^Cannot reach the control API at http://127\\.0\\.0\\.1:${closed}$`),
    );
    assert.ok((rec.states.at(-1)?.retryAt ?? 0) > Date.now(), 'a next attempt is scheduled');
  });
});

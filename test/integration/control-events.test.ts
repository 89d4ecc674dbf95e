// GET /v1/events over real HTTP: live events (redacted), resume with Last-Event-ID or ?since= without
// gaps or duplicates, stream:reset when the backlog no longer reaches back, heartbeats, a stuck reader
// cut off while a healthy one keeps every event, and streams ending when the engine stops.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { AnyEventEnvelope, RequestRecord } from '../../server/contracts';
import type { ControlApp } from '../../server/control';
import { createWorkbench } from '../../server/workbench';
import type { Workbench } from '../../server/workbench';
import { serveControlApp } from '../helpers/control-app';
import { checkFileInfo, expectStatus } from '../helpers/wopi-client';
import type { WopiTarget } from '../helpers/wopi-client';

const WAIT_MS = 10_000;

interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

interface SseClient {
  status: number;
  headers: IncomingHttpHeaders;
  /** Error body when status is not 200. */
  body: string;
  events: SseEvent[];
  comments: string[];
  /** Resolves with the first event (already received or later) matching `pred`. */
  waitFor(pred: (e: SseEvent) => boolean, what: string): Promise<SseEvent>;
  waitForComment(text: string): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

let root: string;
let wb: Workbench;
let target: WopiTarget;
const clients: SseClient[] = [];

function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function openStream(
  opts: { query?: string; lastEventId?: string; token?: string | null; base?: string } = {},
): Promise<SseClient> {
  const url = new URL(`${opts.base ?? wb.controlUrl()}/v1/events${opts.query ?? ''}`);
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  const token = opts.token === undefined ? wb.controlToken : opts.token;
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  if (opts.lastEventId !== undefined) headers['Last-Event-ID'] = opts.lastEventId;
  return bounded(
    new Promise<SseClient>((resolve, reject) => {
      const req = http.request(url, { headers, agent: false }, (res) => {
        const events: SseEvent[] = [];
        const comments: string[] = [];
        const waiters = new Set<() => void>();
        let buf = '';
        let body = '';
        const ended = new Promise<void>((done) => res.on('close', done));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (res.statusCode !== 200) return void (body += chunk);
          buf += chunk;
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const e: SseEvent = { event: 'message', data: '' };
            let isEvent = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              else if (line.startsWith('id: ')) e.id = line.slice(4);
              else if (line.startsWith('event: ')) e.event = line.slice(7);
              else if (line.startsWith('data: ')) {
                e.data = line.slice(6);
                isEvent = true;
              }
            }
            if (isEvent) events.push(e);
          }
          for (const w of [...waiters]) w();
        });
        const until = (cond: () => boolean, what: string): Promise<void> =>
          bounded(
            new Promise<void>((done) => {
              const check = (): void => {
                if (!cond()) return;
                waiters.delete(check);
                done();
              };
              waiters.add(check);
              check();
            }),
            what,
          );
        const client: SseClient = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          get body() {
            return body;
          },
          events,
          comments,
          ended,
          close: () => req.destroy(),
          async waitFor(pred, what) {
            await until(() => events.some(pred), what);
            return events.find(pred)!;
          },
          waitForComment: (text) => until(() => comments.includes(text), `comment "${text}"`),
        };
        clients.push(client);
        if (res.statusCode === 200) resolve(client);
        else res.on('end', () => resolve(client));
      });
      req.on('error', reject);
      req.end();
    }),
    'the event stream to open',
  );
}

const envelope = (e: SseEvent): AnyEventEnvelope => JSON.parse(e.data) as AnyEventEnvelope;
const warning = (message: string): number => wb.bus.emit('engine:warning', { code: 'test', message }).seq;
const isWarning = (message: string) => (e: SseEvent) =>
  e.event === 'engine:warning' && (envelope(e).data as { message: string }).message === message;

function assertConsecutive(events: SseEvent[], from: number, what: string): void {
  const ids = events.map((e) => Number(e.id));
  assert.deepEqual(
    ids,
    ids.map((_v, i) => from + i),
    `${what}: ids are not consecutive from ${from}`,
  );
}

before(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'wb-control-events-'));
  const folder = path.join(root, 'folder');
  await fsp.mkdir(folder);
  await fsp.writeFile(path.join(folder, 'live.docx'), 'live');
  wb = createWorkbench({ folder, dataDir: path.join(root, 'data'), watch: false });
  await wb.start();
  const file = (await wb.index.list())[0]!;
  const grant = wb.mintTokenForId(file.id);
  target = { wopiSrc: grant.wopiSrc, accessToken: grant.accessToken };
});

after(async () => {
  for (const c of clients) c.close();
  await wb?.stop();
  if (root) await fsp.rm(root, { recursive: true, force: true });
});

void describe('GET /v1/events', () => {
  void it('needs the token and a loopback Host like every other route', async () => {
    const anon = await openStream({ token: null });
    assert.equal(anon.status, 401);
    assert.equal((JSON.parse(anon.body) as { error: { code: string } }).error.code, 'unauthorized');
    const bad = await openStream({ lastEventId: 'abc' });
    assert.equal(bad.status, 400);
  });

  void it('streams request:completed for a WOPI call, with the access token redacted', async () => {
    const s = await openStream();
    assert.equal(s.status, 200);
    assert.match(String(s.headers['content-type']), /^text\/event-stream/);
    assert.equal(s.headers['access-control-allow-origin'], undefined);
    await s.waitForComment('connected');
    expectStatus(await checkFileInfo(target), 200);
    const e = await s.waitFor((x) => x.event === 'request:completed', 'request:completed');
    assert.ok(!e.data.includes(target.accessToken), 'the token must not be on the stream');
    const env = envelope(e);
    assert.equal(env.type, 'request:completed');
    assert.equal(env.seq, Number(e.id));
    const rec = env.data as RequestRecord;
    assert.equal(rec.operation, 'CheckFileInfo');
    assert.equal(rec.redacted, true);
    assert.match(rec.query, /access_token=\[redacted/);
    s.close();
  });

  void it('resumes with Last-Event-ID (or ?since=) without gaps or duplicates', async () => {
    const first = await openStream();
    await first.waitForComment('connected');
    warning('r1');
    warning('r2');
    const lastSeen = Number((await first.waitFor(isWarning('r2'), 'r2')).id);
    first.close();
    await bounded(first.ended, 'the first stream to close');

    // Missed while disconnected: warnings and a WOPI request.
    const logged = new Promise<void>((resolve) => {
      const off = wb.bus.on('request:completed', () => (off(), resolve()));
    });
    warning('gap-1');
    expectStatus(await checkFileInfo(target), 200);
    await bounded(logged, 'the WOPI request to be logged');
    warning('gap-2');

    for (const how of ['header', 'query'] as const) {
      const resumed =
        how === 'header'
          ? await openStream({ lastEventId: String(lastSeen) })
          : await openStream({ query: `?since=${lastSeen}` });
      const live = `live-${how}`;
      await resumed.waitFor(isWarning('gap-2'), `${how}: replayed gap-2`);
      warning(live);
      await resumed.waitFor(isWarning(live), `${how}: live event`);
      assertConsecutive(resumed.events, lastSeen + 1, how);
      assert.ok(
        resumed.events.some((e) => e.event === 'request:completed'),
        `${how}: the missed request:completed was replayed`,
      );
      resumed.close();
    }
  });

  void it('sends stream:reset when the backlog no longer reaches back, then continues live', async () => {
    const oldest = wb.bus.lastSeq();
    for (let i = 0; i < 5100; i++) warning(`flood-${i}`); // more than the bus keeps
    const s = await openStream({ lastEventId: String(oldest) });
    const reset = await s.waitFor((e) => e.event === 'stream:reset', 'stream:reset');
    assert.equal(s.events[0], reset, 'stream:reset comes first, before any replay');
    const info = JSON.parse(reset.data) as { lastSeq: number };
    assert.equal(info.lastSeq, wb.bus.lastSeq());
    assert.equal(Number(reset.id), info.lastSeq);
    const seq = warning('after-reset');
    assert.equal(Number((await s.waitFor(isWarning('after-reset'), 'after-reset')).id), seq);
    assert.equal(s.events.length, 2, 'nothing replayed after the reset');

    const future = await openStream({ query: `?since=${wb.bus.lastSeq() + 1000}` });
    await future.waitFor((e) => e.event === 'stream:reset', 'reset for a seq from another run');
    s.close();
    future.close();
  });

  void it('sends heartbeat comments on an idle stream', async () => {
    const control = await serveControlApp(wb, { heartbeatMs: 20 });
    try {
      const s = await openStream({ base: control.url });
      await s.waitForComment('ping');
      s.close();
    } finally {
      await control.close();
    }
  });

  void it('cuts a reader that stops reading, while a healthy reader gets every event', async () => {
    const control = await serveControlApp(wb, { maxQueuedEvents: 30 });
    const handler: ControlApp = control.app;
    try {
      const healthy = await openStream({ base: control.url });
      await healthy.waitForComment('connected');
      const from = wb.bus.lastSeq() + 1;

      const port = control.port;
      const stuck = net.connect(port, '127.0.0.1');
      const stuckClosed = new Promise<void>((resolve) => stuck.on('close', () => resolve()));
      let head = '';
      await bounded(
        new Promise<void>((resolve) => {
          const onData = (chunk: Buffer): void => {
            head += chunk.toString('latin1');
            if (!head.includes(': connected')) return;
            stuck.off('data', onData);
            stuck.pause(); // from now on, it never reads
            resolve();
          };
          stuck.on('data', onData);
          stuck.write(
            `GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${wb.controlToken}\r\n\r\n`,
          );
        }),
        'the stuck reader to connect',
      );
      assert.match(head, /^HTTP\/1\.1 200/);
      assert.equal(handler.streamCount(), 2);

      const big = 'x'.repeat(32 * 1024);
      let emitted = 0;
      while (handler.streamCount() === 2 && emitted < 3000) {
        wb.bus.emit('engine:warning', { code: 'load', message: big });
        if (++emitted % 4 === 0) await tick();
      }
      assert.equal(handler.streamCount(), 1, `the stuck reader was not cut after ${emitted} events`);
      stuck.resume();
      await bounded(stuckClosed, 'the stuck socket to be closed by the server');

      const marker = warning('after-cut');
      await healthy.waitFor(isWarning('after-cut'), 'the healthy reader to get the marker');
      assertConsecutive(healthy.events, from, 'healthy reader');
      assert.equal(Number(healthy.events.at(-1)?.id), marker);
      healthy.close();
    } finally {
      await control.close();
    }
  });

  void it('ends open streams when the engine stops', async () => {
    const s = await openStream();
    await s.waitForComment('connected');
    await wb.stop();
    await bounded(s.ended, 'the stream to end on stop');
  });
});

// GET /v1/events: the bus as Server-Sent Events. Each connection keeps only a cursor (the last seq
// it sent) into the bus's bounded backlog, never its own copy of events: while the socket is
// congested nothing is written, and on 'drain' the missed events are pulled from the backlog. A
// client that stays congested while more than `maxQueuedEvents` events pass is cut off, so a stuck
// reader costs neither memory nor time; it reconnects with Last-Event-ID and resumes (or resets).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STREAM_RESET_EVENT } from '../contracts/control';
import type { StreamResetData } from '../contracts/control';
import type { AnyEventEnvelope } from '../contracts/events';
import type { EventBus } from '../events/bus';
import { redactEnvelope } from '../events/redact';
import { ApiModelError } from '../api';
import { BASE_HEADERS } from './respond';

export interface EventStreamOptions {
  /** Comment line that keeps idle connections (and proxies) alive. Default 15 s. */
  heartbeatMs?: number;
  /** Events a congested client may fall behind before it is disconnected. Default 1000. */
  maxQueuedEvents?: number;
}

/** Secrets never leave in clear, on the stream included. */
function frame(env: AnyEventEnvelope): string {
  return `id: ${env.seq}\nevent: ${env.type}\ndata: ${JSON.stringify(redactEnvelope(env))}\n\n`;
}

/**
 * `frame`, remembering the last envelope framed: a live event goes to every open stream in turn, so
 * it is redacted and serialized once however many inspectors are connected.
 */
function lastFrameCache(): (env: AnyEventEnvelope) => string {
  let lastEnv: AnyEventEnvelope | undefined;
  let lastText = '';
  return (env) => {
    if (env !== lastEnv) {
      lastText = frame(env);
      lastEnv = env;
    }
    return lastText;
  };
}

/** The resume point: Last-Event-ID (set by reconnecting clients) wins over ?since=. */
function resumePoint(req: IncomingMessage, query: URLSearchParams): number | undefined {
  const header = req.headers['last-event-id'];
  const raw = typeof header === 'string' && header.trim() !== '' ? header.trim() : query.get('since');
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw))
    throw new ApiModelError('bad-request', 'Last-Event-ID / since must be an event seq (a whole number)');
  return Number(raw);
}

export function createEventStreams(bus: EventBus, opts: EventStreamOptions = {}) {
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const maxQueued = opts.maxQueuedEvents ?? 1000;
  /** Open streams and what unsubscribes each. */
  const open = new Map<ServerResponse, () => void>();
  const framed = lastFrameCache();

  function serve(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const since = resumePoint(req, query);
    res.writeHead(200, {
      ...BASE_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    let lastSent = since ?? bus.lastSeq();
    let congested = false;
    let congestedAt = 0;
    let closed = false;

    const write = (chunk: string): void => {
      if (closed) return;
      if (!res.write(chunk)) {
        congested = true;
        congestedAt = bus.lastSeq();
      }
    };
    const reset = (reason: string): void => {
      lastSent = bus.lastSeq();
      const data: StreamResetData = { lastSeq: lastSent, reason };
      write(`id: ${lastSent}\nevent: ${STREAM_RESET_EVENT}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    /** Send everything after lastSent that the backlog holds, until the socket pushes back. */
    const pump = (): void => {
      const due = bus.since(lastSent);
      if (due === null) {
        reset('the event backlog no longer reaches back to your last event; refetch state');
        return;
      }
      for (const env of due) {
        if (closed || congested) return;
        write(framed(env));
        lastSent = env.seq;
      }
    };

    const off = bus.onAny((env) => {
      if (closed || env.seq <= lastSent) return;
      if (congested) {
        if (env.seq - congestedAt > maxQueued) res.destroy(); // too slow: cut rather than fall further behind
        return;
      }
      if (env.seq === lastSent + 1) {
        write(framed(env));
        lastSent = env.seq;
      } else pump();
    });
    const heartbeat = setInterval(() => {
      if (!congested) write(': ping\n\n');
    }, heartbeatMs);
    heartbeat.unref();
    const cleanup = (): void => {
      if (closed) return;
      closed = true;
      off();
      clearInterval(heartbeat);
      open.delete(res);
    };
    res.on('close', cleanup);
    res.on('drain', () => {
      congested = false;
      if (!closed) pump();
    });
    open.set(res, cleanup);

    write(': connected\n\n');
    if (since !== undefined && since > bus.lastSeq()) {
      reset('that event seq is from an earlier run of the engine; refetch state');
    } else if (since !== undefined) pump();
  }

  return {
    serve,
    count: (): number => open.size,
    /**
     * End every stream (shutdown): a congested one is cut, the others end cleanly. Each is unsubscribed
     * first, since 'close' comes later and later shutdown steps still emit (the tunnel turning off).
     */
    closeAll: (): void => {
      for (const [res, cleanup] of [...open]) {
        cleanup();
        if (res.writableNeedDrain) res.destroy();
        else res.end();
      }
    },
  };
}

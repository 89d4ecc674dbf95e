// Applying a fired fault rule to one WOPI call (the rule was chosen by server/faults/ once the caller
// and the file are known). A status is answered instead of the operation; latency waits, then
// handles; a throttle paces the GetFile body or the PutFile upload; a cut body stops mid-stream; a
// dropped connection gets no answer at all; file-info edits CheckFileInfo's JSON. A fault never
// writes: an upload that is cut or refused is never handed to the PutFile handler, so the file keeps
// its bytes and version exactly as a real failure would leave them. The status answer and the record's
// tag are the faults room's (the inspecting proxy uses them too).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FiredFault } from '../faults';
import { answerStatus } from '../faults';
import type { RecordNotes } from '../wopi/context';
import type { Outcome } from '../wopi/outcomes';
import { writeHead } from '../wopi/outcomes';

interface FaultIo {
  req: IncomingMessage;
  res: ServerResponse;
  notes: RecordNotes;
  /** Runs the operation (permission check + handler), reading the body from `body`. */
  run: (body: IncomingMessage) => Outcome | Promise<Outcome>;
}

/** The outcome of a call the fault answered (or left unanswered) itself; the record's why is the fault's. */
const injected = (f: FiredFault): Outcome => ({
  kind: 'server-error',
  why: `injected by fault rule "${f.ruleName}"`,
});

/** A stream that passes bytes on at `bytesPerSecond`, in slices of about 50 ms each. */
export function pace(bytesPerSecond: number): Transform {
  const slice = Math.max(1, Math.floor(bytesPerSecond / 20));
  let start = 0;
  let sent = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (start === 0) start = performance.now();
      void (async () => {
        for (let off = 0; off < chunk.length && !this.destroyed; off += slice) {
          const part = chunk.subarray(off, off + slice);
          const wait = start + (sent / bytesPerSecond) * 1000 - performance.now();
          if (wait > 0) await sleep(wait);
          sent += part.length;
          this.push(part);
        }
      })().then(() => cb(), cb);
    },
  });
}

/**
 * The request as the PutFile handler reads it, its body paced: headers and all, so the handler cannot
 * tell. A client that goes away mid-upload makes the view fail as the request itself would.
 */
function pacedRequest(req: IncomingMessage, bytesPerSecond: number): IncomingMessage {
  const view = pace(bytesPerSecond);
  Object.assign(view, { headers: req.headers, method: req.method, url: req.url, socket: req.socket });
  req.on('close', () => {
    if (!req.readableEnded) view.destroy();
  });
  // Cut short by the handler (idle limit, size limit): the rest of the body is drained, not left stuck.
  view.on('close', () => {
    if (!req.readableEnded) {
      req.unpipe(view);
      req.resume();
    }
  });
  req.pipe(view);
  return view as unknown as IncomingMessage;
}

/** Reads up to `limit` body bytes (dropping them) and resolves with how many arrived. */
function readSome(req: IncomingMessage, limit: number): Promise<number> {
  return new Promise((resolve) => {
    let seen = 0;
    if (limit === 0 || req.readableEnded) return resolve(0);
    const done = (): void => {
      req.off('data', onData).off('end', done).off('close', done);
      req.pause();
      resolve(seen);
    };
    const onData = (c: Buffer): void => {
      seen += c.length;
      if (seen >= limit) done();
    };
    req.on('data', onData).on('end', done).on('close', done);
  });
}

/** Writes `chunk` and waits until it is handed to the socket. */
const written = (res: ServerResponse, chunk: Buffer): Promise<void> =>
  new Promise((resolve) => res.write(chunk, () => resolve()));

/**
 * A GetFile body sent by the fault: paced, or cut after `cutAfter` bytes (headers and those bytes,
 * then the connection closes). Never throws: a client that leaves ends it.
 */
async function sendBody(
  res: ServerResponse,
  o: Extract<Outcome, { kind: 'ok' }>,
  how: { bytesPerSecond?: number; cutAfter?: number },
): Promise<void> {
  const { handle, size } = o.body!;
  writeHead(res, o);
  res.setHeader('content-length', size);
  try {
    if (how.cutAfter !== undefined) {
      const n = Math.min(how.cutAfter, size);
      res.flushHeaders();
      if (n > 0) {
        const stream = handle.createReadStream({ autoClose: false, start: 0, end: n - 1 });
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        await written(res, Buffer.concat(chunks));
      } else {
        const socket = res.socket;
        if (socket) await new Promise<void>((resolve) => socket.write('', () => resolve()));
      }
      // Fewer bytes than Content-Length, then the end: the client sees a truncated body.
      res.socket?.destroy();
      return;
    }
    if (size === 0) return void res.end();
    const stream = handle.createReadStream({ highWaterMark: 64 * 1024, autoClose: false, end: size - 1 });
    await pipeline(stream, pace(how.bytesPerSecond!), res);
  } catch {
    res.destroy();
  }
}

/** Applies `f` to the call; what it returns is the call's outcome (already written when answered here). */
export async function applyFault(f: FiredFault, io: FaultIo, operation: string): Promise<Outcome> {
  const { req, res } = io;
  const e = f.effect;
  switch (e.kind) {
    case 'status':
      answerStatus(res, f, e);
      return injected(f);
    case 'latency':
      await sleep(e.ms);
      return io.run(req);
    case 'drop-connection':
      req.socket.destroy();
      return injected(f);
    case 'file-info': {
      const o = await io.run(req);
      if (o.kind !== 'ok' || !o.json) return o;
      const json: Record<string, unknown> = { ...(o.json as Record<string, unknown>) };
      for (const [k, v] of Object.entries(e.set)) {
        if (v === null) delete json[k];
        else json[k] = v;
      }
      return { ...o, json };
    }
    case 'throttle':
    case 'abort-body': {
      if (operation === 'PutFile') {
        if (e.kind === 'throttle') return io.run(pacedRequest(req, e.bytesPerSecond));
        // Read the first bytes, then cut: the handler never sees this upload, so nothing is written.
        const seen = await readSome(req, e.afterBytes);
        io.notes.requestBody = { size: seen };
        req.socket.destroy();
        return injected(f);
      }
      const o = await io.run(req);
      if (operation !== 'GetFile' || o.kind !== 'ok' || !o.body || req.method === 'HEAD') return o;
      await sendBody(
        res,
        o,
        e.kind === 'throttle' ? { bytesPerSecond: e.bytesPerSecond } : { cutAfter: e.afterBytes },
      );
      return o;
    }
  }
}

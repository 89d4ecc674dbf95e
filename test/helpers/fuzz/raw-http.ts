// HTTP/1.1 over a bare TCP socket, for requests node:http refuses to send: duplicate or raw-byte
// headers, a wrong Content-Length, bodies that trickle, stall or stop, clients that hang up. The
// response is parsed from the raw bytes, so header well-formedness can be checked as it was sent.
import net from 'node:net';

export type HeaderValue = string | Buffer;

export type Delivery =
  | { kind: 'whole' }
  /** `chunk` bytes every `everyMs`. */
  | { kind: 'trickle'; chunk: number; everyMs: number }
  /** Send `after` bytes, go silent for `ms`, then send the rest. */
  | { kind: 'stall'; after: number; ms: number }
  /** Send `after` bytes, then drop the connection (a client that goes away). */
  | { kind: 'hang-up'; after: number }
  /** Send `after` bytes, then wait for `until` before sending the rest (a stall the caller ends). */
  | { kind: 'hold'; after: number; until: Promise<void> };

export interface RawSpec {
  method: string;
  /** Path and query exactly as sent on the request line. */
  target: string;
  /** In order; duplicates allowed; Buffer values go out byte for byte. */
  headers: Array<[string, HeaderValue]>;
  body?: Buffer;
  /** Absent: the true length (unless chunked). A number or a text is sent as is, right or wrong. */
  contentLength?: number | { text: string };
  chunked?: boolean;
  delivery?: Delivery;
  /** Ask the server to close after this request (the default is keep-alive, as WOPI clients use). */
  close?: boolean;
  /** After the last byte is sent, a response must start within this long. */
  answerWithinMs: number;
}

export interface RawResponse {
  status: number;
  reason: string;
  /** Each header line as received (latin1), in order. */
  lines: string[];
  /** Lower-case name -> values in order. */
  headers: Map<string, string[]>;
  body: Buffer;
  /** Set when the response framing itself was broken. */
  malformed?: string;
  header(name: string): string | undefined;
}

export type RawOutcome =
  | { kind: 'answered'; res: RawResponse; sentAllBody: boolean; waitedMs: number }
  /** Everything was sent and nothing came back in time. */
  | { kind: 'unanswered'; waitedMs: number; partial: string; stage: 'sending' | 'waiting' }
  /** The server closed or reset the connection without a complete response. */
  | { kind: 'closed'; reason: string; sentAllBody: boolean }
  /** We dropped the connection on purpose before the body was complete. */
  | { kind: 'hung-up' };

function head(spec: RawSpec, host: string): Buffer {
  const parts: Buffer[] = [
    Buffer.from(`${spec.method} ${spec.target} HTTP/1.1\r\nHost: ${host}\r\n`, 'latin1'),
  ];
  for (const [name, value] of spec.headers) {
    parts.push(
      Buffer.from(`${name}: `, 'latin1'),
      typeof value === 'string' ? Buffer.from(value, 'latin1') : value,
    );
    parts.push(Buffer.from('\r\n'));
  }
  const bodyLength = spec.body?.length ?? 0;
  const cl = spec.contentLength;
  if (spec.chunked) parts.push(Buffer.from('Transfer-Encoding: chunked\r\n'));
  if (cl === undefined && !spec.chunked && (bodyLength > 0 || spec.method === 'POST')) {
    parts.push(Buffer.from(`Content-Length: ${bodyLength}\r\n`));
  } else if (cl !== undefined) {
    parts.push(Buffer.from(`Content-Length: ${typeof cl === 'number' ? cl : cl.text}\r\n`, 'latin1'));
  }
  parts.push(Buffer.from(spec.close ? 'Connection: close\r\n\r\n' : '\r\n'));
  return Buffer.concat(parts);
}

/** The body as it goes on the wire (chunk-framed when chunked). */
function wireBody(spec: RawSpec): Buffer {
  const body = spec.body ?? Buffer.alloc(0);
  if (!spec.chunked) return body;
  const parts: Buffer[] = [];
  for (let i = 0; i < body.length; i += 16 * 1024) {
    const piece = body.subarray(i, i + 16 * 1024);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

const noBodyStatus = (status: number): boolean => status === 204 || status === 304 || status < 200;

/** Parses a response from the bytes so far: null while incomplete. `closed`: the peer has finished. */
export function parseResponse(buf: Buffer, method: string, closed: boolean): RawResponse | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const text = buf.subarray(0, end).toString('latin1').split('\r\n');
  const statusLine = text[0] ?? '';
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  const headers = new Map<string, string[]>();
  const lines = text.slice(1);
  let malformed: string | undefined = m ? undefined : `bad status line ${JSON.stringify(statusLine)}`;
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) {
      malformed ??= `bad header line ${JSON.stringify(line)}`;
      continue;
    }
    const name = line.slice(0, i).toLowerCase();
    const value = line.slice(i + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  const status = m ? Number(m[1]) : 0;
  const rest = buf.subarray(end + 4);
  let body: Buffer;
  const te = headers.get('transfer-encoding')?.join(',').toLowerCase() ?? '';
  const cl = headers.get('content-length');
  if (method === 'HEAD' || noBodyStatus(status)) body = Buffer.alloc(0);
  else if (te.includes('chunked')) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd < 0) return closed ? done(Buffer.concat(parts), 'truncated chunked body') : null;
      const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size)) return done(Buffer.concat(parts), 'bad chunk size');
      if (size === 0) break;
      if (rest.length < lineEnd + 2 + size + 2)
        return closed ? done(Buffer.concat(parts), 'truncated chunk') : null;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (cl !== undefined) {
    const n = Number(cl[0]);
    if (!Number.isInteger(n) || n < 0) return done(rest, `bad Content-Length ${JSON.stringify(cl[0])}`);
    if (rest.length < n) return closed ? done(rest, `body is ${rest.length} of ${n} bytes`) : null;
    body = rest.subarray(0, n);
  } else {
    if (!closed) return null;
    body = rest;
  }
  return done(body, undefined);

  function done(b: Buffer, why: string | undefined): RawResponse {
    const bad = malformed ?? why;
    return {
      status,
      reason: m?.[2] ?? '',
      lines,
      headers,
      body: b,
      ...(bad !== undefined ? { malformed: bad } : {}),
      header: (name) => headers.get(name.toLowerCase())?.join(', '),
    };
  }
}

/** How long the chosen delivery takes by itself, before any waiting on the server. */
function plannedMs(spec: RawSpec, d: Delivery): number {
  const size = spec.body?.length ?? 0;
  if (d.kind === 'trickle') return Math.ceil(size / d.chunk) * d.everyMs;
  if (d.kind === 'stall') return d.ms;
  return 0;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends one request on a fresh connection and reports what became of it. */
export function rawRequest(origin: string, spec: RawSpec): Promise<RawOutcome> {
  const url = new URL(origin);
  const port = Number(url.port);
  const delivery = spec.delivery ?? { kind: 'whole' };
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port });
    socket.setNoDelay(true);
    let received = Buffer.alloc(0);
    let settled = false;
    let sentAll = false;
    let sentAt = 0;
    let timer: NodeJS.Timeout | undefined;
    const settle = (o: RawOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const tryParse = (closed: boolean): void => {
      const res = parseResponse(received, spec.method, closed);
      if (res)
        settle({ kind: 'answered', res, sentAllBody: sentAll, waitedMs: sentAt ? Date.now() - sentAt : 0 });
      else if (closed)
        settle({
          kind: 'closed',
          reason: received.length ? 'incomplete response' : 'closed without a response',
          sentAllBody: sentAll,
        });
    };
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('close', () => tryParse(true));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (received.length) tryParse(true);
      else settle({ kind: 'closed', reason: e.code ?? e.message, sentAllBody: sentAll });
    });

    const write = (b: Buffer): Promise<void> =>
      new Promise((r) => {
        if (settled || socket.destroyed) return r();
        if (socket.write(b)) r();
        else {
          const go = (): void => {
            socket.off('drain', go);
            socket.off('close', go);
            r();
          };
          socket.once('drain', go);
          socket.once('close', go);
        }
      });

    const startedAt = Date.now();
    const unanswered = (stage: 'sending' | 'waiting'): void =>
      settle({
        kind: 'unanswered',
        waitedMs: Date.now() - (sentAt || startedAt),
        partial: received.subarray(0, 200).toString('latin1'),
        stage,
      });
    // A server that stops reading the body blocks the send itself: bound that too (a held body is
    // bounded once it is released).
    const sendBound = (): void => {
      timer = setTimeout(() => unanswered('sending'), plannedMs(spec, delivery) + spec.answerWithinMs);
    };
    if (delivery.kind === 'hold') void delivery.until.then(() => !settled && !sentAll && sendBound());
    else sendBound();
    const armTimer = (): void => {
      sentAll = true;
      sentAt = Date.now();
      clearTimeout(timer);
      timer = setTimeout(() => unanswered('waiting'), spec.answerWithinMs);
    };

    socket.once('connect', () => {
      void (async () => {
        await write(head(spec, url.host));
        const body = wireBody(spec);
        if (delivery.kind === 'whole') {
          if (body.length) await write(body);
        } else if (delivery.kind === 'trickle') {
          for (let i = 0; i < body.length && !settled; i += delivery.chunk) {
            await write(body.subarray(i, i + delivery.chunk));
            if (i + delivery.chunk < body.length) await sleep(delivery.everyMs);
          }
        } else if (delivery.kind === 'stall' || delivery.kind === 'hold') {
          await write(body.subarray(0, delivery.after));
          if (delivery.kind === 'stall') await sleep(delivery.ms);
          else await delivery.until;
          if (delivery.after < body.length) await write(body.subarray(delivery.after));
        } else {
          await write(body.subarray(0, delivery.after));
          // Let the bytes leave before the reset, so the server sees a partial body, then vanish.
          await sleep(20);
          if (!settled) settle({ kind: 'hung-up' });
          return;
        }
        if (!settled) armTimer();
      })();
    });
  });
}

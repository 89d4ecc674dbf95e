// One proxied WOPI exchange: the client's request goes to the upstream host with its body streamed
// (backpressure both ways, nothing buffered), the answer comes back the same way, and a complete
// request record is published once the response has closed: operation decoded from the wire, lock
// before -> after as the traffic shows it, the proof verdict against the public URL the client called
// (reported, never enforced: the upstream decides), body summaries made while the bytes passed.
import { randomUUID } from 'node:crypto';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { ProofVerdict, RequestRecord } from '../contracts/api';
import { inlineLimitFor, isTextType, LINTED_JSON_OPERATIONS } from '../protocol/bodies';
import { WopiHeader } from '../protocol/headers';
import { operationOf, wopiFileOf } from '../protocol/operations';
import { endToEnd, flatten, upstreamRequestHeaders } from './headers';
import type { createLockView } from './lock-view';
import { createTap } from './tap';
import type { Tap } from './tap';
import type { Upstream } from './upstream';
import { upstreamPath } from './upstream';

export interface ProofCheck {
  pathAndQuery: string;
  accessToken: string;
  headers: IncomingMessage['headers'];
}

export interface Exchanger {
  upstream: Upstream;
  send: (path: string, method: string, headers: string[]) => ClientRequest;
  instanceId: string;
  publicBase: () => string;
  /** The public base as a URL (parsed once per change of it). */
  publicUrl: () => URL;
  proof: (p: ProofCheck) => ProofVerdict | undefined;
  publish: (rec: RequestRecord, how?: { lint?: boolean }) => void;
  /** The record's start (epoch ms) for a request that arrived at performance.now() `t0`. */
  startedAt: (t0: number) => number;
  logBodyInlineBytes: number;
  locks: ReturnType<typeof createLockView>;
  /** BaseFileName and user of each file id, as its last CheckFileInfo said. */
  files: Map<string, { text: string; name?: string; userId?: string; userName?: string }>;
  onError: (e: unknown) => void;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

/** A failure as one line for a record and a header value (no line breaks, printable ASCII). */
function oneLine(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const text = err instanceof Error ? err.message || err.code || err.name : String(e);
  return text.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 300);
}

/** The path + query the client sent, before any mount point was stripped (what it signed). */
const receivedUrl = (req: IncomingMessage): string =>
  (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';

function tokenOf(rawQuery: string, req: IncomingMessage): string {
  const m = /(?:^|&)access_token=([^&]*)/.exec(rawQuery);
  if (m) {
    try {
      return decodeURIComponent(m[1]!);
    } catch {
      return m[1]!;
    }
  }
  const auth = one(req.headers[WopiHeader.authorization]);
  return auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : '';
}

function why(status: number, headers: IncomingMessage['headers']): string | undefined {
  if (status < 400) return undefined;
  const said =
    one(headers[WopiHeader.serverError]) ??
    one(headers[WopiHeader.lockFailureReason]) ??
    one(headers[WopiHeader.invalidFileNameError]);
  return `answered by the upstream host${said ? `: ${said.slice(0, 300)}` : ''}`;
}

/** What a CheckFileInfo answer says about the file and the user (for the record's file and user). */
function learn(x: Exchanger, fileId: string, text: string | undefined): void {
  if (!text || x.files.get(fileId)?.text === text) return;
  try {
    const info = JSON.parse(text) as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof info[k] === 'string' ? info[k] : undefined);
    if (x.files.size >= 10_000 && !x.files.has(fileId)) x.files.delete(x.files.keys().next().value!);
    x.files.set(fileId, {
      text,
      name: str('BaseFileName'),
      userId: str('UserId'),
      userName: str('UserFriendlyName'),
    });
  } catch {
    /* not JSON: the linter says so */
  }
}

export function forward(x: Exchanger, req: IncomingMessage, res: ServerResponse, t0: number): void {
  const received = receivedUrl(req);
  const local = req.url ?? '/';
  const q = local.indexOf('?');
  const path = q >= 0 ? local.slice(0, q) : local;
  const rawQuery = q >= 0 ? local.slice(q + 1) : '';
  const method = req.method ?? 'GET';
  const override = one(req.headers[WopiHeader.override]);
  const operation = operationOf(method, path, override, req.headers[WopiHeader.oldLock] !== undefined);
  const { fileId } = wopiFileOf(path);
  const rec: RequestRecord = {
    id: randomUUID(),
    startedAt: x.startedAt(t0),
    durationMs: 0,
    method,
    path,
    query: rawQuery,
    operation,
    ...(override !== undefined ? { override } : {}),
    ...(fileId !== undefined ? { fileId } : {}),
    status: 0,
    requestHeaders: flatten(req.rawHeaders),
    responseHeaders: {},
    source: 'proxy',
    upstream: `${x.upstream.origin}${upstreamPath(x.upstream, path, '')}`,
  };
  const correlation = one(req.headers[WopiHeader.correlationId]);
  if (correlation !== undefined) rec.correlationId = correlation;

  let published = false;
  const publish = (lint: boolean): void => {
    if (published) return;
    published = true;
    rec.durationMs = Math.round((performance.now() - t0) * 100) / 100;
    x.publish(rec, { lint });
  };

  // A request that already went through this proxy would come back to it for ever.
  if ((one(req.headers['via']) ?? '').includes(x.instanceId)) {
    const text =
      'the upstream URL leads back to this workbench (a proxy loop); point --upstream at your own WOPI host';
    rec.status = 508;
    rec.why = text;
    res.writeHead(508, { 'content-type': 'text/plain; charset=utf-8', [WopiHeader.serverError]: text });
    res.end(`${text}\n`);
    res.once('close', () => publish(false));
    return;
  }

  const verdict = x.proof({
    pathAndQuery: received,
    accessToken: tokenOf(rawQuery, req),
    headers: req.headers,
  });
  // Reported, never enforced: whether a request is refused is the upstream's decision.
  if (verdict) rec.proof = { ...verdict, rejected: false };

  const endLock = fileId !== undefined ? x.locks.begin(fileId, operation) : undefined;
  const reqType = one(req.headers['content-type']);
  const reqTap = createTap({ contentType: reqType, text: isTextType(reqType), keep: x.logBodyInlineBytes });
  req.on('data', (c: Buffer) => reqTap.take(c));

  const publicUrl = x.publicUrl();
  const upReq = x.send(upstreamPath(x.upstream, path, rawQuery), method, [
    ...upstreamRequestHeaders(req.rawHeaders, {
      upstreamHost: x.upstream.host,
      publicUrl,
      clientAddress: req.socket.remoteAddress,
      via: `1.1 wopi-workbench (${x.instanceId})`,
    }),
  ]);

  let upRes: IncomingMessage | undefined;
  let resTap: Tap | undefined;
  let failure: string | undefined;

  const lockEnd = (): void => {
    if (!endLock) return;
    const shown = endLock(
      upRes
        ? {
            op: operation,
            status: upRes.statusCode ?? 0,
            reqLock: one(req.headers[WopiHeader.lock]),
            reqOldLock: one(req.headers[WopiHeader.oldLock]),
            resLock: one(upRes.headers[WopiHeader.lock]),
          }
        : undefined,
      x.startedAt(performance.now()),
    );
    if (shown.before !== undefined) rec.lockBefore = shown.before;
    if (shown.after !== undefined) rec.lockAfter = shown.after;
  };

  const finish = (): void => {
    if (published) return;
    const reqBody = reqTap.summary();
    if (reqBody && (reqBody.size > 0 || (method !== 'GET' && method !== 'HEAD'))) rec.requestBody = reqBody;
    if (upRes) {
      rec.status = upRes.statusCode ?? 0;
      rec.responseHeaders = flatten(upRes.rawHeaders);
      const resBody = resTap?.summary();
      if (resBody) rec.responseBody = resBody;
      const w = why(rec.status, upRes.headers);
      if (w) rec.why = w;
      if (!res.writableFinished) rec.why = 'the client disconnected before the response was complete';
      if (failure) rec.why = `the upstream connection broke mid-response: ${failure}`;
      if (fileId !== undefined && operation === 'CheckFileInfo' && rec.status === 200)
        learn(x, fileId, rec.responseBody?.text);
      const known = fileId !== undefined ? x.files.get(fileId) : undefined;
      if (known?.name) rec.filePath = known.name;
      if (known?.userId) rec.userId = known.userId;
      if (known?.userName) rec.userName = known.userName;
      publish(true);
      return;
    }
    lockEnd();
    if (res.headersSent) {
      rec.status = res.statusCode;
      rec.responseHeaders = flatten(Object.entries(res.getHeaders()).flatMap(([k, v]) => [k, String(v)]));
      rec.why = `the upstream ${x.upstream.href} could not be reached: ${failure ?? 'no answer'}`;
    } else {
      rec.why = `the client disconnected before the upstream answered${failure ? ` (${failure})` : ''}`;
    }
    // No WOPI host answered: nothing for the protocol linter to judge.
    publish(false);
  };

  res.once('close', () => {
    // The client left: the upstream request (or its answer) is cut too.
    if (!res.writableFinished) {
      upReq.destroy();
      upRes?.destroy();
    }
    finish();
  });

  upReq.on('response', (r: IncomingMessage) => {
    upRes = r;
    lockEnd();
    const type = one(r.headers['content-type']);
    const linted = LINTED_JSON_OPERATIONS.has(operation);
    resTap = createTap({
      contentType: type,
      text: linted || isTextType(type),
      keep: inlineLimitFor(operation, x.logBodyInlineBytes),
    });
    const tap = resTap;
    r.on('data', (c: Buffer) => tap.take(c));
    // Cut while the client was still there: the upstream broke (a client that left is said by finish()).
    r.on('error', (e: unknown) => {
      if (!res.destroyed) failure ??= oneLine(e);
    });
    if (res.destroyed) return void r.destroy();
    // The upstream's own Date (or none), not ours.
    res.sendDate = false;
    res.writeHead(r.statusCode ?? 502, r.statusMessage, endToEnd(r.rawHeaders));
    pipeline(r, res).catch(() => {
      /* said by the listeners above and by finish() */
    });
  });

  upReq.on('error', (e: unknown) => {
    // The rest of the client's body is read and dropped: the client's own request is left whole, so
    // the answer (ours or the upstream's early one) reaches it.
    req.unpipe(upReq);
    req.resume();
    if (upRes) return; // after an answer, its stream tells what broke
    failure ??= oneLine(e);
    if (res.headersSent || res.destroyed) return;
    const text = `the upstream ${x.upstream.href} could not be reached: ${failure}`;
    res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', [WopiHeader.serverError]: text });
    res.end(`${text}\n`);
  });

  // The body goes up as it arrives, with backpressure (pipe pauses the client while the upstream
  // is behind). Not pipeline(): a failing upstream must not destroy the client's request and with it
  // the answer still to be sent; a client that leaves cuts the upstream request (res 'close' above).
  req.pipe(upReq);
}

// The WOPI routes as an Express router: authenticates, resolves the file, dispatches by override,
// writes the outcome, and emits one complete request record per call. The workbench's own WOPI
// listener serves this router; library users mount it in their own Express app (createWopiRouter).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { ProofVerdict, RequestRecord } from '../contracts/api';
import type { WopiContext, WopiDeps, RecordNotes } from '../wopi/context';
import { parseWopiPath, permissionOutcome, route } from '../wopi/dispatch';
import { inlineLimitFor } from '../protocol/bodies';
import { CHECK_TAG_HEADER, parseCheckTag, WopiHeader } from '../protocol/headers';
import type { Outcome } from '../wopi/outcomes';
import { notImplemented, storageOutcome, writeHead } from '../wopi/outcomes';
import { StorageError } from '../storage/errors';
import type { FiredFault } from '../faults';
import { answerIsInjected, tagFaultRecord } from '../faults';
import { applyFault } from './faults-apply';
import { lingerOnClose } from './linger';

export interface WopiRouterDeps extends WopiDeps {
  /**
   * Where each finished request record goes (core's publishRecord: linted, then on the bus); `lint:
   * false` for an answer a fault rule injected (it is not the host's to judge).
   */
  publish: (rec: RequestRecord, how?: { lint?: boolean }) => void;
  /** The fault rules (QA lab): the rule that fires on a call on a file, or null. */
  faults?: {
    decide(operation: RequestRecord['operation'], fileId: string, personaId: string): FiredFault | null;
  };
  instanceId: string;
  serverVersion: string;
  /** Proof-key check of one request; the URL is the path + query exactly as received. */
  proof: (p: {
    pathAndQuery: string;
    accessToken: string;
    headers: IncomingMessage['headers'];
  }) => ProofVerdict | undefined;
  /** Non-WOPI routes on the same origin (host page, PostMessages). */
  pages: Router;
  /**
   * Proxy mode (`serve --upstream`): `/wopi…` requests go here instead of to this host's handlers
   * (`t0`: performance.now() when the request arrived); the other routes stay this workbench's.
   */
  forward?: (req: IncomingMessage, res: ServerResponse, t0: number) => void;
  /** Resolves once the file index is ready (memoized); awaited before the first request. */
  ready: () => Promise<void>;
  onError: (e: unknown) => void;
}

export function flattenHeaders(
  h: IncomingMessage['headers'] | ReturnType<ServerResponse['getHeaders']>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** True when writing failed because the client went away (the response socket closed first). */
function clientGone(res: ServerResponse, e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const closed = res.destroyed || res.socket?.destroyed === true || !res.writable;
  return closed && (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE');
}

function tokenOf(url: URL, req: IncomingMessage): string | undefined {
  const q = url.searchParams.get('access_token');
  if (q) return q;
  const auth = req.headers[WopiHeader.authorization];
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth))
    return auth.replace(/^bearer\s+/i, '').trim() || undefined;
  return undefined;
}

const UNAUTH_WHY = {
  malformed: 'the access token is not one this host issued',
  'bad-signature': 'the access token signature does not verify (minted by another data dir?)',
  expired: 'the access token has expired; mint a new one',
  'other-file': 'the access token was issued for a different file',
} as const;

/** The path + query as the client sent it, before any mount point was stripped (what it signed). */
const receivedUrl = (req: IncomingMessage): string => (req as Partial<Request>).originalUrl ?? req.url ?? '/';

export function buildWopiRouter(deps: WopiRouterDeps): Router {
  async function handleWopi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    rec: RequestRecord,
    notes: RecordNotes,
    applied: { fault?: FiredFault },
  ): Promise<Outcome> {
    const parsed = parseWopiPath(url.pathname);
    const r = route(
      req.method ?? 'GET',
      parsed,
      req.headers[WopiHeader.override] as string | undefined,
      req.headers[WopiHeader.oldLock] !== undefined,
    );
    rec.operation = r.operation;
    const token = tokenOf(url, req);
    notes.fileId = parsed.fileId;

    const verdict = deps.proof({
      pathAndQuery: receivedUrl(req),
      accessToken: token ?? '',
      headers: req.headers,
    });
    if (verdict) rec.proof = verdict;
    if (verdict?.rejected) return { kind: 'proof-failed', why: `proof-key check failed: ${verdict.reason}` };

    if (!parsed.fileId) return notImplemented(r.unsupported ?? 'not a WOPI endpoint this host implements');
    if (!token)
      return {
        kind: 'unauthorized',
        why: 'no access token: send access_token in the query (or Authorization: Bearer)',
      };
    const check = deps.tokens.verify(token, parsed.fileId);
    const claims = check.ok ? check.claims : (check.claims ?? deps.tokens.peek(token) ?? undefined);
    if (claims) {
      rec.userId = claims.userId;
      rec.userName = claims.userName;
    }
    if (!check.ok) return { kind: 'unauthorized', why: UNAUTH_WHY[check.reason] };
    const file = await deps.index.resolve(parsed.fileId);
    if (!file)
      return { kind: 'not-found', why: `no file with id ${parsed.fileId} (deleted, or never served here)` };
    notes.filePath = file.row.path;
    if (!r.handler) return notImplemented(r.unsupported ?? 'not supported');
    const { handler } = r;
    const ctx: WopiContext = { req, deps, claims: check.claims, file, notes };
    const run = (body: IncomingMessage): Outcome | Promise<Outcome> =>
      permissionOutcome(r, ctx.claims) ?? handler(body === req ? ctx : { ...ctx, req: body });
    // A fault rule may answer instead, or change how the call is handled (server/http/faults-apply.ts).
    const fault = deps.faults?.decide(r.operation, file.row.id, check.claims.userId);
    if (!fault) return run(req);
    applied.fault = fault;
    return applyFault(fault, { req, res, notes, run }, r.operation);
  }

  async function writeOutcome(
    req: IncomingMessage,
    res: ServerResponse,
    o: Outcome,
    notes: RecordNotes,
    operation: RequestRecord['operation'],
  ): Promise<void> {
    if (o.kind === 'ok' && o.body) {
      const { handle, size } = o.body;
      try {
        writeHead(res, o);
        res.setHeader('content-length', size);
        if (req.method === 'HEAD' || size === 0) return void res.end();
        // Exactly the length announced, even if the file grows while it is sent.
        const stream = handle.createReadStream({
          highWaterMark: 256 * 1024,
          autoClose: false,
          end: size - 1,
        });
        await pipeline(stream, res);
      } finally {
        await handle.close();
      }
      return;
    }
    writeHead(res, o);
    if (o.kind === 'ok' && o.json) {
      const text = JSON.stringify(o.json);
      const size = Buffer.byteLength(text, 'utf8');
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('content-length', size);
      // CheckFileInfo and PutRelativeFile keep their JSON whole (up to a bound): the linter reads it.
      const keep = inlineLimitFor(operation, deps.logBodyInlineBytes);
      notes.responseBody = {
        size,
        contentType: 'application/json',
        text: size <= keep ? text : text.slice(0, keep),
        truncated: size > keep,
      };
      // A string body goes out with the headers in one write; a Buffer would take a writev of two.
      res.end(req.method === 'HEAD' ? undefined : text, 'utf8');
      return;
    }
    res.setHeader('content-length', 0);
    res.end();
  }

  /** One WOPI call: answered, then recorded once the response has closed (or the client left). */
  function handleCall(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    t0: number,
    startedAt: number,
  ): void {
    // Watched from the start: a client that goes away while the handler works (mid-upload, say) closes
    // the response before the handler is done, and its request must still be recorded.
    const closed = new Promise<void>((resolve) => res.once('close', resolve));
    void (async () => {
      const id = randomUUID();
      res.setHeader('x-request-id', id);
      const q = (req.url ?? '').indexOf('?');
      const rec: RequestRecord = {
        id,
        startedAt,
        durationMs: 0,
        method: req.method ?? 'GET',
        path: url.pathname,
        query: q >= 0 ? (req.url ?? '').slice(q + 1) : '',
        operation: 'Other',
        override: (req.headers[WopiHeader.override] as string | undefined) ?? undefined,
        status: 0,
        requestHeaders: flattenHeaders(req.headers),
        responseHeaders: {},
        correlationId: (req.headers[WopiHeader.correlationId] as string | undefined) ?? undefined,
      };
      // A conformance run against this host: the exchange is the host side of that run's case.
      const check = parseCheckTag(req.headers[CHECK_TAG_HEADER]);
      if (check) rec.check = check;
      const notes: RecordNotes = {};
      const applied: { fault?: FiredFault } = {};
      let outcome: Outcome;
      try {
        outcome = await handleWopi(req, res, url, rec, notes, applied);
      } catch (e) {
        // Storage failures are states a protocol status describes (a race, a name, a full disk);
        // only the rest is an engine fault worth a warning.
        if (e instanceof StorageError) {
          outcome = storageOutcome(rec.operation, e);
          if (outcome.kind === 'server-error') deps.onError(e);
        } else {
          deps.onError(e);
          outcome = {
            kind: 'server-error',
            why: `internal error: ${e instanceof Error ? e.message : String(e)}`,
          };
        }
      }
      const goneFirst = res.destroyed; // the client left before there was an answer to send
      try {
        if (res.headersSent) {
          if (outcome.kind === 'ok') await outcome.body?.handle.close();
        } else await writeOutcome(req, res, outcome, notes, rec.operation);
      } catch (e) {
        // A client that hangs up mid-download is not an engine fault: the record says it
        // disconnected, so only real failures become warnings.
        if (!clientGone(res, e)) deps.onError(e);
        if (!res.headersSent) {
          writeHead(res, { kind: 'server-error', why: 'could not send the response' });
          res.end();
        } else res.destroy();
      }
      await closed;
      rec.durationMs = Math.round((performance.now() - t0) * 100) / 100;
      rec.status = res.statusCode;
      rec.responseHeaders = flattenHeaders(res.getHeaders());
      if (outcome.kind !== 'ok')
        rec.why = goneFirst ? `${outcome.why} (never sent: the client had disconnected)` : outcome.why;
      else if (goneFirst || !res.writableFinished)
        rec.why = 'the client disconnected before the response was complete';
      rec.fileId = notes.fileId;
      rec.filePath = notes.filePath;
      if (notes.lockBefore !== undefined) rec.lockBefore = notes.lockBefore;
      if (notes.lockAfter !== undefined) rec.lockAfter = notes.lockAfter;
      rec.requestBody = notes.requestBody;
      rec.responseBody = notes.responseBody;
      if (applied.fault) {
        tagFaultRecord(rec, applied.fault);
        return deps.publish(rec, { lint: !answerIsInjected(applied.fault) });
      }
      deps.publish(rec);
    })().catch(deps.onError);
  }

  let ready = false;
  const router = express.Router();
  router.use((req: Request, res: Response, next: NextFunction): void => {
    const t0 = performance.now();
    const startedAt = deps.now();
    // An answer sent before the body was read must reach the client whole (see linger.ts).
    lingerOnClose(req, res);
    let url: URL;
    try {
      url = new URL(req.url, 'http://wopi.invalid');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const isWopi = url.pathname === '/wopi' || url.pathname.startsWith('/wopi/');
    // A forwarded answer is the upstream's, headers included.
    if (isWopi && deps.forward) return deps.forward(req, res, t0);
    res.setHeader(WopiHeader.serverVersion, deps.serverVersion);
    if (url.pathname === '/health') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: true, instance: deps.instanceId }));
      return;
    }
    const go = (): void => (isWopi ? handleCall(req, res, url, t0, startedAt) : next());
    // Only the first calls wait for the folder index; after that no promise per request.
    if (ready) return go();
    deps
      .ready()
      .then(() => {
        ready = true;
        go();
      })
      .catch(next);
  });
  router.use(deps.pages);
  return router;
}

/** The WOPI listener's own app: the router, and a plain answer for every other path. */
export function createWopiApp(router: Router, onError: (e: unknown) => void): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(router);
  app.use((_req: Request, res: Response): void => {
    res
      .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      .end('Not a WOPI endpoint. WOPI files live under /wopi/files/<id>.\n');
  });
  // Only the host page can fail this way (WOPI calls always answer with a status of their own).
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    onError(err);
    if (res.headersSent) return void res.destroy();
    res
      .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  });
  return app;
}

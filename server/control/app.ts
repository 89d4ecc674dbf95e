// The control listener as an Express application: guard (single headers, Host, Origin) for
// everything, the token for /v1, the contract's routes over the API model, the UI for the rest, and
// one error middleware turning every failure into an ApiError. Usable as http.createServer(app).
import express from 'express';
import type { Express, RequestHandler } from 'express';
import { ApiModelError } from '../api';
import type { ApiModel } from '../api';
import { CONTROL_API_PREFIX } from '../contracts/control';
import type { Core } from '../core';
import { errorMiddleware } from './errors';
import { checkHost, checkOrigin, checkSingleHeaders, checkToken } from './guard';
import { apiRoutes, mountRoutes } from './routes';
import type { RouteSpec } from './routes';
import { createEventStreams } from './sse';
import type { EventStreamOptions } from './sse';
import { uiRouter } from './ui';

/** Bytes a JSON request body may have. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** The engine members the listener itself needs (the rest goes through the API model). */
export type ControlAppEngine = Pick<Core, 'bus' | 'controlToken'> & {
  options: Pick<Core['options'], 'uiDir'>;
};

export type ControlAppOptions = EventStreamOptions;

export interface ControlApp extends Express {
  /** Open SSE connections (for tests and diagnostics). */
  streamCount(): number;
  /** End all SSE connections (shutdown). */
  closeStreams(): void;
}

const guard: RequestHandler = (req, res, next) => {
  res.setHeader('x-content-type-options', 'nosniff');
  checkSingleHeaders(req);
  checkHost(req);
  checkOrigin(req);
  try {
    new URL(req.url, 'http://control.invalid');
  } catch {
    throw new ApiModelError('bad-request', 'the request target is not a valid URL');
  }
  next();
};

/** A body on a JSON route must say it is JSON (HTML forms cannot, on top of the Origin check). */
const requireJsonType: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && req.is('application/json') === false) {
    throw new ApiModelError('bad-request', 'send the body as JSON with Content-Type: application/json');
  }
  next();
};

export function createControlApp(
  api: ApiModel,
  engine: ControlAppEngine,
  opts: ControlAppOptions = {},
): ControlApp {
  const app = express();
  app.disable('x-powered-by');
  // JSON answers are no-store, so an ETag would only cost a hash; the UI's files get theirs from express.static.
  app.set('etag', false);
  // Routes read the query with URLSearchParams (query.ts); Express's parse would be unused work.
  app.set('query parser', false);
  // Paths match the contract exactly: /v1/Status and /v1/status/ are not /v1/status.
  app.enable('case sensitive routing');
  app.enable('strict routing');

  // Whoever serves the app ends the streams on shutdown (closeStreams), before closing its listener.
  const streams = createEventStreams(engine.bus, opts);
  const events: RouteSpec['run'] = async ({ req, res, query }) => {
    streams.serve(req, res, query);
    return undefined;
  };

  const v1 = express.Router({ caseSensitive: true, strict: true });
  // Before routing, so a caller without the token learns nothing about which routes exist.
  v1.use((req, _res, next) => {
    checkToken(req, engine.controlToken);
    next();
  });
  mountRoutes(v1, apiRoutes(api, events), [
    requireJsonType,
    express.json({ limit: MAX_JSON_BODY_BYTES, type: 'application/json', strict: false, inflate: false }),
  ]);
  v1.use((req) => {
    throw new ApiModelError('not-found', `no control route ${req.method} ${req.baseUrl}${req.path}`);
  });

  app.use(guard);
  app.use(CONTROL_API_PREFIX, v1);
  app.use(uiRouter(engine.options.uiDir));
  app.use(errorMiddleware(engine.bus, MAX_JSON_BODY_BYTES));

  return Object.assign(app, { streamCount: streams.count, closeStreams: streams.closeAll });
}

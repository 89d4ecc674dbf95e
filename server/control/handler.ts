// The control listener's request handler: Host and Origin checks for everything, the token for
// every /v1 route, then the route table built from contracts/control.ts. Errors leave as ApiError.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTROL_API_PREFIX } from '../contracts/control';
import type { Engine } from '../engine';
import { ControlError, toControlError } from './errors';
import { redact } from '../events/redact';
import { checkHost, checkOrigin, checkSingleHeaders, checkToken } from './guard';
import { sendError, sendJson } from './http-io';
import type { ControlRooms } from './rooms';
import { matchRoute } from './router';
import type { ControlDeps, RouteTable } from './router';
import { engineRoutes } from './routes-engine';
import { fileRoutes } from './routes-files';
import { lockRoutes } from './routes-locks';
import { messageRoutes } from './routes-messages';
import { requestRoutes } from './routes-requests';
import { roomRoutes } from './routes-rooms';
import { createEventStreams } from './sse';
import type { EventStreamOptions } from './sse';
import { createStaticUi } from './static-ui';

export type ControlHandlerOptions = EventStreamOptions & {
  /** PostMessages kept for GET /v1/hostpage/messages; default HOST_MESSAGE_HISTORY. */
  hostMessageHistory?: number;
};

export interface ControlHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Open SSE connections (for tests and diagnostics). */
  streamCount(): number;
  /** End all SSE connections (shutdown). */
  closeStreams(): void;
}

const isApiPath = (p: string): boolean => p === CONTROL_API_PREFIX || p.startsWith(`${CONTROL_API_PREFIX}/`);

export function createControlHandler(
  engine: Engine,
  rooms: ControlRooms,
  opts: ControlHandlerOptions = {},
): ControlHandler {
  const deps: ControlDeps = { engine, rooms };
  const streams = createEventStreams(engine.bus, opts);
  const serveUi = createStaticUi(engine.options.uiDir);
  let streamsRegistered = false;

  const routes: RouteTable = {
    ...engineRoutes(deps),
    ...fileRoutes(deps),
    ...lockRoutes(deps),
    ...requestRoutes(deps),
    ...messageRoutes(deps, opts.hostMessageHistory),
    ...roomRoutes(deps),
    events: async ({ req, res, url }) => {
      if (!streamsRegistered) {
        // Registered on first use, i.e. after start(): shutdown steps run in reverse, so streams end
        // before the listener closes instead of holding it open for its grace period.
        streamsRegistered = true;
        engine.shutdown.add('control event streams', () => streams.closeAll());
      }
      streams.serve(req, res, url);
      return undefined;
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkSingleHeaders(req);
    checkHost(req);
    checkOrigin(req);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://control.invalid');
    } catch {
      throw new ControlError('bad-request', 'the request target is not a valid URL');
    }
    if (!isApiPath(url.pathname)) return serveUi(req, res, url);
    checkToken(req, engine.controlToken);
    const { name, params } = matchRoute(req.method ?? 'GET', url.pathname);
    const reply = await routes[name]({ req, res, url, params });
    // Structural: whatever a route answers passes the redactor, so a field added later cannot leak.
    if (reply) sendJson(res, reply.status ?? 200, reply.reveal ? reply.body : redact(reply.body));
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      const err = toControlError(e);
      if (err.code === 'internal') {
        engine.bus.emit('engine:warning', {
          code: 'control-internal',
          message: `${req.method ?? ''} ${req.url ?? ''}: ${err.message}`,
        });
      }
      sendError(res, err);
    });
  };
  return Object.assign(handler, { streamCount: streams.count, closeStreams: streams.closeAll });
}

// The /v1 routes, built from the route strings of contracts/control.ts ("GET /v1/files/:fileId"), so
// the contract is the routing table: a route without a handler here is a type error, a handler for
// no route is one too. Each handler turns the request into an API-model call and its answer into a
// Reply; the JSON body is parsed only for the routes that take one.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { ApiModel } from '../api';
import { ApiModelError } from '../api';
import type {
  LaunchRequest,
  MintTokenRequest,
  SetLockRequest,
  StartCheckRequest,
  TunnelStartRequest,
  WopiOperation,
} from '../contracts/api';
import { CONTROL_API_PREFIX, ControlRoutes } from '../contracts/control';
import type {
  AddFaultRequest,
  ImportFaultsRequest,
  RunScenarioRequest,
  RunSimulatorRequest,
  SetMisbehaviourRequest,
  SimSaveRequest,
  StartSimSessionRequest,
  UpdateFaultRequest,
} from '../contracts/lab';
import type { ControlRouteName } from '../contracts/control';
import { redact } from '../events/redact';
import { queryFlag, queryText, queryWhole, searchParamsOf } from './query';
import { sendJson } from './respond';

export interface RouteContext {
  req: Request;
  res: Response;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Parsed JSON for routes with `json: true`, else undefined. The model checks its shape. */
  body: unknown;
}

/** A JSON reply, or undefined when the route wrote the response itself (SSE). */
export interface Reply {
  status?: number;
  body: unknown;
  /**
   * Every reply is redacted on its way out unless this is set: only for answers whose purpose is to
   * hand out a secret (a minted token, a launch link, one record revealed on request).
   */
  reveal?: true;
  /**
   * The model already passed the whole answer through the redactor (request records): a second walk
   * over a page of records would find nothing and cost as much as the first.
   */
  redacted?: true;
}

export interface RouteSpec {
  /** The route reads a JSON body. */
  json?: true;
  run(ctx: RouteContext): Promise<Reply | undefined>;
}

export type RouteTable = { [K in ControlRouteName]: RouteSpec };

const param = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';

/** Path segment of a version id: anything but digits names no version. */
function versionIdOf(ctx: RouteContext): number {
  const text = param(ctx, 'versionId');
  if (!/^\d{1,15}$/.test(text)) {
    throw new ApiModelError('not-found', `file ${param(ctx, 'fileId')} has no version ${text}`);
  }
  return Number(text);
}

/** The JSON routes over the API model; `events` (SSE) is the caller's. */
export function apiRoutes(api: ApiModel, events: RouteSpec['run']): RouteTable {
  const json =
    <T>(run: () => Promise<T>) =>
    async (): Promise<Reply> => ({ body: await run() });
  return {
    status: { run: json(() => api.status()) },
    personas: { run: json(() => api.personas()) },
    settings: { run: json(() => api.settings()) },
    mintToken: {
      json: true,
      // Handing out the token is the point of this route.
      run: async ({ body }) => ({ body: await api.mintToken(body as MintTokenRequest), reveal: true }),
    },
    files: { run: json(() => api.files()) },
    file: { run: async (c) => ({ body: await api.file(param(c, 'fileId')) }) },
    versions: { run: async (c) => ({ body: await api.versions(param(c, 'fileId')) }) },
    restoreVersion: {
      run: async (c) => ({
        body: await api.restoreVersion(param(c, 'fileId'), versionIdOf(c), {
          force: queryFlag(c.query, 'force'),
        }),
      }),
    },
    locks: { run: json(() => api.locks()) },
    setLock: {
      json: true,
      run: async (c) => ({ body: await api.setLock(param(c, 'fileId'), c.body as SetLockRequest) }),
    },
    forceUnlock: { run: async (c) => ({ body: await api.forceUnlock(param(c, 'fileId')) }) },
    expireLock: { run: async (c) => ({ body: await api.expireLock(param(c, 'fileId')) }) },
    requests: {
      run: async ({ query: q }) => ({
        redacted: true,
        body: await api.requests({
          before: queryText(q, 'before'),
          limit: queryWhole(q, 'limit'),
          operation: queryText(q, 'operation') as WopiOperation | undefined,
          fileId: queryText(q, 'fileId'),
          status: queryText(q, 'status'),
          q: queryText(q, 'q'),
        }),
      }),
    },
    request: {
      run: async (c) => {
        const reveal = queryFlag(c.query, 'reveal');
        const body = await api.request(param(c, 'requestId'), { reveal });
        return reveal ? { body, reveal: true } : { body, redacted: true };
      },
    },
    clearRequests: { run: json(() => api.clearRequests()) },
    discovery: { run: json(() => api.discovery()) },
    refreshDiscovery: { run: json(() => api.refreshDiscovery()) },
    profiles: { run: json(() => api.profiles()) },
    tunnel: { run: json(() => api.tunnel()) },
    startTunnel: {
      json: true,
      run: async ({ body }) => ({ body: await api.startTunnel(body as TunnelStartRequest) }),
    },
    stopTunnel: { run: json(() => api.stopTunnel()) },
    checkTunnel: { run: json(() => api.checkTunnel()) },
    launch: {
      json: true,
      // The signed launch link is what the caller asked for.
      run: async ({ body }) => ({ body: await api.launch(body as LaunchRequest), reveal: true }),
    },
    hostMessages: {
      run: async ({ query }) => ({ body: await api.hostMessages({ limit: queryWhole(query, 'limit') }) }),
    },
    events: { run: events },
    checks: { run: json(() => api.checks()) },
    check: { run: async (c) => ({ body: await api.check(param(c, 'runId')) }) },
    startCheck: {
      json: true,
      run: async ({ body }) => ({ status: 202, body: await api.startCheck(body as StartCheckRequest) }),
    },

    faults: { run: json(() => api.faults()) },
    addFault: {
      json: true,
      run: async ({ body }) => ({ status: 201, body: await api.addFault(body as AddFaultRequest) }),
    },
    updateFault: {
      json: true,
      run: async (c) => ({ body: await api.updateFault(param(c, 'ruleId'), c.body as UpdateFaultRequest) }),
    },
    removeFault: { run: async (c) => ({ body: await api.removeFault(param(c, 'ruleId')) }) },
    clearFaults: { run: json(() => api.clearFaults()) },
    exportFaults: { run: json(() => api.exportFaults()) },
    importFaults: {
      json: true,
      run: async ({ body }) => ({ body: await api.importFaults(body as ImportFaultsRequest) }),
    },
    faultPresets: { run: json(() => api.faultPresets()) },

    simulator: { run: json(() => api.simulator()) },
    setMisbehaviour: {
      json: true,
      run: async ({ body }) => ({ body: await api.setMisbehaviour(body as SetMisbehaviourRequest) }),
    },
    rotateSimulatorKey: { run: json(() => api.rotateSimulatorKey()) },
    runSimulator: {
      json: true,
      run: async ({ body }) => ({ body: await api.runSimulator(body as RunSimulatorRequest) }),
    },
    simSessions: { run: json(() => api.simSessions()) },
    startSimSession: {
      json: true,
      run: async ({ body }) => ({
        status: 201,
        body: await api.startSimSession(body as StartSimSessionRequest),
      }),
    },
    simSession: { run: async (c) => ({ body: await api.simSession(param(c, 'sessionId')) }) },
    saveSimSession: {
      json: true,
      run: async (c) => ({ body: await api.saveSimSession(param(c, 'sessionId'), c.body as SimSaveRequest) }),
    },
    closeSimSession: { run: async (c) => ({ body: await api.closeSimSession(param(c, 'sessionId')) }) },

    scenarios: { run: json(() => api.scenarios()) },
    runScenario: {
      json: true,
      run: async ({ body }) => ({ status: 202, body: await api.runScenario(body as RunScenarioRequest) }),
    },
  };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Method and path (below the prefix) of a contract route string. */
function split(name: ControlRouteName): { method: Method; path: string } {
  const [method = '', full = ''] = ControlRoutes[name].split(' ');
  if (!METHODS.includes(method) || !full.startsWith(`${CONTROL_API_PREFIX}/`)) {
    throw new Error(
      `contract route ${name} is not "<METHOD> ${CONTROL_API_PREFIX}/...": ${ControlRoutes[name]}`,
    );
  }
  return { method: method as Method, path: full.slice(CONTROL_API_PREFIX.length) };
}

/**
 * Mounts `table` on `router` (itself mounted at CONTROL_API_PREFIX). Each path answers 405 with an
 * Allow header for a method the contract does not give it (HEAD and OPTIONS included: Express would
 * otherwise answer them on its own); `jsonBody` runs before the routes that read a body.
 */
export function mountRoutes(router: Router, table: RouteTable, jsonBody: readonly RequestHandler[]): void {
  const byPath = new Map<string, Array<{ method: Method; name: ControlRouteName }>>();
  for (const name of Object.keys(ControlRoutes) as ControlRouteName[]) {
    const { method, path } = split(name);
    byPath.set(path, [...(byPath.get(path) ?? []), { method, name }]);
  }
  // Literal paths before parameterized ones: /faults/presets must not be taken for /faults/:ruleId
  // (whose 405 answer would otherwise come first).
  const ordered = [...byPath].sort(([a], [b]) => Number(a.includes(':')) - Number(b.includes(':')));
  for (const [path, entries] of ordered) {
    const allowed = entries.map((e) => e.method);
    const route = router.route(path);
    route.all((req, res, next) => {
      if ((allowed as readonly string[]).includes(req.method)) return next();
      res.setHeader('allow', allowed.join(', '));
      next(
        new ApiModelError(
          'method-not-allowed',
          `${req.method} is not allowed on ${req.baseUrl}${req.path}; use ${allowed.join(' or ')}`,
        ),
      );
    });
    for (const { method, name } of entries) {
      const spec = table[name];
      const handlers = [...(spec.json ? jsonBody : []), runner(spec)];
      if (method === 'GET') route.get(handlers);
      else if (method === 'POST') route.post(handlers);
      else if (method === 'PUT') route.put(handlers);
      else if (method === 'PATCH') route.patch(handlers);
      else route.delete(handlers);
    }
  }
}

function runner(spec: RouteSpec): RequestHandler {
  return async (req, res) => {
    const reply = await spec.run({
      req,
      res,
      params: req.params as Record<string, string>,
      query: searchParamsOf(req),
      body: spec.json ? (req.body as unknown) : undefined,
    });
    // Structural: whatever a route answers passes the redactor, so a field added later cannot leak.
    if (reply) {
      const asIs = reply.reveal === true || reply.redacted === true;
      sendJson(res, reply.status ?? 200, asIs ? reply.body : redact(reply.body));
    }
  };
}

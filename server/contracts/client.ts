// The one control-API client: the UI, the desktop shell, the CLI and tests call the control
// listener through it. Only `fetch` and URL APIs, no node: imports, so the browser bundle and Node
// both load it. Each route's path, body, query and answer are typed from ControlRouteTypes; a
// failure is a ControlApiError whose `code` callers switch on (never on the message text).
import type { ApiError } from './api';
import {
  ControlRoutes,
  type ControlRouteName,
  type JsonRouteName,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
  type StreamRouteName,
} from './control';

/** The server's codes, plus what only a client sees: no answer at all, or an answer that is not the API's. */
export type ControlClientErrorCode = ApiError['error']['code'] | 'network' | `http-${number}`;

export class ControlApiError extends Error {
  constructor(
    /** HTTP status; 0 when no answer came. */
    readonly status: number,
    readonly code: ControlClientErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ControlApiError';
  }
}

export interface ControlClientOptions {
  /** Origin of the control listener, e.g. http://127.0.0.1:PORT (a trailing slash is ignored). */
  baseUrl: string;
  /** The control token; no Authorization header when null or undefined. */
  token?: string | null | undefined;
  /** Defaults to the global fetch; tests pass their own transport. */
  fetch?: typeof fetch;
  /** Calls without their own signal give up after this long (code 'network'). None by default. */
  timeoutMs?: number;
}

type HasKeys<T> = keyof T extends never ? false : true;

/** What one call of route R needs: path params, body and query as the contract types them. */
export type RouteInput<R extends ControlRouteName> = (HasKeys<RouteParams<R>> extends true
  ? { params: { [K in keyof RouteParams<R>]: string | number } }
  : { params?: undefined }) &
  (RouteBody<R> extends undefined ? { body?: undefined } : { body: RouteBody<R> }) & {
    query?: RouteQuery<R>;
    signal?: AbortSignal;
  };

type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
/** The input may be left out when nothing in it is required. */
type RouteArgs<R extends ControlRouteName> =
  RequiredKeys<RouteInput<R>> extends never ? [input?: RouteInput<R>] : [input: RouteInput<R>];

export type RouteMethods = {
  [R in JsonRouteName]: (...args: RouteArgs<R>) => Promise<RouteResponse<R>>;
};

export interface EventStreamRequest {
  /** The seq of the last event applied: the stream resumes after it (Last-Event-ID). */
  lastEventId?: number | undefined;
  signal?: AbortSignal;
}

export interface ControlClient extends RouteMethods {
  /** Any JSON route by name (what the named methods call). */
  call<R extends JsonRouteName>(route: R, ...args: RouteArgs<R>): Promise<RouteResponse<R>>;
  /** The absolute URL of a route with its params and query filled in. */
  url<R extends ControlRouteName>(
    route: R,
    input?: { params?: RouteInput<R>['params']; query?: RouteQuery<R> },
  ): string;
  /**
   * GET /v1/events, answered as is: the caller reads the stream and decides on its status (a refused
   * token or an expired resume point is not an exception here). Rejects with code 'network' only
   * when no answer came.
   */
  openEventStream(req?: EventStreamRequest): Promise<Response>;
}

const isApiError = (body: unknown): body is ApiError => {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string';
};

type QueryValues = Readonly<Record<string, string | number | boolean | undefined>>;

function queryString(query: QueryValues | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    // An absent filter and an unset flag are left out, so the server's defaults apply.
    if (value === undefined || value === '' || value === false) continue;
    params.set(key, value === true ? '1' : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

type ParamValues = Readonly<Record<string, string | number | undefined>>;

function fillPath(
  route: ControlRouteName,
  params: ParamValues | undefined,
): { method: string; path: string } {
  const [method, pattern] = ControlRoutes[route].split(' ') as [string, string];
  const path = pattern.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === '') {
      throw new TypeError(`${route}: path parameter ${name} is required`);
    }
    return encodeURIComponent(String(value));
  });
  return { method, path };
}

export function createControlClient(options: ControlClientOptions): ControlClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  function headers(accept: string, json: boolean): Record<string, string> {
    const h: Record<string, string> = { Accept: accept };
    if (options.token) h['Authorization'] = `Bearer ${options.token}`;
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }

  /**
   * fetch, with every failure to get an answer turned into code 'network' (a caller's abort stays an
   * abort). `timeout` applies only without the caller's own signal.
   */
  async function send(
    url: string,
    init: RequestInit,
    own: AbortSignal | undefined,
    timeout: number | undefined,
  ): Promise<Response> {
    const signal = own ?? (timeout === undefined ? undefined : AbortSignal.timeout(timeout));
    try {
      // A control answer is live state: never from a cache.
      return await doFetch(url, { ...init, cache: 'no-store', ...(signal ? { signal } : {}) });
    } catch (err) {
      if (own?.aborted) throw err;
      throw new ControlApiError(
        0,
        'network',
        signal?.aborted
          ? `The control API at ${base} did not answer within ${timeout} ms`
          : `Cannot reach the control API at ${base}`,
        { cause: err },
      );
    }
  }

  async function call<R extends JsonRouteName>(route: R, ...args: RouteArgs<R>): Promise<RouteResponse<R>> {
    const input = (args[0] ?? {}) as {
      params?: ParamValues;
      query?: QueryValues;
      body?: unknown;
      signal?: AbortSignal;
    };
    const { method, path } = fillPath(route, input.params);
    const hasBody = input.body !== undefined;
    const res = await send(
      `${base}${path}${queryString(input.query)}`,
      {
        method,
        headers: headers('application/json', hasBody),
        ...(hasBody ? { body: JSON.stringify(input.body) } : {}),
      },
      input.signal,
      options.timeoutMs,
    );
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (input.signal?.aborted) throw err;
      throw new ControlApiError(res.status, 'network', `${method} ${path}: the answer was cut off`, {
        cause: err,
      });
    }
    let parsed: unknown = undefined;
    let parseFailed = false;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parseFailed = true;
      }
    }
    if (!res.ok) {
      if (isApiError(parsed)) throw new ControlApiError(res.status, parsed.error.code, parsed.error.message);
      throw new ControlApiError(res.status, `http-${res.status}`, `${method} ${path} answered ${res.status}`);
    }
    if (parseFailed) {
      throw new ControlApiError(
        res.status,
        `http-${res.status}`,
        `${method} ${path} answered ${res.status} with a body that is not JSON`,
      );
    }
    return parsed as RouteResponse<R>;
  }

  const methods = {} as Record<JsonRouteName, (input?: unknown) => Promise<unknown>>;
  for (const route of Object.keys(ControlRoutes) as ControlRouteName[]) {
    // Stream routes are not JSON calls (openEventStream); another one added later fails to compile here.
    if (route === ('events' satisfies StreamRouteName)) continue;
    methods[route] = (input?: unknown) =>
      (call as (r: JsonRouteName, i?: unknown) => Promise<unknown>)(route, input);
  }

  return {
    ...(methods as unknown as RouteMethods),
    call,
    url(route, input) {
      const { path } = fillPath(route, input?.params);
      return `${base}${path}${queryString(input?.query as QueryValues | undefined)}`;
    },
    openEventStream(req = {}) {
      const h = headers('text/event-stream', false);
      if (req.lastEventId !== undefined) h['Last-Event-ID'] = String(req.lastEventId);
      // No timeout: the stream is meant to stay open.
      const url = `${base}${fillPath('events', undefined).path}`;
      return send(url, { method: 'GET', headers: h }, req.signal, undefined);
    },
  };
}

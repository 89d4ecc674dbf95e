// Matches requests against the route strings in contracts/control.ts ("GET /v1/files/:fileId"), so
// the contract is the routing table and cannot drift from it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ControlRoutes } from '../contracts/control';
import type { Engine } from '../engine';
import { ControlError } from './errors';
import type { ControlRooms } from './rooms';

/** What every route group is built from. */
export interface ControlDeps {
  engine: Engine;
  rooms: ControlRooms;
}

export type RouteName = keyof typeof ControlRoutes;

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Readonly<Record<string, string>>;
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
}

export type RouteHandler = (ctx: RouteContext) => Promise<Reply | undefined>;

/** Every contract route must have a handler: a missing one is a type error where the table is built. */
export type RouteTable = { [K in RouteName]: RouteHandler };

interface CompiledRoute {
  name: RouteName;
  method: string;
  segments: readonly string[];
}

function compile(): readonly CompiledRoute[] {
  return (Object.keys(ControlRoutes) as RouteName[]).map((name) => {
    const [method, pattern] = ControlRoutes[name].split(' ') as [string, string];
    return { name, method, segments: pattern.split('/').slice(1) };
  });
}

const ROUTES = compile();

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const part = parts[i]!;
    if (p.startsWith(':')) {
      if (part === '') return null;
      params[p.slice(1)] = part;
    } else if (p !== part) return null;
  }
  return params;
}

/** The route for a method + path, with decoded params; throws not-found / method-not-allowed. */
export function matchRoute(
  method: string,
  pathname: string,
): { name: RouteName; params: Record<string, string> } {
  const raw = pathname.split('/').slice(1);
  const allowed: string[] = [];
  for (const r of ROUTES) {
    const params = matchSegments(r.segments, raw);
    if (!params) continue;
    if (r.method !== method) {
      allowed.push(r.method);
      continue;
    }
    const decoded: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) {
      try {
        decoded[k] = decodeURIComponent(v);
      } catch {
        throw new ControlError('bad-request', `path parameter ${k} is not valid percent-encoding`);
      }
    }
    return { name: r.name, params: decoded };
  }
  if (allowed.length > 0) {
    throw new ControlError(
      'method-not-allowed',
      `${method} is not allowed on ${pathname}; use ${allowed.join(' or ')}`,
      {
        allow: allowed.join(', '),
      },
    );
  }
  throw new ControlError('not-found', `no control route ${method} ${pathname}`);
}

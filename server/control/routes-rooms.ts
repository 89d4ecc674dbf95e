// Routes owned by the optional rooms (discovery, tunnel, host page). The control API checks the
// request shape and the file, then delegates; a room that is not there yet answers 501.
import { ControlError } from './errors';
import { readJsonBody } from './http-io';
import { capability } from './rooms';
import type { TunnelStartRequest } from './rooms';
import type { ControlDeps, RouteTable } from './router';
import { objectBody, optionalString, requiredString } from './validate';

type RoomRoutes = Pick<
  RouteTable,
  | 'discovery'
  | 'refreshDiscovery'
  | 'profiles'
  | 'tunnel'
  | 'startTunnel'
  | 'stopTunnel'
  | 'checkTunnel'
  | 'launch'
>;

const URL_MAX = 2048;

export function parseTunnelStart(body: unknown): TunnelStartRequest {
  const o = objectBody(
    body,
    '{"provider":"localtunnel"} or {"provider":"public-url","publicUrl":"https://..."}',
  );
  const provider = o['provider'];
  if (provider === 'localtunnel') {
    const req: TunnelStartRequest = { provider };
    const server = optionalString(o, 'server', URL_MAX);
    const subdomain = optionalString(o, 'subdomain', 63);
    if (server) req.server = server;
    if (subdomain) req.subdomain = subdomain;
    return req;
  }
  if (provider === 'public-url') return { provider, publicUrl: requiredString(o, 'publicUrl', URL_MAX) };
  throw new ControlError('bad-request', 'provider must be "localtunnel" or "public-url"');
}

export function roomRoutes({ engine, rooms }: ControlDeps): RoomRoutes {
  return {
    discovery: async () => ({ body: capability(rooms, 'discovery', 'state')() }),
    refreshDiscovery: async () => ({ body: await capability(rooms, 'discovery', 'refresh')() }),
    profiles: async () => ({ body: capability(rooms, 'discovery', 'profiles')() }),
    tunnel: async () => ({ body: capability(rooms, 'tunnel', 'state')() }),
    startTunnel: async ({ req }) => {
      const start = capability(rooms, 'tunnel', 'start');
      return { body: await start(parseTunnelStart(await readJsonBody(req))) };
    },
    stopTunnel: async () => ({ body: await capability(rooms, 'tunnel', 'stop')() }),
    checkTunnel: async () => ({ body: await capability(rooms, 'tunnel', 'check')() }),
    launch: async ({ req }) => {
      const launch = capability(rooms, 'hostPage', 'launch');
      const o = objectBody(await readJsonBody(req), '{"fileId":"...","action":"edit"}');
      const fileId = requiredString(o, 'fileId', 256);
      if (!(await engine.index.resolve(fileId)))
        throw new ControlError('not-found', `no file with id ${fileId}`);
      const action = optionalString(o, 'action', 64);
      const personaId = optionalString(o, 'personaId', 128);
      const profile = optionalString(o, 'profile', 128);
      // The signed launch link is what the caller asked for.
      return {
        reveal: true,
        body: await launch({
          fileId,
          ...(action ? { action } : {}),
          ...(personaId ? { personaId } : {}),
          ...(profile ? { profile } : {}),
        }),
      };
    },
  };
}

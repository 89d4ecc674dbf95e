// What the control API needs from the optional rooms (discovery, tunnel, host page). Rooms are
// detected structurally per method, so each lands independently: until a room provides a method,
// the route that needs it answers 501 not-available, naming the room and the method.
import type {
  ClientProfileView,
  DiscoveryStateView,
  LaunchLink,
  ReachabilityResult,
  TunnelState,
} from '../contracts/api';
import { ControlError } from './errors';

export interface DiscoveryRoom {
  state(): DiscoveryStateView;
  /** Never rejects for a failed fetch: the failure is reported in the returned state. */
  refresh(): Promise<DiscoveryStateView>;
  profiles(): ClientProfileView[];
}

export type TunnelStartRequest =
  | { provider: 'localtunnel'; server?: string; subdomain?: string }
  | { provider: 'public-url'; publicUrl: string };

export interface TunnelRoom {
  state(): TunnelState;
  start(req: TunnelStartRequest): Promise<TunnelState>;
  stop(): Promise<TunnelState>;
  check(): Promise<ReachabilityResult>;
}

export interface LaunchRequest {
  fileId: string;
  /** Discovery action name ('view', 'edit', ...); absent means the room's default for the file. */
  action?: string;
  personaId?: string;
  /** Client profile id; absent means the active one. */
  profile?: string;
}

export interface HostPageRoom {
  launch(req: LaunchRequest): LaunchLink | Promise<LaunchLink>;
}

/**
 * Rooms as wiring hands them over. Typed loosely on purpose: the placeholders have none of these
 * methods yet. A room method may throw an error whose `code` is a control error code
 * ('bad-request', 'not-found', 'conflict', ...) to choose the status.
 */
export interface ControlRooms {
  discovery?: object;
  tunnel?: object;
  hostPage?: object;
}

interface Capabilities {
  discovery: DiscoveryRoom;
  tunnel: TunnelRoom;
  hostPage: HostPageRoom;
}

const WIRING_FILE: Readonly<Record<keyof Capabilities, string>> = {
  discovery: 'server/wiring/discovery-proof.ts',
  tunnel: 'server/wiring/tunnel.ts',
  hostPage: 'server/wiring/host-page.ts',
};

/** The room's method, bound to it; 501 not-available when the room does not provide it. */
export function capability<R extends keyof Capabilities, M extends keyof Capabilities[R]>(
  rooms: ControlRooms,
  room: R,
  method: M,
): Capabilities[R][M] {
  const target = rooms[room] as Record<string, unknown> | undefined;
  const fn = target?.[method as string];
  if (typeof fn !== 'function') {
    throw new ControlError(
      'not-available',
      `the ${room} room is not available: it does not provide ${String(method)}() (${WIRING_FILE[room]})`,
    );
  }
  return (fn as (...args: unknown[]) => unknown).bind(target) as Capabilities[R][M];
}

// The tunnel room: the manager whose public URL becomes the engine's public base. It starts what
// the options ask for once the WOPI listener is bound; a failure is reported in its state and the
// engine keeps serving locally.
import type { ResolvedOptions } from '../config/options';
import type { TunnelState } from '../contracts/api';
import { createTunnelManager } from './manager';
import type { TunnelStartRequest } from '../contracts/api';

export interface TunnelRoomDeps {
  localPort: () => number;
  emit: (s: TunnelState) => void;
  now: () => number;
  instanceId: string;
  requiresHttps: () => boolean;
  profileKind: () => string;
  options: Pick<ResolvedOptions, 'tunnel' | 'publicUrl'>;
}

export function createTunnelRoom(deps: TunnelRoomDeps) {
  const manager = createTunnelManager({
    localPort: deps.localPort,
    emit: deps.emit,
    now: deps.now,
    instanceId: deps.instanceId,
    checkProfileHttps: deps.requiresHttps,
    profileKind: deps.profileKind,
  });
  return {
    state: () => manager.state(),
    /** The tunnel's public URL while one is set, else null. */
    publicUrl: (): string | null => manager.publicUrl(),
    /** Told whenever a URL carrying the public base was handed out (stale-URL warnings). */
    markUrlsIssued: (): void => manager.markUrlsIssued(),
    start: (req: TunnelStartRequest) => manager.start(req),
    stop: () => manager.stop(),
    check: () => manager.checkReachability(deps.instanceId),
    /** Starts what the options ask for (after the WOPI listener is bound). */
    async startConfigured(): Promise<void> {
      const { tunnel, publicUrl } = deps.options;
      if (tunnel) await manager.start({ provider: 'localtunnel', ...tunnel });
      else if (publicUrl) await manager.start({ provider: 'public-url', publicUrl });
    },
  };
}

export type TunnelRoom = ReturnType<typeof createTunnelRoom>;

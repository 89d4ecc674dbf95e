// The host-page room, with the simulated client: the host page is served on the WOPI listener
// (public origin), CheckFileInfo gets its host URLs from it, and the simulator always runs on its
// own loopback port so files can be opened offline; with the simulator profile it is the client.
import { createLaunchLinks, LAUNCH_SECRET_KEY, newLaunchSecret } from '../auth/launch-links';
import type { ResolvedOptions } from '../config/options';
import type { Permission, TokenGrant } from '../contracts/api';
import { actionNamesFor, buildActionUrl, favIconUrlFor, findAction } from '../discovery/action-url';
import { listProfiles } from '../discovery/profiles';
import type { DiscoveryRoom } from '../discovery/room';
import { SIMULATOR_PROFILE } from '../discovery/room';
import type { EventBus } from '../events/bus';
import { createSimulator } from '../simulator';
import type { ConnectFn } from '../simulator';
import type { Kv } from '../state/kv';
import type { FilesRepo } from '../state/files-repo';
import type { FileIndex } from '../storage/file-index';
import { createHostPage } from './index';
import type { ActionLookup } from './index';

export interface HostPageRoomDeps {
  options: ResolvedOptions;
  bus: EventBus;
  kv: Kv;
  files: FilesRepo;
  index: FileIndex;
  warn: (code: string, e: unknown) => void;
  publicBase: () => string;
  wopiUrl: () => string;
  mintToken: (fileId: string, user?: string, permissions?: Permission) => TokenGrant;
  discovery: DiscoveryRoom;
}

export function createHostPageRoom(deps: HostPageRoomDeps) {
  const { discovery } = deps;
  const opts = deps.options;
  const clock = opts.clock;
  const links = createLaunchLinks(deps.kv.getOrCreate(LAUNCH_SECRET_KEY, newLaunchSecret), clock);

  // The simulator reaches a public WOPISrc the way a tunnel would deliver it: straight to this
  // listener, with the public Host and scheme in forwarding headers, and signed for the public URL.
  const connect: ConnectFn = (url): ReturnType<ConnectFn> => {
    const base = deps.publicBase();
    const local = deps.wopiUrl();
    if (!local || base === local || !url.startsWith(`${base}/`)) return { url };
    const pub = new URL(base);
    if (pub.hostname.endsWith('.localhost')) {
      // A loopback tunnel server (tests, demos): go through it, as a client would; Node can't
      // resolve *.localhost, so dial 127.0.0.1 with the public Host.
      return {
        url: `${pub.protocol}//127.0.0.1:${pub.port || (pub.protocol === 'https:' ? 443 : 80)}${url.slice(pub.origin.length)}`,
        headers: { Host: pub.host },
      };
    }
    return {
      url: `${local}${url.slice(base.length)}`,
      headers: {
        Host: pub.host,
        'X-Forwarded-Host': pub.host,
        'X-Forwarded-Proto': pub.protocol.replace(':', ''),
      },
    };
  };
  const simulator = createSimulator({
    dataDir: opts.dataDir,
    clock,
    connect,
    onError: (e) => deps.warn('simulator', e),
  });

  function lookup(
    profile: string,
    ext: string,
    action: string,
    values: Parameters<DiscoveryRoom['actionUrl']>[2],
  ): ActionLookup {
    if (profile === discovery.activeProfile()) {
      const r = discovery.actionUrl(ext, action, values);
      if (r.ok) return { ok: true, url: r.url, favIconUrl: r.favIconUrl };
      const d = profile === SIMULATOR_PROFILE && simulator.origin() ? simulator.discovery() : null;
      return { ok: false, reason: r.reason, offered: d ? actionNamesFor(d, ext) : offeredByState(ext) };
    }
    // Another profile than the active one: only the simulator can be used without switching.
    if (profile === SIMULATOR_PROFILE && simulator.origin()) {
      const d = simulator.discovery();
      const found = findAction(d, ext, action);
      if (found)
        return { ok: true, url: buildActionUrl(found.urlsrc, values), favIconUrl: favIconUrlFor(d, ext) };
      return {
        ok: false,
        reason: `The simulator has no "${action}" action for .${ext}.`,
        offered: actionNamesFor(d, ext),
      };
    }
    return {
      ok: false,
      reason: `This link is for the ${profile} client profile, but the workbench now runs with ${discovery.activeProfile()}; launch the file again.`,
      offered: [],
    };
  }

  /** What discovery lists for `ext` under `profile`, when this run knows that profile's discovery. */
  function offeredActions(profile: string, ext: string): string[] | null {
    if (profile === discovery.activeProfile() && discovery.state().actions.length > 0) {
      return offeredByState(ext);
    }
    // The simulator's own discovery is known as soon as it runs, whichever profile is active.
    return profile === SIMULATOR_PROFILE && simulator.origin()
      ? actionNamesFor(simulator.discovery(), ext)
      : null;
  }

  function offeredByState(ext: string): string[] {
    return [
      ...new Set(
        discovery
          .state()
          .actions.filter((a) => a.ext === ext)
          .map((a) => a.name),
      ),
    ];
  }

  const hostPage = createHostPage({
    clock,
    publicBase: () => deps.publicBase(),
    links,
    launchTtlMs: opts.launchLinkTtlMinutes * 60_000,
    personas: opts.personas,
    activeProfile: () => discovery.activeProfile(),
    profileIds: () => listProfiles().map((p) => p.id),
    fileExists: (id) => deps.files.get(id)?.present === 1,
    filePath: (id) => deps.files.get(id)?.path ?? null,
    offeredActions,
    async resolveFile(id) {
      const f = await deps.index.resolve(id);
      return f ? { path: f.row.path, ownerId: f.row.owner_id ?? 'owner' } : null;
    },
    // A persona keeps its id; an ad-hoc user is re-resolved from the name it was launched with.
    mintToken: (fileId, user) =>
      deps.mintToken(
        fileId,
        opts.personas.some((p) => p.id === user.userId) ? user.userId : user.userName,
        user.permissions,
      ),
    actionUrl: lookup,
    emit: (m) => deps.bus.emit('hostpage:message', m),
  });

  return {
    launch: hostPage.launch,
    hostUrls: hostPage.hostUrls,
    /** Host page, PostMessage and session-end routes, served on the WOPI listener. */
    router: hostPage.router,
    simulator,
    /** The simulated client's signing keys, for conformance runs with --sign (no listener needed). */
    simulatorKeys: () => simulator.proofKeys(),
    /** Starts the simulator; its discovery then becomes available to the discovery room. */
    async start(): Promise<void> {
      try {
        await simulator.start();
      } catch (e) {
        // Without the simulator the rest still works (other clients, the control API).
        deps.warn(
          'simulator',
          new Error(`the simulated client could not start: ${e instanceof Error ? e.message : String(e)}`),
        );
        return;
      }
      await discovery.useSimulator(simulator.discoveryUrl());
    },
    stop: (): Promise<void> => simulator.stop(),
  };
}

export type HostPageRoom = ReturnType<typeof createHostPageRoom>;

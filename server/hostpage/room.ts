// The host-page room, with the simulated client: the host page is served on the WOPI listener
// (public origin), CheckFileInfo gets its host URLs from it, and the simulator always runs on its
// own loopback port so files can be opened offline; with the simulator profile it is the client.
import { createLaunchLinks, LAUNCH_SECRET_KEY, newLaunchSecret } from '../auth/launch-links';
import type { ResolvedOptions } from '../config/options';
import type { LaunchLink, LaunchRequest, Permission, TokenGrant } from '../contracts/api';
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
import { createHostPage, LaunchError } from './index';
import { createSimSessions } from './sim-sessions';
import type { ActionLookup, HostPageUser } from './index';

/** What proxy mode learns of an upstream file from its host's CheckFileInfo (server/proxy describe). */
export interface UpstreamFileInfo {
  name: string;
  ownerId: string;
  userId: string;
  userName: string;
  canWrite: boolean;
}

/** Proxy mode: the person's own WOPI host serves the files; the host page launches them. */
export interface UpstreamLaunches {
  describe: (fileId: string, accessToken: string) => Promise<UpstreamFileInfo>;
  /** `serve --token`: used when a launch brings no token of its own. */
  defaultToken?: string;
}

interface Proxied {
  accessToken: string;
  accessTokenTtl: number;
}

/** Upstream launches remembered at most (the oldest forgotten first). */
const PROXIED_MAX = 1000;

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
  /** Proxy mode (`serve --upstream`); absent when this workbench is the host. */
  upstream?: UpstreamLaunches;
  /** Told whenever a URL carrying the public base is handed out (the tunnel flags stale ones). */
  urlsIssued?: () => void;
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

  // Proxy mode: what each launch learnt of an upstream file, and the token its host minted, per
  // file id and user (in memory: the tokens are the person's host's, not ours to keep).
  const upstreamFiles = new Map<string, UpstreamFileInfo>();
  const upstreamTokens = new Map<string, Proxied>();
  const tokenKey = (fileId: string, userId: string): string => `${fileId}\n${userId}`;
  const remember = <V>(m: Map<string, V>, k: string, v: V): void => {
    m.delete(k);
    if (m.size >= PROXIED_MAX) m.delete(m.keys().next().value!);
    m.set(k, v);
  };
  const upstream = deps.upstream;
  const upstreamGrant = (fileId: string, user: HostPageUser): TokenGrant | null => {
    const t = upstreamTokens.get(tokenKey(fileId, user.userId));
    if (!t) return null;
    deps.urlsIssued?.();
    return {
      wopiSrc: `${deps.publicBase()}/wopi/files/${encodeURIComponent(fileId)}`,
      accessToken: t.accessToken,
      accessTokenTtl: t.accessTokenTtl,
    };
  };

  const hostPage = createHostPage({
    clock,
    publicBase: () => deps.publicBase(),
    links,
    launchTtlMs: opts.launchLinkTtlMinutes * 60_000,
    personas: opts.personas,
    activeProfile: () => discovery.activeProfile(),
    profileIds: () => listProfiles().map((p) => p.id),
    fileExists: (id) => (upstream ? upstreamFiles.has(id) : deps.files.get(id)?.present === 1),
    filePath: (id) => (upstream ? (upstreamFiles.get(id)?.name ?? null) : (deps.files.get(id)?.path ?? null)),
    offeredActions,
    async resolveFile(id) {
      if (upstream) {
        const u = upstreamFiles.get(id);
        return u ? { path: u.name, ownerId: u.ownerId } : null;
      }
      const f = await deps.index.resolve(id);
      return f ? { path: f.row.path, ownerId: f.row.owner_id ?? 'owner' } : null;
    },
    // A persona keeps its id; an ad-hoc user is re-resolved from the name it was launched with.
    mintToken: (fileId, user) =>
      upstream
        ? upstreamGrant(fileId, user)
        : deps.mintToken(
            fileId,
            opts.personas.some((p) => p.id === user.userId) ? user.userId : user.userName,
            user.permissions,
          ),
    actionUrl: lookup,
    emit: (m) => deps.bus.emit('hostpage:message', m),
  });

  /**
   * Proxy mode: a launch link for a file of the upstream host, with the token that host minted. Its
   * CheckFileInfo (read with that token) gives the name, owner and user; the link is for that user.
   */
  async function launchUpstream(req: LaunchRequest): Promise<LaunchLink> {
    if (!upstream)
      throw new LaunchError('bad-request', 'this workbench is not a proxy (serve --upstream URL)');
    const accessToken = req.accessToken ?? upstream.defaultToken;
    if (!accessToken) {
      throw new LaunchError(
        'bad-request',
        `no access token for upstream file ${req.fileId}: give the one your WOPI host minted for it (accessToken, or serve --token)`,
      );
    }
    const info = await upstream.describe(req.fileId, accessToken);
    const user: HostPageUser = {
      userId: info.userId,
      userName: info.userName,
      permissions: info.canWrite ? 'edit' : 'view',
    };
    remember(upstreamFiles, req.fileId, info);
    remember(upstreamTokens, tokenKey(req.fileId, info.userId), {
      accessToken,
      accessTokenTtl: req.accessTokenTtl ?? 0,
    });
    return hostPage.launch({
      fileId: req.fileId,
      ...(req.action !== undefined ? { action: req.action } : {}),
      ...(req.profile !== undefined ? { profile: req.profile } : {}),
      user,
    });
  }

  const simSessions = createSimSessions({
    simulator,
    personas: opts.personas,
    bus: deps.bus,
    clock,
    proxied: upstream !== undefined,
    filePath: async (id) => (await deps.index.resolve(id))?.row.path ?? null,
    mintToken: (fileId, user, permissions) => deps.mintToken(fileId, user, permissions),
  });

  return {
    launch: hostPage.launch,
    launchUpstream,
    /** Headless simulated-client sessions (the control API's /v1/simulator). */
    simSessions,
    /** Proxy mode: launches go through launchUpstream. */
    proxied: upstream !== undefined,
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

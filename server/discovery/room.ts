// The discovery + proof-key room: resolves the active client profile, keeps its discovery fresh
// (store in SQLite, events on the bus) and verifies each WOPI request's proof against the PUBLIC URL
// the client called. Nothing here may crash the engine or fail a request by throwing.
import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedOptions } from '../config/options';
import type { ClientProfileView, DiscoveryStateView, ProofMode, ProofVerdict } from '../contracts/api';
import type { ActionUrlValues } from './action-url';
import type { EventBus } from '../events/bus';
import { listProfiles, resolveProfile } from './profiles';
import { createDiscoveryService, PROOF_REFRESH_MIN_GAP_MS } from './service';
import type { ActionUrlResult, DiscoveryService, RefreshReason } from './service';
import { candidateUrlsFor, verifyProof } from '../proof/verify';
import type { ProofKeySet } from '../proof/verify';
import type { Db } from '../state/db';
import { createDiscoveryStore } from '../state/discovery-store';
import { WopiHeader } from '../protocol/headers';

export const SIMULATOR_PROFILE = 'simulator';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The access_token exactly as it appears in the query string (the bytes the client signed). */
export function rawAccessToken(pathAndQuery: string): string | undefined {
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return undefined;
  for (const pair of pathAndQuery
    .slice(q + 1)
    .split('#')[0]!
    .split('&')) {
    if (pair.startsWith('access_token=')) return pair.slice('access_token='.length);
  }
  return undefined;
}

/** More URLs the client may have signed: what the Host / X-Forwarded-* headers say it called. */
function headerCandidates(headers: IncomingHttpHeaders, pathAndQuery: string): string[] {
  const host = header(headers, 'x-forwarded-host') ?? header(headers, 'host');
  if (!host || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return [];
  const proto = header(headers, 'x-forwarded-proto');
  const schemes =
    proto === 'http' || proto === 'https' ? [proto, proto === 'https' ? 'http' : 'https'] : ['https', 'http'];
  return schemes.map((s) => `${s}://${host}${pathAndQuery}`);
}

export interface DiscoveryRoomDeps {
  options: ResolvedOptions;
  db: Db;
  bus: EventBus;
  warn: (code: string, e: unknown) => void;
  /** Where the client calls (tunnel / reverse proxy / listener), and this listener's own URL. */
  publicBase: () => string;
  wopiUrl: () => string;
}

/** What the WOPI layer hands over for one proof check: the URL as received, path + query. */
export interface ProofInput {
  pathAndQuery: string;
  accessToken: string;
  headers: IncomingHttpHeaders;
}

/**
 * The URL the client called for a request received as `pathAndQuery`. A public base with a path is
 * either a prefix the request still carries (the router mounted under it in someone's app) or one
 * a reverse proxy removed before forwarding.
 */
export function publicUrlOf(base: string, pathAndQuery: string): string {
  const u = new URL(base);
  const prefix = u.pathname.replace(/\/+$/, '');
  if (prefix && (pathAndQuery === prefix || pathAndQuery.startsWith(`${prefix}/`)))
    return `${u.origin}${pathAndQuery}`;
  return `${u.origin}${prefix}${pathAndQuery}`;
}

export function createDiscoveryRoom(deps: DiscoveryRoomDeps) {
  const opts = deps.options;
  const clock = opts.clock;
  const profileId = opts.clientProfile;
  // Snapshots live in the engine's own database (table discovery_snapshots).
  const store = createDiscoveryStore(deps.db);
  let service: DiscoveryService | null = null;
  let simulatorUrl: string | undefined;
  let problem: string | null = null;

  const warn = (e: unknown): void => deps.warn('discovery', e);

  function settingsFor(id: string) {
    const mine = id === profileId;
    return {
      ...(mine && opts.discoveryUrl ? { discoveryUrl: opts.discoveryUrl } : {}),
      ...(mine && opts.proofMode ? { proofMode: opts.proofMode } : {}),
      ...(simulatorUrl ? { simulatorUrl } : {}),
    };
  }

  function proofMode(): ProofMode {
    const resolved = resolveProfile(profileId, settingsFor(profileId));
    if (resolved.ok) return resolved.profile.proofMode;
    return opts.proofMode ?? listProfiles().find((p) => p.id === profileId)?.proofMode ?? 'report';
  }

  /** Creates the service once the profile can be resolved (the simulator's needs its URL first). */
  function ensureService(): DiscoveryService | null {
    if (service) return service;
    const resolved = resolveProfile(profileId, settingsFor(profileId));
    if (!resolved.ok) {
      problem = resolved.error.message;
      return null;
    }
    problem = null;
    service = createDiscoveryService({
      store,
      clock,
      profile: resolved.profile,
      emit: (state) => deps.bus.emit('discovery:refreshed', state),
    });
    return service;
  }

  function idleView(): DiscoveryStateView {
    const base = listProfiles().find((p) => p.id === profileId);
    return {
      profile: profileId,
      source: base?.discoveryUrl ?? '',
      proofMode: proofMode(),
      status: problem ? 'failed' : 'never',
      ...(problem ? { error: problem } : {}),
      actions: [],
      changes: [],
    };
  }

  async function startService(): Promise<void> {
    const s = ensureService();
    if (!s) {
      deps.bus.emit('discovery:refreshed', idleView());
      return;
    }
    try {
      await s.start();
    } catch (e) {
      warn(e);
    }
  }

  /** Asks for a refresh unless one ran within the service's rate limit; says whether it will run. */
  function refreshForProof(reason: RefreshReason): boolean {
    if (!service) return false;
    const last = service.state().lastAttemptAt;
    if (last !== undefined && clock() - last < PROOF_REFRESH_MIN_GAP_MS) return false;
    service.refresh(reason).catch(warn);
    return true;
  }

  const noKeys: ProofKeySet = { current: null, old: null };

  /** The proof verdict of one WOPI request (undefined only if checking itself failed). */
  const proof = (p: ProofInput): ProofVerdict | undefined => {
    try {
      // Signed over the URL the client called: the public base, never this listener's address.
      const publicUrl = publicUrlOf(deps.publicBase(), p.pathAndQuery);
      const local = deps.wopiUrl();
      const localUrl = local ? `${local}${p.pathAndQuery}` : publicUrl;
      // Diagnosis candidates only matter when there is a signature to check.
      const signed =
        header(p.headers, WopiHeader.proof) !== undefined ||
        header(p.headers, WopiHeader.proofOld) !== undefined;
      const candidateUrls = !signed
        ? []
        : [
            ...new Set([
              ...candidateUrlsFor(publicUrl, localUrl),
              ...headerCandidates(p.headers, p.pathAndQuery),
            ]),
          ].filter((u) => u !== publicUrl);
      const verdict = verifyProof(
        {
          accessToken: rawAccessToken(p.pathAndQuery) ?? p.accessToken,
          url: publicUrl,
          timestamp: header(p.headers, WopiHeader.timestamp),
          proof: header(p.headers, WopiHeader.proof),
          proofOld: header(p.headers, WopiHeader.proofOld),
        },
        service?.keys() ?? noKeys,
        { mode: proofMode(), now: clock(), candidateUrls },
      );
      if (verdict.mode === 'enforce' && verdict.outcome === 'skipped') {
        // Enforcing without keys would let every request through: refuse, and say how to fix it.
        const st = service?.state();
        const why = st?.error ? `: ${st.error}` : '';
        return {
          ...verdict,
          outcome: 'invalid',
          rejected: true,
          reason: `proof mode is enforce but no proof keys are loaded (discovery ${st?.status ?? 'not loaded'}${why}); fix the discovery source, or run with --proof report`,
          refreshTriggered: refreshForProof('proof-failure'),
        };
      }
      if (verdict.refreshTriggered) {
        verdict.refreshTriggered = refreshForProof(
          verdict.outcome === 'valid' ? 'proof-old-key' : 'proof-failure',
        );
      }
      return verdict;
    } catch (e) {
      // A bug in proof checking is reported, never turned into a failed WOPI request.
      warn(e);
      return undefined;
    }
  };

  // Profiles other than the simulator can load their last good snapshot right away.
  if (profileId !== SIMULATOR_PROFILE) ensureService();

  return {
    proof,
    /** Loads discovery once the listeners are bound (the simulator's waits for useSimulator()). */
    async start(): Promise<void> {
      if (profileId === SIMULATOR_PROFILE && !simulatorUrl) return;
      await startService();
    },
    stop: (): void => service?.stop(),
    /** The host-page room reports where the simulator listens; its discovery then loads. */
    async useSimulator(discoveryUrl: string): Promise<void> {
      simulatorUrl = discoveryUrl;
      if (profileId === SIMULATOR_PROFILE && !service) await startService();
    },
    activeProfile: (): string => profileId,
    proofMode,
    state: (): DiscoveryStateView => service?.state() ?? idleView(),
    async refresh(): Promise<DiscoveryStateView> {
      const s = ensureService();
      if (!s) return idleView();
      return s.refresh('manual');
    },
    profiles(): ClientProfileView[] {
      return listProfiles().map((template) => {
        const r = resolveProfile(template.id, settingsFor(template.id));
        return r.ok ? r.profile : template;
      });
    },
    keys: (): ProofKeySet => service?.keys() ?? noKeys,
    actionUrl(ext: string, action: string, values: ActionUrlValues): ActionUrlResult {
      const s = ensureService();
      if (!s) return { ok: false, reason: problem ?? `The ${profileId} client profile is not ready yet.` };
      return s.actionUrl(ext, action, values);
    },
    favIconUrl: (ext: string): string | null => service?.favIconUrl(ext) ?? null,
  };
}

export type DiscoveryRoom = ReturnType<typeof createDiscoveryRoom>;

// Keeps one client profile's discovery current: loads the last good snapshot at once, refreshes
// every 12–24 h and on demand (rate-limited when proof checks ask), keeps the last good copy
// when a fetch fails, and publishes DiscoveryStateView on every refresh.
import type { ClientProfileView, DiscoveryStateView } from '../contracts/api';
import { importProofKeys } from '../proof/keys';
import type { ImportedProofKeys } from '../proof/keys';
import type { ProofKeySet } from '../proof/verify';
import type { DiscoveryStore } from '../state/discovery-store';
import { actionNamesFor, buildActionUrl, favIconUrlFor, findAction } from './action-url';
import type { ActionUrlValues } from './action-url';
import { diffDiscovery } from './diff';
import { fetchDiscoveryXml } from './fetch';
import { parseDiscovery, toActionViews } from './parse';
import type { Discovery, DiscoveryAction } from './parse';

export const DEFAULT_REFRESH_INTERVAL_MS = 12 * 3_600_000;
const MIN_REFRESH_INTERVAL_MS = 12 * 3_600_000;
const MAX_REFRESH_INTERVAL_MS = 24 * 3_600_000;
/** Proof failures can arrive on every request; one refetch a minute is plenty. */
export const PROOF_REFRESH_MIN_GAP_MS = 60_000;

export type RefreshReason = 'startup' | 'interval' | 'manual' | 'proof-failure' | 'proof-old-key';

export interface DiscoveryServiceDeps {
  store: DiscoveryStore;
  fetchImpl?: typeof fetch;
  /** Epoch ms. */
  clock: () => number;
  profile: ClientProfileView;
  emit: (state: DiscoveryStateView) => void;
  /** Clamped to 12–24 h (PROTOCOL.md §9.1). */
  refreshIntervalMs?: number;
  fetchTimeoutMs?: number;
}

export type ActionUrlResult =
  | { ok: true; url: string; action: DiscoveryAction; favIconUrl: string | null }
  | { ok: false; reason: string };

export interface DiscoveryService {
  /** Never rejects: failures are reported in the returned state. */
  refresh(reason: RefreshReason): Promise<DiscoveryStateView>;
  state(): DiscoveryStateView;
  keys(): ProofKeySet;
  discovery(): Discovery | null;
  actionUrl(ext: string, action: string, values: ActionUrlValues): ActionUrlResult;
  favIconUrl(ext: string): string | null;
  /** Schedules periodic refreshes and runs the startup one (resolved when it is done). */
  start(): Promise<DiscoveryStateView>;
  stop(): void;
}

interface Loaded {
  discovery: Discovery;
  keys: ImportedProofKeys;
  /** Set when the proof key could not be imported (actions still work). */
  keyProblem: string | null;
  fetchedAt: number;
  snapshotId: number;
}

/** Discovery should be refreshed every 12–24 h; anything outside is pulled into that range. */
export function clampRefreshInterval(ms: number | undefined): number {
  const wanted = ms !== undefined && Number.isFinite(ms) ? ms : DEFAULT_REFRESH_INTERVAL_MS;
  return Math.min(MAX_REFRESH_INTERVAL_MS, Math.max(MIN_REFRESH_INTERVAL_MS, wanted));
}

export function createDiscoveryService(deps: DiscoveryServiceDeps): DiscoveryService {
  const { store, profile, clock, emit } = deps;
  const source = profile.discoveryUrl;
  const intervalMs = clampRefreshInterval(deps.refreshIntervalMs);
  let loaded: Loaded | null = null;
  let view: DiscoveryStateView = emptyView();
  let inFlight: Promise<DiscoveryStateView> | null = null;
  let lastAttemptAt: number | null = null;
  let timer: NodeJS.Timeout | null = null;

  restoreFromStore();

  function emptyView(): DiscoveryStateView {
    return {
      profile: profile.id,
      source,
      proofMode: profile.proofMode,
      status: 'never',
      actions: [],
      changes: [],
    };
  }

  function load(xml: string, fetchedAt: number, snapshotId: number): Loaded {
    const discovery = parseDiscovery(xml);
    try {
      return {
        discovery,
        keys: importProofKeys(discovery.proofKey),
        keyProblem: null,
        fetchedAt,
        snapshotId,
      };
    } catch (err) {
      const keyProblem = `Discovery loaded, but its proof key is unusable (${(err as Error).message}), so proofs cannot be checked.`;
      return { discovery, keys: { current: null, old: null }, keyProblem, fetchedAt, snapshotId };
    }
  }

  function okView(l: Loaded, changes: DiscoveryStateView['changes']): DiscoveryStateView {
    const v: DiscoveryStateView = {
      ...emptyView(),
      status: 'ok',
      lastAttemptAt: lastAttemptAt ?? l.fetchedAt,
      lastSuccessAt: l.fetchedAt,
      zone: l.discovery.zone.name,
      actions: toActionViews(l.discovery.zone),
      changes,
      snapshotId: l.snapshotId,
    };
    const keyWarnings = [l.keys.current?.warning, l.keys.old?.warning].filter((w): w is string => Boolean(w));
    const problem = l.keyProblem ?? (keyWarnings.length > 0 ? keyWarnings.join(' ') : null);
    if (problem) v.error = problem;
    if (l.keys.current || l.keys.old) {
      v.proofKey = {};
      if (l.keys.current) v.proofKey.currentFingerprint = l.keys.current.fingerprint;
      if (l.keys.old) v.proofKey.oldFingerprint = l.keys.old.fingerprint;
    }
    return v;
  }

  // After a restart the last good snapshot is usable before any network call.
  function restoreFromStore(): void {
    const snapshot = store.latestOk(profile.id);
    if (!snapshot?.xml || snapshot.source !== source) return;
    try {
      loaded = load(snapshot.xml, snapshot.fetchedAt, snapshot.id);
      view = okView(loaded, []);
    } catch {
      // A stored snapshot that no longer parses is ignored; the next refresh replaces it.
      loaded = null;
    }
  }

  async function run(): Promise<DiscoveryStateView> {
    const at = clock();
    lastAttemptAt = at;
    try {
      const fetched = await fetchDiscoveryXml(source, {
        fetchImpl: deps.fetchImpl,
        timeoutMs: deps.fetchTimeoutMs,
      });
      const next = load(fetched.xml, at, 0);
      next.snapshotId = store.save({
        profile: profile.id,
        source,
        fetchedAt: at,
        ok: true,
        xml: fetched.xml,
      });
      const changes = diffDiscovery(loaded?.discovery ?? null, next.discovery);
      loaded = next;
      view = okView(next, changes);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      try {
        store.save({ profile: profile.id, source, fetchedAt: at, ok: false, error: message });
      } catch {
        // Recording the failure is best effort; the state below still reports it.
      }
      const kept = loaded
        ? ` Still using the discovery fetched at ${new Date(loaded.fetchedAt).toISOString()}.`
        : ' No earlier discovery is available, so files cannot be opened with this client yet.';
      view = {
        ...(loaded ? okView(loaded, view.changes) : emptyView()),
        status: 'failed',
        lastAttemptAt: at,
        error: `${message}${kept}`,
      };
    }
    emit(view);
    return view;
  }

  function refresh(reason: RefreshReason): Promise<DiscoveryStateView> {
    if (inFlight) return inFlight;
    const proofDriven = reason === 'proof-failure' || reason === 'proof-old-key';
    if (proofDriven && lastAttemptAt !== null && clock() - lastAttemptAt < PROOF_REFRESH_MIN_GAP_MS) {
      return Promise.resolve(view);
    }
    inFlight = run().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    refresh,
    state: () => view,
    keys: () => ({ current: loaded?.keys.current?.key ?? null, old: loaded?.keys.old?.key ?? null }),
    discovery: () => loaded?.discovery ?? null,
    actionUrl(ext, actionName, values) {
      if (!loaded) {
        return {
          ok: false,
          reason: `No discovery is loaded for ${profile.name} yet${view.error ? ` (${view.error})` : ''}; refresh discovery first.`,
        };
      }
      const action = findAction(loaded.discovery, ext, actionName);
      if (!action) {
        const offered = actionNamesFor(loaded.discovery, ext);
        const dotExt = `.${ext.replace(/^\./, '').toLowerCase()}`;
        return {
          ok: false,
          reason: offered.length
            ? `${profile.name} has no "${actionName}" action for ${dotExt}; it offers ${offered.join(', ')}.`
            : `${profile.name} cannot open ${dotExt} files (its discovery lists no action for them).`,
        };
      }
      return {
        ok: true,
        url: buildActionUrl(action.urlsrc, values),
        action,
        favIconUrl: favIconUrlFor(loaded.discovery, ext),
      };
    },
    favIconUrl: (ext) => (loaded ? favIconUrlFor(loaded.discovery, ext) : null),
    start() {
      if (!timer) {
        timer = setInterval(() => void refresh('interval'), intervalMs);
        timer.unref();
      }
      return refresh('startup');
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

// Owns the tunnel's life: off -> connecting -> online, and on a drop: dropped -> reconnecting (with
// exponential backoff, same subdomain so issued links keep working) -> online | failed. A public URL
// the person configured is only `unverified` until a reachability check shows it leads here. Every
// state change goes out through `emit`; the public URL here is what WOPISrc and proof checks use.
import type { ReachabilityResult, TunnelState } from '../contracts/api';
import { createLocaltunnelProvider } from './localtunnel-provider';
import {
  DEFAULT_TUNNEL_SERVER,
  normalizeServerUrl,
  normalizeSubdomain,
  randomSubdomain,
  TunnelError,
  type OpenTunnel,
  type TunnelProvider,
  type TunnelProviderName,
} from './provider';
import { createPublicUrlProvider } from './public-url-provider';
import { checkReachability } from './reachability';
import { pickTimers, type TimerHandle, type Timers } from './timers';
import { tunnelWarnings } from './warnings';

export type TunnelStartOptions =
  | { provider: 'localtunnel'; server?: string; subdomain?: string }
  | { provider: 'public-url'; publicUrl: string };

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Reconnect attempts before giving up with status 'failed'. */
  maxAttempts: number;
}

export interface TunnelManagerDeps {
  localPort: () => number;
  emit: (s: TunnelState) => void;
  now: () => number;
  providers?: Partial<Record<TunnelProviderName, TunnelProvider>>;
  setTimer?: Timers['setTimer'];
  clearTimer?: Timers['clearTimer'];
  /** The active client profile requires https. */
  checkProfileHttps?: () => boolean;
  /** ClientProfileView['kind'] of the active profile. */
  profileKind?: () => string;
  backoff?: Partial<BackoffOptions>;
  reachabilityTimeoutMs?: number;
  /**
   * This workbench's instance id. When given, a public URL is checked as soon as it is set (the
   * check must meet this instance behind it), and the result moves it to online or says why not.
   */
  instanceId?: string;
  /**
   * How long a first connect keeps retrying while the tunnel server refuses connections (it may be
   * starting next to us, e.g. a self-hosted server launched by the same script). Default 5 s.
   */
  startRefusedGraceMs?: number;
}

export interface TunnelManager {
  /** Resolves once the tunnel is online or has failed; a running tunnel is replaced. */
  start(opts: TunnelStartOptions): Promise<TunnelState>;
  stop(): Promise<TunnelState>;
  state(): TunnelState;
  /** The base URL for links; kept during a reconnect, because the same subdomain is asked back. */
  publicUrl(): string | null;
  /** Links were handed out with the current public URL; a later change marks them stale. */
  markUrlsIssued(): void;
  checkReachability(instanceId: string): Promise<ReachabilityResult>;
  /** Recomputes warnings (e.g. after the client profile changed) and emits. */
  refresh(): TunnelState;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, maxAttempts: 10 };
const DEFAULT_START_REFUSED_GRACE_MS = 5_000;
const START_RETRY_MS = 250;

/** Nothing listens at the tunnel server's address (yet): the one first-connect error worth a retry. */
const isRefused = (e: TunnelError): boolean => e.errno === 'ECONNREFUSED';

interface Session {
  provider: TunnelProviderName;
  server?: string;
  subdomain?: string;
  publicUrl?: string;
  handle: OpenTunnel | null;
  abort: AbortController | null;
  timer: TimerHandle;
  /** The automatic reachability check of a public URL, while it runs. */
  check: AbortController | null;
}

type Patch = Partial<Omit<TunnelState, 'since' | 'warnings' | 'staleUrlsIssued'>>;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One sentence: which hop failed and what to do, for a public URL that did not lead here. */
export function unreachableWhy(publicUrl: string, result: ReachabilityResult): string {
  const hop = result.hops.find((h) => !h.ok);
  const where = hop ? ` (${hop.name}: ${hop.detail})` : '';
  return (
    `${publicUrl} does not reach this workbench yet${where}; fix its DNS name or reverse proxy, ` +
    'then run the reachability check again'
  );
}

export function backoffDelay(attempt: number, b: BackoffOptions): number {
  return Math.min(b.initialMs * 2 ** (attempt - 1), b.maxMs);
}

export function createTunnelManager(deps: TunnelManagerDeps): TunnelManager {
  const timers = pickTimers(deps);
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...deps.backoff };
  const providers: Record<TunnelProviderName, TunnelProvider> = {
    localtunnel: deps.providers?.localtunnel ?? createLocaltunnelProvider(timers),
    'public-url': deps.providers?.['public-url'] ?? createPublicUrlProvider(),
  };

  let current: TunnelState = { provider: 'none', status: 'off', since: deps.now(), warnings: [] };
  let session: Session | null = null;
  let issued: { url: string | null } | null = null;
  let stale = false;

  // An unverified public URL is still the one links carry: the person said their proxy serves it.
  const effectiveUrl = (s: TunnelState): string | null =>
    s.status === 'online' ||
    s.status === 'unverified' ||
    s.status === 'dropped' ||
    s.status === 'reconnecting'
      ? (s.publicUrl ?? null)
      : null;

  // Next state = current + patch; undefined fields are dropped, derived fields recomputed every time.
  const set = (patch: Patch): TunnelState => {
    const status = patch.status ?? current.status;
    const base: TunnelState = { ...current, ...patch, status, warnings: [] };
    if (status !== current.status) {
      base.since = deps.now();
      if (!('reachability' in patch)) delete base.reachability;
    }
    for (const key of Object.keys(base) as (keyof TunnelState)[]) {
      if (base[key] === undefined) delete base[key];
    }
    // Judge staleness only in settled states; while connecting the new URL is not known yet.
    if (
      issued &&
      (status === 'online' || status === 'unverified' || status === 'off' || status === 'failed')
    ) {
      stale = issued.url !== effectiveUrl(base);
    }
    if (stale) base.staleUrlsIssued = true;
    else delete base.staleUrlsIssued;
    base.warnings = tunnelWarnings({
      publicUrl: base.publicUrl,
      server: base.server,
      requiresHttps: deps.checkProfileHttps?.() ?? false,
      profileKind: deps.profileKind?.(),
    });
    current = base;
    deps.emit(structuredClone(base));
    return structuredClone(base);
  };

  const teardown = (s: Session): void => {
    if (s.timer !== null) timers.clearTimer(s.timer);
    s.timer = null;
    s.abort?.abort();
    s.abort = null;
    s.check?.abort();
    s.check = null;
    s.handle?.close();
    s.handle = null;
  };

  /** One open attempt, online on success; null result means the session was replaced meanwhile. */
  const openOnce = async (
    s: Session,
    attempt?: number,
  ): Promise<{ ok: true } | { ok: false; error: TunnelError } | null> => {
    const abort = new AbortController();
    s.abort = abort;
    try {
      const handle = await providers[s.provider].open(deps.localPort(), {
        server: s.server,
        subdomain: s.subdomain,
        publicUrl: s.publicUrl,
        signal: abort.signal,
      });
      if (session !== s) {
        handle.close();
        return null;
      }
      s.abort = null;
      s.handle = handle;
      // Online first: a handle may report a drop as soon as we listen, and that must come after.
      goOnline(s, attempt);
      handle.onClose((reason) => onDrop(s, handle, reason));
      handle.onError((e) => onDrop(s, handle, e.message));
      return { ok: true };
    } catch (e) {
      if (session !== s) return null;
      s.abort = null;
      const error = e instanceof TunnelError ? e : new TunnelError('unreachable', message(e), true);
      return { ok: false, error };
    }
  };

  /** Waits on the session's timer; true when the session was torn down (stop, restart) meanwhile. */
  const pause = (s: Session, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      s.timer = timers.setTimer(() => {
        s.timer = null;
        resolve(session !== s);
      }, ms);
      // teardown() aborts the session's controller: that ends the wait at once.
      s.abort = new AbortController();
      s.abort.signal.addEventListener('abort', () => resolve(true), { once: true });
    });

  const goOnline = (s: Session, attempt?: number): void => {
    // A localtunnel socket is connected: traffic flows. A public URL is only a claim until checked.
    const claimOnly = s.provider === 'public-url';
    set({
      status: claimOnly ? 'unverified' : 'online',
      publicUrl: s.handle?.url,
      subdomain: s.handle?.subdomain ?? s.subdomain,
      error: undefined,
      attempt,
    });
    if (claimOnly && deps.instanceId !== undefined) verifyInBackground(s, deps.instanceId);
  };

  const runCheck = (instanceId: string, signal?: AbortSignal): Promise<ReachabilityResult> =>
    checkReachability({
      instanceId,
      localPort: deps.localPort(),
      publicUrl: effectiveUrl(current),
      server: session?.provider === 'localtunnel' ? session.server : undefined,
      now: deps.now,
      timeoutMs: deps.reachabilityTimeoutMs,
      signal,
      ...timers,
    });

  /** Records a check; for a public URL the check decides between online and unverified. */
  const applyCheck = (s: Session, result: ReachabilityResult): void => {
    if (session !== s) return;
    const judged =
      s.provider === 'public-url' && (current.status === 'online' || current.status === 'unverified');
    if (!judged) {
      set({ reachability: result });
      return;
    }
    set({
      status: result.ok ? 'online' : 'unverified',
      reachability: result,
      error: result.ok ? undefined : unreachableWhy(current.publicUrl ?? '', result),
    });
  };

  const verifyInBackground = (s: Session, instanceId: string): void => {
    const check = new AbortController();
    s.check = check;
    void runCheck(instanceId, check.signal).then((result) => {
      if (s.check === check) s.check = null;
      if (!check.signal.aborted) applyCheck(s, result);
    });
  };

  const onDrop = (s: Session, handle: OpenTunnel, reason: string): void => {
    // Only the first signal from the live handle counts; a closed one may still report late errors.
    if (session !== s || s.handle !== handle) return;
    s.handle = null;
    handle.close();
    set({ status: 'dropped', error: `tunnel dropped: ${reason}`, attempt: undefined });
    schedule(s, 1);
  };

  const schedule = (s: Session, attempt: number): void => {
    s.timer = timers.setTimer(
      () => {
        s.timer = null;
        void reconnect(s, attempt);
      },
      backoffDelay(attempt, backoff),
    );
  };

  const reconnect = async (s: Session, attempt: number): Promise<void> => {
    if (session !== s) return;
    set({ status: 'reconnecting', attempt });
    const result = await openOnce(s, attempt);
    if (!result || result.ok) return;
    const { error } = result;
    if (!error.retryable) {
      set({ status: 'failed', publicUrl: undefined, error: error.message, attempt });
    } else if (attempt >= backoff.maxAttempts) {
      set({
        status: 'failed',
        publicUrl: undefined,
        error: `gave up after ${attempt} reconnect attempts: ${error.message}`,
        attempt,
      });
    } else {
      set({ status: 'reconnecting', error: error.message, attempt });
      schedule(s, attempt + 1);
    }
  };

  const makeSession = (opts: TunnelStartOptions): Session => {
    const base = { handle: null, abort: null, timer: null, check: null };
    if (opts.provider === 'public-url') return { ...base, provider: 'public-url', publicUrl: opts.publicUrl };
    // Fixed here, not in the provider, so every reconnect asks for the same subdomain.
    return {
      ...base,
      provider: 'localtunnel',
      server: normalizeServerUrl(opts.server ?? DEFAULT_TUNNEL_SERVER),
      subdomain: opts.subdomain ? normalizeSubdomain(opts.subdomain) : randomSubdomain(),
    };
  };

  return {
    async start(opts) {
      if (session) teardown(session);
      session = null;
      let s: Session;
      try {
        s = makeSession(opts);
      } catch (e) {
        return set({
          provider: opts.provider,
          status: 'failed',
          publicUrl: undefined,
          server: undefined,
          subdomain: undefined,
          error: message(e),
          attempt: undefined,
        });
      }
      session = s;
      set({
        provider: s.provider,
        status: 'connecting',
        server: s.server,
        subdomain: s.subdomain,
        publicUrl: undefined,
        error: undefined,
        attempt: undefined,
      });
      const graceMs = deps.startRefusedGraceMs ?? DEFAULT_START_REFUSED_GRACE_MS;
      const giveUpAt = deps.now() + graceMs;
      for (let attempt = 1; ; attempt++) {
        const result = await openOnce(s);
        if (!result) return this.state();
        if (result.ok) return this.state();
        // A first connect that fails is usually a setting to fix, so say so now instead of retrying;
        // only a refused connection gets a short grace, in case the server is still starting.
        if (!isRefused(result.error) || deps.now() + START_RETRY_MS > giveUpAt) {
          return set({ status: 'failed', error: result.error.message, attempt: undefined });
        }
        set({ error: result.error.message, attempt });
        if (await pause(s, START_RETRY_MS)) return this.state();
      }
    },
    stop() {
      if (session) teardown(session);
      session = null;
      const state = set({
        provider: 'none',
        status: 'off',
        publicUrl: undefined,
        server: undefined,
        subdomain: undefined,
        error: undefined,
        attempt: undefined,
      });
      return Promise.resolve(state);
    },
    state: () => structuredClone(current),
    publicUrl: () => effectiveUrl(current),
    markUrlsIssued() {
      issued = { url: effectiveUrl(current) };
      const wasStale = stale;
      stale = false;
      if (wasStale) set({});
    },
    async checkReachability(instanceId) {
      const s = session;
      const result = await runCheck(instanceId);
      if (s) applyCheck(s, result);
      else if (session === null) set({ reachability: result });
      return result;
    },
    refresh: () => set({}),
  };
}

// createWorkbench: the one factory both shells (CLI, Electron), library users and every test use.
// It builds every room in dependency order and returns the request handlers without binding a
// socket; start() binds them and starts the rooms, stop() tears down in reverse order. No globals,
// no hooks filled in later: each room gets what it needs when it is built.
import http from 'node:http';
import type { Router } from 'express';
import { ApiModelError, createApiModel } from './api';
import type { ApiModel } from './api';
import { resolveOptions } from './config/options';
import type { WorkbenchOptions } from './config/options';
import type { Permission, StatusView, TokenGrant } from './contracts/api';
import { createControlApp } from './control';
import { createCore } from './core';
import { createDiscoveryRoom } from './discovery/room';
import { createHostPageRoom } from './hostpage/room';
import { answerClientError } from './http/linger';
import { closeServer, listen } from './http/listen';
import { createProxy } from './proxy';
import { buildWopiRouter, createWopiApp } from './http/wopi-router';
import type { WopiRouterDeps } from './http/wopi-router';
import { removeStaleTemps } from './storage/atomic-write';
import { relFromUser } from './storage/paths';
import { watchFolder } from './storage/watcher';
import { APP_VERSION } from './version';

export interface ReadyInfo {
  wopiUrl: string;
  controlUrl: string;
  controlToken: string;
  uiUrl: string;
  publicUrl: string;
  /** The simulated client's discovery (its proof keys): what a host trusts to check `check --sign` runs. */
  simulatorDiscoveryUrl?: string;
  /** Proxy mode: the WOPI host /wopi/… requests are forwarded to. */
  upstream?: string;
}

export interface MintTokenOptions {
  /** The file's path relative to the served folder ('/' separators). */
  file?: string;
  /** Or its id, e.g. from a listing. */
  fileId?: string;
  /** A persona id or name; another name is an ad-hoc user with `permissions`. */
  user?: string;
  permissions?: Permission;
  ttlMinutes?: number;
}

export function createWorkbench(options: WorkbenchOptions) {
  const opts = resolveOptions(options);
  const core = createCore(opts);
  const { shutdown, addresses } = core;
  // Torn down in reverse: everything below is stopped before the state it writes into.
  shutdown.add('state', () => {
    core.requestLog.flush();
    core.db.close();
  });
  shutdown.add('tunnel', async () => {
    await core.tunnel.stop();
  });

  const discovery = createDiscoveryRoom({
    options: opts,
    db: core.db,
    bus: core.bus,
    warn: core.warn,
    publicBase: core.publicBase,
    wopiUrl: core.wopiUrl,
  });
  shutdown.add('discovery', () => discovery.stop());

  // Proxy mode: the person's own WOPI host answers /wopi/…; every exchange is recorded and linted.
  const proxy = opts.upstream
    ? createProxy({
        upstream: opts.upstream,
        instanceId: core.instanceId,
        publicBase: core.publicBase,
        proof: discovery.proof,
        publish: core.publishRecord,
        clock: opts.clock,
        logBodyInlineBytes: opts.logBodyInlineBytes,
        onError: core.onError,
        faults: core.faults,
      })
    : undefined;
  if (proxy) shutdown.add('proxy', () => proxy.stop());

  const hostPage = createHostPageRoom({
    options: opts,
    bus: core.bus,
    kv: core.kv,
    files: core.files,
    index: core.index,
    warn: core.warn,
    publicBase: core.publicBase,
    wopiUrl: core.wopiUrl,
    mintToken: core.mintTokenForId,
    discovery,
    ...(proxy
      ? {
          upstream: {
            describe: (fileId: string, token: string) => proxy.describe(fileId, token),
            ...(opts.upstreamToken !== undefined ? { defaultToken: opts.upstreamToken } : {}),
          },
        }
      : {}),
    urlsIssued: core.tunnel.markUrlsIssued,
  });
  shutdown.add('simulator', () => hostPage.stop());

  // The folder is indexed once, before the first WOPI call is answered, whether the workbench's own
  // listener or a router mounted in someone else's app receives it.
  let initialising: Promise<void> | null = null;
  const init = (): Promise<void> =>
    (initialising ??= (async () => {
      await removeStaleTemps(opts.folder);
      await core.blobs.sweepPartials();
      await core.index.init();
      if (opts.watch) {
        const w = watchFolder(opts.folder, core.index, core.files, core.onError);
        await w.ready;
        shutdown.add('watcher', () => w.close());
      }
      const sweep = setInterval(() => core.locks.sweep(), 5000);
      sweep.unref();
      shutdown.add('lock sweep', () => clearInterval(sweep));
    })());

  const wopiDeps: WopiRouterDeps = {
    index: core.index,
    locks: core.locks,
    tokens: core.tokens,
    kv: core.kv,
    now: opts.clock,
    publicBase: core.publicBase,
    tokenTtlMs: opts.tokenTtlMinutes * 60_000,
    maxUploadBytes: opts.maxUploadBytes,
    bodyIdleMs: opts.bodyIdleTimeoutMs,
    logBodyInlineBytes: opts.logBodyInlineBytes,
    hostUrls: hostPage.hostUrls,
    urlsIssued: core.tunnel.markUrlsIssued,
    publish: core.publishRecord,
    faults: core.faults,
    instanceId: core.instanceId,
    serverVersion: APP_VERSION,
    proof: discovery.proof,
    pages: hostPage.router,
    ...(proxy ? { forward: (req, res, t0) => proxy.handle(req, res, t0) } : {}),
    ready: init,
    onError: core.onError,
  };
  const wopiApp = createWopiApp(buildWopiRouter(wopiDeps), core.onError);

  function status(): StatusView {
    return {
      appVersion: APP_VERSION,
      folder: opts.folder,
      dataDir: opts.dataDir,
      wopiUrl: addresses.wopiUrl,
      publicUrl: core.publicBase(),
      controlUrl: addresses.controlUrl,
      startedAt: addresses.startedAt,
      clientProfile: opts.clientProfile,
      proofMode: discovery.proofMode(),
      fileCount: core.files.listPresent().length,
      lockCount: core.locks.list().length,
      requestCount: core.requestLog.count(),
      lastSeq: core.bus.lastSeq(),
      ...(proxy ? { upstream: proxy.upstream } : {}),
    };
  }

  const api: ApiModel = createApiModel({
    engine: { ...core, status },
    rooms: { discovery, hostPage, tunnel: core.tunnel },
  });
  const controlApp = createControlApp(api, core);

  const wopiServer = http.createServer(wopiApp);
  wopiServer.requestTimeout = 0; // large uploads may take long; idle sockets are still timed out
  // Node's answer to an unparseable request, without a reset that could destroy it (see linger.ts).
  wopiServer.on('clientError', (err: Error & { code?: string }, socket) => answerClientError(err, socket));
  const controlServer = http.createServer(controlApp);

  /**
   * An access token for a file of the served folder, by path (`file`, relative to the folder) or id:
   * what `wopi-workbench token --json` prints. A path not yet seen is indexed first.
   */
  async function mintToken(req: MintTokenOptions): Promise<TokenGrant> {
    // No init(): that sweeps the folder's temp files, which a running `serve` may be writing.
    let fileId = req.fileId;
    if (req.file !== undefined) {
      const fresh = await core.index.ensure(relFromUser(req.file));
      if (!fresh)
        throw new ApiModelError('not-found', `"${req.file}" is not a file served from ${opts.folder}`);
      fileId = fresh.row.id;
    }
    if (fileId === undefined)
      throw new ApiModelError('bad-request', 'mintToken needs a file (a path) or a fileId');
    // The model checks the rest (user, permissions, lifetime) as it does for POST /v1/tokens.
    return api.mintToken({
      fileId,
      personaId: req.user,
      permissions: req.permissions,
      ttlMinutes: req.ttlMinutes,
    });
  }

  let starting: Promise<ReadyInfo> | null = null;
  async function start(): Promise<ReadyInfo> {
    await init();
    const wopiPort = await listen(wopiServer, opts.host, opts.wopiPort, 'wopiPort (--wopi-port)');
    shutdown.add('wopi listener', () => closeServer(wopiServer));
    // The control listener never binds anything but loopback.
    const controlPort = await listen(
      controlServer,
      '127.0.0.1',
      opts.controlPort,
      'controlPort (--control-port)',
    );
    shutdown.add('control listener', () => closeServer(controlServer, 500));
    // Registered last so they end first: open streams would hold the listener for its grace period.
    shutdown.add('control event streams', () => controlApp.closeStreams());
    const hostForUrl = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
    addresses.wopiUrl = `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${wopiPort}`;
    addresses.controlUrl = `http://127.0.0.1:${controlPort}`;
    addresses.startedAt = opts.clock();
    core.writeRuntime();
    // The rooms that reach out (simulator port, discovery fetch, tunnel) start once the listeners
    // are bound; each reports its own failure in its state and the engine keeps serving.
    await hostPage.start();
    await discovery.start();
    await core.tunnel.startConfigured();
    return {
      wopiUrl: addresses.wopiUrl,
      controlUrl: addresses.controlUrl,
      controlToken: core.controlToken,
      uiUrl: core.uiUrl(),
      publicUrl: core.publicBase(),
      ...(hostPage.simulator.discoveryUrl()
        ? { simulatorDiscoveryUrl: hostPage.simulator.discoveryUrl() }
        : {}),
      ...(proxy ? { upstream: proxy.upstream } : {}),
    };
  }

  return {
    options: opts,
    bus: core.bus,
    /** Everything the control API, the CLI and the desktop shell do, without HTTP. */
    api,
    rooms: { discovery, hostPage, tunnel: core.tunnel },
    // Engine services, for tests and the shells' diagnostics; library users want `api`.
    index: core.index,
    locks: core.locks,
    files: core.files,
    versions: core.versions,
    blobs: core.blobs,
    requestLog: core.requestLog,
    checkRuns: core.checkRuns,
    /** The fault rules (QA lab); the API model's fault methods are the way to change them. */
    faults: core.faults,
    publishRecord: core.publishRecord,
    kv: core.kv,
    tokens: core.tokens,
    errors: core.errors,
    shutdown,
    instanceId: core.instanceId,
    controlToken: core.controlToken,
    publicBase: core.publicBase,
    wopiUrl: core.wopiUrl,
    controlUrl: core.controlUrl,
    uiUrl: core.uiUrl,
    status,
    mintToken,
    /** The same for a file id the caller already has (tests, the host page). */
    mintTokenForId: core.mintTokenForId,
    /** Request listeners, unbound: `http.createServer(wb.wopiListener)`. */
    wopiListener: wopiApp,
    controlListener: controlApp,
    /** A new Express router with the WOPI and host-page routes, for mounting in another app. */
    wopiRouter: (): Router => buildWopiRouter(wopiDeps),
    /** Indexes the folder and starts the watcher without binding anything (mounted use). */
    init,
    /** Binds both listeners and starts the rooms; resolves with where they are. */
    start: (): Promise<ReadyInfo> => (starting ??= start()),
    /** Finishes in-flight writes, closes tunnel, listeners, watcher and SQLite. Idempotent. */
    stop: (): Promise<void> => shutdown.run(),
  };
}

export type Workbench = ReturnType<typeof createWorkbench>;

// createWorkbench: the one factory both shells (CLI, Electron) and every test use. No globals:
// everything a run needs is created here and torn down by stop().
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { resolveUser } from './auth/users';
import { createTokenService, newSecret } from './auth/tokens';
import type { TokenClaims } from './auth/tokens';
import { resolveOptions } from './config/options';
import type { ResolvedOptions, WorkbenchOptions } from './config/options';
import type { Permission, ProofMode, ProofVerdict, StatusView, TokenGrant } from './contracts/api';
import { createEventBus } from './events/bus';
import { answerClientError } from './http/linger';
import { closeServer, listen } from './http/listen';
import { createWopiHandler } from './http/wopi-listener';
import { createShutdown } from './lifecycle/shutdown';
import { openDatabase } from './state/db';
import { writePrivateFile } from './state/private-files';
import { createFilesRepo } from './state/files-repo';
import { createKv } from './state/kv';
import { createLockStore } from './state/lock-store';
import { createRequestLog } from './state/request-log';
import { createVersionsRepo } from './state/versions-repo';
import { removeStaleTemps } from './storage/atomic-write';
import { createBlobStore } from './storage/blobs';
import { createFileIndex } from './storage/file-index';
import { watchFolder } from './storage/watcher';
import { createLockService } from './wopi/lock-service';
import { APP_VERSION } from './version';

export interface ReadyInfo {
  wopiUrl: string;
  controlUrl: string;
  controlToken: string;
  uiUrl: string;
  publicUrl: string;
}

/** Extension points filled by the discovery/proof, host-page, tunnel and control rooms. */
export interface EngineHooks {
  proof?: (p: {
    pathAndQuery: string;
    accessToken: string;
    headers: http.IncomingHttpHeaders;
  }) => ProofVerdict | undefined;
  wopiRoutes: Array<
    (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean | Promise<boolean>
  >;
  hostUrls?: (
    fileId: string,
    claims: TokenClaims,
  ) => { view?: string; edit?: string; close?: string; origin?: string };
  controlHandler?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  publicUrlOverride?: () => string | null;
  /** Told whenever a URL carrying the public base was handed out (stale-URL warnings). */
  onUrlsIssued?: () => void;
  /** The proof mode in force (the client profile's default unless --proof says otherwise). */
  proofMode?: () => ProofMode;
}

export const RUNTIME_FILE = 'runtime.json';

export function openEngineState(opts: ResolvedOptions) {
  const db = openDatabase(opts.dataDir);
  const kv = createKv(db);
  const secret = kv.getOrCreate('token-secret', newSecret);
  return {
    db,
    kv,
    files: createFilesRepo(db),
    lockStore: createLockStore(db),
    versions: createVersionsRepo(db),
    requestLog: createRequestLog(db, opts.requestLogRetention),
    tokens: createTokenService(secret, opts.clock),
    blobs: createBlobStore(path.join(opts.dataDir, 'blobs')),
  };
}

export function createWorkbench(options: WorkbenchOptions) {
  const opts = resolveOptions(options);
  const now = opts.clock;
  const errors: unknown[] = [];
  const onError = (e: unknown): void => {
    errors.push(e);
    if (errors.length > 100) errors.shift();
    bus.emit('engine:warning', { code: 'internal', message: e instanceof Error ? e.message : String(e) });
  };
  const bus = createEventBus({ now, onListenerError: (e) => errors.push(e) });
  const state = openEngineState(opts);
  const { kv, files, versions, requestLog, tokens, blobs } = state;
  const instanceId = randomBytes(8).toString('hex');
  const controlToken = randomBytes(24).toString('hex');
  const shutdown = createShutdown(onError);
  const hooks: EngineHooks = { wopiRoutes: [] };
  const ownerId = opts.personas.find((p) => p.permissions === 'edit')?.id ?? opts.personas[0]!.id;

  let wopiUrl = '';
  let controlUrl = '';
  let startedAt = 0;

  const locks = createLockService({
    store: state.lockStore,
    now,
    durationMs: opts.lockDurationMs,
    onChange: (c) => bus.emit('lock:changed', { ...c, path: files.get(c.fileId)?.path ?? '' }),
  });
  const index = createFileIndex({
    folder: opts.folder,
    files,
    versions,
    blobs,
    bus,
    now,
    ownerId,
    versionRetention: opts.versionRetention,
    lockOf: (id) => locks.current(id),
  });
  bus.on('request:completed', (e) => requestLog.append(e.data));
  bus.on('log:cleared', () => requestLog.clear());

  const publicBase = (): string => hooks.publicUrlOverride?.() ?? opts.publicUrl ?? wopiUrl;

  const wopiServer = http.createServer(
    createWopiHandler({
      index,
      locks,
      tokens,
      kv,
      now,
      publicBase,
      tokenTtlMs: opts.tokenTtlMinutes * 60_000,
      maxUploadBytes: opts.maxUploadBytes,
      bodyIdleMs: opts.bodyIdleTimeoutMs,
      logBodyInlineBytes: opts.logBodyInlineBytes,
      hostUrls: (id, claims) => hooks.hostUrls?.(id, claims) ?? {},
      urlsIssued: () => hooks.onUrlsIssued?.(),
      bus,
      instanceId,
      serverVersion: APP_VERSION,
      proof: (p) => hooks.proof?.(p),
      extraRoutes: async (req, res, url) => {
        for (const r of hooks.wopiRoutes) if (await r(req, res, url)) return true;
        return false;
      },
      onError,
    }),
  );
  wopiServer.requestTimeout = 0; // large uploads may take long; idle sockets are still timed out
  // Node's answer to an unparseable request, without a reset that could destroy it (see linger.ts).
  wopiServer.on('clientError', (err: Error & { code?: string }, socket) => answerClientError(err, socket));
  const controlServer = http.createServer((req, res) => {
    if (hooks.controlHandler) return hooks.controlHandler(req, res);
    res
      .writeHead(503, { 'content-type': 'application/json' })
      .end('{"error":{"code":"starting","message":"control API not ready"}}');
  });

  function mintToken(
    fileId: string,
    user?: string,
    permissions?: Permission,
    ttlMinutes?: number,
  ): TokenGrant {
    const grant = resolveUser(opts.personas, user, permissions);
    const accessTokenTtl = now() + (ttlMinutes ?? opts.tokenTtlMinutes) * 60_000;
    const accessToken = tokens.mint({ fileId, ...grant, expiresAt: accessTokenTtl });
    hooks.onUrlsIssued?.();
    return { wopiSrc: `${publicBase()}/wopi/files/${fileId}`, accessToken, accessTokenTtl };
  }

  function writeRuntime(): void {
    const file = path.join(opts.dataDir, RUNTIME_FILE);
    // Owner-only (it holds the control token), in the user's own data dir: lets `token` and `open`
    // find this run (like Jupyter's runtime files). Replaced whole, so a reader never sees half.
    const data = {
      pid: process.pid,
      folder: opts.folder,
      wopiUrl,
      publicUrl: publicBase(),
      controlUrl,
      controlToken,
      startedAt,
      personas: opts.personas,
    };
    writePrivateFile(file, JSON.stringify(data, null, 2));
  }

  const engine = {
    options: opts,
    /** The SQLite handle, for rooms whose tables live in the same database (state/ modules only). */
    db: state.db,
    bus,
    hooks,
    index,
    locks,
    files,
    versions,
    blobs,
    requestLog,
    kv,
    tokens,
    instanceId,
    controlToken,
    errors,
    shutdown,
    publicBase,
    mintToken,
    wopiUrl: (): string => wopiUrl,
    controlUrl: (): string => controlUrl,
    uiUrl: (): string => `${controlUrl}/#token=${controlToken}`,
    status(): StatusView {
      return {
        appVersion: APP_VERSION,
        folder: opts.folder,
        dataDir: opts.dataDir,
        wopiUrl,
        publicUrl: publicBase(),
        controlUrl,
        startedAt,
        clientProfile: opts.clientProfile,
        proofMode: hooks.proofMode?.() ?? opts.proofMode ?? 'off',
        fileCount: files.listPresent().length,
        lockCount: locks.list().length,
        requestCount: requestLog.count(),
        lastSeq: bus.lastSeq(),
      };
    },
    refreshRuntime: writeRuntime,
    async start(): Promise<ReadyInfo> {
      await removeStaleTemps(opts.folder);
      await blobs.sweepPartials();
      await index.init();
      const wopiPort = await listen(wopiServer, opts.host, opts.wopiPort, 'wopiPort (--wopi-port)');
      shutdown.add('state', () => {
        requestLog.flush();
        state.db.close();
      });
      shutdown.add('wopi listener', () => closeServer(wopiServer));
      // The control listener never binds anything but loopback.
      const controlPort = await listen(
        controlServer,
        '127.0.0.1',
        opts.controlPort,
        'controlPort (--control-port)',
      );
      shutdown.add('control listener', () => closeServer(controlServer, 500));
      const hostForUrl = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
      wopiUrl = `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${wopiPort}`;
      controlUrl = `http://127.0.0.1:${controlPort}`;
      startedAt = now();
      if (opts.watch) {
        const w = watchFolder(opts.folder, index, files, onError);
        await w.ready;
        shutdown.add('watcher', () => w.close());
      }
      const sweep = setInterval(() => locks.sweep(), 5000);
      sweep.unref();
      shutdown.add('lock sweep', () => clearInterval(sweep));
      writeRuntime();
      return { wopiUrl, controlUrl, controlToken, uiUrl: engine.uiUrl(), publicUrl: publicBase() };
    },
    stop: (): Promise<void> => shutdown.run(),
  };
  return engine;
}

export type Engine = ReturnType<typeof createWorkbench>;

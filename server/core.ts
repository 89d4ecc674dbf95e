// The services every room of a run shares: state (SQLite, secrets, blobs), the event bus, the
// shutdown registry, the tunnel (it owns the public base URL), locks, the file index and token
// minting. Built once by createWorkbench, in this order; the optional rooms receive it and never
// write back into it.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createTokenService, newSecret } from './auth/tokens';
import { resolveUser } from './auth/users';
import type { ResolvedOptions } from './config/options';
import type { Permission, RequestRecord, TokenGrant } from './contracts/api';
import { listProfiles } from './discovery/profiles';
import { createEventBus } from './events/bus';
import { publishDiskEvents } from './events/timeline';
import { createFaultEngine } from './faults';
import { createShutdown } from './lifecycle/shutdown';
import { createLinter } from './lint';
import { createCheckRuns } from './state/check-runs';
import { createFaultRuleStore } from './state/fault-rules';
import { openDatabase } from './state/db';
import { createFilesRepo } from './state/files-repo';
import { createKv } from './state/kv';
import { createSqliteLockStore } from './state/lock-store';
import { writePrivateFile } from './state/private-files';
import { createRequestLog } from './state/request-log';
import { createVersionsRepo } from './state/versions-repo';
import { createBlobStore } from './storage/blobs';
import { createFileIndex } from './storage/file-index';
import { createTunnelRoom } from './tunnel/room';
import { createLockService } from './wopi/lock-service';

export const RUNTIME_FILE = 'runtime.json';

/** Where the listeners are bound; empty until start() binds them (or for ever, when mounted). */
interface Addresses {
  wopiUrl: string;
  controlUrl: string;
  startedAt: number;
}

/** The persistent state of a data dir, without anything that listens or watches. */
function openEngineState(opts: ResolvedOptions) {
  const db = openDatabase(opts.dataDir);
  const kv = createKv(db);
  const secret = kv.getOrCreate('token-secret', newSecret);
  return {
    db,
    kv,
    files: createFilesRepo(db),
    lockStore: opts.lockStore ?? createSqliteLockStore(db),
    versions: createVersionsRepo(db),
    requestLog: createRequestLog(db, opts.requestLogRetention),
    checkRuns: createCheckRuns(db),
    tokens: createTokenService(secret, opts.clock),
    blobs: createBlobStore(path.join(opts.dataDir, 'blobs')),
  };
}

/** A coded failure of a core service, for callers that switch on the code (API model, CLI). */
class CoreError extends Error {
  constructor(
    readonly code: 'not-found' | 'bad-request' | 'not-available',
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

export function createCore(opts: ResolvedOptions) {
  const now = opts.clock;
  const errors: unknown[] = [];
  const bus = createEventBus({ now, onListenerError: (e) => errors.push(e) });
  /** Any room's unexpected failure: kept for diagnosis and shown as a warning, never thrown. */
  const warn = (code: string, e: unknown): void => {
    errors.push(e);
    if (errors.length > 100) errors.shift();
    bus.emit('engine:warning', { code, message: e instanceof Error ? e.message : String(e) });
  };
  const onError = (e: unknown): void => warn('internal', e);
  const state = openEngineState(opts);
  const { kv, files, versions, requestLog, tokens, blobs, checkRuns } = state;
  const instanceId = randomBytes(8).toString('hex');
  const controlToken = randomBytes(24).toString('hex');
  const shutdown = createShutdown(onError);
  const addresses: Addresses = { wopiUrl: '', controlUrl: '', startedAt: 0 };
  const ownerId = opts.personas.find((p) => p.permissions === 'edit')?.id ?? opts.personas[0]!.id;

  const profile = () => listProfiles().find((p) => p.id === opts.clientProfile);
  const tunnel = createTunnelRoom({
    localPort: () => Number(new URL(addresses.wopiUrl).port),
    // The runtime file follows the public URL, so `token` hands out what clients can reach.
    emit: (s) => {
      bus.emit('tunnel:changed', s);
      if (addresses.wopiUrl) writeRuntime();
    },
    now,
    instanceId,
    requiresHttps: () => profile()?.requiresHttps ?? false,
    profileKind: () => profile()?.kind ?? 'custom',
    options: opts,
  });

  /** The base URL WOPI clients call: the tunnel's, else the configured one, else the listener's. */
  const publicBase = (): string => tunnel.publicUrl() ?? opts.publicUrl ?? addresses.wopiUrl;

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
  /** The QA lab's fault rules (persisted in the data dir); the WOPI router asks it on every call. */
  const faults = createFaultEngine({
    store: createFaultRuleStore(state.db),
    now,
    onChange: (rules) => bus.emit('faults:changed', rules),
    lockOf: (id) => locks.current(id)?.lockId ?? null,
  });

  const linter = createLinter();
  /**
   * Every request record is published through here, whoever made it (this host's router, the
   * inspecting proxy, a conformance run): the protocol linter adds its findings, then the record goes
   * on the bus (request log, control events, console). `lint: false` only for an exchange that never
   * reached a WOPI host (the proxy's own 502 when the upstream cannot be reached).
   */
  function publishRecord(rec: RequestRecord, how: { lint?: boolean } = {}): void {
    if (how.lint !== false) {
      try {
        const found = linter.lint(rec);
        if (found.length > 0) rec.findings = [...(rec.findings ?? []), ...found];
      } catch (e) {
        // A linter fault must never cost the record.
        warn('lint', e);
      }
    }
    bus.emit('request:completed', rec);
  }
  bus.on('log:cleared', () => requestLog.clear());
  // Outside edits of served files show on the request timeline as events of their own.
  publishDiskEvents({ bus, publish: publishRecord, now });

  /** Mints an access token for a file id; the WOPISrc carries the current public base. */
  function mintTokenForId(
    fileId: string,
    user?: string,
    permissions?: Permission,
    ttlMinutes?: number,
  ): TokenGrant {
    const base = publicBase();
    if (!base) {
      throw new CoreError(
        'not-available',
        'no public URL yet: start() the workbench, or pass publicUrl (the URL your app serves the WOPI router at)',
      );
    }
    const grant = resolveUser(opts.personas, user, permissions);
    const accessTokenTtl = now() + (ttlMinutes ?? opts.tokenTtlMinutes) * 60_000;
    const accessToken = tokens.mint({ fileId, ...grant, expiresAt: accessTokenTtl });
    tunnel.markUrlsIssued();
    return { wopiSrc: `${base}/wopi/files/${fileId}`, accessToken, accessTokenTtl };
  }

  function writeRuntime(): void {
    // Owner-only (it holds the control token), in the user's own data dir: lets `token` and `open`
    // find this run (like Jupyter's runtime files). Replaced whole, so a reader never sees half.
    const data = {
      pid: process.pid,
      folder: opts.folder,
      wopiUrl: addresses.wopiUrl,
      publicUrl: publicBase(),
      controlUrl: addresses.controlUrl,
      controlToken,
      startedAt: addresses.startedAt,
      personas: opts.personas,
    };
    writePrivateFile(path.join(opts.dataDir, RUNTIME_FILE), JSON.stringify(data, null, 2));
  }

  return {
    options: opts,
    /** The SQLite handle, for rooms whose tables live in the same database (state/ modules only). */
    db: state.db,
    bus,
    warn,
    onError,
    errors,
    shutdown,
    instanceId,
    controlToken,
    addresses,
    tunnel,
    index,
    locks,
    files,
    versions,
    blobs,
    requestLog,
    /** Conformance runs of this data dir (newest 100). */
    checkRuns,
    faults,
    publishRecord,
    kv,
    tokens,
    publicBase,
    mintTokenForId,
    writeRuntime,
    wopiUrl: (): string => addresses.wopiUrl,
    controlUrl: (): string => addresses.controlUrl,
    uiUrl: (): string => `${addresses.controlUrl}/#token=${controlToken}`,
  };
}

export type Core = ReturnType<typeof createCore>;

// createApiModel: the control API's operations over the engine and its rooms, with no HTTP in them.
// The control routes, the CLI, main/ and library users all call these; every method checks its
// input, and every failure leaves as an ApiModelError with a stable code.
import { resolveUser } from '../auth/users';
import type { LockChangeResult, LockEntry, RequestPage, SettingsView } from '../contracts/api';
import { HOST_MESSAGE_HISTORY } from '../contracts/control';
import { redactRecord } from '../events/redact';
import { lockEventSummary, timelineRecord } from '../events/timeline';
import type { LockDecision } from '../wopi/lock-service';
import { createChecks } from './checks';
import type { RunSlot } from './checks';
import { createFaultsApi } from './faults';
import { createScenariosApi } from './scenarios';
import { createSimulatorApi } from './simulator';
import { ApiModelError, toApiModelError } from './errors';
import { createHostMessageRing } from './host-message-ring';
import { parseLaunch, parseMintToken, parseRequestQuery, parseSetLock, parseTunnelStart } from './inputs';
import { noFile, restoreVersion } from './restore';
import type { ApiDeps, ApiModel, ApiModelOptions } from './types';
import { badRequest, idArg, objectInput, optionalWhole } from './validate';

export function createApiModel({ engine, rooms }: ApiDeps, opts: ApiModelOptions = {}): ApiModel {
  const { options: o, index, files, versions, locks, requestLog, bus } = engine;
  const capacity = opts.hostMessageHistory ?? HOST_MESSAGE_HISTORY;
  if (!Number.isInteger(capacity) || capacity < 1)
    throw badRequest('hostMessageHistory must be a whole number >= 1');
  // Subscribed now, before start: every message of the run passes through the bus after this.
  const ring = createHostMessageRing(bus, capacity);
  // One run at a time, conformance or scenario.
  const slot: RunSlot = { active: null };
  const checks = createChecks(engine, rooms, slot);

  /** A served file, fresh from disk; 'not-found' when it is gone. */
  const present = async (fileId: unknown) => {
    const id = idArg(fileId, 'fileId');
    const fresh = await index.resolve(id);
    if (!fresh) throw noFile(id);
    return fresh;
  };
  /** A file the engine knows (present or deleted: a lock or a version can outlive its file). */
  const known = (fileId: unknown) => {
    const id = idArg(fileId, 'fileId');
    const row = files.get(id);
    if (!row) throw noFile(id);
    return row;
  };
  const lockResult = (
    fileId: string,
    path: string,
    d: LockDecision,
    kind: 'lock-set' | 'lock-expire' | 'lock-force-unlock',
  ): LockChangeResult => {
    // Control actions always succeed in the lock service; a refusal here would be a bug there.
    if (!d.ok) throw new ApiModelError('internal', 'the lock service refused a control action');
    // Every lock-lab action is an event on the request timeline, even one that changed nothing.
    const k = kind === 'lock-set' && d.before ? 'lock-steal' : kind;
    const personaId = (k === 'lock-set' || k === 'lock-steal' ? d.after : d.before)?.holderId;
    engine.publishRecord(
      timelineRecord({
        kind: k,
        summary: lockEventSummary(k, d.before, d.after),
        actor: 'lock lab',
        ...(personaId ? { personaId } : {}),
        at: o.clock(),
        fileId,
        filePath: path,
      }),
    );
    return { fileId, path, before: d.before, after: d.after };
  };
  const flag = (input: unknown, key: string): boolean => {
    if (input === undefined) return false;
    const v = objectInput(input, `{"${key}":true}`)[key];
    if (v !== undefined && typeof v !== 'boolean') throw badRequest(`${key} must be true or false`);
    return v === true;
  };

  const model: ApiModel = {
    status: async () => engine.status(),
    personas: async () => structuredClone(o.personas),
    settings: async () => {
      const view: SettingsView = {
        folder: o.folder,
        dataDir: o.dataDir,
        host: o.host,
        wopiPort: o.wopiPort,
        controlPort: o.controlPort,
        publicUrl: o.publicUrl ?? null,
        clientProfile: o.clientProfile,
        // A discovery URL may carry a signed query: every exit (the control routes) redacts it.
        discoveryUrl: o.discoveryUrl ?? null,
        proofMode: o.proofMode ?? null,
        tunnel: o.tunnel ? { server: o.tunnel.server ?? null, subdomain: o.tunnel.subdomain ?? null } : null,
        uiDir: o.uiDir ?? null,
        tokenTtlMinutes: o.tokenTtlMinutes,
        launchLinkTtlMinutes: o.launchLinkTtlMinutes,
        maxUploadBytes: o.maxUploadBytes,
        versionRetention: o.versionRetention,
        requestLogRetention: o.requestLogRetention,
        logBodyInlineBytes: o.logBodyInlineBytes,
        lockDurationMs: o.lockDurationMs,
        watch: o.watch,
        upstream: o.upstream ?? null,
      };
      return view;
    },
    mintToken: async (input) => {
      const req = parseMintToken(input);
      await present(req.fileId);
      return engine.mintTokenForId(req.fileId, req.personaId, req.permissions, req.ttlMinutes);
    },

    files: async () => index.list(),
    file: async (fileId) => {
      const fresh = await present(fileId);
      return index.view(fresh.row);
    },
    versions: async (fileId) => versions.list(known(fileId).id),
    restoreVersion: async (fileId, versionId, restoreOpts) => {
      const id = idArg(fileId, 'fileId');
      if (typeof versionId !== 'number') throw badRequest('versionId must be a number');
      return restoreVersion(engine, id, versionId, flag(restoreOpts, 'force'));
    },

    locks: async () =>
      locks.list().map((l): LockEntry => ({
        fileId: l.fileId,
        path: files.get(l.fileId)?.path ?? '',
        lockId: l.lockId,
        createdAt: l.createdAt,
        refreshedAt: l.refreshedAt,
        expiresAt: l.expiresAt,
        ...(l.holderId ? { holderId: l.holderId } : {}),
        ...(l.holderName ? { holderName: l.holderName } : {}),
      })),
    setLock: async (fileId, input) => {
      const id = idArg(fileId, 'fileId');
      const { lockId, personaId } = parseSetLock(input);
      const fresh = await present(id);
      // The holder is a persona (by id or name) or an ad-hoc name, as tokens resolve users.
      const holder = personaId ? resolveUser(o.personas, personaId, undefined) : undefined;
      const taken = locks.setLock(
        id,
        lockId,
        holder ? { holderId: holder.userId, holderName: holder.userName } : undefined,
      );
      return lockResult(id, fresh.row.path, taken, 'lock-set');
    },
    forceUnlock: async (fileId) => {
      const row = known(fileId);
      return lockResult(row.id, row.path, locks.forceUnlock(row.id), 'lock-force-unlock');
    },
    expireLock: async (fileId) => {
      const row = known(fileId);
      return lockResult(row.id, row.path, locks.expireNow(row.id), 'lock-expire');
    },

    requests: async (query) => {
      const page = requestLog.page(parseRequestQuery(query));
      const out: RequestPage = { items: page.items.map(redactRecord), total: page.total };
      if (page.nextCursor !== undefined) out.nextCursor = page.nextCursor;
      return out;
    },
    request: async (requestId, requestOpts) => {
      const id = idArg(requestId, 'requestId');
      const reveal = flag(requestOpts, 'reveal');
      const record = requestLog.get(id);
      if (!record) {
        throw new ApiModelError(
          'not-found',
          `no logged request with id ${id} (cleared, or trimmed by retention)`,
        );
      }
      return reveal ? record : redactRecord(record);
    },
    clearRequests: async () => {
      const cleared = requestLog.count();
      // The engine's log writer clears the table on this event; the UI clears its list on it too.
      bus.emit('log:cleared', { at: o.clock() });
      return { cleared };
    },

    discovery: async () => rooms.discovery.state(),
    refreshDiscovery: async () => rooms.discovery.refresh(),
    profiles: async () => rooms.discovery.profiles(),
    tunnel: async () => rooms.tunnel.state(),
    startTunnel: async (input) => rooms.tunnel.start(parseTunnelStart(input)),
    stopTunnel: async () => rooms.tunnel.stop(),
    checkTunnel: async () => rooms.tunnel.check(),
    launch: async (input) => {
      const req = parseLaunch(input);
      // Proxy mode: the file is the upstream host's, opened with the token that host minted.
      if (rooms.hostPage.proxied) return rooms.hostPage.launchUpstream(req);
      if (req.accessToken !== undefined)
        throw badRequest('accessToken is for proxy mode (serve --upstream); this workbench mints its own');
      await present(req.fileId);
      return rooms.hostPage.launch(req);
    },

    hostMessages: async (query) => {
      const q = objectInput(query ?? {}, '{"limit":50}');
      const limit = optionalWhole(q, 'limit', 1, capacity) ?? capacity;
      // Read together, in one turn: no message can land between the list and the seq.
      return { items: ring.list(limit), lastSeq: bus.lastSeq(), dropped: ring.dropped() };
    },

    startCheck: checks.startCheck,
    checks: checks.checks,
    check: checks.check,

    ...createFaultsApi(engine, rooms),
    ...createSimulatorApi(engine, rooms),
    ...createScenariosApi(engine, rooms, () => model, slot),
  };
  return coded(model);
}

/** The same methods, each turning whatever the engine or a room threw into an ApiModelError. */
function coded(model: ApiModel): ApiModel {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(model) as Array<
    [string, (...args: unknown[]) => Promise<unknown>]
  >) {
    out[name] = async (...args: unknown[]): Promise<unknown> => {
      try {
        return await fn(...args);
      } catch (e) {
        throw toApiModelError(e);
      }
    };
  }
  return out as unknown as ApiModel;
}

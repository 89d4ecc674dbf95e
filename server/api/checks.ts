// Conformance runs through the API model: start one (against a file of ours, any host's WOPISrc and
// token, or in one click against our own scratch .wopitest file), answer at once with the running
// run, and let it go on in the background: stored after every case, published on the bus as
// 'check:updated', its client-side exchanges published as request records. One run at a time.
import { randomUUID } from 'node:crypto';
import type { CheckRunView, RequestRecord, StartCheckRequest } from '../contracts/api';
import { targetFromUrl } from '../conformance/client';
import type { WopiTarget } from '../conformance/client';
import { withoutSecret } from '../conformance/report';
import { emptyTotals } from '../conformance/engine';
import { runCheck, selectGroups } from '../conformance/runner';
import { createProofSigner } from '../conformance/signer';
import { stageBuffer } from '../storage/atomic-write';
import { StorageError } from '../storage/errors';
import { ApiModelError } from './errors';
import type { ApiEngine, ApiRooms } from './types';
import { badRequest, idArg, objectInput, optionalNumber, optionalString } from './validate';

/** The one-click run's scratch file, at the served folder's root. */
export const CHECK_FILE = 'workbench-check.wopitest';
const CHECK_FILE_TEXT =
  'WOPI Workbench conformance scratch file. Each check run locks, writes, renames and restores it; ' +
  'its content does not matter.\n';
const URL_MAX = 4096;
const TOKEN_MAX = 8192;
const GROUPS_MAX = 100;

type Engine = Pick<
  ApiEngine,
  'options' | 'bus' | 'index' | 'checkRuns' | 'publishRecord' | 'mintTokenForId' | 'wopiUrl' | 'publicBase'
>;

interface ParsedStart {
  fileId?: string;
  target?: WopiTarget;
  groups?: string[];
  sign: boolean;
  allowWrites: boolean;
}

function flagOf(o: Readonly<Record<string, unknown>>, key: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw badRequest(`${key} must be true or false`);
  return v;
}

export function parseStartCheck(input: unknown): ParsedStart {
  const o = objectInput(
    input ?? {},
    '{} (our own host), {"fileId":"..."} or {"wopiSrc":"https://host/wopi/files/ID","accessToken":"..."}',
  );
  const fileId = optionalString(o, 'fileId', 256);
  const wopiSrc = optionalString(o, 'wopiSrc', URL_MAX);
  const accessToken = optionalString(o, 'accessToken', TOKEN_MAX);
  const ttl = optionalNumber(o, 'accessTokenTtl', 0, Number.MAX_SAFE_INTEGER);
  let groups: string[] | undefined;
  if (o['groups'] !== undefined && o['groups'] !== null) {
    const g = o['groups'];
    if (!Array.isArray(g) || g.length > GROUPS_MAX || g.some((x) => typeof x !== 'string' || x.length > 64))
      throw badRequest(`groups must be an array of group ids (at most ${GROUPS_MAX})`);
    groups = g as string[];
  }
  const out: ParsedStart = { sign: flagOf(o, 'sign'), allowWrites: flagOf(o, 'allowWrites') };
  if (groups !== undefined && groups.length > 0) out.groups = groups;
  if (fileId !== undefined && wopiSrc !== undefined)
    throw badRequest('give either fileId (a file of ours) or wopiSrc (any host), not both');
  if (fileId !== undefined) {
    if (accessToken !== undefined) throw badRequest('accessToken goes with wopiSrc, not with fileId');
    out.fileId = fileId;
  } else if (wopiSrc !== undefined) {
    let url: URL;
    try {
      url = new URL(wopiSrc);
    } catch {
      throw badRequest(`wopiSrc must be an absolute http(s) URL like https://host/wopi/files/ID`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw badRequest(`wopiSrc must be an http or https URL, not ${url.protocol}`);
    // A WOPISrc copied with its token (`…?access_token=…`) is fine; accessToken wins over it.
    const fromUrl = targetFromUrl(url.href);
    const token = accessToken ?? fromUrl?.accessToken;
    if (token === undefined || token === '')
      throw badRequest('accessToken is required with wopiSrc (or put access_token in its query)');
    const target: WopiTarget = fromUrl
      ? { ...fromUrl, accessToken: token }
      : { wopiSrc: `${url.origin}${url.pathname}`, accessToken: token };
    if (ttl !== undefined) target.accessTokenTtl = ttl;
    out.target = target;
  } else if (accessToken !== undefined) throw badRequest('accessToken needs wopiSrc (the file it opens)');
  return out;
}

/** The one run (conformance or scenario) an API model may have going; made by the model, shared by both. */
export interface RunSlot {
  active: string | null;
}

/** The refusal while `slot` holds a run. */
export function runSlotBusy(slot: RunSlot): ApiModelError {
  return new ApiModelError(
    'conflict',
    `run ${slot.active} is still going (one conformance or scenario run at a time); wait for it to finish (GET /v1/checks/${slot.active})`,
  );
}

/** 127.0.0.1, localhost and ::1 name the same listener. */
function originKey(url: string): string | undefined {
  try {
    const u = new URL(url);
    const host = ['localhost', '[::1]'].includes(u.hostname) ? '127.0.0.1' : u.hostname;
    return `${u.protocol}//${host}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
}

export function createChecks(engine: Engine, rooms: Pick<ApiRooms, 'hostPage'>, slot: RunSlot) {
  const { bus, checkRuns, index, options: o } = engine;

  /** Our scratch file at the folder root: made if missing, never overwritten. */
  async function scratchFileId(): Promise<string> {
    const existing = await index.ensure(CHECK_FILE);
    if (existing) return existing.row.id;
    const staged = await stageBuffer(o.folder, Buffer.from(CHECK_FILE_TEXT));
    try {
      return (await index.create(CHECK_FILE, staged)).id;
    } catch (e) {
      await staged.discard();
      // Made meanwhile (another process, a watcher): use it as it is.
      if (e instanceof StorageError && e.code === 'exists') {
        const made = await index.ensure(CHECK_FILE);
        if (made) return made.row.id;
        throw new ApiModelError(
          'conflict',
          `${CHECK_FILE} exists in ${o.folder} but is not a file this host serves; move it away`,
        );
      }
      throw e;
    }
  }

  /** Our own file: an edit token from our minting, aimed at our WOPI listener's local URL. */
  async function ownTarget(fileId: string): Promise<WopiTarget> {
    const local = engine.wopiUrl();
    if (!local)
      throw new ApiModelError(
        'not-available',
        'the WOPI listener is not bound (start() the workbench), so our own host cannot be checked',
      );
    const file = await index.resolve(fileId);
    if (!file) throw new ApiModelError('not-found', `no served file with id ${fileId}`);
    const grant = engine.mintTokenForId(fileId, undefined, 'edit');
    return { wopiSrc: `${local}/wopi/files/${encodeURIComponent(fileId)}`, accessToken: grant.accessToken };
  }

  const isOwnOrigin = (wopiSrc: string): boolean => {
    const key = originKey(wopiSrc);
    const ours = [engine.wopiUrl(), engine.publicBase()].filter((u) => u !== '').map(originKey);
    return key !== undefined && ours.includes(key);
  };

  function publish(view: CheckRunView, token: string): void {
    const run = withoutSecret(view, token);
    // Freed before the last update goes out: whoever hears "done" may start the next run at once.
    if (run.state !== 'running' && slot.active === run.id) slot.active = null;
    checkRuns.save(run);
    bus.emit('check:updated', run);
  }

  async function startCheck(input: StartCheckRequest): Promise<CheckRunView> {
    const req = parseStartCheck(input);
    // An unknown group is the caller's mistake, said before anything starts.
    selectGroups(req.groups);
    if (slot.active !== null) throw runSlotBusy(slot);
    const runId = randomUUID();
    slot.active = runId;
    try {
      let target: WopiTarget;
      let ownHost: boolean;
      if (req.target) {
        target = req.target;
        ownHost = isOwnOrigin(target.wopiSrc);
      } else {
        target = await ownTarget(req.fileId ?? (await scratchFileId()));
        ownHost = true;
      }
      const signer = req.sign
        ? createProofSigner({ ...(await rooms.hostPage.simulatorKeys()), now: o.clock })
        : undefined;
      const first: CheckRunView = {
        id: runId,
        startedAt: o.clock(),
        state: 'running',
        wopiSrc: target.wopiSrc,
        ownHost,
        signed: signer !== undefined,
        groups: [],
        totals: emptyTotals(),
      };
      publish(first, target.accessToken);
      // Our own host records (and tags) what its WOPI router answers; everything else is recorded here,
      // through the one publishing path, so the linter reads another host's answers too.
      const record = (rec: RequestRecord): void => engine.publishRecord(rec);
      void runCheck({
        target,
        runId,
        ownHost,
        allowWrites: req.allowWrites,
        now: o.clock,
        onUpdate: (v) => publish(v, target.accessToken),
        ...(req.groups ? { groups: req.groups } : {}),
        ...(signer ? { signer } : {}),
        record,
      }).catch((e: unknown) => {
        publish(
          {
            ...first,
            state: 'failed',
            finishedAt: o.clock(),
            error: `internal error: ${e instanceof Error ? e.message : String(e)}`,
          },
          target.accessToken,
        );
      });
      return structuredClone(first);
    } catch (e) {
      if (slot.active === runId) slot.active = null;
      throw e;
    }
  }

  return {
    startCheck,
    checks: async (): Promise<CheckRunView[]> => checkRuns.list(),
    check: async (runId: string): Promise<CheckRunView> => {
      const id = idArg(runId, 'runId');
      const run = checkRuns.get(id);
      if (!run)
        throw new ApiModelError(
          'not-found',
          `no conformance run with id ${id} (only the newest 100 are kept)`,
        );
      return run;
    },
  };
}

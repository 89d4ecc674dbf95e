// The model's request types, checked at run time: the control routes pass parsed JSON through
// unchanged and a library user may pass anything, so the model itself refuses a bad shape with
// 'bad-request' and returns exactly the typed value (unknown fields dropped).
import type {
  CheckTag,
  LaunchRequest,
  MintTokenRequest,
  Permission,
  RequestListQuery,
  SetLockRequest,
  TunnelStartRequest,
  WopiOperation,
} from '../contracts/api';
import type {
  RunSimulatorRequest,
  SetMisbehaviourRequest,
  SimSaveRequest,
  StartSimSessionRequest,
} from '../contracts/lab';
import type { RequestQuery } from '../state/request-log';
import {
  badRequest,
  lockIdOf,
  objectInput,
  optionalEnum,
  optionalNumber,
  optionalString,
  optionalWhole,
  requiredString,
} from './validate';

/** Tokens live at most this long when minted through the API. */
export const MAX_TTL_MINUTES = 30 * 24 * 60;
const PERMISSIONS: readonly Permission[] = ['view', 'edit'];
const URL_MAX = 2048;
const FILE_ID_MAX = 256;

export function parseMintToken(input: unknown): MintTokenRequest {
  const b = objectInput(input, '{"fileId":"...","personaId":"editor"}');
  const out: MintTokenRequest = { fileId: requiredString(b, 'fileId', FILE_ID_MAX) };
  // A persona id or name; any other name mints for an ad-hoc user, as the CLI's --user does.
  const personaId = optionalString(b, 'personaId', 128);
  const permissions = optionalEnum(b, 'permissions', PERMISSIONS);
  const ttlMinutes = optionalNumber(b, 'ttlMinutes', 1 / 60, MAX_TTL_MINUTES);
  if (personaId) out.personaId = personaId;
  if (permissions) out.permissions = permissions;
  if (ttlMinutes !== undefined) out.ttlMinutes = ttlMinutes;
  return out;
}

export function parseSetLock(input: unknown): SetLockRequest {
  const b = objectInput(input, '{"lockId":"my-lock","personaId":"editor"}');
  const out: SetLockRequest = { lockId: lockIdOf(b) };
  // The holder shown on conflicts: a persona id or name (any other name is an ad-hoc holder).
  const personaId = optionalString(b, 'personaId', 128)?.trim();
  if (personaId) out.personaId = personaId;
  return out;
}

const CHECK_TAG_EXAMPLE = '{"runId":"run-1","caseId":"Scenario.step1"}';
// What the host accepts in X-Workbench-Check (protocol/headers.ts CHECK_TAG): checked here so a bad
// tag is refused up front instead of silently not tagging the records.
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CASE_ID = /^[A-Za-z][A-Za-z0-9_]{0,63}\.[A-Za-z][A-Za-z0-9_.-]{0,127}$/;

function optionalTag(o: Record<string, unknown>): CheckTag | undefined {
  const v = o['tag'];
  if (v === undefined || v === null) return undefined;
  const t = objectInput(v, CHECK_TAG_EXAMPLE);
  const runId = requiredString(t, 'runId', 64);
  const caseId = requiredString(t, 'caseId', 192);
  if (!RUN_ID.test(runId)) throw badRequest('tag.runId must be 1-64 letters, digits, _ or -');
  if (!CASE_ID.test(caseId)) throw badRequest('tag.caseId must look like Group.Case (e.g. Scenario.step1)');
  return { runId, caseId };
}

function optionalList(o: Record<string, unknown>, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw badRequest(`${key} must be a list of names, e.g. ["unsigned"]`);
  return v as string[];
}

const SIM_ACTIONS = ['view', 'edit', 'editnew'] as const;

export function parseStartSimSession(input: unknown): StartSimSessionRequest {
  const b = objectInput(input, '{"fileId":"...","personaId":"alice","action":"edit"}');
  const out: StartSimSessionRequest = { fileId: requiredString(b, 'fileId', FILE_ID_MAX) };
  const personaId = optionalString(b, 'personaId', 128)?.trim();
  const action = optionalEnum(b, 'action', SIM_ACTIONS);
  const misbehave = optionalList(b, 'misbehave');
  const coauthorWith = optionalString(b, 'coauthorWith', 128);
  const tag = optionalTag(b);
  if (personaId) out.personaId = personaId;
  if (action) out.action = action;
  if (misbehave) out.misbehave = misbehave;
  if (coauthorWith) out.coauthorWith = coauthorWith;
  if (tag) out.tag = tag;
  return out;
}

export function parseRunSimulator(input: unknown): RunSimulatorRequest {
  const b = objectInput(input, '{"fileId":"...","edit":true,"misbehave":["unsigned"]}');
  const out: RunSimulatorRequest = { fileId: requiredString(b, 'fileId', FILE_ID_MAX) };
  const personaId = optionalString(b, 'personaId', 128)?.trim();
  const edit = b['edit'];
  if (edit !== undefined && typeof edit !== 'boolean') throw badRequest('edit must be true or false');
  const misbehave = optionalList(b, 'misbehave');
  const tag = optionalTag(b);
  if (personaId) out.personaId = personaId;
  if (edit !== undefined) out.edit = edit;
  if (misbehave) out.misbehave = misbehave;
  if (tag) out.tag = tag;
  return out;
}

export function parseSetMisbehaviour(input: unknown): SetMisbehaviourRequest {
  const b = objectInput(input, '{"misbehave":["unsigned"]}');
  const misbehave = optionalList(b, 'misbehave');
  if (!misbehave) throw badRequest('misbehave is required: a list of names ([] clears them)');
  return { misbehave };
}

export function parseSimSave(input: unknown): SimSaveRequest {
  if (input === undefined || input === null) return {};
  const b = objectInput(input, '{"text":"new content"}');
  const text = optionalString(b, 'text', 8 * 1024 * 1024);
  return text === undefined ? {} : { text };
}

export function parseTunnelStart(input: unknown): TunnelStartRequest {
  const o = objectInput(
    input,
    '{"provider":"localtunnel"} or {"provider":"public-url","publicUrl":"https://..."}',
  );
  const provider = o['provider'];
  if (provider === 'localtunnel') {
    const req: TunnelStartRequest = { provider };
    const server = optionalString(o, 'server', URL_MAX);
    const subdomain = optionalString(o, 'subdomain', 63);
    if (server) req.server = server;
    if (subdomain) req.subdomain = subdomain;
    return req;
  }
  if (provider === 'public-url') return { provider, publicUrl: requiredString(o, 'publicUrl', URL_MAX) };
  throw badRequest('provider must be "localtunnel" or "public-url"');
}

export function parseLaunch(input: unknown): LaunchRequest {
  const o = objectInput(input, '{"fileId":"...","action":"edit"}');
  const out: LaunchRequest = { fileId: requiredString(o, 'fileId', FILE_ID_MAX) };
  const action = optionalString(o, 'action', 64);
  const personaId = optionalString(o, 'personaId', 128);
  const profile = optionalString(o, 'profile', 128);
  if (action) out.action = action;
  if (personaId) out.personaId = personaId;
  if (profile) out.profile = profile;
  const accessToken = optionalString(o, 'accessToken', 8192);
  if (accessToken) {
    if (/[\r\n]/.test(accessToken)) throw badRequest('accessToken must be on one line');
    out.accessToken = accessToken;
  }
  const ttl = o['accessTokenTtl'];
  if (ttl !== undefined) {
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0)
      throw badRequest('accessTokenTtl must be a whole number of epoch milliseconds (0: unknown)');
    out.accessTokenTtl = ttl;
  }
  return out;
}

// A Record so the compiler insists on every operation the contract names, and no other.
const OPERATIONS: Readonly<Record<WopiOperation, true>> = {
  CheckFileInfo: true,
  GetFile: true,
  PutFile: true,
  Lock: true,
  UnlockAndRelock: true,
  GetLock: true,
  RefreshLock: true,
  Unlock: true,
  PutRelativeFile: true,
  RenameFile: true,
  DeleteFile: true,
  PutUserInfo: true,
  Unsupported: true,
  HostPage: true,
  Other: true,
};
const isOperation = (s: string): s is WopiOperation => Object.hasOwn(OPERATIONS, s);

const MAX_QUERY_TEXT = 256;
const MAX_PAGE = 1000;

/** A request-log query as the log takes it; empty fields mean "any". */
export function parseRequestQuery(input: RequestListQuery | undefined): RequestQuery {
  const q = objectInput(input ?? {}, '{"limit":50,"status":"4xx"}');
  const out: RequestQuery = {};
  const before = optionalString(q, 'before', 16);
  if (before) {
    // The cursor is the `nextCursor` the previous page handed out: a log seq.
    if (!/^\d{1,15}$/.test(before)) throw badRequest('before must be the nextCursor of a previous page');
    out.before = Number(before);
  }
  const limit = optionalWhole(q, 'limit', 1, MAX_PAGE);
  if (limit !== undefined) out.limit = limit;
  const operation = optionalString(q, 'operation', 64);
  if (operation) {
    if (!isOperation(operation)) {
      throw badRequest(`operation must be one of ${Object.keys(OPERATIONS).join(', ')}`);
    }
    out.operation = operation;
  }
  const status = optionalString(q, 'status', 16);
  if (status) {
    if (!/^[1-5]xx$/.test(status) && !/^[1-5]\d\d$/.test(status)) {
      throw badRequest("status must be a class like '4xx' or a code like '409'");
    }
    out.status = status;
  }
  for (const key of ['fileId', 'q'] as const) {
    const v = optionalString(q, key, MAX_QUERY_TEXT);
    if (v) out[key] = v;
  }
  return out;
}

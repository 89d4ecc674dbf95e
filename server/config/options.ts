// Engine settings: one typed shape for the CLI, the Electron shell and tests, with defaults and
// validation that names the setting and the fix.
import fs from 'node:fs';
import path from 'node:path';
import type { Permission, Persona, ProofMode } from '../contracts/api';
import type { LockStore } from '../state/lock-store';
import { ensurePrivateDir } from '../state/private-files';

export interface WorkbenchOptions {
  /** The folder whose files are served. */
  folder: string;
  /** Where state lives (SQLite, secrets, version blobs); never inside `folder`. */
  dataDir: string;
  host?: string;
  wopiPort?: number;
  controlPort?: number;
  /** Public base URL the WOPI client calls (reverse proxy); the tunnel sets it at runtime. */
  publicUrl?: string;
  clientProfile?: string;
  discoveryUrl?: string;
  proofMode?: ProofMode;
  tunnel?: { server?: string; subdomain?: string };
  personas?: Persona[];
  /** Built renderer served by the control listener at '/'. */
  uiDir?: string;
  tokenTtlMinutes?: number;
  launchLinkTtlMinutes?: number;
  maxUploadBytes?: number;
  /**
   * A WOPI request body (PutFile, PutRelativeFile, PutUserInfo) from which no byte arrives for this long
   * is cut with 408, leaving the file untouched; the counterpart of node's 60 s limit on slow headers.
   */
  bodyIdleTimeoutMs?: number;
  versionRetention?: number;
  requestLogRetention?: number;
  /** Request/response bodies up to this size are kept inline in the log. */
  logBodyInlineBytes?: number;
  /** Locks expire this long after being set or refreshed (WOPI: 30 min). */
  lockDurationMs?: number;
  /** Watch the folder for outside edits (off in some tests). */
  watch?: boolean;
  /**
   * Where WOPI locks live: the data dir's SQLite file unless given (e.g. createMemoryLockStore(), or a
   * store shared by several hosts). Any LockStore passes the same conformance suite.
   */
  lockStore?: LockStore;
  clock?: () => number;
  /**
   * Proxy mode: every `/wopi/…` request is forwarded to this WOPI host (the person's own) and
   * recorded, instead of being answered from `folder`. Its base URL: `http://h:8080` (WOPI at
   * `/wopi/files/<id>`), `http://h/api` (at `/api/wopi/files/<id>`) or `http://h/api/wopi`.
   */
  upstream?: string;
  /** Proxy mode: an access token the upstream minted, used by launch links when none is given. */
  upstreamToken?: string;
}

type OptionalSettings =
  | 'publicUrl'
  | 'discoveryUrl'
  | 'tunnel'
  | 'uiDir'
  | 'proofMode'
  | 'lockStore'
  | 'upstream'
  | 'upstreamToken';
export type ResolvedOptions = Required<Omit<WorkbenchOptions, OptionalSettings>> &
  Pick<WorkbenchOptions, OptionalSettings>;

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_PERSONAS: Persona[] = [
  { id: 'editor', name: 'Ada Editor', permissions: 'edit', email: 'ada@example.test' },
  { id: 'coauthor', name: 'Grace Coauthor', permissions: 'edit', email: 'grace@example.test' },
  { id: 'viewer', name: 'Victor Viewer', permissions: 'view', email: 'victor@example.test' },
];

const PERMS: readonly Permission[] = ['view', 'edit'];

function checkPort(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(
      name,
      `${name} must be a whole number from 0 to 65535 (0 picks a free port); got ${value}.`,
    );
  }
  return value;
}

function checkPositive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(name, `${name} must be a positive number; got ${value}.`);
  return value;
}

export function validatePersonas(personas: Persona[]): Persona[] {
  const seen = new Set<string>();
  for (const p of personas) {
    if (typeof p !== 'object' || p === null || typeof p.id !== 'string' || typeof p.name !== 'string') {
      throw new ConfigError(
        'personas',
        'each persona needs a string "id", a string "name" and "permissions" ("view" or "edit").',
      );
    }
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(p.id)) {
      throw new ConfigError(
        'personas',
        `persona id "${p.id}" must be 1–64 letters, digits, '.', '_' or '-'.`,
      );
    }
    if (seen.has(p.id)) throw new ConfigError('personas', `persona id "${p.id}" is used twice.`);
    seen.add(p.id);
    if (!PERMS.includes(p.permissions)) {
      throw new ConfigError('personas', `persona "${p.id}" permissions must be "view" or "edit".`);
    }
    if (!p.name.trim()) throw new ConfigError('personas', `persona "${p.id}" needs a name.`);
  }
  if (personas.length === 0) throw new ConfigError('personas', 'at least one persona is needed.');
  return personas;
}

function checkUpstreamToken(opts: WorkbenchOptions): string | undefined {
  const t = opts.upstreamToken;
  if (t === undefined) return undefined;
  if (opts.upstream === undefined)
    throw new ConfigError(
      'upstreamToken',
      'upstreamToken is for proxy mode; give upstream (--upstream URL) too.',
    );
  if (t === '' || /[\r\n]/.test(t))
    throw new ConfigError('upstreamToken', 'upstreamToken must be a non-empty access token on one line.');
  return t;
}

export function normalizePublicUrl(raw: string, setting = 'publicUrl'): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(
      setting,
      `${setting} "${raw}" is not a URL; give an absolute http(s) URL like https://wopi.example.com.`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(setting, `${setting} must start with http:// or https://; got "${raw}".`);
  }
  if (u.search || u.hash)
    throw new ConfigError(setting, `${setting} must not carry a query or fragment; got "${raw}".`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** The upstream WOPI host's base URL, checked: http(s), no query, fragment or credentials. */
export function normalizeUpstream(raw: string, setting = 'upstream'): string {
  const example =
    'like http://localhost:8080 (its WOPI files at /wopi/files/<id>) or http://localhost:8080/api';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(
      setting,
      `${setting} "${raw}" is not a URL; give your WOPI host's base URL, ${example}.`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ConfigError(setting, `${setting} must start with http:// or https://; got "${raw}".`);
  if (u.search || u.hash)
    throw new ConfigError(
      setting,
      `${setting} must not carry a query or fragment (each request brings its own, with its access token); got "${raw}".`,
    );
  if (u.username || u.password)
    throw new ConfigError(
      setting,
      `${setting} must not carry a user name or password; got a URL with credentials.`,
    );
  if (/\/wopi[^/]*\/files(\/|$)/i.test(u.pathname))
    throw new ConfigError(
      setting,
      `${setting} is the host's base URL, not a file's: drop "${u.pathname.slice(u.pathname.indexOf('/files'))}" (${example}).`,
    );
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** Resolve defaults and check everything that can be checked before binding ports. */
export function resolveOptions(opts: WorkbenchOptions): ResolvedOptions {
  const folder = path.resolve(opts.folder);
  const dataDir = path.resolve(opts.dataDir);
  let st: fs.Stats;
  try {
    st = fs.statSync(folder);
  } catch {
    throw new ConfigError(
      'folder',
      `folder "${folder}" does not exist; pass --folder with an existing directory.`,
    );
  }
  if (!st.isDirectory()) throw new ConfigError('folder', `folder "${folder}" is not a directory.`);
  try {
    fs.accessSync(folder, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new ConfigError('folder', `folder "${folder}" must be readable and writable by this user.`);
  }
  const rel = path.relative(folder, dataDir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new ConfigError(
      'dataDir',
      `data dir "${dataDir}" is inside the served folder; choose a data dir outside "${folder}".`,
    );
  }
  try {
    // Owner-only: it holds the secrets that sign access tokens and launch links.
    ensurePrivateDir(dataDir);
    if (!fs.statSync(dataDir).isDirectory()) throw new Error('not a directory');
    fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new ConfigError(
      'dataDir',
      `data dir "${dataDir}" is not a writable directory; pass --data-dir with a folder this user can write.`,
    );
  }
  return {
    folder,
    dataDir,
    host: opts.host ?? '127.0.0.1',
    wopiPort: checkPort('wopiPort', opts.wopiPort ?? 0),
    controlPort: checkPort('controlPort', opts.controlPort ?? 0),
    publicUrl: opts.publicUrl ? normalizePublicUrl(opts.publicUrl) : undefined,
    // A discovery URL alone means "this client": a custom server, or a discovery file on disk.
    clientProfile:
      opts.clientProfile ??
      (opts.discoveryUrl ? (/^https?:\/\//i.test(opts.discoveryUrl) ? 'custom' : 'file') : 'simulator'),
    discoveryUrl: opts.discoveryUrl,
    proofMode: opts.proofMode,
    tunnel: opts.tunnel,
    personas: validatePersonas(opts.personas ?? DEFAULT_PERSONAS),
    uiDir: opts.uiDir,
    tokenTtlMinutes: checkPositive('tokenTtlMinutes', opts.tokenTtlMinutes ?? 600),
    launchLinkTtlMinutes: checkPositive('launchLinkTtlMinutes', opts.launchLinkTtlMinutes ?? 10),
    maxUploadBytes: checkPositive('maxUploadBytes', opts.maxUploadBytes ?? 2 * 1024 ** 3),
    bodyIdleTimeoutMs: checkPositive('bodyIdleTimeoutMs', opts.bodyIdleTimeoutMs ?? 60_000),
    versionRetention: checkPositive('versionRetention', opts.versionRetention ?? 50),
    requestLogRetention: checkPositive('requestLogRetention', opts.requestLogRetention ?? 100_000),
    logBodyInlineBytes: checkPositive('logBodyInlineBytes', opts.logBodyInlineBytes ?? 64 * 1024),
    lockDurationMs: checkPositive('lockDurationMs', opts.lockDurationMs ?? 30 * 60 * 1000),
    watch: opts.watch ?? true,
    lockStore: opts.lockStore,
    clock: opts.clock ?? Date.now,
    upstream: opts.upstream !== undefined ? normalizeUpstream(opts.upstream) : undefined,
    upstreamToken: checkUpstreamToken(opts),
  };
}

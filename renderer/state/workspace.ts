// Everything the host knows besides the request log: status, files, locks, discovery, tunnel, personas
// and client profiles. Updated from the first load, then from SSE events.
import type {
  ClientProfileView,
  DiscoveryStateView,
  FileView,
  LockChangeResult,
  LockEntry,
  Persona,
  ReachabilityResult,
  StatusView,
  TunnelState,
  VersionView,
} from '../../server/contracts';
import { Store } from './store';

export type Section =
  'status' | 'files' | 'locks' | 'requests' | 'discovery' | 'tunnel' | 'personas' | 'profiles';

export interface WorkspaceState {
  ready: boolean;
  status: StatusView | null;
  files: ReadonlyMap<string, FileView>;
  /** Current locks by file id, from GET /v1/locks: a lock may outlive its file, so not derived from `files`. */
  locks: ReadonlyMap<string, LockEntry>;
  discovery: DiscoveryStateView | null;
  tunnel: TunnelState | null;
  personas: readonly Persona[];
  profiles: readonly ClientProfileView[];
  /** Version history per file id, once someone looked at it. */
  versions: ReadonlyMap<string, readonly VersionView[]>;
  /** Load failures per section, in words, so a view can say what went wrong. */
  errors: Partial<Record<Section, string>>;
  warnings: readonly { code: string; message: string; at: number }[];
}

const MAX_WARNINGS = 50;

export class WorkspaceStore extends Store<WorkspaceState> {
  constructor() {
    super({
      ready: false,
      status: null,
      files: new Map(),
      locks: new Map(),
      discovery: null,
      tunnel: null,
      personas: [],
      profiles: [],
      versions: new Map(),
      errors: {},
      warnings: [],
    });
  }

  markReady(): void {
    this.update({ ready: true });
  }

  setError(section: Section, message: string | undefined): void {
    const errors = { ...this.state.errors };
    if (message === undefined) delete errors[section];
    else errors[section] = message;
    this.update({ errors });
  }

  setStatus(status: StatusView): void {
    this.update({ status });
  }

  setFiles(files: readonly FileView[]): void {
    this.update({ files: new Map(files.map((file) => [file.id, file])) });
  }

  upsertFile(file: FileView): void {
    const files = new Map(this.state.files);
    // Events may carry extra fields (cause, previousPath); keep only the view.
    const { id, path, name, extension, size, version, sha256, lastModified, lock } = file;
    files.set(id, { id, path, name, extension, size, version, sha256, lastModified, lock });
    // A rename moves the file's lock with it.
    const held = this.state.locks.get(id);
    if (held && held.path !== path) {
      const locks = new Map(this.state.locks);
      locks.set(id, { ...held, path });
      this.update({ files, locks });
      return;
    }
    this.update({ files });
  }

  removeFile(fileId: string): void {
    if (!this.state.files.has(fileId)) return;
    const files = new Map(this.state.files);
    files.delete(fileId);
    this.update({ files });
  }

  setLocks(list: readonly LockEntry[]): void {
    this.update({ locks: new Map(list.map((entry) => [entry.fileId, entry])) });
  }

  /** A lock:changed event, or the result of a lock-lab action (same shape): both are idempotent. */
  applyLock(change: LockChangeResult): void {
    const locks = new Map(this.state.locks);
    if (change.after) {
      const path = change.path || this.state.files.get(change.fileId)?.path || '';
      locks.set(change.fileId, { ...change.after, fileId: change.fileId, path });
    } else locks.delete(change.fileId);
    const file = this.state.files.get(change.fileId);
    if (!file) {
      this.update({ locks });
      return;
    }
    const files = new Map(this.state.files);
    files.set(file.id, { ...file, lock: change.after });
    this.update({ files, locks });
  }

  setDiscovery(discovery: DiscoveryStateView): void {
    this.update({ discovery });
  }

  setTunnel(tunnel: TunnelState): void {
    this.update({ tunnel });
  }

  setReachability(reachability: ReachabilityResult): void {
    const tunnel = this.state.tunnel;
    if (tunnel) this.update({ tunnel: { ...tunnel, reachability } });
  }

  setPersonas(personas: readonly Persona[]): void {
    this.update({ personas });
  }

  setProfiles(profiles: readonly ClientProfileView[]): void {
    this.update({ profiles });
  }

  setVersions(fileId: string, list: readonly VersionView[]): void {
    const versions = new Map(this.state.versions);
    versions.set(
      fileId,
      [...list].sort((a, b) => b.createdAt - a.createdAt),
    );
    this.update({ versions });
  }

  versionCreated(version: VersionView): void {
    const known = this.state.versions.get(version.fileId);
    if (!known) return;
    if (known.some((v) => v.id === version.id)) return;
    this.setVersions(version.fileId, [version, ...known]);
  }

  addWarning(warning: { code: string; message: string }): void {
    const warnings = [{ ...warning, at: Date.now() }, ...this.state.warnings].slice(0, MAX_WARNINGS);
    this.update({ warnings });
  }
}

export function sortedLocks(locks: ReadonlyMap<string, LockEntry>): LockEntry[] {
  return [...locks.values()].sort((a, b) => a.path.localeCompare(b.path));
}

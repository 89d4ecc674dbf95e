// Everything the host knows besides the request log: status, files (and their locks), discovery,
// tunnel, personas and client profiles. Updated from the first load, then from SSE events.
import type {
  ClientProfileView,
  DiscoveryStateView,
  EventMap,
  FileView,
  LockView,
  Persona,
  ReachabilityResult,
  StatusView,
  TunnelState,
  VersionView,
} from '../../server/contracts';
import { Store } from './store';

export type Section = 'status' | 'files' | 'requests' | 'discovery' | 'tunnel' | 'personas' | 'profiles';

export interface LockEntry {
  fileId: string;
  path: string;
  lock: LockView;
}

export interface WorkspaceState {
  ready: boolean;
  status: StatusView | null;
  files: ReadonlyMap<string, FileView>;
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
    this.update({ files });
  }

  removeFile(fileId: string): void {
    if (!this.state.files.has(fileId)) return;
    const files = new Map(this.state.files);
    files.delete(fileId);
    this.update({ files });
  }

  applyLock(change: EventMap['lock:changed']): void {
    const file = this.state.files.get(change.fileId);
    if (!file) return;
    const files = new Map(this.state.files);
    files.set(file.id, { ...file, lock: change.after });
    this.update({ files });
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

export function locksOf(files: ReadonlyMap<string, FileView>): LockEntry[] {
  const out: LockEntry[] = [];
  for (const file of files.values())
    if (file.lock) out.push({ fileId: file.id, path: file.path, lock: file.lock });
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

// Earlier contents of a file, newest first, with restore. Restoring keeps the current bytes as a version too.
import { useEffect, useState, type ReactElement } from 'react';
import type { FileView, VersionView } from '../../../server/contracts';
import { ControlApiError, describeError } from '../../api/control-client';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { formatBytes, formatDateTime, shortHash } from '../../components/format';
import { useApp } from '../../state/app-context';
import { useStore } from '../../state/store';

const REASON: Record<VersionView['reason'], string> = {
  put: 'PutFile',
  'put-relative-overwrite': 'PutRelativeFile overwrite',
  delete: 'DeleteFile',
  restore: 'restore',
  external: 'edited on disk',
  created: 'created',
  control: 'workbench action',
};

const EMPTY: readonly VersionView[] = [];

export function VersionHistory({ file }: { file: FileView }): ReactElement {
  const app = useApp();
  const versions = useStore(app.workspace, (s) => s.versions.get(file.id));
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [needsForce, setNeedsForce] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    app.client.versions({ params: { fileId: file.id } }).then(
      (list) => {
        if (!live) return;
        app.workspace.setVersions(file.id, list);
        setError(null);
      },
      (err: unknown) => {
        if (live) setError(describeError(err));
      },
    );
    return () => {
      live = false;
    };
    // Refetch when the file's content version moves (a save adds a version).
  }, [app, file.id, file.version]);

  const restore = async (version: VersionView, force = false) => {
    setRestoring(version.id);
    setNeedsForce(null);
    try {
      const restored = await app.client.restoreVersion({
        params: { fileId: file.id, versionId: version.id },
        query: { force },
      });
      app.workspace.upsertFile(restored);
      app.notices.push(
        'success',
        `Restored ${file.name} to version ${version.version}; the content it replaced is kept as a new version`,
      );
    } catch (err) {
      // The host refuses to change a file under an editor's lock unless told to.
      if (!force && err instanceof ControlApiError && err.code === 'conflict' && file.lock)
        setNeedsForce(version.id);
      else app.notices.push('error', `Restore failed: ${describeError(err)}`);
    } finally {
      setRestoring(null);
    }
  };

  if (error) return <p className="tone-danger small">Could not load versions: {error}</p>;
  if (!versions) return <p className="muted small">Loading versions…</p>;
  const list = versions ?? EMPTY;
  if (list.length === 0) {
    return (
      <p className="muted small" data-testid="versions-empty">
        No earlier versions yet. Each save (PutFile), overwrite, delete or edit on disk keeps the previous
        content here, so nothing is lost.
      </p>
    );
  }
  return (
    <table className="table versions" data-testid="version-list">
      <thead>
        <tr>
          <th>When</th>
          <th>Why</th>
          <th>Version</th>
          <th>Size</th>
          <th>SHA-256</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {list.map((version) => (
          <tr key={version.id} data-testid="version-row" data-version-id={version.id}>
            <td className="nowrap">{formatDateTime(version.createdAt)}</td>
            <td>
              <Badge tone={version.reason === 'external' ? 'warning' : 'neutral'}>
                {REASON[version.reason]}
              </Badge>
            </td>
            <td className="mono ellipsis" title={version.version}>
              {version.version}
            </td>
            <td className="nowrap">{formatBytes(version.size)}</td>
            <td className="mono" title={version.sha256}>
              {shortHash(version.sha256, 10)}
            </td>
            <td className="right">
              {needsForce === version.id ? (
                <span className="force-confirm" data-testid="version-force">
                  <span className="tone-warning small">
                    Locked by an editor, whose next save would replace the restore (both stay in this
                    history).
                  </span>
                  <Button
                    small
                    variant="danger"
                    onClick={() => void restore(version, true)}
                    data-testid="version-restore-force"
                  >
                    Restore anyway
                  </Button>
                  <Button small variant="ghost" onClick={() => setNeedsForce(null)}>
                    Cancel
                  </Button>
                </span>
              ) : version.restorable ? (
                <Button
                  small
                  icon="history"
                  busy={restoring === version.id}
                  onClick={() => void restore(version)}
                  data-testid="version-restore"
                  title="Write this version back to the file; its current content is kept as a version first, so nothing is lost"
                >
                  Restore
                </Button>
              ) : (
                <span className="muted small" title="Only the hash was kept (retention)">
                  not kept
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

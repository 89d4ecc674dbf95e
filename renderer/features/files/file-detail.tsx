// One file: identity, content hash, lock, how to open it, and its history.
import { useState, type ReactElement } from 'react';
import type { FileView } from '../../../server/contracts';
import { canRevealFiles, revealFile } from '../../api/desktop';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { formatBytes, formatCountdown, formatDateTime } from '../../components/format';
import { KeyValue, Panel } from '../../components/panel';
import { useNow } from '../../components/use-now';
import { useApp } from '../../state/app-context';
import { useStore } from '../../state/store';
import { OpenIn } from './open-in';
import { PersonaSelect } from './persona-select';
import { TokenPanel } from './token-panel';
import { VersionHistory } from './version-history';

function LockState({ file }: { file: FileView }): ReactElement {
  const app = useApp();
  const now = useNow();
  if (!file.lock) return <Badge tone="neutral">unlocked</Badge>;
  const left = file.lock.expiresAt - now;
  return (
    <span className="hv">
      <Badge tone="warning">locked</Badge>
      <span className="mono hv-text" data-testid="file-lock-id">
        {file.lock.lockId}
      </span>
      {file.lock.holderName || file.lock.holderId ? (
        <span className="nowrap" data-testid="file-lock-holder">
          held by <strong>{file.lock.holderName ?? file.lock.holderId}</strong>
        </span>
      ) : null}
      <span className="muted nowrap">{left > 0 ? `expires in ${formatCountdown(left)}` : 'expiring'}</span>
      <button type="button" className="link-btn" onClick={() => app.ui.show('locks')}>
        Lock lab
      </button>
    </span>
  );
}

export function FileDetail({ file }: { file: FileView }): ReactElement {
  const app = useApp();
  const personas = useStore(app.workspace, (s) => s.personas);
  const status = useStore(app.workspace, (s) => s.status);
  const [personaId, setPersonaId] = useState(personas[0]?.id ?? '');

  return (
    <div className="file-detail" data-testid="file-detail" data-file-id={file.id}>
      <div className="file-title">
        <h2>{file.name}</h2>
        {file.path !== file.name ? <span className="mono muted">{file.path}</span> : null}
        {canRevealFiles() && status ? (
          <Button
            small
            variant="ghost"
            icon="folder"
            onClick={() => void revealFile(`${status.folder}/${file.path}`)}
          >
            Show in folder
          </Button>
        ) : null}
      </div>
      <Panel title="File">
        <KeyValue
          rows={[
            {
              key: 'File id',
              mono: true,
              testId: 'file-id',
              value: (
                <span className="hv">
                  <span className="hv-text">{file.id}</span>
                  <CopyButton value={file.id} title="Copy file id" />
                </span>
              ),
            },
            { key: 'Size', value: `${formatBytes(file.size)} (${file.size.toLocaleString('en-US')} bytes)` },
            { key: 'Version', value: file.version, mono: true, testId: 'file-version' },
            {
              key: 'SHA-256',
              mono: true,
              testId: 'file-sha256',
              value: file.sha256 ? (
                <span className="hv">
                  <span className="hv-text">{file.sha256}</span>
                  <CopyButton value={file.sha256} title="Copy SHA-256" />
                </span>
              ) : (
                <span className="muted">not computed yet</span>
              ),
            },
            { key: 'Last modified', value: formatDateTime(file.lastModified) },
            { key: 'Lock', value: <LockState file={file} />, testId: 'file-lock' },
          ]}
        />
      </Panel>
      <Panel
        title="Open & share"
        actions={<PersonaSelect personas={personas} value={personaId} onChange={setPersonaId} />}
      >
        <OpenIn file={file} personaId={personaId} />
        <div className="divider" />
        <TokenPanel file={file} personaId={personaId} />
      </Panel>
      <Panel title="Version history">
        <VersionHistory file={file} />
      </Panel>
    </div>
  );
}

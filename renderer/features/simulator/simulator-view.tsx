// Simulator: drive the headless Office-like client. Open sessions on a file as any persona (edit, view,
// co-author), watch each fall back to read-only with who holds the lock as Office does, save and close;
// run one whole session with a chosen misbehaviour in one click; rotate the proof key.
import { useMemo, useState, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import { Panel } from '../../components/panel';
import { useApp } from '../../state/app-context';
import { useStore } from '../../state/store';
import { PartGate } from '../lab/part-gate';
import { MisbehaviourPanel, ProofKeyPanel } from './misbehaviour-panel';
import { OpenPanel } from './open-panel';
import { SessionCard } from './session-card';
import { useSimActions } from './use-sim-actions';
import './simulator.css';

export function SimulatorView(): ReactElement {
  const app = useApp();
  const simulator = useStore(app.lab, (s) => s.simulator);
  const sessions = useStore(app.lab, (s) => s.sessions);
  const part = useStore(app.lab, (s) => s.parts.simulator);
  const files = useStore(app.workspace, (s) => s.files);
  const personas = useStore(app.workspace, (s) => s.personas);
  const actions = useSimActions();
  const [picked, setPicked] = useState('');
  const [showClosed, setShowClosed] = useState(false);
  const fileList = useMemo(() => [...files.values()].sort((a, b) => a.path.localeCompare(b.path)), [files]);
  const fileId = files.has(picked) ? picked : (fileList[0]?.id ?? '');
  // Oldest first: the session that took the lock reads before the one it turned read-only.
  const ordered = useMemo(() => [...sessions].reverse(), [sessions]);
  const open = ordered.filter((s) => s.state !== 'closed');
  const closed = ordered.filter((s) => s.state === 'closed');
  const personaOf = (sessionId: string | undefined) =>
    sessionId ? sessions.find((s) => s.id === sessionId)?.persona.name : undefined;

  return (
    <div className="page sim-page" data-testid="simulator-view">
      <div className="page-head">
        <div>
          <h1>Simulator</h1>
          <p className="muted">
            A headless client that behaves like Office against this host: it locks to edit, falls back to
            read-only when someone else holds the lock, and can misbehave on purpose. Every request it sends
            is in Requests.
          </p>
        </div>
        <label className="field-inline sim-file" hidden={part.kind !== 'ready'}>
          <span>File</span>
          <select
            value={fileId}
            onChange={(event) => setPicked(event.target.value)}
            data-testid="sim-file"
            disabled={fileList.length === 0}
          >
            {fileList.map((file) => (
              <option key={file.id} value={file.id}>
                {file.path}
                {file.lock ? ' (locked)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PartGate state={part} what="The simulated client’s controls" icon="persona" testId="simulator">
        <div className="sim-layout">
          <div className="sim-main">
            <Panel title="Open a session">
              <OpenPanel
                fileId={fileId}
                personas={personas}
                sessions={open.filter((s) => s.fileId === fileId)}
                actions={actions}
              />
            </Panel>
            <Panel
              title={`Sessions (${open.length})`}
              testId="sim-sessions-panel"
              actions={
                closed.length > 0 ? (
                  <button
                    type="button"
                    className="link-btn small"
                    onClick={() => setShowClosed(!showClosed)}
                    data-testid="sim-show-closed"
                  >
                    {showClosed ? 'Hide' : 'Show'} {closed.length} closed
                  </button>
                ) : null
              }
            >
              {open.length === 0 && !showClosed ? (
                <EmptyState icon="persona" title="No open session" testId="sim-sessions-empty">
                  Open the file as one persona to edit, then as another: the second falls back to read-only
                  and says who is editing, and its Save is refused with 409, as in Office.
                </EmptyState>
              ) : (
                <ul className="sim-cards" data-testid="sim-sessions">
                  {(showClosed ? [...open, ...closed] : open).map((session) => (
                    <SessionCard
                      key={session.id}
                      session={session}
                      coauthorName={personaOf(session.coauthorOf)}
                      actions={actions}
                    />
                  ))}
                </ul>
              )}
            </Panel>
          </div>
          <div className="sim-side">
            {simulator ? (
              <>
                <Panel title="Misbehave on purpose" testId="sim-misbehaviour-panel">
                  <MisbehaviourPanel simulator={simulator} fileId={fileId} actions={actions} />
                </Panel>
                <Panel title="Proof key" testId="sim-keys-panel">
                  <ProofKeyPanel simulator={simulator} actions={actions} />
                </Panel>
              </>
            ) : null}
          </div>
        </div>
      </PartGate>
    </div>
  );
}

// One simulated-client session as Office would show it: who it acts as, on which file, in which state
// (editing; read-only with "X is editing"; viewing; failed), what it says, the requests it sent, and
// Save / Close.
import type { CSSProperties, ReactElement } from 'react';
import type { SimSessionState, SimSessionView } from '../../../server/contracts/lab';
import { Badge, type Tone } from '../../components/badge';
import { Button } from '../../components/button';
import { formatAgo } from '../../components/format';
import { Icon } from '../../components/icons';
import { useNow } from '../../components/use-now';
import { StepList } from './steps';
import type { SimActions } from './use-sim-actions';

const STATE: Record<SimSessionState, { tone: Tone; label: string }> = {
  opening: { tone: 'info', label: 'opening' },
  editing: { tone: 'success', label: 'editing' },
  'read-only': { tone: 'warning', label: 'read-only' },
  viewing: { tone: 'info', label: 'viewing' },
  failed: { tone: 'danger', label: 'failed' },
  closed: { tone: 'neutral', label: 'closed' },
};

function stateOf(state: string): { tone: Tone; label: string } {
  return Object.hasOwn(STATE, state) ? STATE[state as SimSessionState] : { tone: 'neutral', label: state };
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return (
    (parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')
  ).toUpperCase();
}

/** A hue per persona id, so the same persona wears the same colour on every card. */
function hueOf(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

export function SessionCard({
  session,
  coauthorName,
  actions,
}: {
  session: SimSessionView;
  /** The persona of the session this one co-authors with, when it joined one. */
  coauthorName?: string;
  actions: SimActions;
}): ReactElement {
  const now = useNow();
  const { tone, label } = stateOf(session.state);
  const closed = session.state === 'closed';
  const holder = session.lockedBy?.holder;
  return (
    <li
      className={`sim-card is-${session.state}`}
      data-testid="sim-session"
      data-session-id={session.id}
      data-state={session.state}
      data-persona={session.persona.id}
    >
      <div className="sim-card-head">
        <span
          className="avatar"
          style={{ '--hue': hueOf(session.persona.id) } as CSSProperties}
          aria-hidden="true"
        >
          {initials(session.persona.name)}
        </span>
        <div className="sim-card-who">
          <div className="sim-card-name">
            <strong data-testid="sim-session-persona">{session.persona.name}</strong>
            <span className={`chip${session.persona.permissions === 'edit' ? ' chip-edit' : ''}`}>
              {session.persona.permissions}
            </span>
          </div>
          <div className="muted small sim-card-file" title={session.fileName}>
            <Icon name="file" size={12} />
            <span>{session.fileName}</span>
            <span>· {session.action}</span>
            <span>· {formatAgo(session.openedAt, now)}</span>
          </div>
        </div>
        <Badge tone={tone} testId="sim-session-state">
          {label}
        </Badge>
      </div>
      {session.state === 'read-only' ? (
        <div className="sim-banner" data-testid="sim-session-banner" title={session.lockedBy?.reason}>
          <Icon name="locks" size={14} />
          <span>
            <strong>{holder ?? 'Someone else'}</strong> {holder ? 'is editing' : 'holds the lock'}: this copy
            is read-only
          </span>
        </div>
      ) : null}
      {session.coauthorOf ? (
        <div className="sim-note small" data-testid="sim-session-coauthor">
          <Icon name="persona" size={12} />
          Co-authoring with {coauthorName ?? session.coauthorOf} (same lock)
        </div>
      ) : null}
      <p
        className={`sim-message${session.state === 'failed' ? ' tone-danger' : ''}`}
        data-testid="sim-session-message"
      >
        {session.message}
      </p>
      {session.misbehave.length > 0 ? (
        <div className="chips">
          {session.misbehave.map((m) => (
            <span key={m} className="badge badge-lab" title="Misbehaving on purpose">
              {m}
            </span>
          ))}
        </div>
      ) : null}
      <StepList steps={session.steps} />
      {!closed ? (
        <div className="sim-card-actions">
          <Button
            small
            variant={session.state === 'editing' ? 'primary' : 'default'}
            icon="save"
            disabled={
              session.state === 'opening' || session.state === 'failed' || session.state === 'viewing'
            }
            busy={actions.busy === `save:${session.id}`}
            onClick={() => void actions.save(session.id)}
            data-testid="sim-session-save"
            title={
              session.state === 'read-only'
                ? 'Send the PutFile anyway, to see the host refuse it'
                : 'PutFile with an edit, then RefreshLock'
            }
          >
            Save
          </Button>
          <Button
            small
            icon="close"
            busy={actions.busy === `close:${session.id}`}
            onClick={() => void actions.close(session.id)}
            data-testid="sim-session-close"
            title="Unlock (unless a co-author still edits), then close"
          >
            Close
          </Button>
        </div>
      ) : null}
    </li>
  );
}

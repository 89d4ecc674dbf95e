// Open a simulated session: one button per persona on the chosen file, as edit or view, optionally joining
// an open session to co-author (same lock, as Office does). "B's save is rejected while A holds the lock"
// is: Open as A, Open as B, Save on B.
import { useState, type ReactElement } from 'react';
import type { Persona } from '../../../server/contracts';
import type { SimSessionView } from '../../../server/contracts/lab';
import { Button } from '../../components/button';
import type { SimActions } from './use-sim-actions';

type Mode = 'edit' | 'view';

export function OpenPanel({
  fileId,
  personas,
  sessions,
  actions,
}: {
  fileId: string;
  personas: readonly Persona[];
  /** Open sessions on the chosen file that can be joined. */
  sessions: readonly SimSessionView[];
  actions: SimActions;
}): ReactElement {
  const [mode, setMode] = useState<Mode>('edit');
  const [coauthorWith, setCoauthorWith] = useState('');
  const joinable = sessions.filter((s) => s.state === 'editing');
  const joining = joinable.some((s) => s.id === coauthorWith) ? coauthorWith : '';

  return (
    <div className="sim-open" data-testid="sim-open">
      <div className="row-wrap">
        <div className="segmented" role="radiogroup" aria-label="Open for">
          {(['edit', 'view'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              className={mode === m ? 'is-active' : ''}
              onClick={() => setMode(m)}
              data-testid={`sim-mode-${m}`}
            >
              {m === 'edit' ? 'Edit' : 'View'}
            </button>
          ))}
        </div>
        {mode === 'edit' ? (
          <label className="field-inline">
            <span>Co-author with</span>
            <select
              value={joining}
              onChange={(event) => setCoauthorWith(event.target.value)}
              data-testid="sim-coauthor"
              disabled={joinable.length === 0}
              title={joinable.length === 0 ? 'No session is editing this file' : undefined}
            >
              <option value="">nobody: take a lock of its own</option>
              {joinable.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.persona.name}’s session
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <div className="sim-persona-buttons">
        {personas.map((persona) => (
          <Button
            key={persona.id}
            icon="persona"
            disabled={!fileId}
            busy={actions.busy === `open:${persona.id}`}
            onClick={() =>
              void actions.open(
                {
                  fileId,
                  personaId: persona.id,
                  action: mode,
                  ...(mode === 'edit' && joining ? { coauthorWith: joining } : {}),
                },
                `open:${persona.id}`,
              )
            }
            data-testid="sim-open-as"
            data-persona={persona.id}
            title={`${mode === 'edit' ? 'Edit' : 'View'} as ${persona.name} (${persona.permissions} rights)`}
          >
            {mode === 'edit' ? 'Edit' : 'View'} as {persona.name}
            {persona.permissions === 'view' ? <small className="muted"> · view only</small> : null}
          </Button>
        ))}
      </div>
    </div>
  );
}

// Inject a lock on any file with a chosen id: reproduces "locked by another client" without a second client.
import { useState, type ReactElement } from 'react';
import type { FileView, Persona } from '../../../server/contracts';
import { Button } from '../../components/button';
import { newLockId, type useLockActions } from './use-lock-actions';

export function SetLockForm({
  files,
  personas,
  actions,
}: {
  files: readonly FileView[];
  /** The lock can be held for one of them: a conflict then names them as the holder. */
  personas: readonly Persona[];
  actions: ReturnType<typeof useLockActions>;
}): ReactElement {
  const [fileId, setFileId] = useState('');
  const [lockId, setLockId] = useState(newLockId);
  const [personaId, setPersonaId] = useState('');
  const chosen = files.find((f) => f.id === fileId) ?? files[0];

  return (
    <form
      className="set-lock row-wrap"
      data-testid="lock-set-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!chosen || !lockId) return;
        void actions
          .setLock(chosen.id, chosen.name, lockId, personaId || undefined)
          .then((ok) => ok && setLockId(newLockId()));
      }}
    >
      <label className="field-inline">
        <span>File</span>
        <select
          value={chosen?.id ?? ''}
          onChange={(event) => setFileId(event.target.value)}
          data-testid="lock-set-file"
          aria-label="File to lock"
          title={chosen?.path}
        >
          {files.map((file) => (
            <option key={file.id} value={file.id}>
              {file.path}
              {file.lock ? ' (locked)' : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline grow">
        <span>Lock id</span>
        <input
          className="mono grow"
          value={lockId}
          onChange={(event) => setLockId(event.target.value)}
          maxLength={1024}
          data-testid="lock-set-id"
          aria-label="Lock id"
        />
      </label>
      <label className="field-inline">
        <span>Held by</span>
        <select
          value={personaId}
          onChange={(event) => setPersonaId(event.target.value)}
          data-testid="lock-set-persona"
          aria-label="Persona holding the lock"
        >
          <option value="">nobody named</option>
          {personas.map((persona) => (
            <option key={persona.id} value={persona.id}>
              {persona.name}
            </option>
          ))}
        </select>
      </label>
      <Button
        type="submit"
        small
        variant="primary"
        icon="locks"
        disabled={!chosen || !lockId}
        busy={chosen ? actions.busy === `set:${chosen.id}` : false}
        data-testid="lock-set-submit"
      >
        {chosen?.lock ? 'Steal lock' : 'Set lock'}
      </Button>
    </form>
  );
}

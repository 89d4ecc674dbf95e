// Who the link or token is for: personas carry a name and view/edit rights.
import type { ReactElement } from 'react';
import type { Persona } from '../../../server/contracts';

export function PersonaSelect({
  personas,
  value,
  onChange,
}: {
  personas: readonly Persona[];
  value: string;
  onChange: (id: string) => void;
}): ReactElement {
  return (
    <label className="field-inline">
      <span>As</span>
      <select
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid="persona-select"
        aria-label="Persona"
      >
        {personas.length === 0 ? <option value="">Default user</option> : null}
        {personas.map((persona) => (
          <option key={persona.id} value={persona.id}>
            {persona.name} · {persona.permissions}
          </option>
        ))}
      </select>
    </label>
  );
}

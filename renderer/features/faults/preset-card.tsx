// One preset of the library: the Office behaviour it reproduces, the response the matching requests get,
// where that is documented, and "Add" (as is, or limited to a file or persona, or to the next N matches).
import { useState, type ReactElement } from 'react';
import type { FileView, Persona } from '../../../server/contracts';
import type { AddFaultRequest, FaultPresetView } from '../../../server/contracts/lab';
import { Button } from '../../components/button';
import { Icon } from '../../components/icons';
import { DEFAULT_FIRING, FileField, FiringFields, firingOf, PersonaField } from './fields';
import type { FaultActions } from './use-fault-actions';

export function PresetCard({
  preset,
  files,
  personas,
  actions,
}: {
  preset: FaultPresetView;
  files: readonly FileView[];
  personas: readonly Persona[];
  actions: FaultActions;
}): ReactElement {
  const [open, setOpen] = useState(false);
  const [fileId, setFileId] = useState('');
  const [personaId, setPersonaId] = useState('');
  const [firing, setFiring] = useState(DEFAULT_FIRING);
  const fire = firingOf(firing);
  const problem = open && typeof fire === 'string' ? fire : undefined;

  const add = () => {
    const body: AddFaultRequest = { preset: preset.id };
    if (open) {
      const match = { ...preset.rule.match };
      if (fileId) match.fileId = fileId;
      if (personaId) match.personaId = personaId;
      if (fileId || personaId) body.match = match;
      if (typeof fire !== 'string' && fire.mode !== 'every') body.fire = fire;
    }
    void actions.add(body, `preset:${preset.id}`).then((rule) => rule && setOpen(false));
  };

  return (
    <li className="preset" data-testid="fault-preset" data-preset-id={preset.id}>
      <div className="preset-head">
        <Icon name="bolt" size={14} />
        <h3>{preset.title}</h3>
      </div>
      <p className="preset-behaviour">{preset.officeBehaviour}</p>
      <div className="preset-response mono" title="What the matching requests get">
        {preset.response}
      </div>
      <a className="preset-source small" href={preset.source.url} target="_blank" rel="noreferrer noopener">
        <Icon name="external" size={12} />
        <span>{preset.source.title}</span>
      </a>
      {open ? (
        <div className="preset-options" data-testid="fault-preset-options">
          <FileField files={files} value={fileId} onChange={setFileId} testId="fault-preset-file" />
          <PersonaField
            personas={personas}
            value={personaId}
            onChange={setPersonaId}
            testId="fault-preset-persona"
          />
          <FiringFields draft={firing} onChange={setFiring} testId="fault-preset-fire" />
          {problem ? <small className="tone-danger">{problem}</small> : null}
        </div>
      ) : null}
      <div className="preset-actions">
        <Button
          small
          variant="primary"
          icon="plus"
          disabled={problem !== undefined}
          busy={actions.busy === `preset:${preset.id}`}
          onClick={add}
          data-testid="fault-preset-add"
        >
          Add
        </Button>
        <Button
          small
          variant="ghost"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          data-testid="fault-preset-more"
        >
          {open ? 'Fewer options' : 'Options…'}
        </Button>
      </div>
    </li>
  );
}

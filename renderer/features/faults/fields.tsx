// Form pieces shared by a preset's options and the add-rule form: file, persona, and when to fire.
import type { ReactElement } from 'react';
import type { FileView, Persona } from '../../../server/contracts';
import type { FaultFiring } from '../../../server/contracts/lab';

export function FileField({
  files,
  value,
  onChange,
  testId,
}: {
  files: readonly FileView[];
  value: string;
  onChange: (fileId: string) => void;
  testId: string;
}): ReactElement {
  return (
    <label className="lab-field">
      <span>File</span>
      <select value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        <option value="">Any file</option>
        {files.map((file) => (
          <option key={file.id} value={file.id}>
            {file.path}
          </option>
        ))}
      </select>
    </label>
  );
}

export function PersonaField({
  personas,
  value,
  onChange,
  testId,
}: {
  personas: readonly Persona[];
  value: string;
  onChange: (personaId: string) => void;
  testId: string;
}): ReactElement {
  return (
    <label className="lab-field">
      <span>Persona</span>
      <select value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        <option value="">Anyone</option>
        {personas.map((persona) => (
          <option key={persona.id} value={persona.id}>
            {persona.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The firing as typed: numbers stay text until submitted, so a half-typed value is not rewritten. */
export interface FiringDraft {
  mode: FaultFiring['mode'];
  count: string;
  probability: string;
  seed: string;
}

export const DEFAULT_FIRING: FiringDraft = { mode: 'every', count: '1', probability: '0.5', seed: '1' };

/** The firing to send, or a sentence naming the field and the fix. */
export function firingOf(draft: FiringDraft): FaultFiring | string {
  if (draft.mode === 'every') return { mode: 'every' };
  if (draft.mode === 'next') {
    const count = Number(draft.count);
    if (!Number.isInteger(count) || count < 1) return 'Next: the count must be a whole number, 1 or more.';
    return { mode: 'next', count };
  }
  const probability = Number(draft.probability);
  const seed = Number(draft.seed);
  if (draft.probability.trim() === '' || !(probability >= 0 && probability <= 1)) {
    return 'Probability: a number from 0 to 1 (0.25 fires on a quarter of the matches).';
  }
  if (!Number.isInteger(seed)) return 'Seed: a whole number (the same seed fires the same way every run).';
  return { mode: 'probability', probability, seed };
}

export function FiringFields({
  draft,
  onChange,
  testId,
}: {
  draft: FiringDraft;
  onChange: (draft: FiringDraft) => void;
  testId: string;
}): ReactElement {
  return (
    <div className="lab-field firing" data-testid={testId}>
      <span>Fires on</span>
      <div className="firing-row">
        <select
          value={draft.mode}
          onChange={(event) => onChange({ ...draft, mode: event.target.value as FiringDraft['mode'] })}
          data-testid={`${testId}-mode`}
          aria-label="When the rule fires"
        >
          <option value="every">every match</option>
          <option value="next">the next N matches</option>
          <option value="probability">a seeded share of matches</option>
        </select>
        {draft.mode === 'next' ? (
          <input
            className="num"
            type="number"
            min={1}
            value={draft.count}
            onChange={(event) => onChange({ ...draft, count: event.target.value })}
            data-testid={`${testId}-count`}
            aria-label="How many matches"
          />
        ) : null}
        {draft.mode === 'probability' ? (
          <>
            <input
              className="num"
              type="number"
              min={0}
              max={1}
              step={0.05}
              value={draft.probability}
              onChange={(event) => onChange({ ...draft, probability: event.target.value })}
              data-testid={`${testId}-probability`}
              aria-label="Probability, 0 to 1"
              title="Probability, 0 to 1"
            />
            <span className="muted small">seed</span>
            <input
              className="num"
              type="number"
              value={draft.seed}
              onChange={(event) => onChange({ ...draft, seed: event.target.value })}
              data-testid={`${testId}-seed`}
              aria-label="Seed"
              title="The same seed fires on the same matches in every run"
            />
          </>
        ) : null}
      </div>
    </div>
  );
}

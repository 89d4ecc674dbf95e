// Import a rules file (what Export saves, what `serve --faults FILE` reads): pick it or paste it, then add
// its rules to the current ones or replace them.
import { useState, type ReactElement } from 'react';
import type { ImportFaultsRequest } from '../../../server/contracts/lab';
import { Button } from '../../components/button';
import type { FaultActions } from './use-fault-actions';

/** The request to send, or a sentence saying what is wrong with the text and how to fix it. */
export function parseRulesFile(text: string, replace: boolean): ImportFaultsRequest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return `Not JSON (${(err as Error).message}). Paste the content of a faults.json that Export saved.`;
  }
  const file = parsed as Partial<ImportFaultsRequest> | null;
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    return 'Expected an object: { "format": "wopi-workbench-faults", "version": 1, "rules": [...] }.';
  }
  if (file.format !== 'wopi-workbench-faults') {
    return 'format must be "wopi-workbench-faults" (the file Export saves, or `serve --faults` reads).';
  }
  if (file.version !== 1) return `version must be 1; this file says ${JSON.stringify(file.version)}.`;
  if (!Array.isArray(file.rules)) return 'rules must be a list of rules.';
  return { format: file.format, version: 1, rules: file.rules, ...(replace ? { replace: true } : {}) };
}

export function ImportPanel({
  actions,
  onDone,
}: {
  actions: FaultActions;
  onDone: () => void;
}): ReactElement {
  const [text, setText] = useState('');
  const [replace, setReplace] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  const submit = () => {
    const body = parseRulesFile(text, replace);
    if (typeof body === 'string') {
      setProblem(body);
      return;
    }
    setProblem(undefined);
    void actions.importRules(body).then((n) => n !== undefined && onDone());
  };

  return (
    <div className="import-panel" data-testid="fault-import">
      <div className="row-wrap">
        <label className="btn btn-small file-pick">
          <input
            type="file"
            accept="application/json,.json"
            data-testid="fault-import-file"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void file.text().then(setText);
            }}
          />
          <span>Choose a file…</span>
        </label>
        <span className="muted small">or paste its JSON below</span>
      </div>
      <textarea
        className="mono"
        rows={7}
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={'{ "format": "wopi-workbench-faults", "version": 1, "rules": [ … ] }'}
        spellCheck={false}
        data-testid="fault-import-text"
        aria-label="Rules file JSON"
      />
      {problem ? (
        <div className="why" data-testid="fault-import-problem">
          <span>{problem}</span>
        </div>
      ) : null}
      <div className="row-wrap">
        <label className="check-option">
          <input
            type="checkbox"
            checked={replace}
            onChange={(event) => setReplace(event.target.checked)}
            data-testid="fault-import-replace"
          />
          <span>Replace the current rules (otherwise the file’s rules are added after them)</span>
        </label>
        <span className="rule-spacer" />
        <Button variant="ghost" small onClick={onDone}>
          Cancel
        </Button>
        <Button
          variant="primary"
          small
          icon="upload"
          disabled={text.trim() === ''}
          busy={actions.busy === 'import'}
          onClick={submit}
          data-testid="fault-import-submit"
        >
          Import
        </Button>
      </div>
    </div>
  );
}

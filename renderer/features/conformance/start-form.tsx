// Start a conformance run: against this workbench in one click (optionally on one of its files), or
// against any WOPI host by WOPISrc and access token. The token lives in this form only: a password
// field, sent once in the start request, never shown or announced anywhere else.
import { useState, type ReactElement } from 'react';
import type { FileView, StartCheckRequest } from '../../../server/contracts';
import { Button } from '../../components/button';
import { Icon } from '../../components/icons';
import type { GroupChoice } from '../../state/checks';

/** The suffix of a scratch file the checks may write to without asking (the validator's convention). */
const SCRATCH_SUFFIX = '.wopitest';

type Mode = 'own' | 'remote';

function isScratch(name: string): boolean {
  return name.toLowerCase().endsWith(SCRATCH_SUFFIX);
}

function urlProblem(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'The WOPISrc must be an http(s) URL.';
    return undefined;
  } catch {
    return 'Not a URL: paste the WOPISrc, e.g. https://host.example/wopi/files/123.';
  }
}

export function StartForm({
  files,
  groups,
  running,
  busy,
  onStart,
}: {
  files: readonly FileView[];
  /** Groups seen in earlier runs; empty until a first run lists them. */
  groups: readonly GroupChoice[];
  /** A run is going: the host takes one at a time. */
  running: boolean;
  busy: boolean;
  onStart: (body: StartCheckRequest) => void;
}): ReactElement {
  const [mode, setMode] = useState<Mode>('own');
  const [fileId, setFileId] = useState('');
  const [wopiSrc, setWopiSrc] = useState('');
  const [accessToken, setAccessToken] = useState('');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [sign, setSign] = useState(false);
  const [allowWrites, setAllowWrites] = useState(false);

  const file = files.find((f) => f.id === fileId);
  // Writes need a yes when the target is not a scratch file; a remote file's name is known only once
  // the run reads its CheckFileInfo, so the choice is offered there whatever the name.
  const writesAsk = mode === 'remote' || (file !== undefined && !isScratch(file.name));
  const problem = mode === 'remote' ? urlProblem(wopiSrc) : undefined;
  const valid = mode === 'own' || (wopiSrc.trim() !== '' && !problem && accessToken !== '');

  const submit = () => {
    if (!valid || running) return;
    const body: StartCheckRequest = {};
    if (mode === 'own' && fileId) body.fileId = fileId;
    if (mode === 'remote') {
      body.wopiSrc = wopiSrc.trim();
      body.accessToken = accessToken;
    }
    if (picked.size > 0) body.groups = groups.filter((g) => picked.has(g.id)).map((g) => g.id);
    if (sign) body.sign = true;
    if (writesAsk && allowWrites) body.allowWrites = true;
    onStart(body);
  };

  const toggleGroup = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };

  return (
    <form
      className="check-form"
      data-testid="check-form"
      autoComplete="off"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="segmented" role="radiogroup" aria-label="What to check">
        {(['own', 'remote'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="radio"
            aria-checked={mode === m}
            className={mode === m ? 'is-active' : ''}
            onClick={() => setMode(m)}
            data-testid={`check-mode-${m}`}
          >
            {m === 'own' ? 'This workbench' : 'Another host'}
          </button>
        ))}
      </div>
      {mode === 'own' ? (
        <div className="form-grid">
          <label className="span-2">
            <span>File</span>
            <select
              value={fileId}
              onChange={(event) => setFileId(event.target.value)}
              data-testid="check-file"
            >
              <option value="">Scratch file workbench-check{SCRATCH_SUFFIX}</option>
              {files.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.path}
                </option>
              ))}
            </select>
            <small className="muted">
              The checks run against this workbench’s own WOPI host, over HTTP as a client would. The scratch
              file is made in the served folder if missing.
            </small>
          </label>
        </div>
      ) : (
        <div className="form-grid">
          <label className="span-2">
            <span>WOPISrc</span>
            <input
              className="mono"
              placeholder="https://your-host.example/wopi/files/123"
              value={wopiSrc}
              onChange={(event) => setWopiSrc(event.target.value)}
              data-testid="check-wopisrc"
              aria-invalid={problem !== undefined}
              spellCheck={false}
            />
            <small className={problem ? 'tone-danger' : 'muted'}>
              {problem ?? 'The files endpoint of one file on your host, as your host hands it to Office.'}
            </small>
          </label>
          <label className="span-2">
            <span>Access token</span>
            <input
              className="mono"
              type="password"
              autoComplete="new-password"
              placeholder="A token your host minted for that file"
              value={accessToken}
              onChange={(event) => setAccessToken(event.target.value)}
              data-testid="check-token"
              spellCheck={false}
            />
            <small className="muted">
              Sent with every request of the run; redacted in the request log like any token.
            </small>
          </label>
        </div>
      )}
      <fieldset className="check-groups-choice" data-testid="check-groups-choice">
        <legend>Groups</legend>
        {groups.length === 0 ? (
          <p className="muted small">
            Every group the host supports (its CheckFileInfo decides). After a first run, groups can be picked
            here.
          </p>
        ) : (
          <>
            <div className="chips">
              {groups.map((group) => (
                <label
                  key={group.id}
                  className={`chip chip-check${picked.has(group.id) ? ' is-on' : ''}`}
                  title={group.title}
                >
                  <input
                    type="checkbox"
                    checked={picked.has(group.id)}
                    onChange={() => toggleGroup(group.id)}
                    data-testid="check-group-pick"
                    data-group-id={group.id}
                  />
                  {group.id}
                </label>
              ))}
            </div>
            <small className="muted">
              {picked.size === 0
                ? 'None picked: every group the host supports.'
                : `Only ${picked.size} group${picked.size === 1 ? '' : 's'}.`}
            </small>
          </>
        )}
      </fieldset>
      <label className="check-option">
        <input
          type="checkbox"
          checked={sign}
          onChange={(event) => setSign(event.target.checked)}
          data-testid="check-sign"
        />
        <span>
          Sign requests with the simulated client’s proof keys
          <small className="muted">
            {' '}
            — runs the proof-key cases; the host must trust the simulator’s discovery URL.
          </small>
        </span>
      </label>
      {writesAsk ? (
        <div className="check-writes">
          <label className="check-option">
            <input
              type="checkbox"
              checked={allowWrites}
              onChange={(event) => setAllowWrites(event.target.checked)}
              data-testid="check-allow-writes"
            />
            <span>Allow writes to a file whose name does not end in {SCRATCH_SUFFIX}</span>
          </label>
          <div
            className={allowWrites ? 'warning-box' : 'check-writes-note muted small'}
            data-testid="check-writes-warning"
          >
            <Icon name="warn" />
            <span>
              {allowWrites
                ? `The run locks, overwrites, renames and deletes ${file ? file.path : 'the target file'}, and creates files next to it.${mode === 'own' ? ' Files keeps its earlier versions.' : ' Its content may not come back.'}`
                : `The checks write to the file (locks, PutFile, PutRelativeFile, rename, delete): a file not named *${SCRATCH_SUFFIX} is refused unless you allow it.`}
            </span>
          </div>
        </div>
      ) : null}
      <div className="row-wrap">
        <Button
          type="submit"
          variant="primary"
          icon="play"
          disabled={!valid || running}
          busy={busy}
          data-testid="check-start"
          title={running ? 'A run is going; the host runs one at a time' : undefined}
        >
          {mode === 'own' ? 'Run against this workbench' : 'Run against this host'}
        </Button>
        {running ? <span className="muted small">A run is going; one at a time.</span> : null}
      </div>
    </form>
  );
}

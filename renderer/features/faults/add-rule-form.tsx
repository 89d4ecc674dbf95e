// A rule by hand: which requests (operations, file, persona), when (every, next N, a seeded share) and
// what happens (a status with its protocol headers, latency, a throttled or cut body, a dropped
// connection, CheckFileInfo overrides). Bad input names the field and the fix before anything is sent.
import { useState, type ReactElement } from 'react';
import type { FileView, Persona, WopiOperation } from '../../../server/contracts';
import type { FaultEffect, FaultRuleInput, FaultStatus } from '../../../server/contracts/lab';
import { Button } from '../../components/button';
import { FAULT_OPERATIONS } from './fault-format';
import { DEFAULT_FIRING, FileField, FiringFields, firingOf, PersonaField } from './fields';
import type { FaultActions } from './use-fault-actions';

type EffectKind = FaultEffect['kind'];

const EFFECTS: readonly { kind: EffectKind; label: string }[] = [
  { kind: 'status', label: 'Answer a status' },
  { kind: 'latency', label: 'Add latency' },
  { kind: 'throttle', label: 'Throttle the body' },
  { kind: 'abort-body', label: 'Cut the body' },
  { kind: 'drop-connection', label: 'Drop the connection' },
  { kind: 'file-info', label: 'Override CheckFileInfo' },
];

const STATUSES: readonly { status: FaultStatus; label: string }[] = [
  { status: 409, label: '409 Conflict (lock mismatch)' },
  { status: 401, label: '401 Unauthorized (token)' },
  { status: 404, label: '404 Not Found' },
  { status: 412, label: '412 Precondition Failed' },
  { status: 413, label: '413 Too Large' },
  { status: 400, label: '400 Bad Request' },
  { status: 500, label: '500 Server Error' },
  { status: 501, label: '501 Not Implemented' },
  { status: 503, label: '503 Unavailable' },
];

/** CheckFileInfo properties a QA engineer flips most, offered as one-click inserts. */
const FILE_INFO_HINTS: readonly [string, string | number | boolean][] = [
  ['UserCanWrite', false],
  ['SupportsLocks', false],
  ['ReadOnly', true],
  ['SupportsUpdate', false],
  ['Version', 'stale-version'],
  ['UserCanNotWriteRelative', true],
];

interface Draft {
  name: string;
  operations: ReadonlySet<WopiOperation>;
  fileId: string;
  personaId: string;
  effect: EffectKind;
  status: FaultStatus;
  lock: string;
  reason: string;
  retryAfter: string;
  serverError: string;
  ms: string;
  bytesPerSecond: string;
  afterBytes: string;
  fileInfo: string;
}

const EMPTY: Draft = {
  name: '',
  operations: new Set(),
  fileId: '',
  personaId: '',
  effect: 'status',
  status: 409,
  lock: '',
  reason: '',
  retryAfter: '30',
  serverError: '',
  ms: '2000',
  bytesPerSecond: '1024',
  afterBytes: '512',
  fileInfo: '{\n  "UserCanWrite": false\n}',
};

function wholeNumber(value: string, field: string, min: number): number | string {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min)
    return `${field}: a whole number, ${min} or more.`;
  return n;
}

/** The effect to send, or a sentence naming the field and the fix. */
function effectOf(d: Draft): FaultEffect | string {
  switch (d.effect) {
    case 'status': {
      const effect: FaultEffect = { kind: 'status', status: d.status };
      if (d.status === 409) {
        effect.lock = d.lock;
        if (d.reason.trim()) effect.lockFailureReason = d.reason.trim();
      }
      if (d.status === 503) {
        const after = wholeNumber(d.retryAfter, 'Retry-After', 0);
        if (typeof after === 'string') return after;
        effect.retryAfterSeconds = after;
      }
      if (d.status === 500 && d.serverError.trim()) effect.serverError = d.serverError.trim();
      return effect;
    }
    case 'latency': {
      const ms = wholeNumber(d.ms, 'Latency (ms)', 1);
      return typeof ms === 'string' ? ms : { kind: 'latency', ms };
    }
    case 'throttle': {
      const rate = wholeNumber(d.bytesPerSecond, 'Bytes per second', 1);
      return typeof rate === 'string' ? rate : { kind: 'throttle', bytesPerSecond: rate };
    }
    case 'abort-body': {
      const after = wholeNumber(d.afterBytes, 'Cut after (bytes)', 0);
      return typeof after === 'string' ? after : { kind: 'abort-body', afterBytes: after };
    }
    case 'drop-connection':
      return { kind: 'drop-connection' };
    case 'file-info': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(d.fileInfo);
      } catch {
        return 'Properties: not JSON. Write an object, e.g. { "UserCanWrite": false }.';
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return 'Properties: a JSON object of CheckFileInfo properties, e.g. { "ReadOnly": true }.';
      }
      const set: Record<string, string | number | boolean | null> = {};
      for (const [key, value] of Object.entries(parsed)) {
        if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
          return `Properties: ${key} must be a string, number, boolean or null.`;
        }
        set[key] = value as string | number | boolean | null;
      }
      if (Object.keys(set).length === 0) return 'Properties: name at least one CheckFileInfo property.';
      return { kind: 'file-info', set };
    }
  }
}

export function AddRuleForm({
  files,
  personas,
  actions,
}: {
  files: readonly FileView[];
  personas: readonly Persona[];
  actions: FaultActions;
}): ReactElement {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [firing, setFiring] = useState(DEFAULT_FIRING);
  const [tried, setTried] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  const effect = effectOf(draft);
  const fire = firingOf(firing);
  const problem = typeof effect === 'string' ? effect : typeof fire === 'string' ? fire : undefined;

  const toggleOp = (op: WopiOperation) => {
    const next = new Set(draft.operations);
    if (next.has(op)) next.delete(op);
    else next.add(op);
    set({ operations: next });
  };

  const submit = () => {
    setTried(true);
    if (typeof effect === 'string' || typeof fire === 'string') return;
    const rule: FaultRuleInput = { effect, fire };
    if (draft.name.trim()) rule.name = draft.name.trim();
    const match: NonNullable<FaultRuleInput['match']> = {};
    if (draft.operations.size > 0)
      match.operations = FAULT_OPERATIONS.filter((op) => draft.operations.has(op));
    if (draft.fileId) match.fileId = draft.fileId;
    if (draft.personaId) match.personaId = draft.personaId;
    rule.match = match;
    void actions.add(rule).then((added) => {
      if (!added) return;
      setDraft({ ...EMPTY, operations: draft.operations, fileId: draft.fileId, personaId: draft.personaId });
      setTried(false);
    });
  };

  return (
    <form
      className="rule-form"
      data-testid="fault-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <fieldset className="lab-fieldset">
        <legend>Which requests</legend>
        <div className="chips" role="group" aria-label="Operations">
          {FAULT_OPERATIONS.map((op) => (
            <label key={op} className={`chip chip-check${draft.operations.has(op) ? ' is-on' : ''}`}>
              <input
                type="checkbox"
                checked={draft.operations.has(op)}
                onChange={() => toggleOp(op)}
                data-testid="fault-form-op"
                data-operation={op}
              />
              {op}
            </label>
          ))}
        </div>
        <small className="muted">
          {draft.operations.size === 0 ? 'None picked: every operation.' : `${draft.operations.size} picked.`}
        </small>
        <div className="lab-grid">
          <FileField
            files={files}
            value={draft.fileId}
            onChange={(fileId) => set({ fileId })}
            testId="fault-form-file"
          />
          <PersonaField
            personas={personas}
            value={draft.personaId}
            onChange={(personaId) => set({ personaId })}
            testId="fault-form-persona"
          />
          <FiringFields draft={firing} onChange={setFiring} testId="fault-form-fire" />
        </div>
      </fieldset>
      <fieldset className="lab-fieldset">
        <legend>What happens</legend>
        <div className="lab-grid">
          <label className="lab-field">
            <span>Effect</span>
            <select
              value={draft.effect}
              onChange={(event) => set({ effect: event.target.value as EffectKind })}
              data-testid="fault-form-effect"
            >
              {EFFECTS.map((e) => (
                <option key={e.kind} value={e.kind}>
                  {e.label}
                </option>
              ))}
            </select>
          </label>
          {draft.effect === 'status' ? (
            <label className="lab-field">
              <span>Status</span>
              <select
                value={draft.status}
                onChange={(event) => set({ status: Number(event.target.value) as FaultStatus })}
                data-testid="fault-form-status"
              >
                {STATUSES.map((s) => (
                  <option key={s.status} value={s.status}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {draft.effect === 'status' && draft.status === 409 ? (
            <>
              <label className="lab-field">
                <span>X-WOPI-Lock</span>
                <input
                  className="mono"
                  value={draft.lock}
                  placeholder="empty: not locked"
                  onChange={(event) => set({ lock: event.target.value })}
                  data-testid="fault-form-lock"
                />
              </label>
              <label className="lab-field">
                <span>X-WOPI-LockFailureReason</span>
                <input
                  value={draft.reason}
                  placeholder="e.g. Locked by Grace"
                  onChange={(event) => set({ reason: event.target.value })}
                  data-testid="fault-form-reason"
                />
              </label>
            </>
          ) : null}
          {draft.effect === 'status' && draft.status === 503 ? (
            <label className="lab-field">
              <span>Retry-After (s)</span>
              <input
                className="num"
                type="number"
                min={0}
                value={draft.retryAfter}
                onChange={(event) => set({ retryAfter: event.target.value })}
                data-testid="fault-form-retry-after"
              />
            </label>
          ) : null}
          {draft.effect === 'status' && draft.status === 500 ? (
            <label className="lab-field">
              <span>X-WOPI-ServerError</span>
              <input
                value={draft.serverError}
                placeholder="optional"
                onChange={(event) => set({ serverError: event.target.value })}
                data-testid="fault-form-server-error"
              />
            </label>
          ) : null}
          {draft.effect === 'latency' ? (
            <label className="lab-field">
              <span>Latency (ms)</span>
              <input
                className="num"
                type="number"
                min={1}
                value={draft.ms}
                onChange={(event) => set({ ms: event.target.value })}
                data-testid="fault-form-ms"
              />
            </label>
          ) : null}
          {draft.effect === 'throttle' ? (
            <label className="lab-field">
              <span>Bytes per second</span>
              <input
                className="num"
                type="number"
                min={1}
                value={draft.bytesPerSecond}
                onChange={(event) => set({ bytesPerSecond: event.target.value })}
                data-testid="fault-form-rate"
              />
            </label>
          ) : null}
          {draft.effect === 'abort-body' ? (
            <label className="lab-field">
              <span>Cut after (bytes)</span>
              <input
                className="num"
                type="number"
                min={0}
                value={draft.afterBytes}
                onChange={(event) => set({ afterBytes: event.target.value })}
                data-testid="fault-form-after-bytes"
              />
            </label>
          ) : null}
        </div>
        {draft.effect === 'file-info' ? (
          <label className="lab-field">
            <span>Properties to set (JSON)</span>
            <textarea
              className="mono"
              rows={4}
              value={draft.fileInfo}
              onChange={(event) => set({ fileInfo: event.target.value })}
              spellCheck={false}
              data-testid="fault-form-file-info"
            />
            <span className="chips">
              {FILE_INFO_HINTS.map(([key, value]) => (
                <button
                  key={key}
                  type="button"
                  className="chip chip-btn mono"
                  onClick={() => set({ fileInfo: withProperty(draft.fileInfo, key, value) })}
                  title={`Add ${key}: ${JSON.stringify(value)}`}
                >
                  {key}: {JSON.stringify(value)}
                </button>
              ))}
            </span>
          </label>
        ) : null}
        {draft.effect === 'abort-body' || draft.effect === 'throttle' ? (
          <small className="muted">
            Applies to GetFile and PutFile bodies. A cut PutFile writes nothing: the file keeps its bytes.
          </small>
        ) : null}
      </fieldset>
      <div className="row-wrap">
        <label className="lab-field inline grow">
          <span>Name</span>
          <input
            value={draft.name}
            placeholder="optional: made from the effect and the match"
            onChange={(event) => set({ name: event.target.value })}
            data-testid="fault-form-name"
          />
        </label>
        <Button
          type="submit"
          variant="primary"
          icon="plus"
          busy={actions.busy === 'add'}
          disabled={tried && problem !== undefined}
          data-testid="fault-form-submit"
        >
          Add rule
        </Button>
      </div>
      {tried && problem ? (
        <div className="why" data-testid="fault-form-problem">
          <span>{problem}</span>
        </div>
      ) : null}
    </form>
  );
}

/** The JSON with one more property (or the text replaced by just it, when it is not an object yet). */
function withProperty(text: string, key: string, value: string | number | boolean): string {
  let base: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      base = parsed as Record<string, unknown>;
  } catch {
    // Not JSON yet: start over from the one property.
  }
  return JSON.stringify({ ...base, [key]: value }, null, 2);
}

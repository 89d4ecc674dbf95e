// The simulated client's misbehaviours: each one a click that runs a whole session (open, save, close)
// on the chosen file while misbehaving that way, with what the host answered; a switch makes one sticky
// (every session opened from now on misbehaves so). Plus the proof key: its fingerprints and a rotation.
import { useState, type ReactElement } from 'react';
import type { MisbehaviourView, RunSimulatorResult, SimulatorView } from '../../../server/contracts/lab';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { KeyValue } from '../../components/panel';
import { StepList } from './steps';
import type { SimActions } from './use-sim-actions';

interface LastRun {
  misbehaviour: string;
  result: RunSimulatorResult;
}

function RunResultBox({ last }: { last: LastRun }): ReactElement {
  const { result } = last;
  return (
    <div
      className={`sim-run-result${result.ok ? ' is-ok' : ''}`}
      data-testid="sim-run-result"
      data-misbehaviour={last.misbehaviour}
      data-ok={result.ok}
    >
      <div className="sim-run-head">
        <span className="mono">{last.misbehaviour}</span>
        <Badge tone={result.ok ? 'success' : 'warning'}>
          {result.ok ? 'as expected' : 'unexpected answer'}
        </Badge>
        <span className="muted small">
          {result.opened ? 'opened' : 'did not open'}
          {result.saved ? ' · saved' : ''}
        </span>
      </div>
      {result.summary ? (
        <p className="sim-run-summary" data-testid="sim-run-summary">
          {result.summary}
        </p>
      ) : null}
      <StepList steps={result.steps} testId="sim-run-steps" />
    </div>
  );
}

function MisbehaviourRow({
  item,
  fileId,
  actions,
  sticky,
  onRan,
}: {
  item: MisbehaviourView;
  fileId: string;
  actions: SimActions;
  sticky: readonly string[];
  onRan: (last: LastRun) => void;
}): ReactElement {
  const key = `run:${item.id}`;
  return (
    <li className="misbehaviour" data-testid="sim-misbehaviour" data-misbehaviour={item.id}>
      <div className="misbehaviour-text">
        <span className="mono misbehaviour-id">{item.id}</span>
        <span className="muted small">{item.help}</span>
      </div>
      <label
        className="switch"
        title={item.active ? 'Sticky: every new session misbehaves so' : 'Make sticky'}
      >
        <input
          type="checkbox"
          checked={item.active}
          disabled={actions.busy === 'sticky'}
          onChange={(event) =>
            void actions.setSticky(
              event.target.checked ? [...sticky, item.id] : sticky.filter((id) => id !== item.id),
            )
          }
          data-testid="sim-misbehaviour-sticky"
          aria-label={`${item.id}: sticky for new sessions`}
        />
        <span className="switch-track" aria-hidden="true" />
      </label>
      <Button
        small
        icon="play"
        disabled={!fileId}
        busy={actions.busy === key}
        onClick={() =>
          void actions
            .run({ fileId, misbehave: [item.id] }, key)
            .then((result) => result && onRan({ misbehaviour: item.id, result }))
        }
        data-testid="sim-misbehaviour-run"
        title="Open, save and close one session on the chosen file, misbehaving this way"
      >
        Run
      </Button>
    </li>
  );
}

export function MisbehaviourPanel({
  simulator,
  fileId,
  actions,
}: {
  simulator: Omit<SimulatorView, 'sessions'>;
  fileId: string;
  actions: SimActions;
}): ReactElement {
  const [last, setLast] = useState<LastRun | null>(null);
  const sticky = simulator.misbehaviours.filter((m) => m.active).map((m) => m.id);
  return (
    <div className="sim-misbehaviours">
      {last ? <RunResultBox last={last} /> : null}
      <ul className="misbehaviour-list" data-testid="sim-misbehaviours">
        {simulator.misbehaviours.map((item) => (
          <MisbehaviourRow
            key={item.id}
            item={item}
            fileId={fileId}
            actions={actions}
            sticky={sticky}
            onRan={setLast}
          />
        ))}
      </ul>
      {sticky.length > 0 ? (
        <div className="warning-box small" data-testid="sim-sticky-note">
          <span>
            Every new session misbehaves: <span className="mono">{sticky.join(', ')}</span>
          </span>
          <span className="rule-spacer" />
          <Button
            small
            variant="ghost"
            onClick={() => void actions.setSticky([])}
            data-testid="sim-sticky-clear"
          >
            Clear
          </Button>
        </div>
      ) : null}
    </div>
  );
}

export function ProofKeyPanel({
  simulator,
  actions,
}: {
  simulator: Omit<SimulatorView, 'sessions'>;
  actions: SimActions;
}): ReactElement {
  return (
    <div className="sim-keys" data-testid="sim-keys">
      <KeyValue
        rows={[
          {
            key: 'Current key',
            value: simulator.fingerprints.current ?? '–',
            mono: true,
            testId: 'sim-key-current',
          },
          { key: 'Old key', value: simulator.fingerprints.old ?? '–', mono: true, testId: 'sim-key-old' },
          simulator.discoveryUrl ? { key: 'Discovery', value: simulator.discoveryUrl, mono: true } : null,
        ]}
      />
      <div className="row-wrap">
        <Button
          small
          icon="refresh"
          busy={actions.busy === 'rotate'}
          onClick={() => void actions.rotateKey()}
          data-testid="sim-rotate-key"
          title="The current key becomes the old one; the host must refresh discovery to verify new proofs"
        >
          Rotate proof key
        </Button>
        <span className="muted small">
          The host learns the new key from discovery (its refresh on a failed proof).
        </span>
      </div>
    </div>
  );
}

// The requests a simulated session (or a one-shot run) sent: operation → status, with the lock and reason
// a conflict carried, and whether a failure was what a chosen misbehaviour asked for.
import type { ReactElement } from 'react';
import type { SimStepView } from '../../../server/contracts/lab';
import { StatusCode } from '../../components/badge';
import { useApp } from '../../state/app-context';

export function StepList({
  steps,
  testId = 'sim-steps',
}: {
  steps: readonly SimStepView[];
  testId?: string;
}): ReactElement {
  const app = useApp();
  if (steps.length === 0) return <p className="muted small">No request sent yet.</p>;
  return (
    <ol className="sim-steps" data-testid={testId}>
      {steps.map((step, i) => (
        <li
          key={`${step.correlationId}:${i}`}
          className={`sim-step${step.ok ? '' : step.expected ? ' is-expected' : ' is-failed'}`}
          data-testid="sim-step"
          data-operation={step.operation}
          data-status={step.status}
        >
          <span className="sim-step-op">{step.operation}</span>
          <span className="sim-step-arrow" aria-hidden="true">
            →
          </span>
          <StatusCode status={step.status} />
          {/* Always a cell, so the notes line up whether or not a step was expected to fail. */}
          <span>
            {step.expected ? (
              <span className="badge badge-lab" title="The failure a chosen misbehaviour asks for">
                expected
              </span>
            ) : null}
          </span>
          <span
            className="sim-step-note muted"
            title={[step.lockFailureReason, step.error].filter(Boolean).join(' · ')}
          >
            {step.lockFailureReason ?? step.error ?? (step.lock ? `lock ${step.lock}` : '')}
          </span>
          <button
            type="button"
            className="link-btn small sim-step-link"
            title="Find this request in Requests (by its correlation id)"
            onClick={() => {
              app.requests.setFilter({ ...app.requests.get().filter, text: step.correlationId });
              app.ui.show('requests');
            }}
          >
            log
          </button>
        </li>
      ))}
    </ol>
  );
}

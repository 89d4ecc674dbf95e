// What a QA-lab view shows while its part loads, or when the host does not have it (501) or failed to
// answer: one sentence and no dead controls.
import type { ReactElement, ReactNode } from 'react';
import { EmptyState } from '../../components/empty-state';
import type { IconName } from '../../components/icons';
import type { PartState } from '../../state/lab';
import './lab.css';

export function PartGate({
  state,
  what,
  icon,
  testId,
  children,
}: {
  state: PartState;
  /** "Fault rules", "The simulated client"... */
  what: string;
  icon: IconName;
  testId: string;
  children: ReactNode;
}): ReactElement {
  if (state.kind === 'ready') return <>{children}</>;
  if (state.kind === 'loading') {
    return (
      <EmptyState icon={icon} title="Loading…" testId={`${testId}-loading`}>
        {null}
      </EmptyState>
    );
  }
  if (state.kind === 'unavailable') {
    return (
      <EmptyState
        icon={icon}
        title={`${what} are not available on this host`}
        testId={`${testId}-unavailable`}
      >
        The host answered <code>501 not-available</code>: {state.message}. Update the workbench (or run it
        from a build that has the QA lab) and reload this page.
      </EmptyState>
    );
  }
  return (
    <EmptyState icon="warn" title={`Couldn't load ${what.toLowerCase()}`} testId={`${testId}-error`}>
      {state.message}
    </EmptyState>
  );
}

// A live list with nothing to show: nothing received yet (and the way to make it happen: open a file),
// or rows that the filters hide (and the way back: reset them).
import type { ReactElement, ReactNode } from 'react';
import { useApp } from '../../state/app-context';
import { useStore } from '../../state/store';
import { Button } from '../button';
import { EmptyState } from '../empty-state';
import type { IconName } from '../icons';

export function LiveEmpty({
  icon,
  title,
  testId,
  children,
}: {
  icon: IconName;
  title: string;
  testId: string;
  children: ReactNode;
}): ReactElement {
  const app = useApp();
  const hasFiles = useStore(app.workspace, (s) => s.files.size > 0);
  return (
    <EmptyState
      icon={icon}
      title={title}
      testId={testId}
      actions={
        hasFiles ? (
          <Button variant="primary" icon="files" onClick={() => app.ui.show('files')}>
            Open a file
          </Button>
        ) : null
      }
    >
      {children}
    </EmptyState>
  );
}

/** Rows exist but the filters hide them all. */
export function LiveNoMatch({
  title,
  testId,
  onReset,
  children,
}: {
  title: string;
  testId: string;
  onReset: () => void;
  children?: ReactNode;
}): ReactElement {
  return (
    <EmptyState
      icon="search"
      title={title}
      testId={testId}
      actions={<Button onClick={onReset}>Reset filters</Button>}
    >
      {children}
    </EmptyState>
  );
}

// A live list with nothing in it yet: what will show up here, and the way to make it happen (open a file).
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

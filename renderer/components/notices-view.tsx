// Toasts in the bottom-right corner; errors stay longer and can be dismissed.
import type { ReactElement } from 'react';
import { useApp } from '../state/app-context';
import { useStore } from '../state/store';
import { Icon } from './icons';

export function NoticesView(): ReactElement {
  const app = useApp();
  const notices = useStore(app.notices, (s) => s);
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.kind}`} data-testid={`notice-${notice.kind}`}>
          <Icon name={notice.kind === 'error' ? 'warn' : 'check'} />
          <span>{notice.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => app.notices.dismiss(notice.id)}>
            <Icon name="close" size={12} />
          </button>
        </div>
      ))}
    </div>
  );
}

// Toasts in the bottom-right corner; errors stay longer and can be dismissed. Only a success shows a
// check mark: an info notice (work under way, a neutral outcome) never looks like one.
import type { ReactElement } from 'react';
import { useApp } from '../state/app-context';
import { useStore } from '../state/store';
import type { NoticeKind } from '../state/notices';
import { Icon, type IconName } from './icons';

const ICON: Record<NoticeKind, IconName> = { success: 'check', info: 'info', error: 'warn' };

export function NoticesView(): ReactElement {
  const app = useApp();
  const notices = useStore(app.notices, (s) => s);
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.kind}`} data-testid={`notice-${notice.kind}`}>
          <Icon name={ICON[notice.kind]} />
          <span>{notice.text}</span>
          {notice.action ? (
            <button
              type="button"
              className="notice-action"
              data-testid="notice-action"
              onClick={() => {
                app.notices.dismiss(notice.id);
                notice.action?.run();
              }}
            >
              {notice.action.label}
            </button>
          ) : null}
          <button type="button" aria-label="Dismiss" onClick={() => app.notices.dismiss(notice.id)}>
            <Icon name="close" size={12} />
          </button>
        </div>
      ))}
    </div>
  );
}

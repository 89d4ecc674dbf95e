// Left navigation: one entry per view, each with a live count or health dot.
import type { ReactElement } from 'react';
import { useApp } from '../state/app-context';
import { useStore } from '../state/store';
import type { ViewId } from '../state/ui-state';
import { Dot, tunnelTone, type Tone } from './badge';
import { formatCount } from './format';
import { Icon, type IconName } from './icons';

interface NavEntry {
  id: ViewId;
  label: string;
  icon: IconName;
}

const ENTRIES: readonly NavEntry[] = [
  { id: 'requests', label: 'Requests', icon: 'requests' },
  { id: 'messages', label: 'PostMessages', icon: 'messages' },
  { id: 'files', label: 'Files', icon: 'files' },
  { id: 'locks', label: 'Locks', icon: 'locks' },
  { id: 'discovery', label: 'Discovery', icon: 'discovery' },
  { id: 'tunnel', label: 'Tunnel', icon: 'tunnel' },
];

export function Nav(): ReactElement {
  const app = useApp();
  const view = useStore(app.ui, (s) => s.view);
  const rowCount = useStore(app.requests, (s) => s.rows.length);
  const messageCount = useStore(app.hostMessages, (s) => s.rows.length);
  const files = useStore(app.workspace, (s) => s.files);
  const discovery = useStore(app.workspace, (s) => s.discovery);
  const tunnel = useStore(app.workspace, (s) => s.tunnel);
  const lockCount = useStore(app.workspace, (s) => s.locks.size);

  const discoveryTone: Tone =
    discovery?.status === 'ok' ? 'success' : discovery?.status === 'failed' ? 'danger' : 'neutral';

  const extra = (id: ViewId): ReactElement | null => {
    switch (id) {
      case 'requests':
        return <span className="nav-count">{formatCount(rowCount)}</span>;
      case 'messages':
        return <span className="nav-count">{formatCount(messageCount)}</span>;
      case 'files':
        return <span className="nav-count">{formatCount(files.size)}</span>;
      case 'locks':
        return <span className={`nav-count${lockCount ? ' is-hot' : ''}`}>{lockCount}</span>;
      case 'discovery':
        return <Dot tone={discoveryTone} />;
      case 'tunnel':
        return <Dot tone={tunnelTone(tunnel?.status)} pulse={tunnel?.status === 'connecting'} />;
    }
  };

  return (
    <nav className="nav" aria-label="Views">
      {ENTRIES.map((entry) => (
        <button
          key={entry.id}
          type="button"
          className={`nav-item${view === entry.id ? ' is-active' : ''}`}
          aria-current={view === entry.id ? 'page' : undefined}
          data-testid={`nav-${entry.id}`}
          onClick={() => app.ui.show(entry.id)}
        >
          <Icon name={entry.icon} />
          <span className="nav-label">{entry.label}</span>
          {extra(entry.id)}
        </button>
      ))}
    </nav>
  );
}

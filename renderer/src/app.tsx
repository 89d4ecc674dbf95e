// The shell: top bar, left navigation, the active view, status bar and notices.
import { useEffect, type ReactElement } from 'react';
import { Icon } from '../components/icons';
import { Nav } from '../components/nav';
import { NoticesView } from '../components/notices-view';
import { StatusBar } from '../components/status-bar';
import { useResolvedTheme } from '../components/theme';
import { ConformanceView } from '../features/conformance/conformance-view';
import { DiscoveryView } from '../features/discovery/discovery-view';
import { FaultsView } from '../features/faults/faults-view';
import { FilesView } from '../features/files/files-view';
import { FindingsView } from '../features/findings/findings-view';
import { LocksView } from '../features/locks/locks-view';
import { MessagesView } from '../features/messages/messages-view';
import { RequestsView } from '../features/requests/requests-view';
import { ScenariosView } from '../features/scenarios/scenarios-view';
import { SimulatorView } from '../features/simulator/simulator-view';
import { TunnelView } from '../features/tunnel/tunnel-view';
import { useApp } from '../state/app-context';
import { useStore } from '../state/store';
import type { ThemeChoice, ViewId } from '../state/ui-state';

const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_ICON = { system: 'system', light: 'sun', dark: 'moon' } as const;

function ActiveView({ view }: { view: ViewId }): ReactElement {
  switch (view) {
    case 'requests':
      return <RequestsView />;
    case 'findings':
      return <FindingsView />;
    case 'messages':
      return <MessagesView />;
    case 'files':
      return <FilesView />;
    case 'locks':
      return <LocksView />;
    case 'discovery':
      return <DiscoveryView />;
    case 'tunnel':
      return <TunnelView />;
    case 'conformance':
      return <ConformanceView />;
    case 'faults':
      return <FaultsView />;
    case 'simulator':
      return <SimulatorView />;
    case 'scenarios':
      return <ScenariosView />;
  }
}

function MissingToken({ refused }: { refused: boolean }): ReactElement {
  return (
    <div className="gate" data-testid="token-missing" data-refused={refused ? 'true' : 'false'}>
      <Icon name="key" size={32} />
      <h1>{refused ? 'The host refused this link’s token' : 'This page needs its control token'}</h1>
      <p>
        {refused
          ? 'Each run of the workbench prints a new link; this one is from another run. '
          : 'The workbench UI only talks to a running host that handed you a link. '}
        Start it with <code>wopi-workbench serve --folder &lt;dir&gt;</code> and open the <strong>UI</strong>{' '}
        link it prints (it ends in <code>#token=…</code>), or use the desktop app.
      </p>
    </div>
  );
}

export function App(): ReactElement {
  const app = useApp();
  const view = useStore(app.ui, (s) => s.view);
  const theme = useStore(app.ui, (s) => s.theme);
  const ready = useStore(app.workspace, (s) => s.ready);
  const status = useStore(app.workspace, (s) => s.status);
  const statusError = useStore(app.workspace, (s) => s.errors.status);
  const resolved = useResolvedTheme(theme);

  useEffect(() => {
    document.title = status ? `WOPI Workbench — ${status.folder}` : 'WOPI Workbench';
  }, [status]);

  const tokenRefused = statusError !== undefined && /\b(401|403)\b|unauthori[sz]ed|token/i.test(statusError);
  if (!app.session.token || (ready && !status && tokenRefused)) {
    return (
      <div className="app" data-ready={ready ? 'true' : 'false'} data-theme-resolved={resolved}>
        <MissingToken refused={Boolean(app.session.token)} />
      </div>
    );
  }

  return (
    <div className="app" data-testid="app-root" data-ready={ready ? 'true' : 'false'} data-view={view}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            W
          </span>
          <span className="brand-name">WOPI Workbench</span>
        </div>
        {status ? (
          <div className="topbar-meta">
            <span className="meta-chip" title={`Served folder: ${status.folder}`}>
              <Icon name="folder" size={13} />
              <span className="mono">{status.folder}</span>
            </span>
            <span className="meta-chip" title="Active client profile">
              client <strong>{status.clientProfile}</strong>
            </span>
          </div>
        ) : statusError ? (
          <div className="topbar-meta topbar-error" data-testid="status-error">
            <Icon name="warn" size={13} /> {statusError}
          </div>
        ) : null}
        <div className="topbar-spacer" />
        <button
          type="button"
          className="icon-btn"
          data-testid="theme-toggle"
          data-theme-choice={theme}
          title={`Theme: ${theme} (click for ${NEXT_THEME[theme]})`}
          aria-label={`Theme: ${theme}`}
          onClick={() => app.ui.setTheme(NEXT_THEME[theme])}
        >
          <Icon name={THEME_ICON[theme]} />
        </button>
      </header>
      <div className="body">
        <Nav />
        <main className="view" data-testid={`view-${view}`}>
          {ready ? <ActiveView view={view} /> : <div className="loading">Loading…</div>}
        </main>
      </div>
      <StatusBar />
      <NoticesView />
    </div>
  );
}

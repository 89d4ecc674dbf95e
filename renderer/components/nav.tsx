// Left navigation: one entry per view, each with a live count or health dot.
import { useMemo, type ReactElement } from 'react';
import { useApp } from '../state/app-context';
import { isScenarioRun, runVerdict, type Verdict } from '../state/checks';
import { findingTotals } from '../state/findings';
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
  { id: 'findings', label: 'Findings', icon: 'flag' },
  { id: 'messages', label: 'PostMessages', icon: 'messages' },
  { id: 'files', label: 'Files', icon: 'files' },
  { id: 'locks', label: 'Locks', icon: 'locks' },
  { id: 'discovery', label: 'Discovery', icon: 'discovery' },
  { id: 'tunnel', label: 'Tunnel', icon: 'tunnel' },
  { id: 'conformance', label: 'Conformance', icon: 'conformance' },
];

/** The QA lab: make the host misbehave on purpose, drive a simulated client, replay scenarios. */
const LAB_ENTRIES: readonly NavEntry[] = [
  { id: 'faults', label: 'Faults', icon: 'bolt' },
  { id: 'simulator', label: 'Simulator', icon: 'persona' },
  { id: 'scenarios', label: 'Scenarios', icon: 'script' },
];

const VERDICT_TONE: Record<Verdict, Tone> = {
  running: 'info',
  passed: 'success',
  failed: 'danger',
  broken: 'danger',
};

export function Nav(): ReactElement {
  const app = useApp();
  const view = useStore(app.ui, (s) => s.view);
  const rowCount = useStore(app.requests, (s) => s.rows.length);
  const messageCount = useStore(app.hostMessages, (s) => s.rows.length);
  const files = useStore(app.workspace, (s) => s.files);
  const discovery = useStore(app.workspace, (s) => s.discovery);
  const tunnel = useStore(app.workspace, (s) => s.tunnel);
  const lockCount = useStore(app.workspace, (s) => s.locks.size);
  const log = useStore(app.requests, (s) => s);
  const findings = useMemo(() => findingTotals(log.rows), [log]);
  const latestRun = useStore(app.checks, (s) => s.runs.find((r) => !isScenarioRun(r)));
  const latestVerdict = latestRun ? runVerdict(latestRun) : undefined;
  const latestScenario = useStore(app.checks, (s) => s.runs.find(isScenarioRun));
  const scenarioVerdict = latestScenario ? runVerdict(latestScenario) : undefined;
  const activeRules = useStore(app.lab, (s) => s.rules.filter((r) => r.enabled && r.remaining !== 0).length);
  const openSessions = useStore(
    app.lab,
    (s) => s.sessions.filter((x) => x.state !== 'closed' && x.state !== 'failed').length,
  );

  const discoveryTone: Tone =
    discovery?.status === 'ok' ? 'success' : discovery?.status === 'failed' ? 'danger' : 'neutral';

  const extra = (id: ViewId): ReactElement | null => {
    switch (id) {
      case 'requests':
        return <span className="nav-count">{formatCount(rowCount)}</span>;
      case 'findings':
        return (
          <span
            className={`nav-count${findings.error ? ' is-danger' : findings.warning ? ' is-hot' : ''}`}
            data-testid="nav-findings-count"
          >
            {formatCount(findings.error + findings.warning)}
          </span>
        );
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
      case 'conformance':
        return (
          <Dot
            tone={latestVerdict ? VERDICT_TONE[latestVerdict] : 'neutral'}
            pulse={latestVerdict === 'running'}
          />
        );
      case 'faults':
        return (
          <span className={`nav-count${activeRules ? ' is-lab' : ''}`} data-testid="nav-faults-count">
            {activeRules}
          </span>
        );
      case 'simulator':
        return <span className="nav-count">{openSessions}</span>;
      case 'scenarios':
        return (
          <Dot
            tone={scenarioVerdict ? VERDICT_TONE[scenarioVerdict] : 'neutral'}
            pulse={scenarioVerdict === 'running'}
          />
        );
    }
  };

  const item = (entry: NavEntry): ReactElement => (
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
  );

  return (
    <nav className="nav" aria-label="Views">
      {ENTRIES.map(item)}
      <div className="nav-section" role="presentation">
        QA lab
      </div>
      {LAB_ENTRIES.map(item)}
    </nav>
  );
}

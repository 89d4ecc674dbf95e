// Scenarios: replay a bug report the same way every time. The shipped scenarios with Run, a box to paste
// one (YAML or JSON), the scenario runs, and the selected run as the conformance view shows a run (its
// steps are the cases; a step's exchanges open in the request detail pane).
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { CheckRunView } from '../../../server/contracts';
import type { RunScenarioRequest } from '../../../server/contracts/lab';
import { describeError } from '../../api/control-client';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { Panel } from '../../components/panel';
import { useApp } from '../../state/app-context';
import { isScenarioRun, settleCheckRun } from '../../state/checks';
import { isUnavailable } from '../../state/lab';
import { useStore } from '../../state/store';
import { RunList } from '../conformance/run-list';
import { RunResult } from '../conformance/run-result';
import { PartGate } from '../lab/part-gate';
import { RequestDetailPane } from '../requests/request-detail';
import '../conformance/conformance.css';
import './scenarios.css';

const PLACEHOLDER =
  'Paste a scenario file, YAML or JSON: a title, then steps (set a fault, act as a persona with a WOPI call ' +
  'or the simulated client, use the lock lab, touch the file on disk, wait, expect a status, header or lock).';

export function ScenariosView(): ReactElement {
  const app = useApp();
  const scenarios = useStore(app.lab, (s) => s.scenarios);
  const part = useStore(app.lab, (s) => s.parts.scenarios);
  const { runs: allRuns, loaded } = useStore(app.checks, (s) => s);
  const selection = useStore(app.ui, (s) => s.selectedScenarioRun);
  const runs = useMemo(() => allRuns.filter(isScenarioRun), [allRuns]);
  const running = allRuns.some((r) => r.state === 'running');
  const [busy, setBusy] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [exchange, setExchange] = useState<string | null>(null);
  const run = (selection ? runs.find((r) => r.id === selection.runId) : undefined) ?? runs[0];

  // A run asked for by id (a request's check tag) that this window does not hold: fetch it.
  const wanted = selection?.runId;
  const held = wanted !== undefined && allRuns.some((r) => r.id === wanted);
  useEffect(() => {
    if (wanted === undefined || held || !loaded) return;
    app.client.check({ params: { runId: wanted } }).then(
      (found) => app.checks.apply(found),
      (err: unknown) => app.notices.push('error', `Could not load run ${wanted}: ${describeError(err)}`),
    );
  }, [app, wanted, held, loaded]);

  const start = async (body: RunScenarioRequest, key: string, label: string) => {
    setBusy(key);
    const id = app.notices.push('info', `Scenario “${label}” started…`, { sticky: true });
    try {
      const started: CheckRunView = await app.client.runScenario({ body });
      app.checks.apply(started);
      app.ui.selectScenarioRun({ runId: started.id });
      setExchange(null);
      settleCheckRun(app.notices, app.checks, id, started);
    } catch (err) {
      app.notices.settle(
        id,
        'error',
        isUnavailable(err)
          ? 'Scenarios are not available on this host (501)'
          : `Could not run the scenario: ${describeError(err)}`,
      );
    } finally {
      setBusy(null);
    }
  };

  let result: ReactElement;
  if (run) {
    result = (
      <RunResult
        key={run.id}
        run={run}
        focusedCase={selection?.runId === run.id ? selection.caseId : undefined}
        selectedExchange={exchange}
        onSelectExchange={(id) => setExchange(id === exchange ? null : id)}
      />
    );
  } else {
    result = (
      <EmptyState
        icon="script"
        title={loaded ? 'No scenario run yet' : 'Loading…'}
        testId="scenario-runs-empty"
      >
        A scenario is a file of steps (set a fault, act as a persona, touch the file on disk, expect a status,
        a header or a lock) that reproduces one bug report the same way every time. Run a shipped one, or
        paste your own. The CLI runs the same files: <code>wopi-workbench scenario run FILE</code>.
      </EmptyState>
    );
  }

  return (
    <div className="conformance-view" data-testid="scenarios-view" data-running={running}>
      <div className="page conformance-page">
        <div className="page-head">
          <div>
            <h1>Scenarios</h1>
            <p className="muted">
              Replay a bug report step by step. Each run shows up in Requests as one tagged session, and reads
              here like a conformance run: its steps are the cases.
            </p>
          </div>
        </div>
        <PartGate state={part} what="Scenarios" icon="script" testId="scenarios">
          <div className="check-layout">
            <div className="check-side">
              <Panel title={`Shipped scenarios (${scenarios.length})`} testId="scenario-list-panel">
                {scenarios.length === 0 ? (
                  <p className="muted small">This host ships none.</p>
                ) : (
                  <ul className="scenario-list" data-testid="scenario-list">
                    {scenarios.map((scenario) => (
                      <li
                        key={scenario.id}
                        className="scenario"
                        data-testid="scenario"
                        data-scenario-id={scenario.id}
                      >
                        <div className="scenario-text">
                          <span className="scenario-title">{scenario.title}</span>
                          <span className="muted small scenario-desc" title={scenario.description}>
                            {scenario.description}
                          </span>
                          <span className="scenario-meta">
                            <span className="muted small">
                              {scenario.steps} step{scenario.steps === 1 ? '' : 's'}
                            </span>
                            {scenario.preset ? (
                              <Badge tone="lab" title="The fault preset it reproduces">
                                {scenario.preset}
                              </Badge>
                            ) : null}
                          </span>
                        </div>
                        <Button
                          small
                          icon="play"
                          disabled={running}
                          busy={busy === `id:${scenario.id}`}
                          onClick={() => void start({ id: scenario.id }, `id:${scenario.id}`, scenario.title)}
                          data-testid="scenario-run"
                          title={
                            running ? 'A run is going; the host runs one at a time' : `Run ${scenario.id}`
                          }
                        >
                          Run
                        </Button>
                      </li>
                    ))}
                  </ul>
                )}
              </Panel>
              <Panel title="Paste a scenario" testId="scenario-paste-panel">
                <div className="scenario-paste">
                  <textarea
                    className="mono"
                    rows={9}
                    value={text}
                    onChange={(event) => setText(event.target.value)}
                    placeholder={PLACEHOLDER}
                    spellCheck={false}
                    data-testid="scenario-text"
                    aria-label="Scenario, YAML or JSON"
                  />
                  <div className="row-wrap">
                    <Button
                      small
                      variant="primary"
                      icon="play"
                      disabled={running || text.trim() === ''}
                      busy={busy === 'text'}
                      onClick={() => void start({ text }, 'text', 'pasted')}
                      data-testid="scenario-run-text"
                    >
                      Run this scenario
                    </Button>
                    <span className="muted small">
                      YAML or JSON; a mistake is named with its step and field.
                    </span>
                  </div>
                </div>
              </Panel>
              <Panel title={`Runs (${runs.length})`} testId="scenario-runs-panel">
                {runs.length === 0 ? (
                  <p className="muted small">None yet.</p>
                ) : (
                  <RunList
                    runs={runs}
                    selectedId={run?.id}
                    onSelect={(runId) => {
                      app.ui.selectScenarioRun({ runId });
                      setExchange(null);
                    }}
                  />
                )}
              </Panel>
            </div>
            <div className="check-main">{result}</div>
          </div>
        </PartGate>
      </div>
      {exchange ? (
        <RequestDetailPane
          key={exchange}
          id={exchange}
          onClose={() => setExchange(null)}
          onShowInRequests={() => app.ui.openRequest(exchange)}
        />
      ) : null}
    </div>
  );
}

// Conformance: run the conformance suite against this workbench or any WOPI host, follow it live, read
// groups → cases with the expected vs actual of each failure, and open the exchanges a case caused in
// the same detail pane as Requests.
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { StartCheckRequest } from '../../../server/contracts';
import { describeError } from '../../api/control-client';
import { EmptyState } from '../../components/empty-state';
import { Panel } from '../../components/panel';
import { useApp } from '../../state/app-context';
import { isScenarioRun, knownGroups, settleCheckRun } from '../../state/checks';
import { useStore } from '../../state/store';
import { RequestDetailPane } from '../requests/request-detail';
import { RunList } from './run-list';
import { RunResult } from './run-result';
import { StartForm } from './start-form';
import './conformance.css';

export function ConformanceView(): ReactElement {
  const app = useApp();
  const { runs: allRuns, loaded, error } = useStore(app.checks, (s) => s);
  // Scenario runs live in Scenarios; the host still runs one at a time, whatever its kind.
  const runs = useMemo(() => allRuns.filter((r) => !isScenarioRun(r)), [allRuns]);
  const files = useStore(app.workspace, (s) => s.files);
  const selection = useStore(app.ui, (s) => s.selectedCheck);
  const [busy, setBusy] = useState(false);
  const [exchange, setExchange] = useState<string | null>(null);
  const fileList = useMemo(() => [...files.values()].sort((a, b) => a.path.localeCompare(b.path)), [files]);
  const groups = useMemo(() => knownGroups(runs), [runs]);

  const run = (selection ? runs.find((r) => r.id === selection.runId) : undefined) ?? runs[0];
  const running = allRuns.some((r) => r.state === 'running');

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

  const start = async (body: StartCheckRequest) => {
    setBusy(true);
    // Neutral until the run ends, then replaced by its outcome (followed even after this view closes).
    const id = app.notices.push('info', 'Conformance run started…', { sticky: true });
    try {
      const started = await app.client.startCheck({ body });
      app.checks.apply(started);
      app.ui.selectCheck({ runId: started.id });
      setExchange(null);
      settleCheckRun(app.notices, app.checks, id, started);
    } catch (err) {
      app.notices.settle(id, 'error', `Could not start the run: ${describeError(err)}`);
    } finally {
      setBusy(false);
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
  } else if (error) {
    result = (
      <EmptyState icon="warn" title="Couldn't load the conformance runs" testId="checks-error">
        {error}
      </EmptyState>
    );
  } else {
    result = (
      <EmptyState
        icon="conformance"
        title={loaded ? 'No conformance run yet' : 'Loading…'}
        testId="checks-empty"
      >
        A run sends the suite’s cases to one file on a WOPI host and says, case by case, where the host breaks
        the protocol: first as Microsoft’s validator would, then the rules this workbench adds from the
        protocol text. Start one against this workbench above; it should pass.
      </EmptyState>
    );
  }

  return (
    <div className="conformance-view" data-testid="conformance-view" data-running={running}>
      <div className="page conformance-page">
        <div className="page-head">
          <div>
            <h1>Conformance</h1>
            <p className="muted">
              Point the suite at your own WOPI host to learn why Office refuses it. Every request a run sends
              is in Requests, tagged with its run and case.
            </p>
          </div>
        </div>
        <div className="check-layout">
          <div className="check-side">
            <Panel title="Start a run" testId="check-start-panel">
              <StartForm
                files={fileList}
                groups={groups}
                running={running}
                busy={busy}
                onStart={(body) => void start(body)}
              />
            </Panel>
            <Panel title={`Runs (${runs.length})`} testId="check-runs-panel">
              {runs.length === 0 ? (
                <p className="muted small">{error ? `Not available: ${error}` : 'None yet.'}</p>
              ) : (
                <RunList
                  runs={runs}
                  selectedId={run?.id}
                  onSelect={(runId) => {
                    app.ui.selectCheck({ runId });
                    setExchange(null);
                  }}
                />
              )}
            </Panel>
          </div>
          <div className="check-main">{result}</div>
        </div>
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

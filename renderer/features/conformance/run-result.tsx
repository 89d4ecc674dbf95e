// One conformance run: its target and verdict, live progress while it runs, then groups → cases. Groups
// that need a look (a failure, an error) start open; a skipped group says which CheckFileInfo property
// skipped it.
import { useState, type ReactElement } from 'react';
import type { CheckGroupResult, CheckRunView } from '../../../server/contracts';
import { Badge } from '../../components/badge';
import { CopyButton } from '../../components/copy-button';
import { formatDateTime, formatDuration } from '../../components/format';
import { Icon } from '../../components/icons';
import { KeyValue, Panel } from '../../components/panel';
import { useNow } from '../../components/use-now';
import { countCases, groupNeedsLook, runCounts, runVerdict } from '../../state/checks';
import { CaseItem } from './case-item';
import { CountBadges, VerdictBadge } from './check-badges';

function GroupSection({
  group,
  running,
  open,
  onToggle,
  openCases,
  focusedCase,
  onToggleCase,
  selectedExchange,
  onSelectExchange,
}: {
  group: CheckGroupResult;
  /** The run is still going: a group without cases yet is waiting, not empty. */
  running: boolean;
  open: boolean;
  onToggle: () => void;
  openCases: ReadonlySet<string>;
  focusedCase: string | undefined;
  onToggleCase: (caseId: string) => void;
  selectedExchange: string | null;
  onSelectExchange: (id: string) => void;
}): ReactElement {
  const skipped = group.status === 'skipped';
  const waiting = running && !skipped && group.cases.length === 0;
  return (
    <section
      className={`check-group${skipped ? ' is-skipped' : ''}${open ? ' is-open' : ''}`}
      data-testid="check-group"
      data-group-id={group.id}
      data-status={group.status}
    >
      <button
        type="button"
        className="group-head"
        onClick={onToggle}
        aria-expanded={open}
        data-testid="check-group-toggle"
      >
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={14} />
        <span className="group-title" title={group.title}>
          {group.title}
        </span>
        <span className="group-id mono muted">{group.id}</span>
        <span className="group-spacer" />
        {skipped ? (
          <Badge tone="neutral">skipped</Badge>
        ) : waiting ? (
          <span className="muted small">waiting…</span>
        ) : (
          <CountBadges counts={countCases(group.cases)} testId="check-group-counts" />
        )}
      </button>
      {skipped ? (
        <p className="group-skipped" data-testid="check-group-skipped">
          <Icon name="info" size={13} />
          <span>
            Skipped: <strong>{group.skippedBecause ?? 'the host does not support this group'}</strong>
            {group.cases.length > 0 ? ` (${group.cases.length} cases not run)` : ''}
          </span>
        </p>
      ) : null}
      {open && !skipped ? (
        <ul className="case-list">
          {group.cases.map((result) => (
            <CaseItem
              key={result.id}
              result={result}
              open={openCases.has(result.id)}
              focused={focusedCase === result.id}
              onToggle={() => onToggleCase(result.id)}
              selectedExchange={selectedExchange}
              onSelectExchange={onSelectExchange}
            />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function RunResult({
  run,
  focusedCase,
  selectedExchange,
  onSelectExchange,
}: {
  run: CheckRunView;
  /** A case to open and show (from a request's check tag). */
  focusedCase: string | undefined;
  selectedExchange: string | null;
  onSelectExchange: (id: string) => void;
}): ReactElement {
  const now = useNow();
  const verdict = runVerdict(run);
  const counts = runCounts(run);
  const running = run.state === 'running';
  const done = counts.pass + counts.fail + counts.error + counts.skip;
  const focusedGroup = focusedCase
    ? run.groups.find((g) => g.cases.some((c) => c.id === focusedCase))?.id
    : undefined;

  // Toggled by hand; untouched groups follow the run (open while they need a look).
  const [groupToggles, setGroupToggles] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [openCases, setOpenCases] = useState<ReadonlySet<string>>(
    () => new Set(focusedCase ? [focusedCase] : []),
  );
  const [lastFocus, setLastFocus] = useState(focusedCase);
  if (focusedCase !== lastFocus) {
    // Opened from elsewhere while this run was shown: open that case too.
    setLastFocus(focusedCase);
    if (focusedCase && !openCases.has(focusedCase)) setOpenCases(new Set(openCases).add(focusedCase));
  }
  // A scenario is one group whose steps are the point: it starts open.
  const groupOpen = (group: CheckGroupResult): boolean =>
    groupToggles.get(group.id) ??
    (run.kind === 'scenario' || group.id === focusedGroup || groupNeedsLook(group));
  const toggleCase = (caseId: string) => {
    const next = new Set(openCases);
    if (next.has(caseId)) next.delete(caseId);
    else next.add(caseId);
    setOpenCases(next);
  };

  // While running, whole seconds from the shared clock (which may lag the start by up to a second).
  const took = running
    ? `running for ${Math.max(0, Math.floor((now - run.startedAt) / 1000))} s`
    : `took ${formatDuration((run.finishedAt ?? run.startedAt) - run.startedAt)}`;
  return (
    <Panel testId="check-run" className={`check-run${run.kind === 'scenario' ? ' is-scenario' : ''}`}>
      <div className="run-head">
        <VerdictBadge verdict={verdict} testId="check-run-verdict" />
        {run.kind === 'scenario' ? (
          <h2 data-testid="check-run-title">
            <span className="badge badge-lab run-kind">scenario</span>{' '}
            {run.scenario?.title ?? 'Pasted scenario'}
            {run.fileName ? <span className="mono run-file"> · {run.fileName}</span> : null}
          </h2>
        ) : (
          <h2>
            {run.ownHost ? 'This workbench' : 'Another host'}
            {run.fileName ? <span className="mono run-file"> · {run.fileName}</span> : null}
          </h2>
        )}
        <span className="group-spacer" />
        <CountBadges counts={counts} testId="check-run-counts" />
      </div>
      <div className="run-meta" data-testid="check-run-meta" data-run-id={run.id} data-state={run.state}>
        <KeyValue
          rows={[
            {
              key: 'WOPISrc',
              testId: 'check-run-target',
              value: (
                <span className="hv">
                  <span className="mono hv-text">{run.wopiSrc}</span>
                  <CopyButton value={run.wopiSrc} title="Copy the WOPISrc" />
                </span>
              ),
            },
            {
              key: 'Started',
              value: `${formatDateTime(run.startedAt)} · ${took}`,
            },
            run.kind !== 'scenario' && {
              key: 'Requests',
              value: run.signed
                ? 'signed with the simulated client’s proof keys'
                : 'unsigned (proof-key groups skipped)',
            },
            { key: 'Run id', value: run.id, mono: true },
          ]}
        />
      </div>
      {running ? (
        <div className="run-progress" data-testid="check-run-progress" data-done={done}>
          <span className="run-progress-bar" aria-hidden="true">
            <span />
          </span>
          <span>
            {done} case{done === 1 ? '' : 's'} done
            <span className="muted"> · results appear as each case finishes</span>
          </span>
        </div>
      ) : null}
      {run.error ? (
        <div className="why" data-testid="check-run-error">
          <Icon name="warn" />
          <span>{run.error}</span>
        </div>
      ) : null}
      <div className="check-groups">
        {run.groups.map((group) => (
          <GroupSection
            key={group.id}
            group={group}
            running={running}
            open={groupOpen(group)}
            onToggle={() => setGroupToggles(new Map(groupToggles).set(group.id, !groupOpen(group)))}
            openCases={openCases}
            focusedCase={focusedCase}
            onToggleCase={toggleCase}
            selectedExchange={selectedExchange}
            onSelectExchange={onSelectExchange}
          />
        ))}
      </div>
    </Panel>
  );
}

// Faults: make this host misbehave on purpose. The active rules (in the order they apply), the preset
// library (each a documented Office behaviour, one click to add), a rule by hand, and the rules as a
// JSON file to export or import. Live: every change anywhere arrives as 'faults:changed'.
import { useMemo, useState, type ReactElement } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { Panel } from '../../components/panel';
import { useApp } from '../../state/app-context';
import { useStore } from '../../state/store';
import { PartGate } from '../lab/part-gate';
import { AddRuleForm } from './add-rule-form';
import { namesFrom } from './fault-format';
import { ImportPanel } from './import-panel';
import { PresetCard } from './preset-card';
import { RuleList } from './rule-list';
import { useFaultActions } from './use-fault-actions';
import './faults.css';

export function FaultsView(): ReactElement {
  const app = useApp();
  const rules = useStore(app.lab, (s) => s.rules);
  const presets = useStore(app.lab, (s) => s.presets);
  const parts = useStore(app.lab, (s) => s.parts);
  const files = useStore(app.workspace, (s) => s.files);
  const personas = useStore(app.workspace, (s) => s.personas);
  const actions = useFaultActions();
  const [importing, setImporting] = useState(false);
  const [confirmClear, setConfirmClear] = useState(false);
  const fileList = useMemo(() => [...files.values()].sort((a, b) => a.path.localeCompare(b.path)), [files]);
  const names = useMemo(() => namesFrom(files, personas), [files, personas]);
  const ready = parts.faults.kind === 'ready';

  return (
    <div className="page faults-page" data-testid="faults-view">
      <div className="page-head">
        <div>
          <h1>Faults</h1>
          <p className="muted">
            Make this host answer the way a broken or busy one would, on purpose and the same way every time.
            A request a rule touched carries a <span className="badge badge-lab">fault</span> badge in
            Requests, so nobody mistakes it for a host bug. No fault changes a file’s bytes.
          </p>
        </div>
        {ready ? (
          <div className="page-actions">
            <Button
              small
              icon="download"
              busy={actions.busy === 'export'}
              onClick={() => void actions.exportRules()}
              data-testid="fault-export"
              title="Save the rules as faults.json (serve --faults FILE reads it)"
            >
              Export
            </Button>
            <Button
              small
              icon="upload"
              onClick={() => setImporting(!importing)}
              aria-expanded={importing}
              data-testid="fault-import-open"
            >
              Import…
            </Button>
            <Button
              small
              variant="danger"
              icon="trash"
              disabled={rules.length === 0}
              onClick={() => setConfirmClear(true)}
              data-testid="fault-clear"
            >
              Remove all
            </Button>
          </div>
        ) : null}
      </div>
      <PartGate state={parts.faults} what="Fault rules" icon="bolt" testId="faults">
        {importing ? (
          <Panel title="Import rules">
            <ImportPanel actions={actions} onDone={() => setImporting(false)} />
          </Panel>
        ) : null}
        <Panel title={`Active rules (${rules.length})`} testId="fault-rules-panel">
          {rules.length === 0 ? (
            <EmptyState icon="bolt" title="No fault rule" testId="fault-rules-empty">
              Every request gets this host’s real answer. Add a preset below to reproduce a documented Office
              behaviour (a lock held elsewhere, a token expiring mid-edit, the host down during a save), or
              write a rule of your own.
            </EmptyState>
          ) : (
            <RuleList rules={rules} names={names} actions={actions} />
          )}
        </Panel>
        <Panel title="Presets" testId="fault-presets-panel">
          <PartGate state={parts.presets} what="Fault presets" icon="bolt" testId="fault-presets">
            <ul className="preset-grid" data-testid="fault-presets">
              {presets.map((preset) => (
                <PresetCard
                  key={preset.id}
                  preset={preset}
                  files={fileList}
                  personas={personas}
                  actions={actions}
                />
              ))}
            </ul>
          </PartGate>
        </Panel>
        <Panel title="A rule of your own" testId="fault-form-panel">
          <AddRuleForm files={fileList} personas={personas} actions={actions} />
        </Panel>
      </PartGate>
      {confirmClear ? (
        <ConfirmDialog
          title="Remove every fault rule?"
          confirmLabel={`Remove ${rules.length} rule${rules.length === 1 ? '' : 's'}`}
          busy={actions.busy === 'clear'}
          onConfirm={() => void actions.clear().then(() => setConfirmClear(false))}
          onCancel={() => setConfirmClear(false)}
          testId="fault-clear-confirm"
        >
          <p>
            Requests get this host’s real answers again. Export first to keep the rules as a file; the request
            log keeps its fault badges.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

// The latest proof-key checks seen in the request log, so key trouble shows up next to the keys.
import type { ReactElement } from 'react';
import type { RequestRecord } from '../../../server/contracts';
import { ProofBadge } from '../../components/badge';
import { formatClock } from '../../components/format';
import { useApp } from '../../state/app-context';
import { useStore } from '../../state/store';
import { operationLabel } from '../requests/request-format';

const SHOWN = 12;

function latestWithProof(rows: readonly RequestRecord[]): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (let i = rows.length - 1; i >= 0 && out.length < SHOWN; i--) {
    const row = rows[i];
    if (row?.proof) out.push(row);
  }
  return out;
}

export function ProofVerdicts(): ReactElement {
  const app = useApp();
  const log = useStore(app.requests, (s) => s);
  const verdicts = latestWithProof(log.rows);
  if (verdicts.length === 0) {
    // Read from the Requests list: after a Clear there, "none seen yet" would not be true.
    return (
      <p className="muted small" data-testid="proof-verdicts-empty">
        {log.cleared && log.rows.length === 0
          ? `Requests was cleared at ${formatClock(log.cleared.at)}; the verdicts of calls since then are listed here.`
          : "No call in Requests had its proof checked yet. When the client calls this host, each call's proof-key verdict is listed here."}
      </p>
    );
  }
  return (
    <ul className="stack-list verdicts" data-testid="proof-verdicts">
      {verdicts.map((row) => (
        <li key={row.id}>
          <button
            type="button"
            className="verdict"
            onClick={() => app.ui.openRequest(row.id)}
            data-testid="proof-verdict"
          >
            <span className="mono muted">{formatClock(row.startedAt)}</span>
            <span className="verdict-op">{operationLabel(row)}</span>
            <ProofBadge proof={row.proof} />
            <span className="verdict-reason" title={row.proof?.reason}>
              {row.proof?.reason}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

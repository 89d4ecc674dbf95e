// The exchanges one conformance case caused, in order: the same request records as Requests (by id),
// taken from the loaded log when there, else fetched. Selecting one opens it in the request detail pane.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { RequestRecord } from '../../../server/contracts';
import { describeError } from '../../api/control-client';
import { StatusCode } from '../../components/badge';
import { formatDuration } from '../../components/format';
import { useApp } from '../../state/app-context';
import { FindingsBadge } from '../requests/findings';
import { operationLabel } from '../requests/request-format';

type Loaded = { record: RequestRecord } | { error: string } | undefined;

function useExchangeRecords(ids: readonly string[]): ReadonlyMap<string, Loaded> {
  const app = useApp();
  const [fetched, setFetched] = useState<ReadonlyMap<string, Loaded>>(new Map());
  const key = ids.join('\n');

  useEffect(() => {
    let live = true;
    const missing = key.split('\n').filter((id) => id && !app.requests.byId(id));
    for (const id of missing) {
      app.client.request({ params: { requestId: id } }).then(
        (record) => live && setFetched((prev) => new Map(prev).set(id, { record })),
        (err: unknown) => live && setFetched((prev) => new Map(prev).set(id, { error: describeError(err) })),
      );
    }
    return () => {
      live = false;
    };
  }, [app, key]);

  const out = new Map<string, Loaded>();
  for (const id of ids) {
    const known = app.requests.byId(id);
    out.set(id, known ? { record: known } : fetched.get(id));
  }
  return out;
}

export function CaseExchanges({
  ids,
  selectedId,
  onSelect,
}: {
  ids: readonly string[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}): ReactElement {
  const records = useExchangeRecords(ids);
  // Opening the detail pane narrows the page and moves everything: keep the chosen exchange in sight.
  const selectedRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (selectedId !== null) selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);
  if (ids.length === 0) {
    return <p className="muted small">This case sent no request.</p>;
  }
  return (
    <ol className="exchanges" data-testid="case-exchanges">
      {ids.map((id, i) => {
        const loaded = records.get(id);
        const record = loaded && 'record' in loaded ? loaded.record : undefined;
        return (
          <li key={id}>
            <button
              ref={selectedId === id ? selectedRef : undefined}
              type="button"
              className={`exchange${selectedId === id ? ' is-selected' : ''}`}
              onClick={() => onSelect(id)}
              data-testid="case-exchange"
              data-request-id={id}
              data-operation={record?.operation}
              data-status={record?.status}
              aria-pressed={selectedId === id}
            >
              <span className="exchange-n muted">{i + 1}</span>
              {record ? (
                <>
                  <span className="exchange-op">{operationLabel(record)}</span>
                  <StatusCode status={record.status} />
                  <FindingsBadge record={record} />
                  <span className="exchange-path mono muted" title={`${record.method} ${record.path}`}>
                    {record.method} {record.path}
                  </span>
                  <span className="exchange-dur muted">{formatDuration(record.durationMs)}</span>
                </>
              ) : loaded && 'error' in loaded ? (
                <span className="muted">
                  <span className="mono">{id}</span>: {loaded.error}
                </span>
              ) : (
                <span className="muted">Loading {id}…</span>
              )}
            </button>
          </li>
        );
      })}
    </ol>
  );
}

// What the WOPI client can do per file extension (from discovery): view/edit availability at a glance.
import { useMemo, useState, type ReactElement } from 'react';
import type { DiscoveryActionView } from '../../../server/contracts';
import { SearchBox } from '../../components/search-box';

interface ExtRow {
  ext: string;
  apps: string[];
  actions: DiscoveryActionView[];
}

function group(actions: readonly DiscoveryActionView[]): ExtRow[] {
  const byExt = new Map<string, ExtRow>();
  for (const action of actions) {
    const ext = action.ext.toLowerCase();
    let row = byExt.get(ext);
    if (!row) {
      row = { ext, apps: [], actions: [] };
      byExt.set(ext, row);
    }
    if (!row.apps.includes(action.app)) row.apps.push(action.app);
    if (!row.actions.some((a) => a.name === action.name && a.app === action.app)) row.actions.push(action);
  }
  return [...byExt.values()].sort((a, b) => a.ext.localeCompare(b.ext));
}

export function ActionsGrid({ actions }: { actions: readonly DiscoveryActionView[] }): ReactElement {
  const [query, setQuery] = useState('');
  const rows = useMemo(() => group(actions), [actions]);
  const needle = query.trim().toLowerCase().replace(/^\./, '');
  const shown = needle
    ? rows.filter(
        (row) => row.ext.includes(needle) || row.apps.some((app) => app.toLowerCase().includes(needle)),
      )
    : rows;

  if (actions.length === 0) {
    return <p className="muted small">Discovery listed no actions.</p>;
  }
  return (
    <div className="actions-grid">
      <SearchBox
        value={query}
        onChange={setQuery}
        placeholder="Extension or app (docx, Excel…)"
        label="Filter extensions"
        testId="discovery-ext-filter"
      />
      <div className="table-scroll">
        <table className="table" data-testid="discovery-actions">
          <thead>
            <tr>
              <th>Extension</th>
              <th>App</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.ext} data-testid="discovery-ext-row" data-ext={row.ext}>
                <td className="mono">.{row.ext}</td>
                <td>{row.apps.join(', ')}</td>
                <td>
                  <div className="chips">
                    {row.actions.map((action) => (
                      <span
                        key={`${action.app}:${action.name}`}
                        className={`chip${action.isDefault ? ' chip-default' : ''}${action.name === 'edit' ? ' chip-edit' : ''}`}
                        title={`${action.app} · ${action.urlsrc}${action.requires.length ? `\nrequires: ${action.requires.join(', ')}` : ''}`}
                      >
                        {action.name}
                        {action.isDefault ? ' ★' : ''}
                      </span>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

// The served folder as a tree; locked files carry a lock mark so a glance shows who is editing.
import { useMemo, useState, type CSSProperties, type ReactElement } from 'react';
import type { FileView } from '../../../server/contracts';
import { formatBytes } from '../../components/format';
import { Icon } from '../../components/icons';
import { SearchBox } from '../../components/search-box';
import { VirtualList } from '../../components/virtual-list';
import { treeRows, type TreeRow } from './file-tree-model';

const ROW_HEIGHT = 28;

export function FileTree({
  files,
  selectedId,
  onSelect,
}: {
  files: ReadonlyMap<string, FileView>;
  selectedId: string | null;
  onSelect: (id: string) => void;
}): ReactElement {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const rows = useMemo(() => treeRows(files.values(), collapsed, query), [files, collapsed, query]);
  const selectedIndex = rows.findIndex((row) => row.kind === 'file' && row.file.id === selectedId);

  const toggle = (path: string) => {
    const next = new Set(collapsed);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setCollapsed(next);
  };

  const renderRow = (row: TreeRow, _index: number, style: CSSProperties) => {
    const indent = { paddingLeft: 10 + row.depth * 16 };
    if (row.kind === 'folder') {
      const open = query.trim() !== '' || !collapsed.has(row.path);
      return (
        <div
          className="tree-row tree-folder"
          style={{ ...style, ...indent }}
          data-testid="folder-row"
          data-path={row.path}
          onClick={() => toggle(row.path)}
          role="treeitem"
          aria-level={row.depth + 1}
          aria-expanded={open}
        >
          <Icon name={open ? 'chevronDown' : 'chevronRight'} size={12} />
          <Icon name="folder" size={14} />
          <span className="tree-name" title={row.path}>
            {row.name}
          </span>
          <span className="tree-meta">{row.count}</span>
        </div>
      );
    }
    const file = row.file;
    const selected = file.id === selectedId;
    return (
      <div
        className={`tree-row tree-file${selected ? ' is-selected' : ''}`}
        style={{ ...style, ...indent, paddingLeft: 10 + row.depth * 16 + 14 }}
        data-testid="file-row"
        data-file-id={file.id}
        data-path={file.path}
        data-locked={file.lock ? 'true' : 'false'}
        onClick={() => onSelect(file.id)}
        role="treeitem"
        aria-level={row.depth + 1}
        aria-selected={selected}
      >
        <Icon name="file" size={14} />
        {/* One line per row (a virtual list); the whole path is in the tooltip and the detail pane. */}
        <span className="tree-name" title={file.path}>
          {file.name}
        </span>
        {file.lock ? (
          <span className="tree-lock" title={`Locked: ${file.lock.lockId}`}>
            <Icon name="locks" size={12} />
          </span>
        ) : null}
        <span className="tree-meta">{formatBytes(file.size)}</span>
      </div>
    );
  };

  return (
    <div className="tree" data-testid="file-tree">
      <SearchBox
        className="tree-search"
        value={query}
        onChange={setQuery}
        placeholder="Filter files"
        label="Filter files"
        testId="file-filter"
      />
      {rows.length === 0 ? (
        <p className="muted small tree-empty">No file matches “{query}”.</p>
      ) : (
        <VirtualList
          items={rows}
          version={rows.length}
          rowHeight={ROW_HEIGHT}
          getKey={(row) => `${row.kind}:${row.path}`}
          renderRow={renderRow}
          scrollToIndex={selectedIndex >= 0 ? selectedIndex : undefined}
          testId="file-list"
          label="Files"
          role="tree"
        />
      )}
    </div>
  );
}

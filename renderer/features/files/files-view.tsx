// Files: the served folder on the left, the selected file on the right.
import { useEffect, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import { useApp } from '../../state/app-context';
import { useStore } from '../../state/store';
import { FileDetail } from './file-detail';
import { FileTree } from './file-tree';
import './files.css';

export function FilesView(): ReactElement {
  const app = useApp();
  const files = useStore(app.workspace, (s) => s.files);
  const error = useStore(app.workspace, (s) => s.errors.files);
  const status = useStore(app.workspace, (s) => s.status);
  const selectedId = useStore(app.ui, (s) => s.selectedFileId);
  const selected = selectedId ? files.get(selectedId) : undefined;

  // Preselect the first file so the detail pane is never a blank half-screen.
  useEffect(() => {
    if (selected || files.size === 0) return;
    const first = [...files.values()].sort((a, b) => a.path.localeCompare(b.path))[0];
    if (first) app.ui.selectFile(first.id);
  }, [app, files, selected]);

  if (error && files.size === 0) {
    return (
      <EmptyState icon="warn" title="Couldn't list the served folder" testId="files-error">
        {error}
      </EmptyState>
    );
  }
  if (files.size === 0) {
    return (
      <EmptyState icon="folder" title="The served folder is empty" testId="files-empty">
        Drop an Office document (.docx, .xlsx, .pptx) or any file into{' '}
        <code>{status?.folder ?? 'the served folder'}</code>. It shows up here within a second, ready to open
        in a WOPI client.
      </EmptyState>
    );
  }
  return (
    <div className="files-view">
      <FileTree files={files} selectedId={selected?.id ?? null} onSelect={(id) => app.ui.selectFile(id)} />
      <div className="files-detail">{selected ? <FileDetail key={selected.id} file={selected} /> : null}</div>
    </div>
  );
}

// Turns the flat file list (relative paths) into the rows of a collapsible folder tree.
import type { FileView } from '../../../server/contracts';

export type TreeRow =
  | { kind: 'folder'; path: string; name: string; depth: number; count: number; locked: number }
  | { kind: 'file'; path: string; name: string; depth: number; file: FileView };

interface Folder {
  name: string;
  path: string;
  folders: Map<string, Folder>;
  files: FileView[];
  count: number;
  locked: number;
}

function folder(name: string, path: string): Folder {
  return { name, path, folders: new Map(), files: [], count: 0, locked: 0 };
}

function buildTree(files: Iterable<FileView>): Folder {
  const root = folder('', '');
  for (const file of files) {
    const parts = file.path.split('/').filter(Boolean);
    let node = root;
    node.count++;
    if (file.lock) node.locked++;
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i] ?? '';
      const path = parts.slice(0, i + 1).join('/');
      let next = node.folders.get(name);
      if (!next) {
        next = folder(name, path);
        node.folders.set(name, next);
      }
      next.count++;
      if (file.lock) next.locked++;
      node = next;
    }
    node.files.push(file);
  }
  return root;
}

const byName = (a: { name: string }, b: { name: string }) =>
  a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' });

/** Folders first, then files, both by natural name order; collapsed folders hide their content. */
export function treeRows(
  files: Iterable<FileView>,
  collapsed: ReadonlySet<string>,
  query: string,
): TreeRow[] {
  const needle = query.trim().toLowerCase();
  const source = needle ? [...files].filter((f) => f.path.toLowerCase().includes(needle)) : files;
  const rows: TreeRow[] = [];
  const walk = (node: Folder, depth: number) => {
    for (const child of [...node.folders.values()].sort(byName)) {
      rows.push({
        kind: 'folder',
        path: child.path,
        name: child.name,
        depth,
        count: child.count,
        locked: child.locked,
      });
      // While searching, show every match regardless of collapsed folders.
      if (needle || !collapsed.has(child.path)) walk(child, depth + 1);
    }
    for (const file of [...node.files].sort(byName)) {
      rows.push({ kind: 'file', path: file.path, name: file.name, depth, file });
    }
  };
  walk(buildTree(source), 0);
  return rows;
}

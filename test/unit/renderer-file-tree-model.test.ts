// renderer/features/files/file-tree-model.ts: the flat file list as folder-first tree rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileView } from '../../server/contracts';
import { treeRows, type TreeRow } from '../../renderer/features/files/file-tree-model';

function file(path: string, locked = false): FileView {
  const name = path.split('/').pop()!;
  return {
    id: `id-${path}`,
    path,
    name,
    extension: name.includes('.') ? `.${name.split('.').pop()}` : '',
    size: 1,
    version: 'v1',
    lastModified: '2024-01-01T00:00:00Z',
    lock: locked ? { lockId: 'L', createdAt: 0, refreshedAt: 0, expiresAt: 1 } : null,
  };
}

const FILES = [
  file('zeta.txt'),
  file('Reports/q10.xlsx'),
  file('Reports/q2.xlsx', true),
  file('Reports/Archive/2019.docx', true),
  file('alpha.docx'),
  file('Design/roadmap.pptx'),
];

const line = (row: TreeRow): string =>
  `${'  '.repeat(row.depth)}${row.kind === 'folder' ? `${row.name}/ (${row.count}, ${row.locked} locked)` : row.name}`;

void describe('file tree model', () => {
  void it('lists folders first, then files, in natural order, with counts of files and locks below', () => {
    assert.deepEqual(treeRows(FILES, new Set(), '').map(line), [
      'Design/ (1, 0 locked)',
      '  roadmap.pptx',
      'Reports/ (3, 2 locked)',
      '  Archive/ (1, 1 locked)',
      '    2019.docx',
      '  q2.xlsx',
      '  q10.xlsx',
      'alpha.docx',
      'zeta.txt',
    ]);
  });

  void it('hides what is inside a collapsed folder, but keeps the folder row', () => {
    const rows = treeRows(FILES, new Set(['Reports']), '').map(line);
    assert.deepEqual(rows, [
      'Design/ (1, 0 locked)',
      '  roadmap.pptx',
      'Reports/ (3, 2 locked)',
      'alpha.docx',
      'zeta.txt',
    ]);
    const nested = treeRows(FILES, new Set(['Reports/Archive']), '').map(line);
    assert.ok(nested.includes('  Archive/ (1, 1 locked)'));
    assert.ok(!nested.includes('    2019.docx'));
  });

  void it('searches paths case-insensitively and shows matches inside collapsed folders', () => {
    const rows = treeRows(FILES, new Set(['Reports', 'Reports/Archive']), ' ARCHIVE ').map(line);
    assert.deepEqual(rows, ['Reports/ (1, 1 locked)', '  Archive/ (1, 1 locked)', '    2019.docx']);
    assert.deepEqual(treeRows(FILES, new Set(), 'nothing-like-this'), []);
  });

  void it('carries the file on file rows and the full path on folder rows', () => {
    const rows = treeRows(FILES, new Set(), '');
    const archive = rows.find((r) => r.kind === 'folder' && r.name === 'Archive');
    assert.equal(archive?.path, 'Reports/Archive');
    const q2 = rows.find((r) => r.kind === 'file' && r.name === 'q2.xlsx');
    assert.equal(q2?.kind === 'file' ? q2.file.id : undefined, 'id-Reports/q2.xlsx');
  });
});

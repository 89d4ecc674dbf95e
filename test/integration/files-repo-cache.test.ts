// The files repo's row cache (server/state/files-repo.ts) on a real SQLite file: a row written inside
// a transaction that rolls back must not be served afterwards.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { openDatabase } from '../../server/state/db';
import { createFilesRepo } from '../../server/state/files-repo';

it('a row created in a transaction that rolls back is not cached', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'wb-filesrepo-'));
  const db = openDatabase(dataDir);
  t.after(async () => {
    db.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const files = createFilesRepo(db);
  const sig = { size: 1, mtimeMs: 1, ino: 1 };
  assert.throws(
    () =>
      db.transaction(() => {
        files.ensure('a.docx', sig, null, 'owner', () => 'f1', 0);
        assert.equal(files.get('f1')?.path, 'a.docx');
        throw new Error('roll back');
      })(),
    /roll back/,
  );
  assert.equal(files.get('f1'), undefined);
  // Outside a transaction the row is cached, and writes still show through.
  files.ensure('a.docx', sig, null, 'owner', () => 'f1', 0);
  assert.equal(files.get('f1')?.size, 1);
  files.updateContent('f1', { ...sig, size: 2 }, null, true, 1);
  assert.equal(files.get('f1')?.size, 2);
});

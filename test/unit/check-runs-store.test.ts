// The check-runs table: a run saved at start and updated in place keeps its place, the list is
// newest first, only the newest are kept, and all of it survives reopening the data dir.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CheckRunView } from '../../server/contracts/api';
import { createCheckRuns } from '../../server/state/check-runs';
import { openDatabase } from '../../server/state/db';

const run = (id: string, startedAt: number, state: CheckRunView['state'] = 'running'): CheckRunView => ({
  id,
  startedAt,
  state,
  wopiSrc: `http://h/wopi/files/${id}`,
  ownHost: false,
  signed: false,
  groups: [],
  totals: { pass: 0, fail: 0, skip: 0, error: 0 },
});

describe('check-runs store', () => {
  it('saves, updates in place, lists newest first, trims to the newest N, persists', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wb-check-runs-'));
    try {
      let db = openDatabase(dir);
      const runs = createCheckRuns(db, 3);
      runs.save(run('a', 1));
      runs.save(run('b', 2));
      runs.save({ ...run('a', 1, 'done'), totals: { pass: 4, fail: 1, skip: 0, error: 0 } });
      // Updating "a" does not make it newer than "b".
      assert.deepEqual(
        runs.list().map((r) => [r.id, r.state]),
        [
          ['b', 'running'],
          ['a', 'done'],
        ],
      );
      assert.equal(runs.get('a')?.totals.pass, 4);
      assert.equal(runs.get('nope'), undefined);
      runs.save(run('c', 3));
      runs.save(run('d', 4));
      assert.deepEqual(
        runs.list().map((r) => r.id),
        ['d', 'c', 'b'],
      );
      assert.equal(runs.get('a'), undefined);
      db.close();
      db = openDatabase(dir);
      assert.deepEqual(
        createCheckRuns(db)
          .list()
          .map((r) => r.id),
        ['d', 'c', 'b'],
      );
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

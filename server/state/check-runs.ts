// Conformance runs, kept in the data dir so a run started from the CLI shows in the UI later. The
// whole CheckRunView is stored (it is small: one line per case); only the newest runs are kept.
import type { CheckRunView } from '../contracts/api';
import type { Db } from './db';

/** How many runs are kept; older ones go when a new one is saved. */
export const CHECK_RUNS_KEPT = 100;

export function createCheckRuns(db: Db, kept = CHECK_RUNS_KEPT) {
  // A run is saved when it starts and again as it goes: the row keeps its place (seq) on update.
  const upsert = db.prepare(
    `INSERT INTO check_runs (id, started_at, state, run) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET state = excluded.state, run = excluded.run`,
  );
  const trim = db.prepare(
    'DELETE FROM check_runs WHERE seq <= (SELECT seq FROM check_runs ORDER BY seq DESC LIMIT 1 OFFSET ?)',
  );
  const byId = db.prepare<[string], { run: string }>('SELECT run FROM check_runs WHERE id = ?');
  const newest = db.prepare<[number], { run: string }>(
    'SELECT run FROM check_runs ORDER BY seq DESC LIMIT ?',
  );
  const save = db.transaction((run: CheckRunView) => {
    const { changes } = upsert.run(run.id, run.startedAt, run.state, JSON.stringify(run));
    if (changes > 0) trim.run(kept);
  });
  return {
    /** Inserts the run, or replaces the stored one with the same id. */
    save(run: CheckRunView): void {
      save(run);
    },
    get(id: string): CheckRunView | undefined {
      const row = byId.get(id);
      return row ? (JSON.parse(row.run) as CheckRunView) : undefined;
    },
    /** Newest first. */
    list(limit = kept): CheckRunView[] {
      return newest.all(limit).map((r) => JSON.parse(r.run) as CheckRunView);
    },
  };
}

export type CheckRuns = ReturnType<typeof createCheckRuns>;

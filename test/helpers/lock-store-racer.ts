// A second host sharing one SQLite lock store, as a child process (forked by engine-locks-store.test.ts).
// It opens the data dir, says "ready", waits for "go" so every racer starts together, then:
// 1. tries to take the free lock of `fileId` (compare-and-swap from no lock) and reports whether it won;
// 2. moves the lock's expiry on by 1 ms `increments` times, each a read and a compare-and-swap retried
//    until it lands, so a lost update would show as a total short of racers × increments.
import { openDatabase } from '../../server/state/db';
import { createSqliteLockStore } from '../../server/state/lock-store';

export interface RacerJob {
  dataDir: string;
  fileId: string;
  name: string;
  /** Where every racer's lock starts: the same value, whoever wins the take. */
  start: { createdAt: number; expiresAt: number };
  increments: number;
}

export interface RacerReport {
  name: string;
  took: boolean;
  /** Swaps that lost to another racer and were retried. */
  retries: number;
}

const job = JSON.parse(process.argv[2]!) as RacerJob;
const db = openDatabase(job.dataDir);
const store = createSqliteLockStore(db);

process.once('message', () => {
  const took = store.compareAndSwap(job.fileId, null, {
    lockId: 'shared',
    createdAt: job.start.createdAt,
    refreshedAt: job.start.createdAt,
    expiresAt: job.start.expiresAt,
  });
  let retries = 0;
  for (let i = 0; i < job.increments; i++) {
    for (;;) {
      const cur = store.get(job.fileId)!;
      if (store.compareAndSwap(job.fileId, cur, { ...cur, expiresAt: cur.expiresAt + 1 })) break;
      retries++;
    }
  }
  db.close();
  const report: RacerReport = { name: job.name, took, retries };
  process.send!(report, () => process.disconnect());
});
process.send!('ready');

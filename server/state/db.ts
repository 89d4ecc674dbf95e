// SQLite in the data dir: WAL, versioned migrations applied in one transaction each.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenFiles } from './private-files';

export type Db = Database.Database;

export const DB_FILE = 'workbench.sqlite';

/** The database and the files SQLite keeps beside it (WAL mode). */
export const dbFiles = (dataDir: string): string[] =>
  ['', '-wal', '-shm'].map((suffix) => path.join(dataDir, `${DB_FILE}${suffix}`));

export function openDatabase(dataDir: string): Db {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, DB_FILE);
  // It holds the token-signing secrets: created 0600 before SQLite opens it (SQLite gives its -wal
  // and -shm files the database's mode), and tightened if an earlier run left it readable.
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  tightenFiles(...dbFiles(dataDir));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  tightenFiles(...dbFiles(dataDir));
  // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // The request log's inserts would otherwise push the small hot tables (files, kv, locks) out of
  // SQLite's default 2 MB page cache, turning every CheckFileInfo's row reads into disk reads.
  db.pragma('cache_size = -32000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the data dir was written by a newer WOPI Workbench (schema ${current}, this build knows ${MIGRATIONS.length}); use a newer build or another --data-dir.`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    const sql = MIGRATIONS[v]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

// Append-only: never edit a shipped migration, add a new one.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    present INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ms REAL NOT NULL DEFAULT 0,
    ino INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT,
    owner_id TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX files_present_path ON files(path) WHERE present = 1;
  CREATE TABLE locks (
    file_id TEXT PRIMARY KEY REFERENCES files(id),
    lock_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    refreshed_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id TEXT NOT NULL,
    path TEXT NOT NULL,
    version TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    blob TEXT
  );
  CREATE INDEX versions_file ON versions(file_id, id);
  CREATE TABLE user_info (user_id TEXT PRIMARY KEY, info TEXT NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    started_at INTEGER NOT NULL,
    operation TEXT NOT NULL,
    file_id TEXT,
    status INTEGER NOT NULL,
    record TEXT NOT NULL
  );
  CREATE INDEX requests_file ON requests(file_id, seq);
  CREATE INDEX requests_op ON requests(operation, seq);
  CREATE TABLE discovery_snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    profile TEXT NOT NULL,
    source TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    error TEXT,
    xml TEXT,
    sha256 TEXT
  );
  `,
  // 2: conformance runs (the whole CheckRunView as JSON; the newest 100 are kept).
  `
  CREATE TABLE check_runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    started_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    run TEXT NOT NULL
  );
  `,
  // 3: the QA lab: fault rules (the rule as JSON, with its counts, oldest first) and who holds a lock
  // (metadata shown on conflicts; the lock rules never read it).
  `
  CREATE TABLE fault_rules (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    rule TEXT NOT NULL,
    matched INTEGER NOT NULL DEFAULT 0,
    hits INTEGER NOT NULL DEFAULT 0
  );
  ALTER TABLE locks ADD COLUMN holder_id TEXT;
  ALTER TABLE locks ADD COLUMN holder_name TEXT;
  `,
];

// Discovery snapshots in SQLite (table discovery_snapshots, created by the central migrations).
// Every attempt is a row; the XML itself is stored only when it differs from the last good
// one, so a 12-hourly refresh of an unchanged 1 MB discovery costs a few bytes.
import { createHash } from 'node:crypto';
import type { Db } from './db';

export interface DiscoveryAttempt {
  profile: string;
  /** URL or file path it was loaded from. */
  source: string;
  /** Epoch ms. */
  fetchedAt: number;
  ok: boolean;
  error?: string;
  /** Required when ok. */
  xml?: string;
}

export interface DiscoverySnapshotRow {
  id: number;
  profile: string;
  source: string;
  fetchedAt: number;
  ok: boolean;
  error: string | null;
  sha256: string | null;
  /** Whether this row holds the XML itself (false when it repeated the previous content). */
  storesXml: boolean;
}

export interface DiscoverySnapshot extends DiscoverySnapshotRow {
  /** The XML of this attempt (read from the row that stores it), null for failures. */
  xml: string | null;
  /** The row that holds the XML. */
  contentId: number | null;
}

export interface DiscoveryStore {
  /** Records an attempt; returns its row id. */
  save(attempt: DiscoveryAttempt): number;
  latestOk(profile: string): DiscoverySnapshot | null;
  latestAttempt(profile: string): DiscoverySnapshot | null;
  /** Newest first, without XML. */
  list(profile: string, limit: number): DiscoverySnapshotRow[];
}

/** Bounds per profile: rows without XML (failures, repeats), and distinct contents kept. */
export interface DiscoveryStoreLimits {
  keepAttempts?: number;
  keepContents?: number;
}
const KEEP_ATTEMPT_ROWS = 500;
const KEEP_CONTENT_ROWS = 20;

interface RawRow {
  id: number;
  profile: string;
  source: string;
  fetched_at: number;
  ok: number;
  error: string | null;
  sha256: string | null;
  stores_xml: number;
}

const COLUMNS = 'id, profile, source, fetched_at, ok, error, sha256, (xml IS NOT NULL) AS stores_xml';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function createDiscoveryStore(db: Db, limits: DiscoveryStoreLimits = {}): DiscoveryStore {
  const keepAttempts = Math.max(1, Math.trunc(limits.keepAttempts ?? KEEP_ATTEMPT_ROWS));
  const keepContents = Math.max(1, Math.trunc(limits.keepContents ?? KEEP_CONTENT_ROWS));
  const insert = db.prepare(
    'INSERT INTO discovery_snapshots (profile, source, fetched_at, ok, error, xml, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const lastOkSha = db.prepare(
    'SELECT sha256 FROM discovery_snapshots WHERE profile = ? AND ok = 1 ORDER BY id DESC LIMIT 1',
  );
  const latestOkRow = db.prepare(
    `SELECT ${COLUMNS} FROM discovery_snapshots WHERE profile = ? AND ok = 1 ORDER BY id DESC LIMIT 1`,
  );
  const latestRow = db.prepare(
    `SELECT ${COLUMNS} FROM discovery_snapshots WHERE profile = ? ORDER BY id DESC LIMIT 1`,
  );
  const listRows = db.prepare(
    `SELECT ${COLUMNS} FROM discovery_snapshots WHERE profile = ? ORDER BY id DESC LIMIT ?`,
  );
  const content = db.prepare(
    'SELECT id, xml FROM discovery_snapshots WHERE profile = ? AND sha256 = ? AND xml IS NOT NULL ORDER BY id DESC LIMIT 1',
  );
  const pruneAttempts = db.prepare(
    `DELETE FROM discovery_snapshots WHERE profile = ? AND xml IS NULL AND id NOT IN
       (SELECT id FROM discovery_snapshots WHERE profile = ? AND xml IS NULL ORDER BY id DESC LIMIT ${keepAttempts})`,
  );
  // The newest content row is always the latest good one's, so keeping the newest N is safe.
  const pruneContents = db.prepare(
    `DELETE FROM discovery_snapshots WHERE profile = ? AND xml IS NOT NULL AND id NOT IN
       (SELECT id FROM discovery_snapshots WHERE profile = ? AND xml IS NOT NULL ORDER BY id DESC LIMIT ${keepContents})`,
  );

  const withXml = (row: RawRow | undefined): DiscoverySnapshot | null => {
    if (!row) return null;
    const base = toRow(row);
    if (!base.ok || !base.sha256) return { ...base, xml: null, contentId: null };
    const found = content.get(base.profile, base.sha256) as { id: number; xml: string } | undefined;
    return { ...base, xml: found?.xml ?? null, contentId: found?.id ?? null };
  };

  const save = db.transaction((a: DiscoveryAttempt): number => {
    let xml: string | null = null;
    let sha: string | null = null;
    if (a.ok) {
      if (a.xml === undefined) throw new TypeError('a successful discovery attempt needs its xml');
      sha = sha256Hex(a.xml);
      const previous = lastOkSha.get(a.profile) as { sha256: string | null } | undefined;
      if (previous?.sha256 !== sha) xml = a.xml;
    }
    const result = insert.run(
      a.profile,
      a.source,
      Math.trunc(a.fetchedAt),
      a.ok ? 1 : 0,
      a.error ?? null,
      xml,
      sha,
    );
    pruneAttempts.run(a.profile, a.profile);
    pruneContents.run(a.profile, a.profile);
    return Number(result.lastInsertRowid);
  });

  return {
    save: (attempt) => save(attempt),
    latestOk: (profile) => withXml(latestOkRow.get(profile) as RawRow | undefined),
    latestAttempt: (profile) => withXml(latestRow.get(profile) as RawRow | undefined),
    list: (profile, limit) => (listRows.all(profile, Math.max(0, Math.trunc(limit))) as RawRow[]).map(toRow),
  };
}

function toRow(r: RawRow): DiscoverySnapshotRow {
  return {
    id: r.id,
    profile: r.profile,
    source: r.source,
    fetchedAt: r.fetched_at,
    ok: r.ok === 1,
    error: r.error,
    sha256: r.sha256,
    storesXml: r.stores_xml === 1,
  };
}

// The request log: every WOPI request as a complete record (secrets included: this is the user's
// own machine). Redaction happens at every exit, never here.
import type { RequestRecord, WopiOperation } from '../contracts/api';
import type { Db } from './db';

export interface RequestQuery {
  before?: number;
  limit?: number;
  operation?: WopiOperation;
  fileId?: string;
  status?: string;
  q?: string;
}

const FLUSH_MS = 20;
const FLUSH_MAX = 512;

export function createRequestLog(db: Db, retention: number) {
  const insert = db.prepare(
    'INSERT INTO requests (id, started_at, operation, file_id, status, record) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], { seq: number; record: string }>(
    'SELECT seq, record FROM requests WHERE id = ?',
  );
  const count = db.prepare<[], { n: number; max: number | null }>(
    'SELECT COUNT(*) AS n, MAX(seq) AS max FROM requests',
  );
  // Rows leave only from the oldest end (trim) or all at once (clear), so the seqs kept are one
  // unbroken range: its ends give the count without scanning the table.
  const ends = db.prepare<[], { min: number | null; max: number | null }>(
    'SELECT MIN(seq) AS min, MAX(seq) AS max FROM requests',
  );
  const trim = db.prepare('DELETE FROM requests WHERE seq <= ?');
  const clear = db.prepare('DELETE FROM requests');
  let sinceTrim = 0;
  let pending: RequestRecord[] = [];
  let timer: NodeJS.Timeout | null = null;

  // Records are written in batches, one transaction per FLUSH_MS (or per FLUSH_MAX records): a
  // per-request INSERT, then a per-turn transaction, were the largest costs of a CheckFileInfo under
  // load. Every read flushes first, so nothing is missed, and shutdown flushes what is pending.
  const writeAll = db.transaction((batch: RequestRecord[]) => {
    for (const r of batch)
      insert.run(r.id, r.startedAt, r.operation, r.fileId ?? null, r.status, JSON.stringify(r));
    sinceTrim += batch.length;
    if (sinceTrim >= 500) {
      sinceTrim = 0;
      const { min, max } = ends.get()!;
      if (min !== null && max !== null && max - min + 1 > retention) trim.run(max - retention);
    }
  });
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0 || !db.open) return;
    const batch = pending;
    pending = [];
    writeAll(batch);
  };

  return {
    append(r: RequestRecord): void {
      pending.push(r);
      if (pending.length >= FLUSH_MAX) flush();
      else timer ??= setTimeout(flush, FLUSH_MS).unref();
    },
    flush,
    get(id: string): RequestRecord | undefined {
      flush();
      const row = byId.get(id);
      return row ? (JSON.parse(row.record) as RequestRecord) : undefined;
    },
    /** Newest first. `before` is the seq cursor of the previous page. */
    page(q: RequestQuery): { items: RequestRecord[]; nextCursor?: string; total: number } {
      flush();
      const where: string[] = [];
      const args: Array<string | number> = [];
      const add = (clause: string, ...values: Array<string | number>): void => {
        where.push(clause);
        args.push(...values);
      };
      if (q.operation) add('operation = ?', q.operation);
      if (q.fileId) add('file_id = ?', q.fileId);
      if (q.status && /^[1-5]xx$/.test(q.status)) {
        const base = Number(q.status[0]) * 100;
        add('status >= ? AND status < ?', base, base + 100);
      } else if (q.status && /^\d{3}$/.test(q.status)) add('status = ?', Number(q.status));
      if (q.q) add('instr(lower(record), ?) > 0', q.q.toLowerCase());
      const limit = Math.min(Math.max(q.limit ?? 200, 1), 1000);
      // `total` counts what matches the filters on every page, so the cursor is kept out of it.
      const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const pageWhere = q.before === undefined ? sqlWhere : `WHERE ${[...where, 'seq < ?'].join(' AND ')}`;
      const pageArgs = q.before === undefined ? args : [...args, q.before];
      const rows = db
        .prepare<unknown[], { seq: number; record: string }>(
          `SELECT seq, record FROM requests ${pageWhere} ORDER BY seq DESC LIMIT ${limit + 1}`,
        )
        .all(...pageArgs);
      const more = rows.length > limit;
      const items = rows.slice(0, limit);
      const total = (
        db
          .prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM requests ${sqlWhere}`)
          .get(...args) ?? { n: 0 }
      ).n;
      return {
        items: items.map((r) => JSON.parse(r.record) as RequestRecord),
        nextCursor: more ? String(items[items.length - 1]!.seq) : undefined,
        total,
      };
    },
    count: (): number => {
      flush();
      return count.get()!.n;
    },
    clear(): void {
      pending = [];
      if (timer) clearTimeout(timer);
      timer = null;
      clear.run();
    },
  };
}

export type RequestLog = ReturnType<typeof createRequestLog>;

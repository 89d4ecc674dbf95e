// The protocol linter: request records in, findings out. Pure (no I/O); it remembers, per host and
// file id, what the traffic showed (lock, Version, whether the id was ever answered 2xx), so a rule
// can judge an exchange by what came before it. Records are expected in the order they completed.
import type { LintFinding, RequestRecord } from '../contracts/api';
import { WopiHeader } from '../protocol/headers';
import { exchangeOf, is2xx } from './exchange';
import type { Exchange } from './exchange';
import { RULES } from './rules';
import { createLockTracker } from './traffic-locks';
import type { Before, LintRule } from './types';
import { isPrecise, putBefore, sawVersion, versionBefore } from './versions';
import type { VersionFacts } from './versions';

interface FileFacts extends VersionFacts {
  answered: boolean;
}

export interface LinterOptions {
  /** Files remembered at most (the oldest are forgotten first). */
  maxFiles?: number;
  /** Rules to run; all of them by default. */
  rules?: readonly LintRule[];
}

/**
 * Which host a record's file id belongs to: ids are per host, and one workbench may see its own host,
 * a proxied one and a conformance target in the same run.
 */
function scopeOf(rec: RequestRecord): string {
  if (rec.source !== 'proxy' && rec.source !== 'check') return 'host';
  let where = rec.upstream ?? '';
  try {
    if (where) where = new URL(where).origin;
  } catch {
    /* kept as given */
  }
  return `${rec.source} ${where || (rec.requestHeaders['host'] ?? '')}`;
}

const wireLock = (x: Exchange) => ({
  op: x.op,
  status: x.status,
  reqLock: x.reqHeader(WopiHeader.lock),
  reqOldLock: x.reqHeader(WopiHeader.oldLock),
  resLock: x.resHeader(WopiHeader.lock),
});

export function createLinter(opts: LinterOptions = {}) {
  const max = opts.maxFiles ?? 10_000;
  const rules = opts.rules ?? RULES;
  const files = new Map<string, FileFacts>();
  const locks = createLockTracker(max);
  const reported = new Set<string>();

  const tokenReported = (raw: string): boolean => {
    if (reported.has(raw)) return true;
    if (reported.size >= 1000) reported.clear();
    reported.add(raw);
    return false;
  };

  function factsFor(key: string): FileFacts {
    let f = files.get(key);
    if (!f) {
      if (files.size >= max) files.delete(files.keys().next().value!);
      f = { answered: false, sightings: [] };
      files.set(key, f);
    }
    return f;
  }

  /** What this exchange shows for the next ones. */
  function remember(key: string, x: Exchange, before: Before, precise: boolean): void {
    if (x.rec.source === 'check') locks.observe(key, wireLock(x), x.endAt);
    if (!is2xx(x.status)) return;
    const f = factsFor(key);
    f.answered = true;
    const item = x.resHeader(WopiHeader.itemVersion);
    if (item !== undefined) sawVersion(f, item, x.endAt, precise);
    if (x.op === 'CheckFileInfo') {
      const b = x.json();
      if (b.kind === 'ok' && typeof b.value === 'object' && b.value !== null) {
        const v = (b.value as Record<string, unknown>)['Version'];
        if (typeof v === 'string') sawVersion(f, v, x.endAt, precise);
      }
      if (before.unconfirmedPut) delete f.unconfirmedPut;
    }
    if (x.op === 'PutFile') {
      if (item === undefined && before.version !== undefined)
        f.unconfirmedPut = { before: before.version, endAt: x.endAt, precise };
      else delete f.unconfirmedPut;
    }
  }

  return {
    /** The findings of one record (empty when it breaks no rule), remembering what it showed. */
    lint(rec: RequestRecord): LintFinding[] {
      // No answer reached the wire (the client left first), or a workbench event (a lock-lab action,
      // an on-disk change) that is no exchange at all: there is nothing to judge.
      if (rec.status === 0 || rec.source === 'event') return [];
      const x = exchangeOf(rec);
      const key = x.fileId === undefined ? undefined : `${scopeOf(rec)}\n${x.fileId}`;
      const facts = key === undefined ? undefined : files.get(key);
      const precise = isPrecise(rec.startedAt);
      const before: Before = {
        // The producer's own view when it has one (our host reads its lock table; the proxy tracks
        // what is in flight); a conformance client's records are judged by the tracker.
        lock:
          rec.source === 'check'
            ? key === undefined
              ? undefined
              : locks.current(key, x.startAt)
            : rec.lockBefore,
        version: versionBefore(facts, x.startAt, precise),
        unconfirmedPut: putBefore(facts, x.startAt, precise),
        answered: facts?.answered ?? false,
      };
      const findings: LintFinding[] = [];
      const ctx = { x, before, tokenReported };
      for (const rule of rules) {
        const message = rule.check(ctx);
        if (message !== undefined) findings.push({ rule: rule.id, severity: rule.severity, message });
      }
      if (key !== undefined) remember(key, x, before, precise);
      return findings;
    },
  };
}

export type Linter = ReturnType<typeof createLinter>;

// The fault rules of a data dir (migration 3's fault_rules table): each rule as JSON, oldest first,
// with its counts beside it so a count moving per request is one small UPDATE, not a JSON rewrite.
import type { FaultRuleView } from '../contracts/lab';
import type { Db } from './db';

/** A rule as stored: the contract's view without what is counted or derived. */
export type FaultRuleRecord = Omit<FaultRuleView, 'matched' | 'hits' | 'remaining' | 'warnings'>;

export function createFaultRuleStore(db: Db) {
  const all = db.prepare<[], { rule: string; matched: number; hits: number }>(
    'SELECT rule, matched, hits FROM fault_rules ORDER BY seq',
  );
  const insert = db.prepare('INSERT INTO fault_rules (id, rule, matched, hits) VALUES (?, ?, 0, 0)');
  const updateRule = db.prepare('UPDATE fault_rules SET rule = ? WHERE id = ?');
  const updateAll = db.prepare('UPDATE fault_rules SET rule = ?, matched = ?, hits = ? WHERE id = ?');
  const counts = db.prepare('UPDATE fault_rules SET matched = ?, hits = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM fault_rules WHERE id = ?');
  const clear = db.prepare('DELETE FROM fault_rules');
  const batch = db.transaction((fn: () => void) => fn());
  return {
    list: () =>
      all
        .all()
        .map((r) => ({ rule: JSON.parse(r.rule) as FaultRuleRecord, matched: r.matched, hits: r.hits })),
    insert(rule: FaultRuleRecord): void {
      insert.run(rule.id, JSON.stringify(rule));
    },
    update(rule: FaultRuleRecord, c?: { matched: number; hits: number }): void {
      if (c) updateAll.run(JSON.stringify(rule), c.matched, c.hits, rule.id);
      else updateRule.run(JSON.stringify(rule), rule.id);
    },
    setCounts(id: string, matched: number, hits: number): void {
      counts.run(matched, hits, id);
    },
    remove: (id: string): boolean => remove.run(id).changes > 0,
    clear: (): number => clear.run().changes,
    batch(fn: () => void): void {
      batch(fn);
    },
  };
}

export type FaultRuleStore = ReturnType<typeof createFaultRuleStore>;

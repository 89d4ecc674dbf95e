// The fault-rule engine: the rules of a data dir (write-through to its store), their counts, and the
// one decision the WOPI router asks for on every call on a file: does a rule fire on this one?
// Rules are tried oldest first; each enabled, matching rule counts the request, and the first that
// fires wins (the rules after it do not see the request).
import { randomBytes } from 'node:crypto';
import type { WopiOperation } from '../contracts/api';
import type {
  FaultEffect,
  FaultPresetView,
  FaultRulesFile,
  FaultRuleInput,
  FaultRuleView,
} from '../contracts/lab';
import { defaultName } from './describe';
import { fires, isSpent } from './firing';
import { FAULT_PRESETS, presetById } from './presets';
import type { FaultRuleStore, FiredFault, StoredFaultRule, StoredFaultRow } from './types';
import { FaultRuleError } from './types';
import type { NormalizedRule } from './validate';
import { matchForEffect, parsePatch, parseRuleInput } from './validate';
import { warningsFor } from './warnings';

export interface FaultEngineDeps {
  store: FaultRuleStore;
  now: () => number;
  /** Told every change (added, removed, edited, imported, a count moved), with every rule. */
  onChange?: (rules: FaultRuleView[]) => void;
  /** The lock a file holds now, for the warning about a 409 that reports the real lock. */
  lockOf?: (fileId: string) => string | null;
}

const newId = (): string => `fr-${randomBytes(6).toString('hex')}`;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An add body: a rule (it has an effect), or a preset by id with changes to its rule. `at` prefixes
 * field names ('rules[2]') for a rules file.
 */
export function parseAdd(v: unknown, at = ''): NormalizedRule {
  if (isObj(v) && v['effect'] === undefined && typeof v['preset'] === 'string') {
    const allowed = ['preset', 'match', 'fire', 'name', 'enabled'];
    for (const k of Object.keys(v))
      if (!allowed.includes(k))
        throw new FaultRuleError(
          'bad-request',
          `${at ? `${at}.` : ''}${k} is not a field of a preset reference; use ${allowed.join(', ')}`,
        );
    const preset = presetById(v['preset']);
    if (!preset)
      throw new FaultRuleError(
        'not-found',
        `${at ? `${at}.` : ''}preset "${v['preset']}" is not a preset; use one of ${FAULT_PRESETS.map((p) => p.id).join(', ')}`,
      );
    const base = preset.rule;
    const merged: Obj = { ...base, preset: preset.id };
    if (v['match'] !== undefined)
      merged['match'] = isObj(v['match']) ? { ...base.match, ...v['match'] } : v['match'];
    if (v['fire'] !== undefined) merged['fire'] = v['fire'];
    if (v['name'] !== undefined) merged['name'] = v['name'];
    if (v['enabled'] !== undefined) merged['enabled'] = v['enabled'];
    return parseRuleInput(merged, at);
  }
  return parseRuleInput(v, at);
}

/** A whole rules file (FaultRulesFile): every rule checked before any is used. */
export function parseRulesFile(v: unknown): { rules: NormalizedRule[]; replace: boolean } {
  if (!isObj(v))
    throw new FaultRuleError(
      'bad-request',
      'the rules file must be a JSON object like {"format":"wopi-workbench-faults","version":1,"rules":[]}',
    );
  if (v['format'] !== 'wopi-workbench-faults')
    throw new FaultRuleError('bad-request', 'format must be "wopi-workbench-faults"');
  if (v['version'] !== 1) throw new FaultRuleError('bad-request', 'version must be 1');
  if (!Array.isArray(v['rules'])) throw new FaultRuleError('bad-request', 'rules must be an array of rules');
  if (v['replace'] !== undefined && typeof v['replace'] !== 'boolean')
    throw new FaultRuleError('bad-request', 'replace must be true or false');
  if (v['rules'].length > 1000) throw new FaultRuleError('bad-request', 'rules must hold at most 1000 rules');
  return {
    rules: (v['rules'] as unknown[]).map((r, i) => parseAdd(r, `rules[${i}]`)),
    replace: v['replace'] === true,
  };
}

interface Live {
  rule: StoredFaultRule;
  matched: number;
  hits: number;
}

export function createFaultEngine(deps: FaultEngineDeps) {
  const { store, now } = deps;
  // The rules in memory (oldest first), mirrored to the store on every change.
  const rules: Live[] = store.list().map((r: StoredFaultRow) => ({ ...r }));

  const view = (l: Live): FaultRuleView => {
    const v: FaultRuleView = {
      ...structuredClone(l.rule),
      matched: l.matched,
      hits: l.hits,
      warnings: warningsFor(l.rule, {
        rules: rules.map((r) => r.rule),
        ...(deps.lockOf ? { lockOf: deps.lockOf } : {}),
      }),
    };
    if (l.rule.fire.mode === 'next') v.remaining = Math.max(0, l.rule.fire.count - l.hits);
    return v;
  };
  const list = (): FaultRuleView[] => rules.map(view);
  const changed = (): void => deps.onChange?.(list());
  const find = (id: unknown): Live => {
    const l = typeof id === 'string' ? rules.find((r) => r.rule.id === id) : undefined;
    if (!l)
      throw new FaultRuleError('not-found', `no fault rule with id ${String(id)} (removed, or never added)`);
    return l;
  };
  const stored = (n: NormalizedRule): StoredFaultRule => {
    const r: StoredFaultRule = {
      id: newId(),
      name: n.name ?? defaultName(n.effect, n.match),
      match: n.match,
      fire: n.fire,
      effect: n.effect,
      enabled: n.enabled,
      createdAt: now(),
    };
    if (n.preset !== undefined) r.preset = n.preset;
    return r;
  };
  const insert = (n: NormalizedRule): Live => {
    const l: Live = { rule: stored(n), matched: 0, hits: 0 };
    store.insert(l.rule);
    rules.push(l);
    return l;
  };

  /** An unknown persona (the proxy's callers) matches only rules for any persona. */
  function matches(
    r: StoredFaultRule,
    op: WopiOperation,
    fileId: string,
    personaId: string | undefined,
  ): boolean {
    const m = r.match;
    return (
      (!m.operations || m.operations.length === 0 || m.operations.includes(op)) &&
      (m.fileId === undefined || m.fileId === fileId) &&
      (m.personaId === undefined || m.personaId === personaId)
    );
  }

  return {
    list,
    /** Enabled rules that can still fire (what `serve` reports as active). */
    activeCount: (): number => rules.filter((l) => l.rule.enabled && !isSpent(l.rule.fire, l.hits)).length,
    presets: (): FaultPresetView[] => structuredClone(FAULT_PRESETS as FaultPresetView[]),

    add(input: unknown): FaultRuleView {
      const l = insert(parseAdd(input));
      changed();
      return view(l);
    },

    update(id: unknown, input: unknown): FaultRuleView {
      const l = find(id);
      const patch = parsePatch(input);
      const next: StoredFaultRule = structuredClone(l.rule);
      if (patch.enabled !== undefined) next.enabled = patch.enabled;
      if (patch.name !== undefined) next.name = patch.name;
      if (patch.match !== undefined) next.match = matchForEffect(next.effect, patch.match);
      // A new firing starts counting again (a fresh 'next 3' fires three more times).
      const reset = patch.fire !== undefined;
      if (patch.fire !== undefined) next.fire = patch.fire;
      if (reset) {
        store.update(next, { matched: 0, hits: 0 });
        l.matched = 0;
        l.hits = 0;
      } else store.update(next);
      l.rule = next;
      changed();
      return view(l);
    },

    remove(id: unknown): FaultRuleView {
      const l = find(id);
      const out = view(l);
      store.remove(l.rule.id);
      rules.splice(rules.indexOf(l), 1);
      changed();
      return out;
    },

    clear(): number {
      const n = store.clear();
      rules.length = 0;
      changed();
      return n;
    },

    /** Adds a rules file's rules (all checked first), or replaces every rule with them. */
    importFile(input: unknown, replace?: boolean): FaultRuleView[] {
      const parsed = parseRulesFile(input);
      const instead = replace ?? parsed.replace;
      store.batch(() => {
        if (instead) {
          store.clear();
          rules.length = 0;
        }
        for (const n of parsed.rules) insert(n);
      });
      changed();
      return list();
    },

    exportFile(): FaultRulesFile {
      return {
        format: 'wopi-workbench-faults',
        version: 1,
        rules: rules.map(({ rule: r }) => {
          const out: FaultRuleInput = {
            name: r.name,
            match: structuredClone(r.match),
            fire: structuredClone(r.fire),
            effect: structuredClone(r.effect),
            enabled: r.enabled,
          };
          if (r.preset !== undefined) out.preset = r.preset;
          return out;
        }),
      };
    },

    /**
     * The rule that fires on this request, or null. Every enabled, unspent rule that matches counts
     * the request (persisted); the first that fires counts a hit and stops the search. `kinds`: only
     * rules with these effects take part.
     */
    decide(
      op: WopiOperation,
      fileId: string,
      personaId: string | undefined,
      kinds?: readonly FaultEffect['kind'][],
    ): FiredFault | null {
      if (rules.length === 0) return null;
      let touched = false;
      let fired: FiredFault | null = null;
      for (const l of rules) {
        const r = l.rule;
        if (!r.enabled || isSpent(r.fire, l.hits) || !matches(r, op, fileId, personaId)) continue;
        // A caller that can apply only some effects (the proxy) never sees, nor counts, the others.
        if (kinds && !kinds.includes(r.effect.kind)) continue;
        touched = true;
        l.matched += 1;
        const hit = fires(r.fire, l.matched, l.hits);
        if (hit) l.hits += 1;
        store.setCounts(r.id, l.matched, l.hits);
        if (hit) {
          fired = { ruleId: r.id, ruleName: r.name, effect: structuredClone(r.effect) };
          if (r.preset !== undefined) fired.preset = r.preset;
          break;
        }
      }
      if (touched) changed();
      return fired;
    },
  };
}

export type FaultEngine = ReturnType<typeof createFaultEngine>;

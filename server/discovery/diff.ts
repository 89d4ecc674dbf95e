// What changed between two discovery snapshots, for the UI and the event log: actions
// added/removed, proof keys rotated (expected) or replaced (suspicious), zone switched.
import type { DiscoveryChange } from '../contracts/api';
import { importProofKey } from '../proof/keys';
import type { DiscoveryProofKeyAttributes } from '../proof/keys';
import { actionsOf } from './parse';
import type { Discovery, DiscoveryAction } from './parse';

/** Beyond this many added/removed actions, the rest is summarised in one entry per kind. */
const MAX_ACTION_ENTRIES = 20;

export function diffDiscovery(prev: Discovery | null, next: Discovery): DiscoveryChange[] {
  if (!prev) return [];
  const changes: DiscoveryChange[] = [];
  if (prev.zone.name !== next.zone.name) {
    changes.push({
      kind: 'zone-changed',
      detail: `Using net-zone ${next.zone.name} instead of ${prev.zone.name}.`,
    });
  }
  changes.push(...diffKeys(prev.proofKey, next.proofKey));
  const before = indexActions(actionsOf(prev.zone));
  const after = indexActions(actionsOf(next.zone));
  changes.push(
    ...actionChanges(
      'action-added',
      [...after].filter(([k]) => !before.has(k)).map(([, a]) => a),
    ),
  );
  changes.push(
    ...actionChanges(
      'action-removed',
      [...before].filter(([k]) => !after.has(k)).map(([, a]) => a),
    ),
  );
  return changes;
}

function indexActions(actions: DiscoveryAction[]): Map<string, DiscoveryAction> {
  return new Map(actions.map((a) => [`${a.name}\u0000${a.ext}\u0000${a.progid}`, a]));
}

function actionChanges(
  kind: 'action-added' | 'action-removed',
  actions: DiscoveryAction[],
): DiscoveryChange[] {
  const verb = kind === 'action-added' ? 'added' : 'removed';
  const out: DiscoveryChange[] = actions.slice(0, MAX_ACTION_ENTRIES).map((a) => ({
    kind,
    detail: `${a.name} for ${a.ext ? `.${a.ext}` : a.progid || '(no extension)'} (${a.app}) ${verb}.`,
  }));
  if (actions.length > MAX_ACTION_ENTRIES) {
    out.push({ kind, detail: `…and ${actions.length - MAX_ACTION_ENTRIES} more actions ${verb}.` });
  }
  return out;
}

interface KeyIds {
  current: string | null;
  old: string | null;
}

function diffKeys(
  prev: DiscoveryProofKeyAttributes | null,
  next: DiscoveryProofKeyAttributes | null,
): DiscoveryChange[] {
  const a = fingerprints(prev);
  const b = fingerprints(next);
  if (a.current === b.current && a.old === b.old) return [];
  if (b.current && a.current && b.current !== a.current && b.old === a.current) {
    return [
      {
        kind: 'proof-key-rotated',
        detail: `Proof key rotated: ${a.current} is now the old key and ${b.current} the current one.`,
      },
    ];
  }
  return [
    {
      kind: 'proof-key-changed',
      detail: `Proof keys changed without a rotation: current ${a.current ?? 'none'} -> ${b.current ?? 'none'}, old ${a.old ?? 'none'} -> ${b.old ?? 'none'}.`,
    },
  ];
}

function fingerprints(attrs: DiscoveryProofKeyAttributes | null): KeyIds {
  if (!attrs) return { current: null, old: null };
  return {
    current: fingerprintOf({ value: attrs.value, modulus: attrs.modulus, exponent: attrs.exponent }),
    old: fingerprintOf({ value: attrs.oldvalue, modulus: attrs.oldmodulus, exponent: attrs.oldexponent }),
  };
}

function fingerprintOf(attrs: { value: string; modulus: string; exponent: string }): string | null {
  try {
    return importProofKey(attrs)?.fingerprint ?? null;
  } catch {
    // An unreadable key still counts as "some key": compare its raw text so a change shows up.
    return `unreadable:${(attrs.modulus || attrs.value).slice(0, 12)}`;
  }
}

// What every storm shares: the context (a live serve, a seed file to create storm files next to, a
// seeded RNG, the answer bound) and how a finding is written down and tagged.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Violation } from './checks';
import { describeResponse } from './checks';
import type { Rng } from './rng';
import type { ServeTarget } from './target';
import type { FileHandle, Timed } from './wopi-raw';

export interface StormContext {
  target: ServeTarget;
  /** A served file to create the storm files next to (PutRelativeFile). */
  seed: FileHandle;
  rng: Rng;
  /** Every request must be answered within this long. */
  bound: number;
}

/** A storm finding; `tag` says which rule it broke. */
export type StormViolation = Violation & { tag: string };

export const v = (tag: string, message: string, kind: Violation['kind'] = 'storm'): StormViolation => ({
  kind,
  tag,
  message,
});

export function answerProblem(
  t: Timed,
  what: string,
  allowed: readonly number[],
  tag: string,
): StormViolation | null {
  if (!t.res) return v(`${tag}-unanswered`, `${what}: ${t.outcome.kind}`, 'unanswered');
  if (t.res.status >= 500 && t.res.status !== 501)
    return v(`${tag}-5xx`, `${what} ${describeResponse(t.res)}`, '5xx');
  if (!allowed.includes(t.res.status))
    return v(`${tag}-status`, `${what}: expected ${allowed.join('/')}, ${describeResponse(t.res)}`);
  return null;
}

export async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(path.join(dir, e.name), r)));
    else out.push(r);
  }
  return out;
}

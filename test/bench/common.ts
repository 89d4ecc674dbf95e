// What every part of the bench shares: where the repository is, the three servers it compares, and
// the arithmetic of its figures.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = path.join(repoRoot, 'bin', 'wopi-workbench.mjs');
export const MB = 1024 * 1024;
export const LOCK_ID = 'BENCH-LOCK';

/** The three servers of every run, in the order they are loaded. */
export const TARGETS = ['workbench', 'bareNode', 'bareExpress'] as const;
export type Target = (typeof TARGETS)[number];

export interface Ratios {
  workbenchOverBareNode: number;
  workbenchOverBareExpress: number;
  bareExpressOverBareNode: number;
}

export function ratios(workbench: number, bareNode: number, bareExpress: number): Ratios {
  const q = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;
  return {
    workbenchOverBareNode: q(workbench, bareNode),
    workbenchOverBareExpress: q(workbench, bareExpress),
    bareExpressOverBareNode: q(bareExpress, bareNode),
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

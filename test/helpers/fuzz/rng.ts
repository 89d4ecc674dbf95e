// A small seeded PRNG (sfc32, seeded through splitmix32) so a fuzz run is replayable from one number:
// every client draws from its own fork, so its sequence of requests does not depend on scheduling.
import { randomInt } from 'node:crypto';

export interface Rng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weight. */
  weighted<T>(table: ReadonlyArray<readonly [T, number]>): T;
  bytes(n: number): Buffer;
  /** An independent stream derived from this seed and `label`. */
  fork(label: string): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32();
  const float = (): number => next32() / 4294967296;
  const int = (lo: number, hi: number): number => lo + Math.floor(float() * (hi - lo + 1));
  return {
    seed,
    float,
    int,
    chance: (p) => float() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)]!;
    },
    weighted: <T>(table: ReadonlyArray<readonly [T, number]>): T => {
      const total = table.reduce((s, [, w]) => s + w, 0);
      let r = float() * total;
      for (const [value, w] of table) {
        r -= w;
        if (r < 0) return value;
      }
      return table[table.length - 1]![0];
    },
    bytes: (n) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i += 4) {
        const v = next32();
        for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = (v >>> (8 * k)) & 0xff;
      }
      return out;
    },
    fork: (label) => createRng((seed ^ hashLabel(label)) >>> 0),
  };
}

export const randomSeed = (): number => randomInt(1, 2 ** 31);

/** A seed from a flag or environment value; a fresh random one when absent. */
export function parseSeed(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return randomSeed();
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32)
    throw new Error(`seed must be a 32-bit integer: ${text}`);
  return n;
}

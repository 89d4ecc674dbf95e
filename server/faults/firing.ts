// When a rule fires. The probability mode draws from a counter-based generator: the n-th matching
// request's draw is a hash of (seed, n), so a run repeats exactly with the same seed, survives a
// restart (n is the persisted `matched` count), and needs no generator state beyond that count.
import type { FaultFiring } from '../contracts/lab';

/** A 32-bit integer hash with full avalanche (the MurmurHash3 finalizer). */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The draw in [0, 1) for the n-th (1-based) matching request under `seed`. */
export function draw(seed: number, n: number): number {
  // The seed is hashed first so that nearby seeds give unrelated sequences.
  const h = mix32(mix32(seed ^ 0x9e3779b9) ^ Math.imul(n >>> 0, 0x27d4eb2d) ^ Math.floor(n / 2 ** 32));
  return h / 2 ** 32;
}

/**
 * Whether a rule fires on its n-th matching request (n counts this one), given how often it has fired
 * so far. A 'next' rule is spent once `hits` reaches its count.
 */
export function fires(fire: FaultFiring, n: number, hits: number): boolean {
  switch (fire.mode) {
    case 'every':
      return true;
    case 'next':
      return hits < fire.count;
    case 'probability':
      return draw(fire.seed, n) < fire.probability;
  }
}

/** A 'next' rule that has used up its count: listed, but no longer counting or firing. */
export const isSpent = (fire: FaultFiring, hits: number): boolean =>
  fire.mode === 'next' && hits >= fire.count;

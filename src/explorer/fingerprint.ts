/**
 * 64-bit fingerprints of packed states, as two 32-bit halves (no BigInt on the hot path).
 *
 * Each half is an independent murmur3-style hash of the words. Neither half is ever 0: the seen
 * table uses `lo = 0` to mean "empty slot" and `hi = 0` to mean "slot being written".
 * `fingerprint` writes into a reused 2-element array to avoid allocating per state.
 */
export function fingerprint(words: Uint32Array, off: number, n: number, out: Int32Array): void {
  let h1 = 0x9747b28c ^ n;
  let h2 = 0x85ebca6b ^ Math.imul(n, 0x27d4eb2f);
  for (let k = 0; k < n; k++) {
    const w = words[off + k]!;
    let k1 = Math.imul(w, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, 0x1b873593);
    h1 ^= k1;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let k2 = Math.imul(w ^ 0x5bd1e995, 0x2545f491);
    k2 = (k2 << 17) | (k2 >>> 15);
    h2 = Math.imul(h2 ^ k2, 0x7feb352d);
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (h2 + 0x165667b1) | 0;
  }
  out[0] = fmix(h1) || 1;
  out[1] = fmix(h2 ^ h1) || 1;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * TLC's "optimistic" estimate of the probability that two distinct states got the same
 * fingerprint: distinct * (generated - distinct) / 2^64.
 */
export function collisionProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}

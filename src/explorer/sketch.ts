/**
 * A HyperLogLog sketch of the distinct states a search has seen: 4,096 one-byte registers
 * (about 1.6% standard error), fed with the 64-bit fingerprints the explorer already computes.
 * Sketches of separate searches merge by taking each register's maximum, and the merge equals the
 * sketch of all their states together, exactly: so shards of a swarm can be combined afterwards
 * without shipping their states.
 */
const P = 12;
export const SKETCH_REGISTERS = 1 << P;

export function newSketch(): Uint8Array {
  return new Uint8Array(SKETCH_REGISTERS);
}

/** Adds the state with fingerprint halves `lo`, `hi` (as `fingerprint` writes them). */
export function sketchAdd(sketch: Uint8Array, lo: number, hi: number): void {
  const register = lo & (SKETCH_REGISTERS - 1);
  // The rank: leading zeros of the other half, plus one (32 bits are plenty for 4,096 registers).
  const rank = Math.clz32(hi) + 1;
  if (rank > sketch[register]!) sketch[register] = rank;
}

/** `into := max(into, other)` register by register. */
export function sketchMerge(into: Uint8Array, other: Uint8Array): void {
  if (other.length !== into.length) throw new RangeError(`sketches of different sizes (${into.length} and ${other.length})`);
  for (let k = 0; k < into.length; k++) if (other[k]! > into[k]!) into[k] = other[k]!;
}

/** The estimated number of distinct states (with the small-range correction of the original paper). */
export function sketchEstimate(sketch: Uint8Array): number {
  const m = sketch.length;
  let sum = 0;
  let zeros = 0;
  for (let k = 0; k < m; k++) {
    sum += 2 ** -sketch[k]!;
    if (sketch[k] === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  return Math.round(raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw);
}

/**
 * The seen-set: an open-addressed (linear probing) table of 64-bit fingerprints in a
 * SharedArrayBuffer, so that worker threads insert into one table concurrently.
 *
 * Slot k holds the fingerprint's low half at int32 index 2k and its high half at 2k+1 (one
 * little-endian BigInt64 element). A slot is empty while its low half is 0 (fingerprints never have
 * a zero low half). Readers use plain loads; an insert claims an empty slot with one 64-bit
 * compare-and-swap, so two threads can never both insert the same fingerprint, and a slot is never
 * seen half-written.
 *
 * The table does not grow while threads use it: the explorer pauses the workers at a chunk
 * boundary when the load passes `GROW_AT` and rehashes into a table twice the size.
 */
export const GROW_AT = 0.55;
/** Inserts that may still happen after the explorer decided to grow (in-flight chunks). */
export const HEADROOM = 0.15;

export interface SeenTable {
  readonly buffer: SharedArrayBuffer;
  /** Number of slots, a power of two. */
  readonly capacity: number;
}

export function createSeenTable(capacity: number): SeenTable {
  if ((capacity & (capacity - 1)) !== 0 || capacity < 16) throw new Error(`table capacity ${capacity} is not a power of two >= 16`);
  return { buffer: new SharedArrayBuffer(capacity * 8), capacity };
}

/** A thread's handle on a table: typed views and the insert operation. */
export class SeenView {
  readonly ints: Int32Array;
  private readonly big: BigInt64Array;
  private readonly mask: number;

  constructor(readonly table: SeenTable) {
    this.ints = new Int32Array(table.buffer);
    this.big = new BigInt64Array(table.buffer);
    this.mask = table.capacity - 1;
  }

  /** Inserts fingerprint (lo, hi); returns true when it was not there before. */
  insert(lo: number, hi: number): boolean {
    const ints = this.ints;
    const mask = this.mask;
    let slot = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    for (;;) {
      const at = slot << 1;
      const l = Atomics.load(ints, at);
      if (l === 0) {
        const want = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
        const was = Atomics.compareExchange(this.big, slot, 0n, want);
        if (was === 0n) return true;
        if (was === BigInt.asIntN(64, want)) return false;
      } else if (l === lo && ints[at + 1] === hi) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Copies every fingerprint into `into` (used when growing). */
  rehashInto(into: SeenView): void {
    const ints = this.ints;
    for (let at = 0; at < ints.length; at += 2) {
      const lo = ints[at]!;
      if (lo !== 0) into.insertFresh(lo, ints[at + 1]!);
    }
  }

  /** Insert known to be absent, single-threaded (growing). */
  private insertFresh(lo: number, hi: number): void {
    const ints = this.ints;
    const mask = this.mask;
    let slot = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    while (ints[slot << 1] !== 0) slot = (slot + 1) & mask;
    ints[slot << 1] = lo;
    ints[(slot << 1) + 1] = hi;
  }
}

/**
 * The seen-set: an open-addressed (linear probing) table of 64-bit fingerprints in a
 * SharedArrayBuffer, so that worker threads insert into one table concurrently.
 *
 * Slot k holds the fingerprint's low half at int32 index 2k and its high half at 2k+1. Neither
 * half of a fingerprint is ever 0 (see `fingerprint.ts`), so a slot is empty while its low half is
 * 0, and a claimed slot whose high half still reads 0 is being written by another thread.
 *
 * An insert claims an empty slot with a 32-bit compare-and-swap of the low half, then stores the
 * high half (`insert` here; the explorer's hot loop, `Expander` in `expand.ts`, inlines the same
 * protocol, and claims with plain stores when it is the table's only user). A thread that finds a matching low half waits (a few instructions at most) for the
 * high half before comparing it. So two threads can never both insert the same fingerprint, and
 * nobody ever decides on a half-written slot. (A 64-bit `BigInt64Array` CAS would do the same in one
 * step, but allocates two BigInts per new state: 32-bit atomics are several times faster.)
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

/** The home slot of a fingerprint (also used to touch slots ahead of inserting, see `expand.ts`). */
export function homeSlot(lo: number, hi: number, mask: number): number {
  return (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
}

/** A thread's handle on a table: typed views and the insert operation. */
export class SeenView {
  readonly ints: Int32Array;
  readonly mask: number;

  constructor(readonly table: SeenTable) {
    this.ints = new Int32Array(table.buffer);
    this.mask = table.capacity - 1;
  }

  /** Inserts fingerprint (lo, hi), both non-zero; returns true when it was not there before. */
  insert(lo: number, hi: number): boolean {
    const ints = this.ints;
    const mask = this.mask;
    let slot = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    for (;;) {
      const at = slot << 1;
      let l = Atomics.load(ints, at);
      if (l === 0) {
        l = Atomics.compareExchange(ints, at, 0, lo);
        if (l === 0) {
          Atomics.store(ints, at + 1, hi);
          return true;
        }
        // Another thread claimed this slot first: l is what it wrote; go on as if we had read it.
      }
      if (l === lo) {
        let h = Atomics.load(ints, at + 1);
        while (h === 0) h = Atomics.load(ints, at + 1); // its writer is between its two stores
        if (h === hi) return false;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Whether fingerprint (lo, hi) is present (single-threaded use: tests). */
  has(lo: number, hi: number): boolean {
    const ints = this.ints;
    const mask = this.mask;
    for (let slot = homeSlot(lo, hi, mask); ; slot = (slot + 1) & mask) {
      const l = ints[slot << 1]!;
      if (l === 0) return false;
      if (l === lo && ints[(slot << 1) + 1] === hi) return true;
    }
  }

  /**
   * Copies every fingerprint of slots `[from, to)` into `into`, a table twice the size, with no
   * other thread using either table. Scanning in slot order keeps the writes in two nearly
   * sequential streams (a fingerprint's new home is its old home or that plus the old capacity),
   * so this runs at memory bandwidth rather than at one cache miss per entry.
   */
  rehashInto(into: SeenView, from = 0, to = this.table.capacity): void {
    const src = this.ints;
    const dst = into.ints;
    const mask = into.mask;
    for (let at = from << 1, end = to << 1; at < end; at += 2) {
      const lo = src[at]!;
      if (lo === 0) continue;
      const hi = src[at + 1]!;
      let slot = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
      while (dst[slot << 1] !== 0) slot = (slot + 1) & mask;
      dst[slot << 1] = lo;
      dst[(slot << 1) + 1] = hi;
    }
  }

  /** Number of occupied slots (a full scan: tests and diagnostics only). */
  size(): number {
    let n = 0;
    for (let at = 0; at < this.ints.length; at += 2) if (this.ints[at] !== 0) n++;
    return n;
  }
}

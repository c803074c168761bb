import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/explorer/fingerprint.js';
import { createSeenTable, SeenView } from '../../src/explorer/seen.js';

/** Distinct non-zero fingerprints of the numbers 0 .. n-1. */
function fingerprints(n: number, salt: number): [number, number][] {
  const out: [number, number][] = [];
  const fp = new Int32Array(2);
  for (let k = 0; k < n; k++) {
    fingerprint(Uint32Array.of(k, salt), 0, 2, fp);
    out.push([fp[0]!, fp[1]!]);
  }
  return out;
}

describe('seen table', () => {
  it('inserts each fingerprint once and finds it again', () => {
    const t = new SeenView(createSeenTable(1 << 12));
    const fps = fingerprints(2000, 1);
    for (const [lo, hi] of fps) expect(t.insert(lo, hi)).toBe(true);
    for (const [lo, hi] of fps) expect(t.insert(lo, hi)).toBe(false);
    for (const [lo, hi] of fps) expect(t.has(lo, hi)).toBe(true);
    expect(t.size()).toBe(2000);
  });

  it('grows by rehashing (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2200 }), fc.integer(), (n, salt) => {
        const old = new SeenView(createSeenTable(1 << 12));
        const fps = fingerprints(n, salt);
        for (const [lo, hi] of fps) old.insert(lo, hi);
        const bigger = new SeenView(createSeenTable(1 << 13));
        old.rehashInto(bigger);
        expect(bigger.size()).toBe(n);
        for (const [lo, hi] of fps) expect(bigger.has(lo, hi)).toBe(true);
        for (const [lo, hi] of fps) expect(bigger.insert(lo, hi)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});

/** The size estimate printed before a long manifest run: from the same configuration at lower budgets. */
import { describe, expect, it } from 'vitest';
import { estimateLine, estimateStates } from '../../src/check/estimate.js';
import { resolvePlan } from '../../src/scenario/scenario.js';

const plan = (params: Record<string, unknown>, controller?: string) =>
  resolvePlan({ name: 'x', description: 'x', model: 'statefulset', params, expect: {} }, controller !== undefined ? { controller } : {}, 'test');

describe('the state count estimate', () => {
  it('extrapolates from budgets 0, 1 and 2 to within a factor of two of the real count (760,540 at budget 3)', async () => {
    const e = (await estimateStates(plan({ faults: 'all', userOps: 'all', budget: 3 }), true))!;
    expect(e.samples).toEqual([
      { budget: 0, states: 26 },
      { budget: 1, states: 1837 },
      { budget: 2, states: 50341 },
    ]);
    expect(e.atLeast).toBe(false);
    expect(e.states / 760540).toBeGreaterThan(0.5);
    expect(e.states / 760540).toBeLessThan(2);
    expect(estimateLine('web-ordering', e)).toMatch(/^web-ordering: up to about [\d,]+ distinct states, fewer if every checked property fails early \(from 26 at budget 0, 1,837 at budget 1, 50,341 at budget 2\): up to 1 s on two cores$/);
  });

  it('says "more than" when a sample reaches its cap, and gives none below budget 2 or for a variant', async () => {
    const e = (await estimateStates(plan({ faults: 'all', userOps: 'all', budget: 3 }), true, undefined, 1000))!;
    expect(e.atLeast).toBe(true);
    expect(e.samples.map((s) => s.budget)).toEqual([0, 1]);
    expect(e.states).toBeGreaterThan(1000);
    expect(estimateLine('x', e)).toMatch(/^x: more than [\d,]+ distinct states, fewer if every checked property fails early \(from 26 at budget 0, [\d,]+\+ at budget 1\)/);
    expect(await estimateStates(plan({ budget: 1 }), true)).toBeUndefined();
    expect(await estimateStates(plan({ budget: 3 }, 'no-ready-wait'), true)).toBeUndefined();
  });
});

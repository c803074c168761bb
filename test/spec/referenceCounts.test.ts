import { describe, expect, it } from 'vitest';
import { exploreAll, sts } from '../helpers.js';

// reference-model.md, "Reference counts": any faithful rendering must find exactly these.
describe('reference state counts', () => {
  it('defaults: 50 distinct states', async () => {
    const r = await exploreAll(sts());
    expect(r.complete).toBe(true);
    expect(r.distinct).toBe(50);
  });

  it('all four faults, all seven user operations, budget 1: 3,627 distinct states', async () => {
    const r = await exploreAll(sts({ faults: 'all', userOps: 'all', budget: 1 }));
    expect(r.distinct).toBe(3627);
  });

  it('nodeCrash + deleteNode, budget 2: 9,880 distinct states', async () => {
    const r = await exploreAll(sts({ faults: ['nodeCrash'], userOps: ['deleteNode'], budget: 2 }));
    expect(r.distinct).toBe(9880);
  });

  it('counts generated states as one per enabled action instance, and depth from 1 (TLC conventions)', async () => {
    // With no environment events the defaults form a tree: 49 steps, each reaching a new state.
    const r = await exploreAll(sts());
    expect(r.generated).toBe(50);
    expect(r.depth).toBe(13);
    const b1 = await exploreAll(sts({ faults: 'all', userOps: 'all', budget: 1 }));
    expect([b1.generated, b1.depth]).toEqual([7985, 26]);
    const crash = await exploreAll(sts({ faults: ['nodeCrash'], userOps: ['deleteNode'], budget: 2 }));
    expect([crash.generated, crash.depth]).toEqual([28785, 32]);
  });

  it('start = running has one initial state per placement of the running pods', async () => {
    const r = await exploreAll(sts({ start: 'running' }));
    expect(sts({ start: 'running' }).initialStates()).toHaveLength(8);
    // Nothing is enabled in a converged set with no events to spend: every initial state is terminal.
    expect([r.distinct, r.depth]).toEqual([8, 1]);
  });
});

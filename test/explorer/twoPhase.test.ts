import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explorer/bfs.js';
import { rebuildTrace } from '../../src/explorer/trace.js';
import { loadModel } from '../../src/registry.js';

// A model unrelated to Kubernetes, through the same contract: the explorer is model-agnostic.
describe('two-phase commit', () => {
  it('has 288 reachable states with 3 resource managers (as in TLC) and is consistent', async () => {
    const r = await explore(loadModel({ model: 'twophase', params: {} }), { check: ['Consistent', 'DecisionsStick'] });
    expect(r.distinct).toBe(288);
    expect(r.complete).toBe(true);
    expect(r.violations.size).toBe(0);
  });

  it('the buggy transaction manager breaks consistency, with a shortest replayable trace', async () => {
    const model = loadModel({ model: 'twophase', params: { bug: 'true', rms: 2 } });
    const r = await explore(model, { check: ['Consistent'] });
    const v = r.violations.get('Consistent')!;
    expect(r.stopReason).toBe('allViolated');
    // RM 0 prepares, TM hears it, commits; RM 1 aborts on its own; RM 0 receives commit.
    expect(v.traceLength).toBe(5);
    const steps = rebuildTrace(model, r.store, v.stateId);
    expect(steps).toHaveLength(6);
    const last = steps[steps.length - 1]!.state;
    const consistent = model.properties.find((p) => p.name === 'Consistent')!;
    if (consistent.kind !== 'invariant') expect.unreachable(`Consistent is a ${consistent.kind} property, not an invariant`);
    expect(consistent.holds(last)).toBe(false);
  });
});

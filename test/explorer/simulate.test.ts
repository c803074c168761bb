import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explorer/bfs.js';
import type { Model } from '../../src/explorer/model.js';
import { simulate, Xoshiro128, type Simulation } from '../../src/explorer/simulate.js';
import { loadModel } from '../../src/registry.js';
import { loadModel as loadGraph } from './randomGraph.mjs';

const forceDelete = () => loadModel({ model: 'statefulset', params: { userOps: ['forceDeletePod'], budget: 2 } });

/** Everything a run reports except its duration. */
function outcome<S>(r: Simulation<S>) {
  const { seconds: _seconds, fired, violation, ...rest } = r;
  return { ...rest, fired: Array.from(fired), violation: violation && { ...violation, trace: violation.trace.map((t) => t.action) } };
}

/** The trace replays: each step is enabled in the state before it and leads to the next state. */
function replays<S>(model: Model<S>, trace: { actionIndex: number; state: S }[]) {
  const words = (s: S) => {
    const out = new Uint32Array(model.stateWords);
    model.encode(s, out, 0);
    return Array.from(out);
  };
  const initial = model.initialStates().map(words);
  expect(initial).toContainEqual(words(trace[0]!.state));
  for (let k = 1; k < trace.length; k++) {
    const next = model.apply(trace[k - 1]!.state, trace[k]!.actionIndex);
    expect(next).not.toBeNull();
    expect(words(next!)).toEqual(words(trace[k]!.state));
  }
}

describe('simulation (random walks)', () => {
  it('is reproducible: the same seed gives the same walks', async () => {
    const model = loadModel({ model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 3 } });
    const options = { runs: 200, depth: 60, check: ['AtMostOne', 'OrderedCreation', 'NoDataLoss'] };
    const a = await simulate(model, { ...options, seed: 42 });
    const b = await simulate(model, { ...options, seed: 42 });
    expect(outcome(b)).toEqual(outcome(a));
    const c = await simulate(model, { ...options, seed: 43 });
    expect(outcome(c)).not.toEqual(outcome(a));
  });

  it('finds the force-delete violation of AtMostOne, with a trace that replays', async () => {
    const model = forceDelete();
    const r = await simulate(model, { runs: 10_000, depth: 40, seed: 1, check: ['AtMostOne'] });
    expect(r.stopReason).toBe('violation');
    expect(r.complete).toBe(false);
    const v = r.violation!;
    expect(v.property).toBe('AtMostOne');
    expect(v.kind).toBe('invariant');
    expect(v.trace).toHaveLength(v.traceLength + 1);
    // Never shorter than the shortest counterexample breadth-first search finds (7 steps).
    expect(v.traceLength).toBeGreaterThanOrEqual(7);
    expect(v.trace.map((t) => t.action).filter((a) => a?.startsWith('ForceDeletePod'))).not.toHaveLength(0);
    replays(model, v.trace);
    const atMostOne = model.properties.find((p) => p.name === 'AtMostOne')!;
    if (atMostOne.kind !== 'invariant') expect.unreachable(`AtMostOne is a ${atMostOne.kind} property, not an invariant`);
    expect(atMostOne.holds(v.trace[v.traceLength]!.state)).toBe(false);
    expect(r.runs).toBe(v.run + 1);
    // Same seed, same violation.
    expect(outcome(await simulate(model, { runs: 10_000, depth: 40, seed: 1, check: ['AtMostOne'] }))).toEqual(outcome(r));
  });

  it('finds a step-property violation (NoDataLoss) as the step that breaks it', async () => {
    const model = loadModel({ model: 'statefulset', params: { userOps: ['deletePVC', 'deletePod'] } });
    const r = await simulate(model, { runs: 20_000, depth: 40, seed: 7, check: ['NoDataLoss'] });
    const v = r.violation!;
    expect([v.property, v.kind]).toEqual(['NoDataLoss', 'transition']);
    expect(v.traceLength).toBeGreaterThanOrEqual(6); // BFS: 6
    replays(model, v.trace);
    const p = model.properties.find((q) => q.name === 'NoDataLoss')!;
    const [pre, post] = [v.trace[v.traceLength - 1]!, v.trace[v.traceLength]!];
    if (p.kind !== 'transition') expect.unreachable(`NoDataLoss is a ${p.kind} property, not a transition property`);
    expect(p.holds(pre.state, post.state, post.actionIndex)).toBe(false);
  });

  it('completes every walk when nothing is violated, with consistent statistics', async () => {
    const model = loadModel({ model: 'statefulset', params: { faults: ['nodeCrash'], userOps: ['deleteNode'], budget: 2 } });
    const r = await simulate(model, { runs: 300, depth: 100, seed: 3, check: ['AtMostOne', 'NoDataLoss', 'StableStorage'] });
    expect([r.complete, r.stopReason, r.violation, r.runs]).toEqual([true, null, null, 300]);
    expect(r.fired.reduce((a, b) => a + b, 0)).toBe(r.steps);
    // The set converges and the budget runs out: every walk ends in a terminal state.
    expect(r.deadlocks).toBe(300);
    expect(r.longestRun).toBeLessThanOrEqual(100);
    expect(r.generated).toBeGreaterThanOrEqual(r.steps);
  });

  it('stops on abort and on the time limit with the statistics so far', async () => {
    const model = loadModel({ model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 6 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = await simulate(model, { runs: 1e9, depth: 100, seed: 5, check: [], signal: controller.signal });
    expect([aborted.complete, aborted.stopReason]).toEqual([false, 'interrupted']);
    expect(aborted.runs).toBeGreaterThan(0);
    const timed = await simulate(model, { runs: 1e9, depth: 100, seed: 5, check: [], timeLimitSeconds: 0.1 });
    expect([timed.complete, timed.stopReason]).toEqual([false, 'timeLimit']);
    expect(timed.steps).toBeGreaterThan(0);
  });

  it('rejects liveness and unknown properties', async () => {
    const model = forceDelete();
    await expect(simulate(model, { runs: 1, depth: 1, seed: 1, check: ['EventuallyConverged'] })).rejects.toThrow(/liveness/);
    await expect(simulate(model, { runs: 1, depth: 1, seed: 1, check: ['Nope'] })).rejects.toThrow(/no property/);
  });

  it('on random graphs: never a trace shorter than the shortest, always a real one (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 30 }).chain((states) => {
          const state = fc.integer({ min: 0, max: states - 1 });
          return fc.record({
            states: fc.constant(states),
            initial: fc.array(state, { minLength: 1, maxLength: 2 }),
            actions: fc.array(fc.uniqueArray(fc.tuple(state, state), { selector: ([from]) => from, maxLength: states }), { minLength: 1, maxLength: 4 }),
            bad: fc.array(state, { maxLength: 2 }),
            forbidden: fc.constant([]),
          });
        }),
        fc.integer(),
        async (g, seed) => {
          const model = loadGraph(g);
          const r = await simulate(model, { runs: 50, depth: 40, seed, check: ['NotBad'] });
          const bfs = await explore(model, { check: ['NotBad'] });
          const shortest = bfs.violations.get('NotBad')?.traceLength;
          if (r.violation) {
            expect(shortest).toBeDefined();
            expect(r.violation.traceLength).toBeGreaterThanOrEqual(shortest!);
            replays(model, r.violation.trace);
          }
          if (shortest === undefined) expect(r.violation).toBeNull();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('xoshiro128**: deterministic, and uniform enough for choosing among a few actions', () => {
    const a = new Xoshiro128(123);
    const b = new Xoshiro128(123);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(new Set(xs).size).toBe(1000);
    const counts = [0, 0, 0];
    const c = new Xoshiro128(9);
    for (let k = 0; k < 30_000; k++) counts[c.below(3)]!++;
    for (const n of counts) expect(Math.abs(n - 10_000)).toBeLessThan(600);
  });
});

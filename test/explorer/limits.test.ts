import { afterAll, describe, expect, it } from 'vitest';
import { explore, memoryPlan, type Exploration } from '../../src/explorer/bfs.js';
import { WorkerPool } from '../../src/explorer/pool.js';
import { rebuildTrace } from '../../src/explorer/trace.js';
import { loadModel, modelRef, type ModelSpec } from '../../src/registry.js';

// A configuration far too big to finish within any of the limits below (15.5 million states).
const big: ModelSpec = { model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 4 } };
// 103,901 states.
const medium: ModelSpec = { model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 2 } };

let pool: WorkerPool | undefined;
afterAll(async () => {
  await pool?.close();
});

let pool2: WorkerPool | undefined;
afterAll(async () => {
  await pool2?.close();
});

/** No pool; two worker threads for every level; this thread and a worker thread. */
const modes = [
  ['on this thread', () => ({})],
  ['on two worker threads', () => ({ pool: (pool ??= new WorkerPool(modelRef(big), 2, { callerExplores: false })), inlineSmallLevels: false })],
  ['on this thread and a worker thread', () => ({ pool: (pool2 ??= new WorkerPool(modelRef(big), 2)), inlineSmallLevels: false })],
] as const;

/** Partial statistics are consistent: every stored state is reachable and replays. */
function consistent(r: Exploration) {
  expect(r.complete).toBe(false);
  expect(r.distinct).toBeGreaterThan(0);
  expect(r.generated).toBeGreaterThanOrEqual(r.distinct);
  expect(r.depth).toBeGreaterThan(0);
  expect(r.levelStarts).toHaveLength(r.depth);
  // Generated = initial states + one per fired instance.
  const fired = r.fired.reduce((a, b) => a + b, 0);
  expect(fired).toBe(r.generated - 1);
  const model = loadModel(big);
  const last = r.distinct - 1;
  expect(() => rebuildTrace(model, r.store, last)).not.toThrow();
}

/** The big model explored to a depth (the same for every thread arrangement: computed once). */
const toDepth = new Map<number, Promise<Exploration>>();
function byDepth(depth: number): Promise<Exploration> {
  let r = toDepth.get(depth);
  if (!r) {
    r = explore(loadModel(big), { check: [], maxDepth: depth });
    toDepth.set(depth, r);
  }
  return r;
}

/** The medium model, whole and to depth 8: the same for every thread arrangement, so explored once. */
let medium8: Promise<[Exploration, Exploration]> | undefined;
const mediumExplorations = () =>
  (medium8 ??= Promise.all([explore(loadModel(medium), { check: [] }), explore(loadModel(medium), { check: [], maxDepth: 8 })]));

describe('limits stop cleanly with partial statistics', () => {
  for (const [where, extra] of modes) {
    describe(where, () => {
      it('maxStates: the complete levels within the limit, exactly what maxDepth reports at that depth', async () => {
        const r = await explore(loadModel(big), { check: [], maxStates: 20_000, ...extra() });
        expect(r.stopReason).toBe('maxStates');
        expect(r.distinct).toBeLessThanOrEqual(20_000);
        consistent(r);
        // The level that would have passed the limit is dropped whole: the result is the first
        // levels, the same as a depth limit there (only the reason differs).
        const same = await byDepth(r.depth);
        expect([r.distinct, r.generated, r.depth, r.levelStarts, Array.from(r.fired)]).toEqual([same.distinct, same.generated, same.depth, same.levelStarts, Array.from(same.fired)]);
        // One more level would not have fitted.
        expect((await byDepth(r.depth + 1)).distinct).toBeGreaterThan(20_000);
      });

      it('maxDepth: the first levels, complete, and nothing beyond', async () => {
        const r = await explore(loadModel(big), { check: [], maxDepth: 8, ...extra() });
        expect(r.stopReason).toBe('maxDepth');
        expect(r.depth).toBe(8);
        consistent(r);
        // Level by level the same as an unlimited exploration's first levels.
        const [full, same] = await mediumExplorations();
        expect(same.levelStarts).toEqual(full.levelStarts.slice(0, 8));
        expect(same.distinct).toBe(full.levelStarts[8]);
      });

      it('time limit', async () => {
        const r = await explore(loadModel(big), { check: [], timeLimitSeconds: 0.3, ...extra() });
        expect(r.stopReason).toBe('timeLimit');
        consistent(r);
      });

      it('abort signal (Ctrl-C) during exploration', async () => {
        const controller = new AbortController();
        let ticks = 0;
        const r = await explore(loadModel(big), {
          check: [],
          signal: controller.signal,
          progressIntervalMs: 20,
          onProgress: () => {
            if (++ticks === 3) controller.abort();
          },
          ...extra(),
        });
        expect(r.stopReason).toBe('interrupted');
        expect(ticks).toBeGreaterThanOrEqual(3);
        consistent(r);
      });

      it('memory budget: the table is not grown past it, and the stop is at a level boundary', async () => {
        const memoryBytes = 8 * 2 ** 20;
        const r = await explore(loadModel(big), { check: [], memoryBytes, ...extra() });
        expect(r.stopReason).toBe('memory');
        expect(r.memoryBytes).toBeLessThanOrEqual(memoryBytes);
        consistent(r);
        const same = await byDepth(r.depth);
        expect([r.distinct, r.generated, r.levelStarts]).toEqual([same.distinct, same.generated, same.levelStarts]);
      });
    });
  }

  it('an already aborted signal explores only the initial states', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await explore(loadModel(big), { check: [], signal: controller.signal });
    expect([r.complete, r.stopReason, r.distinct, r.depth]).toEqual([false, 'interrupted', 1, 1]);
  });

  it('limits that are not reached leave the exploration complete', async () => {
    const r = await explore(loadModel({ model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 1 } }), {
      check: [],
      maxStates: 3627,
      maxDepth: 27,
      timeLimitSeconds: 3600,
      memoryBytes: 2 ** 30,
      signal: new AbortController().signal,
    });
    expect([r.complete, r.stopReason, r.distinct]).toEqual([true, null, 3627]);
  });

  it('a violation found in the complete levels before a limit is kept with its shortest trace', async () => {
    // Levels of this configuration end at 1, 2, 5, 8, 15, 23, 42, 66, 110... states; the first
    // AtMostOne violation is a state of level 7 (found while expanding level 6, 42 -> 66 states).
    const spec: ModelSpec = { model: 'statefulset', params: { userOps: ['forceDeletePod'], budget: 2 } };
    const r = await explore(loadModel(spec), { check: ['AtMostOne'], stopWhenAllViolated: false, maxStates: 100 });
    expect([r.stopReason, r.distinct, r.depth]).toEqual(['maxStates', 66, 8]);
    expect(r.violations.get('AtMostOne')?.traceLength).toBe(7);
    // With room for 60 states, level 7 (66 states in all) is dropped whole, its violation with it:
    // the verdict is open, not decided by which of its states a thread happened to find first.
    const short = await explore(loadModel(spec), { check: ['AtMostOne'], stopWhenAllViolated: false, maxStates: 60 });
    expect([short.stopReason, short.distinct, short.depth, short.violations.size]).toEqual(['maxStates', 42, 7, 0]);
  });

  it('initial states beyond the limit: the first ones, in the model\'s order', async () => {
    const spec: ModelSpec = { model: 'statefulset', params: { start: 'running', nodes: 3 } };
    const all = await explore(loadModel(spec), { check: [], maxDepth: 1 });
    expect(all.distinct).toBeGreaterThan(2);
    const r = await explore(loadModel(spec), { check: [], maxStates: 2 });
    expect([r.stopReason, r.distinct, r.depth]).toEqual(['maxStates', 2, 1]);
  });

  it('plans memory from the budget', () => {
    const plan = memoryPlan(3, 2 ** 30);
    expect(plan.storeBytesPerState).toBe(20);
    // Room for the store and at least the fullest table, never more.
    expect(plan.maxStates * (plan.storeBytesPerState + 8 / 0.7)).toBeLessThanOrEqual(2 ** 30);
  });
});

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { explore, type Exploration, type ExploreOptions } from '../../src/explorer/bfs.js';
import type { Model } from '../../src/explorer/model.js';
import { WorkerPool, type ModelRef } from '../../src/explorer/pool.js';
import { loadModel, modelRef, type ModelSpec } from '../../src/registry.js';
import { graphRef, loadModel as loadGraph, type GraphSpec } from './randomGraph.mjs';
import { randomGraphs, checkTraces, SAFETY, threadIndependent } from '../helpers.js';

// Worker threads run the compiled JavaScript in dist/ (`npm test` builds it first).


const summary = threadIndependent;

const pools: WorkerPool[] = [];
function pool(ref: ModelRef, threads: number, callerExplores = false): WorkerPool {
  const p = new WorkerPool(ref, threads, { callerExplores });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** Thread arrangements: the caller and one worker thread; one and two worker threads alone. */
const arrangements = [
  { threads: 2, callerExplores: true },
  { threads: 1, callerExplores: false },
  { threads: 2, callerExplores: false },
] as const;

/** Sequential, then each arrangement, with the workers on every level (no inline small levels). */
async function compare<S>(model: Model<S>, ref: ModelRef, options: Omit<ExploreOptions, 'pool'>) {
  const sequential = await explore(model, options);
  const parallel: Exploration[] = [];
  for (const { threads, callerExplores } of arrangements) {
    const p = new WorkerPool(ref, threads, { callerExplores });
    try {
      parallel.push(await explore(model, { ...options, pool: p, inlineSmallLevels: false }));
    } finally {
      await p.close();
    }
  }
  return { sequential, parallel };
}


describe('parallel exploration = sequential exploration', () => {
  const configs: [string, ModelSpec, readonly string[]][] = [
    ['defaults (50 states)', { model: 'statefulset', params: {} }, SAFETY],
    ['all faults and user operations, budget 1 (3,627 states)', { model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 1 } }, []],
    ['same, checking every safety property', { model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 1 } }, SAFETY],
    ['all faults and user operations, budget 2 (103,901 states: the seen table grows twice)', { model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 2 } }, []],
    ['nodeCrash + deleteNode, budget 2 (9,880 states)', { model: 'statefulset', params: { faults: ['nodeCrash'], userOps: ['deleteNode'], budget: 2 } }, SAFETY],
    ['force delete breaks at-most-one', { model: 'statefulset', params: { userOps: ['forceDeletePod'], budget: 2 } }, ['AtMostOne']],
    ['PVC deleted under Delete reclaim', { model: 'statefulset', params: { userOps: ['deletePVC', 'deletePod'] } }, ['NoDataLoss', 'StableStorage', 'AtMostOne']],
    ['parallel pod management', { model: 'statefulset', params: { policy: 'Parallel', userOps: ['scale'] } }, SAFETY],
    ['two-phase commit, 3 resource managers (288 states)', { model: 'twophase', params: {} }, ['Consistent']],
    ['two-phase commit with the bug', { model: 'twophase', params: { bug: 'true', rms: 3 } }, ['Consistent']],
  ];
  // npm test: the configurations that grow the seen table, check every safety property or find a
  // violation; the long suite (STSMC_LONG) all of them.
  const quick = new Set([0, 2, 3, 5]);
  for (const [k, [name, spec, check]] of configs.entries()) {
    it.runIf(process.env.STSMC_LONG || quick.has(k))(name, async () => {
      const model = loadModel(spec);
      const { sequential, parallel } = await compare(model, modelRef(spec), { check });
      for (const r of parallel) {
        expect(summary(r)).toEqual(summary(sequential));
        expect(r.threads).toBeGreaterThanOrEqual(1);
        checkTraces(model, r);
      }
    });
  }

  it('finds the reference counts with worker threads', async () => {
    const spec: ModelSpec = { model: 'statefulset', params: { faults: 'all', userOps: 'all', budget: 1 } };
    const r = await explore(loadModel(spec), { check: [], pool: pool(modelRef(spec), 2), inlineSmallLevels: false });
    expect([r.distinct, r.generated, r.depth, r.complete]).toEqual([3627, 7985, 26, true]);
    expect(r.threads).toBe(2);
    const mixed = await explore(loadModel(spec), { check: [], pool: pool(modelRef(spec), 2, true), inlineSmallLevels: false });
    expect([mixed.distinct, mixed.generated, mixed.depth, mixed.complete]).toEqual([3627, 7985, 26, true]);
    const twoPhase: ModelSpec = { model: 'twophase', params: {} };
    expect((await explore(loadModel(twoPhase), { check: [], pool: pool(modelRef(twoPhase), 2), inlineSmallLevels: false })).distinct).toBe(288);
  });

  it('a pool serves several explorations in a row', async () => {
    const spec: ModelSpec = { model: 'statefulset', params: { faults: ['nodeCrash'], userOps: ['deleteNode'], budget: 2 } };
    const p = pool(modelRef(spec), 2, true);
    for (let k = 0; k < 3; k++) {
      const r = await explore(loadModel(spec), { check: [], pool: p, inlineSmallLevels: false });
      expect([r.distinct, r.generated, r.depth]).toEqual([9880, 28785, 32]);
    }
  });
});

const graphs = randomGraphs;

/** An independent breadth-first search over the graph, for the expected answers. */
function reference(g: GraphSpec) {
  const next = g.actions.map((edges) => new Map(edges.map(([a, b]) => [a, b])));
  const dist = new Map<number, number>();
  let frontier: number[] = [];
  for (const s of g.initial) {
    if (!dist.has(s)) {
      dist.set(s, 0);
      frontier.push(s);
    }
  }
  let generated = g.initial.length;
  let depth = 0;
  while (frontier.length > 0) {
    depth++;
    const following: number[] = [];
    for (const s of frontier) {
      for (const m of next) {
        const t = m.get(s);
        if (t === undefined) continue;
        generated++;
        if (!dist.has(t)) {
          dist.set(t, dist.get(s)! + 1);
          following.push(t);
        }
      }
    }
    frontier = following;
  }
  const badDistances = g.bad.filter((s) => dist.has(s)).map((s) => dist.get(s)!);
  const forbidden = new Set(g.forbidden.map(([a, b]) => `${a},${b}`));
  const stepDistances: number[] = [];
  for (const [s, d] of dist) for (const m of next) if (m.has(s) && forbidden.has(`${s},${m.get(s)}`)) stepDistances.push(d + 1);
  return {
    distinct: dist.size,
    generated,
    depth,
    NotBad: badDistances.length ? Math.min(...badDistances) : null,
    NoForbiddenStep: stepDistances.length ? Math.min(...stepDistances) : null,
  };
}

describe('parallel = sequential on random models (fast-check)', () => {
  it('same counts, depth, verdicts and trace lengths, and those of an independent search', async () => {
    await fc.assert(
      fc.asyncProperty(graphs, async (g) => {
        const model = loadGraph(g);
        const expected = reference(g);
        // Counts: a full exploration checking nothing.
        const counts = await compare(model, graphRef(g), { check: [] });
        for (const r of [counts.sequential, ...counts.parallel]) {
          expect([r.distinct, r.generated, r.depth, r.complete]).toEqual([expected.distinct, expected.generated, expected.depth, true]);
        }
        // Verdicts: both properties, one at a time and together.
        for (const check of [['NotBad'], ['NoForbiddenStep'], ['NotBad', 'NoForbiddenStep']]) {
          const { sequential, parallel } = await compare(model, graphRef(g), { check });
          for (const name of check) {
            const want = expected[name as 'NotBad' | 'NoForbiddenStep'];
            expect(sequential.violations.get(name)?.traceLength ?? null).toBe(want);
          }
          for (const r of parallel) {
            expect(summary(r)).toEqual(summary(sequential));
            checkTraces(model, r);
          }
        }
      }),
      // Each run explores one random model eight times (sequential and parallel, three checks):
      // a few are enough here; the long suite runs many more (STSMC_LONG, vitest.long.config.ts).
      { numRuns: process.env.STSMC_LONG ? 60 : 3 },
    );
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore, type Exploration, type ExploreOptions } from '../../src/explorer/bfs.js';
import type { Model } from '../../src/explorer/model.js';
import { WorkerPool, type ModelRef } from '../../src/explorer/pool.js';
import { loadModel, modelRef, type ModelSpec } from '../../src/registry.js';
import { featureConfigs, randomGraphs, checkTraces, SAFETY, threadIndependent } from '../helpers.js';
import { graphRef, loadModel as loadGraph } from './randomGraph.mjs';

// A run stopped by a limit on states, memory or depth reports the same thing whatever the number
// of threads: the limits stop at a level boundary (see src/explorer/bfs.ts and the README, "Limits").
// Worker threads run the compiled JavaScript in dist/ (`npm test` builds it first).

// This file also spawns the CLI: keep the in-process runs' memory budget small beside it.
const MEMORY = 256 * 2 ** 20;
const LONG = Boolean(process.env.STSMC_LONG);

const summary = threadIndependent;


type Limits = Pick<ExploreOptions, 'maxStates' | 'maxDepth' | 'memoryBytes'>;

/**
 * One thread, then two (this thread and a worker thread, or two worker threads), with the workers
 * on every level: the summaries must be equal, and the limits must mean what the README says.
 */
async function sameForAnyThreads<S>(model: Model<S>, ref: ModelRef, check: readonly string[], limits: Limits, callerExplores: boolean) {
  const options = { check, memoryBytes: MEMORY, ...limits };
  const one = await explore(model, options);
  const pool = new WorkerPool(ref, 2, { callerExplores });
  let two: Exploration;
  try {
    two = await explore(model, { ...options, pool, inlineSmallLevels: false });
  } finally {
    await pool.close();
  }
  expect(summary(two)).toEqual(summary(one));
  checkTraces(model, one);
  checkTraces(model, two);
  if (one.stopReason === 'maxStates') expect(one.distinct).toBeLessThanOrEqual(limits.maxStates!);
  if (one.stopReason === 'maxDepth') expect(one.depth).toBe(limits.maxDepth);
  // A state or memory limit past the initial states reports exactly what a depth limit at the
  // depth it reached does: the complete levels, nothing of the level that did not fit.
  if ((one.stopReason === 'maxStates' || one.stopReason === 'memory') && one.depth > 1) {
    const byDepth = await explore(model, { check, memoryBytes: MEMORY, maxDepth: one.depth });
    expect({ ...summary(byDepth), stopReason: one.stopReason }).toEqual(summary(one));
  }
  return one;
}

/** Random limits: states, depth, both, or a memory budget small enough to matter. */
const limits: fc.Arbitrary<Limits> = fc.oneof(
  fc.record({ maxStates: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ maxDepth: fc.integer({ min: 1, max: 16 }), maxStates: fc.integer({ min: 1, max: 50_000 }) }),
  fc.record({ maxStates: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ memoryBytes: fc.constantFrom(2 ** 20, 2 * 2 ** 20), maxDepth: fc.integer({ min: 1, max: 40 }) }),
);

/** Small random configurations of the StatefulSet model, every feature included. */
const configs = featureConfigs.map((c) => ({ ...c, R: Math.min(c.R, 3), nodes: Math.min(c.nodes, 2), budget: Math.min(c.budget, 2) }));

describe('limits give the same result for one and two threads (fast-check)', () => {
  it('random StatefulSet configurations, random limits and checked properties', async () => {
    await fc.assert(
      fc.asyncProperty(configs, limits, fc.subarray(SAFETY), fc.boolean(), async (params, lim, check, callerExplores) => {
        const spec: ModelSpec = { model: 'statefulset', params };
        await sameForAnyThreads(loadModel(spec), modelRef(spec), check, lim, callerExplores);
      }),
      // Each run starts a worker thread: a few here, many more in the long suite.
      { numRuns: LONG ? 60 : 3 },
    );
  });

  it('random graphs, random limits', async () => {
    const graphs = randomGraphs;
    const small = fc.record({ maxStates: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }), maxDepth: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(graphs, small, fc.subarray(['NotBad', 'NoForbiddenStep']), fc.boolean(), async (g, lim, check, callerExplores) => {
        const clean = Object.fromEntries(Object.entries(lim).filter(([, v]) => v !== undefined)) as Limits;
        await sameForAnyThreads(loadGraph(g), graphRef(g), check, clean, callerExplores);
      }),
      { numRuns: LONG ? 60 : 4 },
    );
  });
});

describe('the CLI under --max-states and --memory: the same report and exit code for 1 and 2 workers', () => {
  const bin = path.resolve('bin/stsmc.js');
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
    const doc = JSON.parse(r.stdout) as { results: Record<string, unknown>[] };
    // Everything but the clock and the worker count.
    const results = doc.results.map(({ seconds: _s, workers: _w, ...rest }) => rest);
    return { code: r.status, results };
  };
  // Levels of thousands of states, so two workers really share them (smaller ones run on one
  // thread). Levels end at 6,956, 10,334, 16,509, 28,629 states; StableStorage is first violated in
  // 8 steps, on a state found while expanding level 7 (10,334 -> 16,509 states), the level that
  // 13,000 states cut: whether it was reported used to depend on which thread found which state
  // first (violated, exit 1, or unknown, exit 3). Now that level is dropped whole: unknown, exit 3.
  const base = ['check', '--model', 'statefulset', '--set', 'faults=all', '--set', 'userOps=all', '--set', 'budget=3', '--check', 'StableStorage,OrderedTermination', '--symmetry', 'none', '--json', '--quiet', '--out', fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-limits-'))];

  // --memory in the long suite (the in-process property above draws memory budgets too).
  it.each(LONG ? [['--max-states', '13000'], ['--memory', '1M']] : [['--max-states', '13000']])('%s %s', (flag, value) => {
    const one = run([...base, flag, value, '--workers', '1']);
    if (flag === '--max-states') {
      expect(one.code).toBe(3);
      expect(one.results[0]).toMatchObject({ distinctStates: 10_334, depth: 8, stopReason: 'maxStates' });
    }
    for (let k = 0; k < (LONG ? 4 : 1); k++) expect(run([...base, flag, value, '--workers', '2'])).toEqual(one);
  });
});

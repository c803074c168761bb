import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explorer/bfs.js';
import { checkLiveness, isStutter } from '../../src/explorer/liveness.js';
import { loadModel } from '../../src/registry.js';
import { expectSameCounts } from './crossCheck.js';
import { checkLivenessIndependent, judgeLasso, LIVENESS_NAMES, type LivenessName } from './independentLiveness.js';
import type { IndependentParams } from './independentModel.js';

// Cross-check of node-local storage (`storage: local`: a claim's PV is pinned to the node its pod
// was first scheduled to), static provisioning (`provisioning: static`) and the cloud node lifecycle
// controller (`cloudNodeDelete`) against the naive rendering: the same counts, and the same
// liveness verdicts with fair counterexamples.

const ALL = 'all' as const;
const running = 'running' as const;
type Verdict = 'holds' | 'violated';
/** [name, params, verdicts of EventuallyConverged / ScaleDownCompletes / RolloutCompletes as h|v] */
type Row = [string, IndependentParams, string];

const GRID: Row[] = [
  ['local, defaults', { storage: 'local' }, 'hhh'],
  ['local, nodes 3', { storage: 'local', nodes: 3 }, 'hhh'],
  ['local, running, nodes 3', { storage: 'local', start: running, nodes: 3 }, 'hhh'],
  ['local, all faults, transient, budget 1', { storage: 'local', faults: ALL, budget: 1 }, 'hhh'],
  ['local, nodePartition + nodeCrash, transient', { storage: 'local', faults: ['nodePartition', 'nodeCrash'], R: 2 }, 'hhh'],
  ['local, nodeCrash, permanent, running', { storage: 'local', faults: ['nodeCrash'], start: running, recovery: 'permanent' }, 'vhh'],
  ['local, all user ops, budget 1', { storage: 'local', userOps: ALL, budget: 1 }, 'hhh'],
  ['local, deletePVC + deleteNode + nodeCrash, R 2', { storage: 'local', userOps: ['deletePVC', 'deleteNode'], faults: ['nodeCrash'], R: 2 }, 'hhh'],
  ['local, scale + whenScaled Delete, Parallel, budget 1', { storage: 'local', userOps: ['scale'], whenScaled: 'Delete', policy: 'Parallel', budget: 1 }, 'hhh'],
  ['local, forceDeletePod + nodePartition, R 2', { storage: 'local', userOps: ['forceDeletePod'], faults: ['nodePartition'], R: 2 }, 'hhh'],
  // The node is gone for good and its Node object is deleted: network storage moves, local does not.
  ['network, cloudNodeDelete, budget 1', { faults: ['nodeCrash'], recovery: 'permanent', cloudNodeDelete: true, budget: 1 }, 'hhh'],
  ['local, cloudNodeDelete, budget 1', { storage: 'local', faults: ['nodeCrash'], recovery: 'permanent', cloudNodeDelete: true, budget: 1 }, 'vhh'],
  ['local, cloudNodeDelete + deletePVC, R 2', { storage: 'local', faults: ['nodeCrash'], userOps: ['deletePVC'], recovery: 'permanent', cloudNodeDelete: true, R: 2 }, 'vhh'],
  ['network, cloudNodeDelete, nodes 3, running, budget 2', { faults: ['nodeCrash'], recovery: 'permanent', cloudNodeDelete: true, nodes: 3, start: running }, 'hhh'],
  ['local, cloudNodeDelete, nodes 3, running, scale', { storage: 'local', faults: ['nodeCrash'], userOps: ['scale'], recovery: 'permanent', cloudNodeDelete: true, nodes: 3, start: running, R: 2 }, 'vvh'],
  // Static provisioning: a deleted claim's replacement stays Pending, so the set stops converging
  // where dynamic provisioning would bring the pod back on an empty volume.
  ['static, defaults', { provisioning: 'static' }, 'hhh'],
  ['static, deletePVC + deletePod, reclaim Retain', { provisioning: 'static', userOps: ['deletePVC', 'deletePod'], reclaim: 'Retain' }, 'vhh'],
  ['dynamic, deletePVC + deletePod, reclaim Retain', { userOps: ['deletePVC', 'deletePod'], reclaim: 'Retain' }, 'hhh'],
  ['static, scale + whenScaled Delete, budget 3, R 2', { provisioning: 'static', userOps: ['scale'], whenScaled: 'Delete', budget: 3, R: 2 }, 'vhh'],
  ['static, all faults + all user ops, budget 1', { provisioning: 'static', faults: ALL, userOps: ALL, budget: 1 }, 'vhh'],
  ['static + local, deletePVC + nodeCrash, R 2', { provisioning: 'static', storage: 'local', userOps: ['deletePVC'], faults: ['nodeCrash'], R: 2 }, 'vhh'],
  ['static, attach rwo, deletePVC + forceDeletePod, R 2', { provisioning: 'static', attach: 'rwo', userOps: ['deletePVC', 'forceDeletePod'], R: 2 }, 'vhh'],
  ['network, cloudNodeDelete, all faults, all user ops, budget 1', { faults: ALL, userOps: ALL, recovery: 'permanent', cloudNodeDelete: true, budget: 1 }, 'vhh'],
];

const triple = (t: string): Record<LivenessName, Verdict> => ({
  EventuallyConverged: t[0] === 'v' ? 'violated' : 'holds',
  ScaleDownCompletes: t[1] === 'v' ? 'violated' : 'holds',
  RolloutCompletes: t[2] === 'v' ? 'violated' : 'holds',
});

describe('node-local storage, static provisioning and the cloud node lifecycle controller: independent rendering = project model', () => {
  it.each(GRID)('%s: counts', async (_name, params) => expectSameCounts(params));

  it.each(GRID)('%s: liveness', async (_name, params, recorded) => {
    const mine = {} as Record<LivenessName, Verdict>;
    for (const name of LIVENESS_NAMES) mine[name] = checkLivenessIndependent(params, name);
    expect(mine).toEqual(triple(recorded));
    const model = loadModel({ model: 'statefulset', params: params as Record<string, unknown> });
    const r = await explore(model, { check: [] });
    expect(r.complete).toBe(true);
    const v = checkLiveness(model, r, LIVENESS_NAMES);
    for (const name of LIVENESS_NAMES) {
      expect([name, v.get(name)!.verdict]).toEqual([name, mine[name]]);
      const lasso = v.get(name)!.lasso;
      if (lasso === undefined) continue;
      const prefix = lasso.prefix.slice(1).map((s) => s.action!);
      const loop = isStutter(lasso) ? null : { labels: lasso.loop.steps.map((s) => s.action!), backTo: lasso.loop.backTo };
      expect(judgeLasso(params, name, prefix, loop), `${name}: ${prefix.join(' ')}`).toEqual([]);
    }
  });

  it('a pinned pod is never scheduled away from its PV, in every reachable state', async () => {
    // The naive rendering's own statement of the rule, independent of the project's guard.
    const params: IndependentParams = { storage: 'local', faults: ALL, userOps: ALL, budget: 1, nodes: 3, R: 2 };
    const { exploreIndependent } = await import('./independentModel.js');
    let pinnedPods = 0;
    exploreIndependent(params, (s) => {
      s.pod.forEach((p, i) => {
        if (p !== null && p.node !== 0) {
          pinnedPods++;
          expect(s.pvNode![i]).toBe(p.node);
        }
      });
    });
    expect(pinnedPods).toBeGreaterThan(0);
  });
});

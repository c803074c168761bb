import { describe, expect, it } from 'vitest';
import type { InvariantProperty, Model, TransitionProperty } from '../../src/explorer/model.js';
import { exploreAll, sts } from '../helpers.js';
import { expectSameCounts, pairedSuccessors } from './crossCheck.js';
import {
  atMostOne,
  atMostOneWriter,
  exploreIndependent,
  initialStates,
  key,
  noUnsafeDetach,
  type IndependentParams,
  type IState,
  type UserOp,
} from './independentModel.js';

// Cross-check of the volume-attachment extension (extensions/attach.md): the project's model against
// the independent, naive rendering of test/spec/independentModel.ts, written from the text alone.
// Any difference in distinct states, generated states or depth is a divergence from the text on one
// side.

const ALL = 'all' as const;
const EVERY_OP: UserOp[] = ['scale', 'updateTemplate', 'setPartition', 'deletePod', 'forceDeletePod', 'deletePVC', 'deleteNode', 'taintOutOfService'];

const GRID: [string, IndependentParams][] = [
  // No environment.
  ['rwo, R 2', { attach: 'rwo', R: 2 }],
  ['rwop, R 2', { attach: 'rwop', R: 2 }],
  ['rwo, defaults', { attach: 'rwo' }],
  // Force delete: same-node double mount (rwo), none (rwop); with a partition, force detach.
  ['rwo, forceDeletePod, R 2', { attach: 'rwo', R: 2, userOps: ['forceDeletePod'] }],
  ['rwop, forceDeletePod, R 2', { attach: 'rwop', R: 2, userOps: ['forceDeletePod'] }],
  ['rwo, nodePartition + forceDeletePod, R 2', { attach: 'rwo', R: 2, faults: ['nodePartition'], userOps: ['forceDeletePod'] }],
  ['rwop, nodePartition + forceDeletePod, R 2, forceDetach disabled', { attach: 'rwop', R: 2, faults: ['nodePartition'], userOps: ['forceDeletePod'], forceDetach: 'disabled' }],
  ['rwo, nodes 1, forceDeletePod, R 2', { attach: 'rwo', R: 2, nodes: 1, userOps: ['forceDeletePod'] }],
  ['rwo, nodes 3, forceDeletePod, R 2', { attach: 'rwo', R: 2, nodes: 3, userOps: ['forceDeletePod'] }],
  // Node deleted (PodGC) after a partition or a crash.
  ['rwo, nodePartition + deleteNode, R 2', { attach: 'rwo', R: 2, faults: ['nodePartition'], userOps: ['deleteNode'] }],
  ['rwo, nodePartition + deleteNode, R 2, forceDetach disabled', { attach: 'rwo', R: 2, faults: ['nodePartition'], userOps: ['deleteNode'], forceDetach: 'disabled' }],
  ['rwop, nodePartition + deleteNode, R 2, permanent', { attach: 'rwop', R: 2, faults: ['nodePartition'], userOps: ['deleteNode'], recovery: 'permanent' }],
  ['rwo, nodeCrash + deleteNode, R 2', { attach: 'rwo', R: 2, faults: ['nodeCrash'], userOps: ['deleteNode'] }],
  // Out-of-service taint.
  ['rwo, nodeCrash + taintOutOfService, R 2, permanent, forceDetach disabled', { attach: 'rwo', R: 2, faults: ['nodeCrash'], userOps: ['taintOutOfService'], recovery: 'permanent', forceDetach: 'disabled' }],
  ['rwop, nodeCrash + taintOutOfService, permanent, forceDetach disabled', { attach: 'rwop', faults: ['nodeCrash'], userOps: ['taintOutOfService'], recovery: 'permanent', forceDetach: 'disabled' }],
  ['rwo, nodePartition + taintOutOfService, R 2', { attach: 'rwo', R: 2, faults: ['nodePartition'], userOps: ['taintOutOfService'] }],
  ['rwop, nodePartition + taintOutOfService, R 2', { attach: 'rwop', R: 2, faults: ['nodePartition'], userOps: ['taintOutOfService'] }],
  ['rwo, nodePartition + taintOutOfService + deleteNode, R 1, budget 3', { attach: 'rwo', R: 1, faults: ['nodePartition'], userOps: ['taintOutOfService', 'deleteNode'], budget: 3 }],
  ['rwop, nodes 1, nodePartition + taintOutOfService + deleteNode, R 2, permanent', { attach: 'rwop', R: 2, nodes: 1, faults: ['nodePartition'], userOps: ['taintOutOfService', 'deleteNode'], recovery: 'permanent' }],
  ['rwop, nodes 3, nodePartition + taintOutOfService, R 2, budget 1', { attach: 'rwop', R: 2, nodes: 3, faults: ['nodePartition'], userOps: ['taintOutOfService'], budget: 1 }],
  ['rwo, Parallel, nodeCrash + taintOutOfService + forceDeletePod, R 2, forceDetach disabled', { attach: 'rwo', R: 2, policy: 'Parallel', faults: ['nodeCrash'], userOps: ['taintOutOfService', 'forceDeletePod'], forceDetach: 'disabled' }],
  // Each fault kind; all faults.
  ['rwo, nodePartition, R 2', { attach: 'rwo', R: 2, faults: ['nodePartition'] }],
  ['rwop, nodeCrash, R 2', { attach: 'rwop', R: 2, faults: ['nodeCrash'] }],
  ['rwo, podBreak, R 2', { attach: 'rwo', R: 2, faults: ['podBreak'] }],
  ['rwop, podEvict, R 2', { attach: 'rwop', R: 2, faults: ['podEvict'] }],
  ['rwo, podEvict, R 2, permanent', { attach: 'rwo', R: 2, faults: ['podEvict'], recovery: 'permanent' }],
  ['rwo, all faults, R 2, budget 1', { attach: 'rwo', R: 2, faults: ALL, budget: 1 }],
  ['rwop, all faults, R 2, budget 1, permanent', { attach: 'rwop', R: 2, faults: ALL, budget: 1, recovery: 'permanent' }],
  ['rwo, all faults + every user op, R 2, budget 1', { attach: 'rwo', R: 2, faults: ALL, userOps: EVERY_OP, budget: 1 }],
  ['rwop, all faults + every user op, R 2, budget 1, forceDetach disabled, reclaim Retain', { attach: 'rwop', R: 2, faults: ALL, userOps: EVERY_OP, budget: 1, forceDetach: 'disabled', reclaim: 'Retain' }],
  // Claims: deletePVC (RemovePVC drops the attachment), whenScaled Delete.
  ['rwo, deletePVC + deletePod, R 2', { attach: 'rwo', R: 2, userOps: ['deletePVC', 'deletePod'] }],
  ['rwop, deletePVC + deletePod, R 2, reclaim Retain', { attach: 'rwop', R: 2, userOps: ['deletePVC', 'deletePod'], reclaim: 'Retain' }],
  ['rwo, whenScaled Delete, scale, R 2', { attach: 'rwo', R: 2, whenScaled: 'Delete', userOps: ['scale'] }],
  ['rwop, whenScaled Delete, scale, Parallel, R 2', { attach: 'rwop', R: 2, whenScaled: 'Delete', userOps: ['scale'], policy: 'Parallel' }],
  // start = running (att[i] = n_i, inUse[i]).
  ['rwo, running, nodePartition + forceDeletePod, R 2', { attach: 'rwo', R: 2, start: 'running', faults: ['nodePartition'], userOps: ['forceDeletePod'] }],
  ['rwop, running, nodeCrash + taintOutOfService + deleteNode, R 2', { attach: 'rwop', R: 2, start: 'running', faults: ['nodeCrash'], userOps: ['taintOutOfService', 'deleteNode'] }],
  ['rwo, running, podEvict + podBreak, permanent, budget 1', { attach: 'rwo', start: 'running', faults: ['podEvict', 'podBreak'], recovery: 'permanent', budget: 1 }],
  ['rwop, running, updateTemplate + deletePod, R 2', { attach: 'rwop', R: 2, start: 'running', userOps: ['updateTemplate', 'deletePod'] }],
  ['rwo, running, whenScaled Delete, scale, Parallel, initReplicas 1, R 2', { attach: 'rwo', R: 2, start: 'running', initReplicas: 1, whenScaled: 'Delete', userOps: ['scale'], policy: 'Parallel' }],
  // Spots where the text needs reading (see the AMBIGUITY / NOTE comments in independentModel.ts):
  // KubeletTerminate with a stale container of an older pod object on the same node; oos[n] kept
  // when the Node object is deleted.
  ['rwop, forceDeletePod + deletePod, R 1', { attach: 'rwop', R: 1, userOps: ['forceDeletePod', 'deletePod'] }],
  ['rwop, nodePartition + deleteNode + deletePod, R 1, budget 3', { attach: 'rwop', R: 1, faults: ['nodePartition'], userOps: ['deleteNode', 'deletePod'], budget: 3 }],
  ['rwo, nodeCrash + deleteNode + taintOutOfService, R 1, budget 3', { attach: 'rwo', R: 1, faults: ['nodeCrash'], userOps: ['deleteNode', 'taintOutOfService'], budget: 3 }],
  ['rwop, nodePartition + deleteNode + taintOutOfService, R 1, budget 3, forceDetach disabled', { attach: 'rwop', R: 1, faults: ['nodePartition'], userOps: ['deleteNode', 'taintOutOfService'], budget: 3, forceDetach: 'disabled' }],
  // KubeletReady with ctr = both (a replacement's container next to a stale one on the same node).
  ['rwo, forceDeletePod, R 1, nodes 1, budget 1', { attach: 'rwo', R: 1, nodes: 1, userOps: ['forceDeletePod'], budget: 1 }],
  // R = 4, kept small.
  ['rwo, R 4, forceDeletePod, budget 1', { attach: 'rwo', R: 4, userOps: ['forceDeletePod'], budget: 1 }],
  ['rwop, R 4, nodes 1, nodePartition, budget 1', { attach: 'rwop', R: 4, nodes: 1, faults: ['nodePartition'], budget: 1 }],
  ['rwop, R 4, nodes 1, Parallel, budget 0', { attach: 'rwop', R: 4, nodes: 1, policy: 'Parallel', budget: 0 }],
  ['rwo, R 4, nodes 1, running, nodeCrash + taintOutOfService, budget 1', { attach: 'rwo', R: 4, nodes: 1, start: 'running', faults: ['nodeCrash'], userOps: ['taintOutOfService'], budget: 1 }],
  ['rwo, R 4, running, initReplicas 2, whenScaled Delete, scale, budget 1', { attach: 'rwo', R: 4, start: 'running', initReplicas: 2, whenScaled: 'Delete', userOps: ['scale'], budget: 1 }],
];

describe('attach: independent rendering = project model (distinct, generated, depth)', () => {
  it.each(GRID)('%s', (_name, params) => expectSameCounts(params));
});

describe('attach: none (given explicitly) changes nothing', () => {
  it.each<[string, number | undefined, IndependentParams]>([
    ['defaults', 50, {}],
    ['all faults, all user ops, budget 1', 3627, { faults: ALL, userOps: ALL, budget: 1 }],
    ['nodePartition + forceDeletePod, R 2', undefined, { faults: ['nodePartition'], userOps: ['forceDeletePod'], R: 2 }],
    ['running, all faults + all user ops, R 2, budget 1', undefined, { start: 'running', faults: ALL, userOps: ALL, R: 2, budget: 1 }],
  ])('%s', async (_name, distinct, params) => {
    const today = exploreIndependent(params);
    const none = exploreIndependent({ ...params, attach: 'none' });
    expect(none).toEqual(today);
    if (distinct !== undefined) expect(none.distinct).toBe(distinct);
    let sawAttachKey = false;
    exploreIndependent({ ...params, attach: 'none' }, (s) => {
      if ('att' in s || 'inUse' in s || 'oos' in s) sawAttachKey = true;
    });
    expect(sawAttachKey).toBe(false);
    const r = await exploreAll(sts({ ...params, attach: 'none' } as Record<string, unknown>));
    expect({ distinct: r.distinct, generated: r.generated, depth: r.depth }).toEqual(today);
  });
});

/**
 * Walks both models together, breadth first, from their (single, start = empty) initial states,
 * following the labels both have enabled, and calls `visit` on every pair once and `step` on every
 * common labelled step. Returns the number of states visited and, in BFS order (shortest first),
 * the states whose labelled successors differ.
 */
function jointWalk(
  params: IndependentParams,
  visit: (mine: IState, theirs: Uint8Array, model: Model<Uint8Array>) => void,
  step: (mine: IState, label: string, theirsPre: Uint8Array, theirsPost: Uint8Array, action: number, model: Model<Uint8Array>) => void,
): { visited: number; diffs: { state: string; onlyMine: string[]; onlyProject: string[] }[] } {
  const model = sts(params as Record<string, unknown>);
  const [m0] = initialStates(params);
  const [t0] = model.initialStates();
  const seen = new Set<string>([key(m0!)]);
  const queue: [IState, Uint8Array][] = [[m0!, t0!]];
  const diffs: { state: string; onlyMine: string[]; onlyProject: string[] }[] = [];
  for (let q = 0; q < queue.length; q++) {
    const [m, t] = queue[q]!;
    visit(m, t, model);
    const { theirs, mine, diff } = pairedSuccessors(params, model, m, t);
    if (diff !== null) diffs.push(diff);
    for (const { label, next } of mine) {
      const their = theirs.get(label);
      if (their === undefined) continue;
      const [k, tn] = their;
      step(m, label, t, tn, k, model);
      const kn = key(next);
      if (seen.has(kn)) continue;
      seen.add(kn);
      queue.push([next, tn]);
    }
  }
  return { visited: seen.size, diffs };
}

describe('attach: the naive property checkers agree with the project properties on every reachable state', () => {
  it.each<[string, IndependentParams]>([
    ['rwo, nodePartition + forceDeletePod, R 2', { attach: 'rwo', R: 2, faults: ['nodePartition'], userOps: ['forceDeletePod'] }],
    ['rwop, nodePartition + taintOutOfService + deleteNode, R 2', { attach: 'rwop', R: 2, faults: ['nodePartition'], userOps: ['taintOutOfService', 'deleteNode'] }],
    ['rwo, nodes 1, forceDeletePod + podEvict, R 2', { attach: 'rwo', R: 2, nodes: 1, faults: ['podEvict'], userOps: ['forceDeletePod'] }],
  ])('%s', (_name, params) => {
    const violations = { AtMostOne: 0, AtMostOneWriter: 0, NoUnsafeDetach: 0 };
    const inv = (model: Model<Uint8Array>, name: string) => model.properties.find((p) => p.name === name) as InvariantProperty<Uint8Array>;
    const tr = (model: Model<Uint8Array>, name: string) => model.properties.find((p) => p.name === name) as TransitionProperty<Uint8Array>;
    const { visited, diffs } = jointWalk(
      params,
      (m, t, model) => {
        expect(inv(model, 'AtMostOne').holds(t), key(m)).toBe(atMostOne(m));
        expect(inv(model, 'AtMostOneWriter').holds(t), key(m)).toBe(atMostOneWriter(m));
        if (!atMostOne(m)) violations.AtMostOne++;
        if (!atMostOneWriter(m)) violations.AtMostOneWriter++;
      },
      (m, label, pre, post, k, model) => {
        expect(tr(model, 'NoUnsafeDetach').holds(pre, post, k), `${key(m)} --${label}->`).toBe(noUnsafeDetach(m, label));
        if (!noUnsafeDetach(m, label)) violations.NoUnsafeDetach++;
      },
    );
    // The checks are not vacuous: each configuration violates at least one property somewhere.
    expect(violations.AtMostOne + violations.AtMostOneWriter + violations.NoUnsafeDetach).toBeGreaterThan(0);
    // And the two graphs are the same (the first differing state, if any, is shown).
    expect(diffs.slice(0, 1), `${diffs.length} states with different labelled successors`).toEqual([]);
    expect(visited).toBe(exploreIndependent(params).distinct);
  });
});

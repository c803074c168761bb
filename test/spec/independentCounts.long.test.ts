import { describe, expect, it } from 'vitest';
import { expectSameCounts } from './crossCheck.js';
import { exploreIndependent, type IndependentParams } from './independentModel.js';

// Cross-check: the project's StatefulSet model against an independent, naive rendering of
// reference-model.md (test/spec/independentModel.ts). Any difference in distinct states,
// generated states or depth is a divergence from the text on one side.

// The reference counts of reference-model.md, as checks of the independent rendering itself.
describe('independent rendering: reference counts', () => {
  it.each<[string, number, IndependentParams]>([
    ['defaults', 50, {}],
    ['all faults, all user ops, budget 1', 3627, { faults: 'all', userOps: 'all', budget: 1 }],
    ['nodeCrash + deleteNode, budget 2', 9880, { faults: ['nodeCrash'], userOps: ['deleteNode'], budget: 2 }],
  ])('%s: %i distinct states', (_name, distinct, params) => {
    expect(exploreIndependent(params).distinct).toBe(distinct);
  });
});

const ALL = 'all' as const;
const GRID: [string, IndependentParams][] = [
  // Each parameter varied against the defaults (R 3, nodes 2, budget 2).
  ['defaults', {}],
  ['policy Parallel', { policy: 'Parallel' }],
  ['reclaim Retain', { reclaim: 'Retain' }],
  ['R 1', { R: 1 }],
  ['R 2', { R: 2 }],
  ['R 4', { R: 4 }],
  ['nodes 1', { nodes: 1 }],
  ['nodes 3', { nodes: 3 }],
  ['R 4, nodes 1, Parallel', { R: 4, nodes: 1, policy: 'Parallel' }],
  ['R 1, nodes 3, all faults', { R: 1, nodes: 3, faults: ALL }],
  ['R 2, nodes 1, all user ops', { R: 2, nodes: 1, userOps: ALL }],
  // Faults, each alone and all, under both recoveries.
  ['nodePartition', { faults: ['nodePartition'] }],
  ['nodeCrash', { faults: ['nodeCrash'] }],
  ['podBreak', { faults: ['podBreak'] }],
  ['podEvict', { faults: ['podEvict'] }],
  ['nodePartition, permanent', { faults: ['nodePartition'], recovery: 'permanent' }],
  ['nodeCrash, permanent', { faults: ['nodeCrash'], recovery: 'permanent' }],
  ['podBreak, permanent', { faults: ['podBreak'], recovery: 'permanent' }],
  ['podEvict, permanent', { faults: ['podEvict'], recovery: 'permanent' }],
  ['all faults, budget 1', { faults: ALL, budget: 1 }],
  ['all faults', { faults: ALL }],
  ['all faults, permanent', { faults: ALL, recovery: 'permanent' }],
  ['all faults, Parallel, budget 1', { faults: ALL, policy: 'Parallel', budget: 1 }],
  // User operations, each alone and all.
  ['scale', { userOps: ['scale'] }],
  ['updateTemplate', { userOps: ['updateTemplate'] }],
  ['setPartition', { userOps: ['setPartition'] }],
  ['deletePod', { userOps: ['deletePod'] }],
  ['forceDeletePod', { userOps: ['forceDeletePod'] }],
  ['deletePVC', { userOps: ['deletePVC'] }],
  ['deleteNode (nothing to delete without faults)', { userOps: ['deleteNode'] }],
  ['all user ops, budget 1', { userOps: ALL, budget: 1 }],
  ['all user ops, R 2', { userOps: ALL, R: 2 }],
  ['all faults, all user ops, budget 1', { faults: ALL, userOps: ALL, budget: 1 }],
  ['all faults, all user ops, budget 1, permanent, reclaim Retain', { faults: ALL, userOps: ALL, budget: 1, recovery: 'permanent', reclaim: 'Retain' }],
  ['nodeCrash + deleteNode', { faults: ['nodeCrash'], userOps: ['deleteNode'] }],
  ['nodePartition + deleteNode, permanent', { faults: ['nodePartition'], userOps: ['deleteNode'], recovery: 'permanent' }],
  ['nodePartition + forceDeletePod', { faults: ['nodePartition'], userOps: ['forceDeletePod'] }],
  ['deletePVC + deletePod, reclaim Retain', { userOps: ['deletePVC', 'deletePod'], reclaim: 'Retain' }],
  // Revisions and update strategies.
  ['maxRevision 0, updateTemplate + deletePod', { maxRevision: 0, userOps: ['updateTemplate', 'deletePod'] }],
  ['maxRevision 2, updateTemplate, running', { maxRevision: 2, userOps: ['updateTemplate'], start: 'running' }],
  ['maxRevision 2, updateTemplate + setPartition, running, budget 3', { maxRevision: 2, userOps: ['updateTemplate', 'setPartition'], start: 'running', budget: 3 }],
  ['OnDelete', { strategy: 'OnDelete' }],
  ['OnDelete, updateTemplate + deletePod, running', { strategy: 'OnDelete', userOps: ['updateTemplate', 'deletePod'], start: 'running' }],
  ['OnDelete, maxRevision 2, updateTemplate + deletePod, running, budget 3', { strategy: 'OnDelete', maxRevision: 2, userOps: ['updateTemplate', 'deletePod'], start: 'running', budget: 3 }],
  ['OnDelete, Parallel, updateTemplate + scale, R 2', { strategy: 'OnDelete', policy: 'Parallel', userOps: ['updateTemplate', 'scale'], R: 2 }],
  ['updateTemplate, running, Parallel', { userOps: ['updateTemplate'], start: 'running', policy: 'Parallel' }],
  ['updateTemplate + podBreak, running', { userOps: ['updateTemplate'], faults: ['podBreak'], start: 'running', budget: 3 }],
  // whenScaled Delete.
  ['whenScaled Delete, scale', { whenScaled: 'Delete', userOps: ['scale'] }],
  ['whenScaled Delete, scale, budget 3', { whenScaled: 'Delete', userOps: ['scale'], budget: 3 }],
  ['whenScaled Delete, scale, Parallel, R 2, budget 3', { whenScaled: 'Delete', userOps: ['scale'], policy: 'Parallel', R: 2, budget: 3 }],
  ['whenScaled Delete, scale + deletePVC, reclaim Retain', { whenScaled: 'Delete', userOps: ['scale', 'deletePVC'], reclaim: 'Retain' }],
  ['whenScaled Delete, scale + podBreak, running, permanent, budget 3', { whenScaled: 'Delete', userOps: ['scale'], faults: ['podBreak'], start: 'running', recovery: 'permanent', budget: 3 }],
  ['whenScaled Delete, scale + nodeCrash + deleteNode, R 2', { whenScaled: 'Delete', userOps: ['scale', 'deleteNode'], faults: ['nodeCrash'], R: 2, budget: 3 }],
  // Initial replicas and partition.
  ['initReplicas 0, scale', { initReplicas: 0, userOps: ['scale'] }],
  ['initReplicas 1, scale', { initReplicas: 1, userOps: ['scale'] }],
  ['initReplicas 2, scale', { initReplicas: 2, userOps: ['scale'] }],
  ['initReplicas 3, scale', { initReplicas: 3, userOps: ['scale'] }],
  ['initPartition 0, updateTemplate, running', { initPartition: 0, userOps: ['updateTemplate'], start: 'running' }],
  ['initPartition 1, updateTemplate, running', { initPartition: 1, userOps: ['updateTemplate'], start: 'running' }],
  ['initPartition 2, updateTemplate + deletePod, running', { initPartition: 2, userOps: ['updateTemplate', 'deletePod'], start: 'running' }],
  ['initPartition 3, updateTemplate + setPartition, running', { initPartition: 3, userOps: ['updateTemplate', 'setPartition'], start: 'running' }],
  ['initPartition 2, initReplicas 1, updateTemplate + scale', { initPartition: 2, initReplicas: 1, userOps: ['updateTemplate', 'scale'] }],
  // start = running, with initReplicas < R.
  ['running, R 1, nodes 1, initReplicas 0, scale', { start: 'running', R: 1, nodes: 1, initReplicas: 0, userOps: ['scale'] }],
  ['running, R 2, nodes 2, initReplicas 1, scale + podBreak', { start: 'running', R: 2, initReplicas: 1, userOps: ['scale'], faults: ['podBreak'] }],
  ['running, R 3, nodes 3, initReplicas 2, all faults, budget 1', { start: 'running', nodes: 3, initReplicas: 2, faults: ALL, budget: 1 }],
  ['running, R 3, nodes 1, initReplicas 1, all user ops, budget 1', { start: 'running', nodes: 1, initReplicas: 1, userOps: ALL, budget: 1 }],
  ['running, R 2, nodes 3, initReplicas 0, forceDeletePod', { start: 'running', R: 2, nodes: 3, initReplicas: 0, userOps: ['forceDeletePod'] }],
  ['running, R 3, nodes 2, initReplicas 2, Parallel, scale, whenScaled Delete', { start: 'running', initReplicas: 2, policy: 'Parallel', userOps: ['scale'], whenScaled: 'Delete' }],
  ['running, all faults + all user ops, budget 1', { start: 'running', faults: ALL, userOps: ALL, budget: 1 }],
  ['running, podBreak + scale, permanent', { start: 'running', faults: ['podBreak'], userOps: ['scale'], recovery: 'permanent' }],
];

describe('independent rendering = project model (distinct, generated, depth)', () => {
  it.each(GRID)('%s', (_name, params) => expectSameCounts(params));
});

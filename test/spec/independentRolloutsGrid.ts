/** The configurations of `independentRollouts.long.test.ts` (rollouts-and-stale-reads.md A and B). */
import type { IndependentParams } from './independentModel.js';

const ALL = 'all' as const;
const running = 'running' as const;
const UR: IndependentParams['userOps'] = ['updateTemplate', 'revertTemplate'];
/** The common parameters of the A verdict table. */
export const A_COMMON: IndependentParams = { rollback: true, start: running, R: 3, maxRevision: 1, badRevs: [1], userOps: UR, budget: 2 };
/** The common parameters of B1 to B5. */
export const B_COMMON: IndependentParams = { staleReads: true, start: running, R: 2, budget: 2 };

export const GRID_A: [string, IndependentParams][] = [
  // The verdict table's rows (A5 to A7 need stuckFix: see the variant block of the test).
  ['A1: stuck after revert', A_COMMON],
  ['A2: manual fix', { ...A_COMMON, manualFix: true }],
  ['A3: Parallel', { ...A_COMMON, policy: 'Parallel' }],
  ['A4: Parallel, v1.35.0', { ...A_COMMON, policy: 'Parallel', muBudget: 'v1.35.0' }],
  ['A1, badMode pending', { ...A_COMMON, badMode: 'pending' }],
  ['A2, badMode pending', { ...A_COMMON, badMode: 'pending', manualFix: true }],
  ['A3, badMode pending', { ...A_COMMON, policy: 'Parallel', badMode: 'pending' }],
  ['A4, badMode pending', { ...A_COMMON, policy: 'Parallel', muBudget: 'v1.35.0', badMode: 'pending' }],
  ['A1, nodes 1', { ...A_COMMON, nodes: 1 }],
  ['A1, budget 3', { ...A_COMMON, budget: 3 }],
  // Rollback without bad revisions; the extension's parameters at their neutral values.
  ['rollback, no ops (start empty)', { rollback: true }],
  ['rollback, updateTemplate, R 2, running', { rollback: true, R: 2, start: running, userOps: ['updateTemplate'] }],
  ['rollback, update + revert, R 2, running, budget 3', { rollback: true, R: 2, start: running, userOps: UR, budget: 3 }],
  ['rollback, maxRevision 0, update + revert, R 2, running', { rollback: true, R: 2, start: running, maxRevision: 0, userOps: UR }],
  ['rollback, manualFix without bad revisions, R 2, running', { rollback: true, R: 2, start: running, manualFix: true, userOps: UR }],
  ['rollback, v1.35.0 under OrderedReady, R 2, running', { rollback: true, R: 2, start: running, muBudget: 'v1.35.0', userOps: UR }],
  ['rollback, Parallel, v1.35.0, update + deletePod, R 2, running', { rollback: true, R: 2, start: running, policy: 'Parallel', muBudget: 'v1.35.0', userOps: ['updateTemplate', 'deletePod'] }],
  // maxRevision 2: bad revisions 1, 2 or both; revert to an older bad one.
  ['maxRevision 2, badRevs {1}, R 2, running, budget 3', { ...A_COMMON, R: 2, maxRevision: 2, badRevs: [1], budget: 3 }],
  ['maxRevision 2, badRevs {2}, R 2, running, budget 3, manualFix', { ...A_COMMON, R: 2, maxRevision: 2, badRevs: [2], budget: 3, manualFix: true }],
  ['maxRevision 2, badRevs {1,2}, R 2, Parallel, v1.35.0, budget 3', { ...A_COMMON, R: 2, maxRevision: 2, badRevs: [1, 2], budget: 3, policy: 'Parallel', muBudget: 'v1.35.0' }],
  ['maxRevision 2, badRevs {2}, pending, R 2, budget 3', { ...A_COMMON, R: 2, maxRevision: 2, badRevs: [2], badMode: 'pending', budget: 3 }],
  ['maxRevision 2, badRevs {1}, Parallel, pending, R 2, budget 3, manualFix', { ...A_COMMON, R: 2, maxRevision: 2, badRevs: [1], badMode: 'pending', budget: 3, policy: 'Parallel', manualFix: true }],
  // R 1; start empty.
  ['R 1, badRevs {1}, running, budget 3', { ...A_COMMON, R: 1, budget: 3 }],
  ['R 1, badRevs {1}, empty, budget 3, manualFix', { ...A_COMMON, R: 1, start: 'empty', budget: 3, manualFix: true }],
  ['R 2, badRevs {1}, empty, manualFix', { ...A_COMMON, R: 2, start: 'empty', manualFix: true }],
  ['R 2, badRevs {1}, empty, Parallel, pending', { ...A_COMMON, R: 2, start: 'empty', policy: 'Parallel', badMode: 'pending' }],
  // revertTemplate with the other operations and faults.
  ['revert + scale, R 2, running', { ...A_COMMON, R: 2, userOps: [...UR, 'scale'] }],
  ['revert + deletePod, R 2, running, manualFix', { ...A_COMMON, R: 2, userOps: [...UR, 'deletePod'], manualFix: true }],
  ['revert + setPartition, R 2, running', { ...A_COMMON, R: 2, userOps: [...UR, 'setPartition'] }],
  ['revert + forceDeletePod, R 2, running', { ...A_COMMON, R: 2, userOps: [...UR, 'forceDeletePod'] }],
  ['revert + deletePVC, R 2, running, pending', { ...A_COMMON, R: 2, userOps: [...UR, 'deletePVC'], badMode: 'pending' }],
  ['revert + podBreak, R 2, running, budget 3', { ...A_COMMON, R: 2, faults: ['podBreak'], budget: 3 }],
  ['revert + podEvict, R 2, running, permanent', { ...A_COMMON, R: 2, faults: ['podEvict'], recovery: 'permanent' }],
  ['revert + nodeCrash + deleteNode, R 2, running', { ...A_COMMON, R: 2, faults: ['nodeCrash'], userOps: [...UR, 'deleteNode'] }],
  ['revert, OnDelete + deletePod, R 2, running, manualFix', { ...A_COMMON, R: 2, strategy: 'OnDelete', userOps: [...UR, 'deletePod'], manualFix: true }],
  ['revert, initPartition 1, R 3, running', { ...A_COMMON, initPartition: 1 }],
  ['revert + scale, whenScaled Delete, Parallel, R 2, running', { ...A_COMMON, R: 2, whenScaled: 'Delete', policy: 'Parallel', userOps: [...UR, 'scale'] }],
  ['maxRevision 2, badRevs {2}, R 3, running, budget 2', { ...A_COMMON, maxRevision: 2, badRevs: [2] }],
  ['maxRevision 2, badRevs {1}, R 3, running, budget 3, manualFix, Parallel', { ...A_COMMON, maxRevision: 2, budget: 3, manualFix: true, policy: 'Parallel' }],
  ['update only, badRevs {1}, R 3, running, budget 1', { ...A_COMMON, userOps: ['updateTemplate'], budget: 1 }],
  ['all faults + all user ops + revert, R 2, budget 1, badRevs {1}', { ...A_COMMON, R: 2, start: 'empty', faults: ALL, userOps: ['scale', 'updateTemplate', 'setPartition', 'deletePod', 'forceDeletePod', 'deletePVC', 'deleteNode', 'revertTemplate'], budget: 1, manualFix: true }],
];

export const GRID_B: [string, IndependentParams][] = [
  // The verdict table's rows, each with readOwnWrites off and on.
  ['B1: #41889', { ...B_COMMON, initReplicas: 1, faults: ['podBreak'], userOps: ['scale'] }],
  ['B1, readOwnWrites', { ...B_COMMON, initReplicas: 1, faults: ['podBreak'], userOps: ['scale'], readOwnWrites: true }],
  ['B2: mirror', { ...B_COMMON, initReplicas: 2, faults: ['podBreak'], userOps: ['scale'] }],
  ['B2, readOwnWrites', { ...B_COMMON, initReplicas: 2, faults: ['podBreak'], userOps: ['scale'], readOwnWrites: true }],
  ['B3: stale update', { ...B_COMMON, initReplicas: 2, faults: ['podBreak'], userOps: ['updateTemplate'] }],
  ['B3, readOwnWrites', { ...B_COMMON, initReplicas: 2, faults: ['podBreak'], userOps: ['updateTemplate'], readOwnWrites: true }],
  ['B4: #51224', { ...B_COMMON, initReplicas: 1, userOps: ['scale'] }],
  ['B5: B4 + readOwnWrites', { ...B_COMMON, initReplicas: 1, userOps: ['scale'], readOwnWrites: true }],
  ['B6: force delete, R 2', { staleReads: true, R: 2, userOps: ['forceDeletePod'] }],
  ['B6: force delete, R 2, readOwnWrites', { staleReads: true, R: 2, userOps: ['forceDeletePod'], readOwnWrites: true }],
  // No environment.
  ['stale, defaults', { staleReads: true }],
  ['stale, readOwnWrites, defaults', { staleReads: true, readOwnWrites: true }],
  ['stale, Parallel, R 2', { staleReads: true, policy: 'Parallel', R: 2 }],
  // Scale, with the claim retention and Parallel.
  ['stale, scale, R 2, empty', { staleReads: true, R: 2, userOps: ['scale'] }],
  ['stale, scale, Parallel, R 2, running', { ...B_COMMON, userOps: ['scale'], policy: 'Parallel' }],
  ['stale, scale, Parallel, readOwnWrites, R 2, running', { ...B_COMMON, userOps: ['scale'], policy: 'Parallel', readOwnWrites: true }],
  ['stale, whenScaled Delete, scale, R 2, running', { ...B_COMMON, userOps: ['scale'], whenScaled: 'Delete' }],
  ['stale, whenScaled Delete, scale, readOwnWrites, R 2, running', { ...B_COMMON, userOps: ['scale'], whenScaled: 'Delete', readOwnWrites: true }],
  ['stale, whenScaled Delete, scale, Parallel, R 2, empty', { staleReads: true, R: 2, userOps: ['scale'], whenScaled: 'Delete', policy: 'Parallel' }],
  ['stale, scale, R 3, running, initReplicas 2, budget 1', { ...B_COMMON, R: 3, initReplicas: 2, userOps: ['scale'], budget: 1 }],
  // Deletes, updates.
  ['stale, deletePod, R 2, running', { ...B_COMMON, userOps: ['deletePod'] }],
  ['stale, deletePod, readOwnWrites, R 2, running', { ...B_COMMON, userOps: ['deletePod'], readOwnWrites: true }],
  ['stale, forceDeletePod, R 2, running', { ...B_COMMON, userOps: ['forceDeletePod'] }],
  ['stale, updateTemplate + deletePod, R 2, running', { ...B_COMMON, userOps: ['updateTemplate', 'deletePod'] }],
  ['stale, updateTemplate + forceDeletePod, Parallel, R 2, running', { ...B_COMMON, userOps: ['updateTemplate', 'forceDeletePod'], policy: 'Parallel' }],
  ['stale, updateTemplate + setPartition, R 2, running', { ...B_COMMON, userOps: ['updateTemplate', 'setPartition'] }],
  ['stale, OnDelete, updateTemplate + deletePod, R 2, running', { ...B_COMMON, userOps: ['updateTemplate', 'deletePod'], strategy: 'OnDelete' }],
  ['stale, deletePVC + deletePod, R 2, running', { ...B_COMMON, userOps: ['deletePVC', 'deletePod'] }],
  ['stale, deletePVC + deletePod, readOwnWrites, R 2, empty', { staleReads: true, R: 2, userOps: ['deletePVC', 'deletePod'], readOwnWrites: true }],
  // Faults.
  ['stale, podBreak, R 2, running, permanent', { ...B_COMMON, faults: ['podBreak'], recovery: 'permanent' }],
  ['stale, podEvict, R 2, running', { ...B_COMMON, faults: ['podEvict'] }],
  ['stale, podEvict, readOwnWrites, R 2, empty', { staleReads: true, R: 2, faults: ['podEvict'], readOwnWrites: true }],
  ['stale, nodePartition + deleteNode, R 2, running', { ...B_COMMON, faults: ['nodePartition'], userOps: ['deleteNode'] }],
  ['stale, nodeCrash, R 2, empty', { staleReads: true, R: 2, faults: ['nodeCrash'] }],
  ['stale, podBreak + scale, nodes 1, R 3, running, budget 2', { ...B_COMMON, R: 3, nodes: 1, faults: ['podBreak'], userOps: ['scale'] }],
  ['stale, all faults + all user ops, R 2, budget 1', { staleReads: true, R: 2, faults: ALL, userOps: ALL, budget: 1 }],
  ['stale, readOwnWrites, all faults + all user ops, R 2, budget 1', { staleReads: true, readOwnWrites: true, R: 2, faults: ALL, userOps: ALL, budget: 1 }],
  // Corners of the readings (see AMBIGUITY (rollouts) in independentModel.ts): a no-op CtlCreate
  // with the claim gone (pod created, unscheduled, claim deleted at once, view still empty); deletes
  // of pods already deleting; partition and Parallel; three nodes.
  ['stale, deletePVC, R 1, empty, budget 1', { staleReads: true, R: 1, userOps: ['deletePVC'], budget: 1 }],
  ['stale, deletePVC + deletePod, R 1, empty, budget 3', { staleReads: true, R: 1, userOps: ['deletePVC', 'deletePod'], budget: 3 }],
  ['stale, Parallel, updateTemplate + setPartition, R 2, running', { ...B_COMMON, userOps: ['updateTemplate', 'setPartition'], policy: 'Parallel' }],
  ['stale, OnDelete, Parallel, updateTemplate + deletePod, R 2, running', { ...B_COMMON, userOps: ['updateTemplate', 'deletePod'], strategy: 'OnDelete', policy: 'Parallel' }],
  ['stale, nodes 3, deletePod, R 2, running, budget 1', { ...B_COMMON, nodes: 3, userOps: ['deletePod'], budget: 1 }],
  ['stale, readOwnWrites, whenScaled Delete, scale, Parallel, R 2, empty', { staleReads: true, readOwnWrites: true, R: 2, userOps: ['scale'], whenScaled: 'Delete', policy: 'Parallel' }],
  ['stale, scale, R 3, empty, budget 1', { staleReads: true, userOps: ['scale'], budget: 1 }],
  // With rollback (A and B together).
  ['stale + A1, R 2', { ...A_COMMON, R: 2, staleReads: true }],
  ['stale + readOwnWrites + A2, R 2', { ...A_COMMON, R: 2, staleReads: true, readOwnWrites: true, manualFix: true }],
  ['stale + A4 (Parallel, v1.35.0), R 2', { ...A_COMMON, R: 2, staleReads: true, policy: 'Parallel', muBudget: 'v1.35.0' }],
];

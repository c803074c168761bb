import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explorer/bfs.js';
import { checkLiveness, isStutter } from '../../src/explorer/liveness.js';
import { loadModel } from '../../src/registry.js';
import {
  analyse,
  checkLivenessIndependent,
  explainLivenessIndependent,
  explainOn,
  fairGroup,
  findViolation,
  judgeLasso,
  judgeLassoOn,
  LIVENESS_NAMES,
  tarjan,
  type IndependentGraph,
  type LivenessName,
} from './independentLiveness.js';
import type { IndependentParams } from './independentModel.js';

// Cross-check of the project's liveness checker (src/explorer/liveness.ts) against an independent
// textbook check (test/spec/independentLiveness.ts: the whole reachable graph of the naive
// rendering of reference-model.md, an iterative Tarjan, weakly fair SCCs and fair stutter states).
//
// For every configuration of the grid and each of the three `<>[]P` properties:
//  - the independent verdict equals the one recorded here (and, for the reference model's own
//    "Expected verdicts" rows, the verdict the text states);
//  - the project's verdict equals the independent one;
//  - every counterexample of either side replays on the independent model and is a fair
//    behaviour that violates the property (judged on the independent graph).
//
// Observation: in every configuration of the grid the reachable graph, stutter steps removed, is
// acyclic (environment steps spend budget, and no sequence of system steps returns to a state), so
// every violation found here ends by stuttering at a ¬P state. The cycle branch of the check (fair
// SCCs) is covered by the synthetic graphs at the end of this file.

type Verdict = 'holds' | 'violated';
/** [name, params, verdicts of EventuallyConverged / ScaleDownCompletes / RolloutCompletes as h|v, verdicts stated by the text] */
type Row = [string, IndependentParams, string, Partial<Record<LivenessName, Verdict>>?];

const ALL = 'all' as const;
const running = 'running' as const;
const H = 'holds' as const;
const V = 'violated' as const;

const GRID: Row[] = [
  // The reference model's "Expected verdicts" for liveness (start = running), checked on both sides.
  ['ref: scale-down blocked by an unhealthy pod, permanent', { start: running, faults: ['podBreak'], userOps: ['scale'], recovery: 'permanent' }, 'vvh', { ScaleDownCompletes: V }],
  ['ref: scale-down blocked by an unhealthy pod, transient', { start: running, faults: ['podBreak'], userOps: ['scale'], recovery: 'transient' }, 'hhh', { ScaleDownCompletes: H }],
  ['ref: rolling update completes', { start: running, userOps: ['updateTemplate'] }, 'hhh', { RolloutCompletes: H, EventuallyConverged: H }],
  ['ref: partitioned (canary) update', { start: running, userOps: ['updateTemplate'], initPartition: 1 }, 'hhv', { RolloutCompletes: V, EventuallyConverged: H }],
  ['ref: OnDelete update', { start: running, userOps: ['updateTemplate'], strategy: 'OnDelete' }, 'hhv', { RolloutCompletes: V }],
  ['ref: defaults', {}, 'hhh', { EventuallyConverged: H, ScaleDownCompletes: H, RolloutCompletes: H }],
  // Faults, each alone and all, under both recoveries.
  ['nodePartition, transient', { faults: ['nodePartition'], R: 2 }, 'hhh'],
  ['nodePartition, permanent', { faults: ['nodePartition'], R: 2, recovery: 'permanent' }, 'vhh'],
  ['nodeCrash, transient, running', { faults: ['nodeCrash'], start: running }, 'hhh'],
  ['nodeCrash, permanent, running', { faults: ['nodeCrash'], start: running, recovery: 'permanent' }, 'vhh'],
  ['podBreak, transient, budget 1', { faults: ['podBreak'], budget: 1 }, 'hhh'],
  ['podBreak, permanent, budget 1', { faults: ['podBreak'], budget: 1, recovery: 'permanent' }, 'vhh'],
  ['podEvict, transient, running', { faults: ['podEvict'], start: running }, 'hhh'],
  ['podEvict, permanent, running', { faults: ['podEvict'], start: running, recovery: 'permanent' }, 'hhh'],
  ['all faults, transient, budget 1', { faults: ALL, budget: 1 }, 'hhh'],
  ['all faults, permanent, budget 1', { faults: ALL, budget: 1, recovery: 'permanent' }, 'vhh'],
  ['all faults, transient, R 2, nodes 1', { faults: ALL, R: 2, nodes: 1 }, 'hhh'],
  ['all faults, permanent, R 2, running', { faults: ALL, R: 2, start: running, recovery: 'permanent' }, 'vhh'],
  // User operations, each alone and some together.
  ['scale', { userOps: ['scale'] }, 'hhh'],
  ['scale, running, R 2, nodes 1', { userOps: ['scale'], start: running, R: 2, nodes: 1 }, 'hhh'],
  ['updateTemplate, empty', { userOps: ['updateTemplate'] }, 'hhh'],
  ['updateTemplate, maxRevision 2, running', { userOps: ['updateTemplate'], maxRevision: 2, start: running }, 'hhh'],
  ['setPartition, running', { userOps: ['setPartition'], start: running, budget: 1 }, 'hhh'],
  ['updateTemplate + setPartition, running, initPartition 2', { userOps: ['updateTemplate', 'setPartition'], start: running, initPartition: 2 }, 'hhv'],
  ['deletePod', { userOps: ['deletePod'] }, 'hhh'],
  ['forceDeletePod, R 2', { userOps: ['forceDeletePod'], R: 2 }, 'hhh'],
  ['deletePVC', { userOps: ['deletePVC'], R: 2 }, 'hhh'],
  ['deletePVC + deletePod, reclaim Retain', { userOps: ['deletePVC', 'deletePod'], reclaim: 'Retain', R: 2 }, 'hhh'],
  ['deleteNode + nodePartition, permanent', { userOps: ['deleteNode'], faults: ['nodePartition'], recovery: 'permanent', R: 2 }, 'vhh'],
  ['deleteNode + nodeCrash, transient', { userOps: ['deleteNode'], faults: ['nodeCrash'], R: 2 }, 'hhh'],
  ['all user ops, budget 1', { userOps: ALL, budget: 1 }, 'hhh'],
  ['all user ops, R 2, nodes 1', { userOps: ALL, R: 2, nodes: 1 }, 'hhv'],
  ['scale + updateTemplate, running, R 2', { userOps: ['scale', 'updateTemplate'], start: running, R: 2 }, 'hhh'],
  // Pod management policy.
  ['Parallel, scale, budget 1', { policy: 'Parallel', userOps: ['scale'], budget: 1 }, 'hhh'],
  ['Parallel, scale + deletePVC, R 2', { policy: 'Parallel', userOps: ['scale', 'deletePVC'], R: 2 }, 'hhh'],
  ['Parallel, updateTemplate, running', { policy: 'Parallel', userOps: ['updateTemplate'], start: running }, 'hhh'],
  ['Parallel, podBreak + scale, running, permanent', { policy: 'Parallel', faults: ['podBreak'], userOps: ['scale'], start: running, recovery: 'permanent' }, 'vhh'],
  ['Parallel, all faults, budget 1, permanent', { policy: 'Parallel', faults: ALL, budget: 1, recovery: 'permanent' }, 'vhh'],
  // Update strategy OnDelete.
  ['OnDelete, updateTemplate + deletePod, running', { strategy: 'OnDelete', userOps: ['updateTemplate', 'deletePod'], start: running }, 'hhv'],
  ['OnDelete, maxRevision 2, updateTemplate, running, R 1', { strategy: 'OnDelete', maxRevision: 2, userOps: ['updateTemplate'], start: running, R: 1 }, 'hhv'],
  // whenScaled Delete.
  ['whenScaled Delete, scale', { whenScaled: 'Delete', userOps: ['scale'] }, 'hhh'],
  ['whenScaled Delete, scale + podBreak, running, permanent', { whenScaled: 'Delete', userOps: ['scale'], faults: ['podBreak'], start: running, recovery: 'permanent' }, 'vvh'],
  ['whenScaled Delete, scale, Parallel, R 2, running', { whenScaled: 'Delete', userOps: ['scale'], policy: 'Parallel', R: 2, start: running }, 'hhh'],
  // Small odds and ends: R 1, initReplicas, updateTemplate with faults.
  ['R 1, nodes 1, all faults + all user ops, budget 2', { R: 1, nodes: 1, faults: ALL, userOps: ALL }, 'hhv'],
  ['R 1, nodes 2, all faults + all user ops, permanent, reclaim Retain', { R: 1, faults: ALL, userOps: ALL, recovery: 'permanent', reclaim: 'Retain' }, 'vvv'],
  ['initReplicas 1, scale + podBreak, running, permanent', { initReplicas: 1, userOps: ['scale'], faults: ['podBreak'], start: running, recovery: 'permanent' }, 'vhh'],
  ['updateTemplate + podBreak, running, permanent', { userOps: ['updateTemplate'], faults: ['podBreak'], start: running, recovery: 'permanent', R: 2 }, 'vhv'],
  ['updateTemplate + nodePartition, running, permanent', { userOps: ['updateTemplate'], faults: ['nodePartition'], start: running, recovery: 'permanent', R: 2 }, 'vhv'],
  ['updateTemplate + nodeCrash, running, permanent', { userOps: ['updateTemplate'], faults: ['nodeCrash'], start: running, recovery: 'permanent', R: 2 }, 'vhv'],
  ['updateTemplate + setPartition, running', { userOps: ['updateTemplate', 'setPartition'], start: running }, 'hhv'],
  ['scale + nodePartition, running, permanent', { userOps: ['scale'], faults: ['nodePartition'], start: running, recovery: 'permanent', R: 2 }, 'vvh'],
  ['scale + nodePartition, running, transient', { userOps: ['scale'], faults: ['nodePartition'], start: running, R: 2 }, 'hhh'],
  ['scale + deleteNode + nodePartition, running, permanent, budget 3', { userOps: ['scale', 'deleteNode'], faults: ['nodePartition'], start: running, recovery: 'permanent', R: 2, budget: 3 }, 'vvh'],
  ['forceDeletePod + nodePartition, permanent', { userOps: ['forceDeletePod'], faults: ['nodePartition'], recovery: 'permanent', R: 2 }, 'vhh'],
  ['whenScaled Delete, scale + deleteNode + nodeCrash, running, permanent', { whenScaled: 'Delete', userOps: ['scale', 'deleteNode'], faults: ['nodeCrash'], start: running, recovery: 'permanent', R: 2 }, 'vvh'],
  ['OnDelete, Parallel, updateTemplate + scale, R 2', { strategy: 'OnDelete', policy: 'Parallel', userOps: ['updateTemplate', 'scale'], R: 2 }, 'hhv'],
  ['all faults + all user ops, R 2, nodes 1, budget 1, permanent', { faults: ALL, userOps: ALL, R: 2, nodes: 1, budget: 1, recovery: 'permanent' }, 'vhh'],
];

const triple = (t: string): Record<LivenessName, Verdict> => ({
  EventuallyConverged: t[0] === 'v' ? V : H,
  ScaleDownCompletes: t[1] === 'v' ? V : H,
  RolloutCompletes: t[2] === 'v' ? V : H,
});

describe('liveness: independent textbook check = project checker', () => {
  it('the grid: 57 configurations x 3 properties, 132 hold and 39 are violated', () => {
    expect(GRID.length).toBe(57);
    expect(new Set(GRID.map((r) => r[0])).size).toBe(GRID.length);
    const all = GRID.flatMap((r) => [...r[2]]);
    expect({ holds: all.filter((c) => c === 'h').length, violated: all.filter((c) => c === 'v').length }).toEqual({ holds: 132, violated: 39 });
  });

  it.each(GRID)('%s', async (_name, params, recorded, stated) => {
    const mine = {} as Record<LivenessName, Verdict>;
    for (const name of LIVENESS_NAMES) mine[name] = checkLivenessIndependent(params, name);
    expect(mine).toEqual(triple(recorded));
    for (const [name, verdict] of Object.entries(stated ?? {})) expect(mine[name as LivenessName]).toBe(verdict);
    // Our own counterexamples are fair and violating (a self-check of the witness extraction).
    for (const name of LIVENESS_NAMES) {
      const w = explainLivenessIndependent(params, name);
      expect(w === null).toBe(mine[name] === H);
      if (w !== null) {
        const loop = w.kind === 'cycle' ? { labels: w.loop, backTo: w.prefix.length } : null;
        expect(judgeLasso(params, name, w.prefix, loop)).toEqual([]);
      }
    }

    // The project's verdicts, and its counterexamples judged on the independent model.
    const model = loadModel({ model: 'statefulset', params: params as Record<string, unknown> });
    const r = await explore(model, { check: [] });
    expect(r.complete).toBe(true);
    const v = checkLiveness(model, r, LIVENESS_NAMES);
    const theirs = {} as Record<LivenessName, string>;
    for (const name of LIVENESS_NAMES) theirs[name] = v.get(name)!.verdict;
    expect(theirs).toEqual(mine);
    for (const name of LIVENESS_NAMES) {
      const lasso = v.get(name)!.lasso;
      if (lasso === undefined) continue;
      const prefix = lasso.prefix.slice(1).map((s) => s.action!);
      const loop = isStutter(lasso) ? null : { labels: lasso.loop.steps.map((s) => s.action!), backTo: lasso.loop.backTo };
      expect(judgeLasso(params, name, prefix, loop), `${name}: ${prefix.join(' ')}`).toEqual([]);
    }
  });
});

// ---- The checker's own machinery on synthetic graphs ----

/** A graph given by its edges (labels give the fair groups, as in the model) and its ¬P states. */
function synthetic(n: number, edges: [number, number, string][], notP: number[]): IndependentGraph {
  const groups: string[] = [];
  const gid = new Map<string, number>();
  const sorted = [...edges].sort((a, b) => a[0] - b[0]);
  const off = new Int32Array(n + 1);
  for (const [a] of sorted) off[a + 1]!++;
  for (let v = 0; v < n; v++) off[v + 1]! += off[v]!;
  const grp = sorted.map(([, , l]) => {
    const g = fairGroup(l);
    if (g === null) return -1;
    if (!gid.has(g)) {
      gid.set(g, groups.length);
      groups.push(g);
    }
    return gid.get(g)!;
  });
  const enabled = Array.from({ length: n }, (_, v) =>
    Int32Array.from([...new Set(grp.filter((x, e) => x >= 0 && sorted[e]![0] === v))].sort((a, b) => a - b)),
  );
  const holds = Uint8Array.from({ length: n }, (_, v) => (notP.includes(v) ? 0 : 1));
  return {
    keys: Array.from({ length: n }, (_, v) => `s${v}`),
    inits: [0],
    off,
    dst: Int32Array.from(sorted.map((e) => e[1])),
    grp: Int32Array.from(grp),
    label: sorted.map((e) => e[2]),
    groups,
    enabled,
    holds: new Map(LIVENESS_NAMES.map((name) => [name, holds])),
  };
}

const decide = (g: IndependentGraph) => {
  const c = { graph: g, scc: analyse(g) };
  const v = findViolation(c, 'RolloutCompletes');
  const w = explainOn(c, 'RolloutCompletes');
  if (w !== null) {
    // The witness is a fair, violating lasso.
    expect(judgeLassoOn(g, 'RolloutCompletes', w.prefix, w.kind === 'cycle' ? { labels: w.loop, backTo: w.prefix.length } : null)).toEqual([]);
  }
  return v === null ? 'holds' : v.kind;
};

describe('independent liveness check: synthetic graphs', () => {
  // s0 -> s1 <-> s2, ¬P at s2; s3 is a P terminal state.
  const cycle: [number, number, string][] = [
    [0, 1, 'CtlCreate(0)'],
    [1, 2, 'KubeletRun(0)'],
    [2, 1, 'KubeletTerminate(0)'],
  ];

  it('a cycle through a ¬P state with nothing else enabled is a fair violation', () => {
    expect(decide(synthetic(4, cycle, [2]))).toBe('cycle');
  });

  it('a system action enabled all along the cycle and never taken makes it unfair', () => {
    expect(decide(synthetic(4, [...cycle, [1, 3, 'CtlAdvance'], [2, 3, 'CtlAdvance']], [2]))).toBe('holds');
  });

  it('... unless it is disabled in one state of the cycle (weak fairness)', () => {
    expect(decide(synthetic(4, [...cycle, [1, 3, 'CtlAdvance']], [2]))).toBe('cycle');
  });

  it('an environment action never makes a cycle unfair', () => {
    expect(decide(synthetic(4, [...cycle, [1, 3, 'Scale(1)'], [2, 3, 'Scale(1)']], [2]))).toBe('cycle');
  });

  it('Schedule is one fair group per ordinal, over all nodes', () => {
    const edges: [number, number, string][] = [
      [0, 1, 'CtlCreate(0)'],
      [1, 2, 'Schedule(0,1)'],
      [2, 1, 'KubeletTerminate(0)'],
      [1, 3, 'Schedule(0,2)'],
      [2, 3, 'Schedule(0,2)'],
    ];
    // Schedule(0) is taken on the cycle (on node 1): fair, although Schedule(0,2) never is.
    expect(decide(synthetic(4, edges, [2]))).toBe('cycle');
    // Another ordinal's Schedule is another group: starved.
    const other = edges.map(([a, b, l]): [number, number, string] => [a, b, l === 'Schedule(0,2)' ? 'Schedule(1,2)' : l]);
    expect(decide(synthetic(4, other, [2]))).toBe('holds');
  });

  it('a fair cycle of P states only is no violation; a ¬P state left for good is none either', () => {
    expect(decide(synthetic(4, cycle, []))).toBe('holds');
    expect(decide(synthetic(4, [...cycle, [1, 3, 'CtlAdvance'], [2, 3, 'CtlAdvance']], [0, 2]))).toBe('holds');
  });

  it('stuttering at a ¬P state is fair when only environment actions are enabled there', () => {
    expect(decide(synthetic(3, [[0, 1, 'CtlCreate(0)'], [1, 2, 'Scale(0)']], [1]))).toBe('stutter');
    expect(decide(synthetic(3, [[0, 1, 'CtlCreate(0)'], [1, 2, 'CtlAdvance']], [1]))).toBe('holds');
  });

  it('a fair cycle needing detours: the witness takes every always-enabled group', () => {
    // A ring s1 -> s2 -> s3 -> s1 with chords; Ctl groups enabled everywhere, each taken on one edge only.
    const edges: [number, number, string][] = [
      [0, 1, 'CtlCreate(0)'],
      [1, 2, 'CtlCreate(1)'],
      [2, 3, 'CtlCreate(2)'],
      [3, 1, 'CtlCreate(0)'],
      [1, 3, 'CtlCreate(2)'],
      [2, 1, 'CtlCreate(0)'],
      [3, 2, 'CtlCreate(1)'],
      [1, 4, 'CtlCreate(0)'],
      [2, 4, 'CtlCreate(1)'],
      [3, 4, 'CtlCreate(2)'],
    ];
    expect(decide(synthetic(5, edges, [1]))).toBe('cycle');
  });

  it('iterative Tarjan = mutual reachability on random graphs, and survives a long chain', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rnd() * 12);
      const m = Math.floor(rnd() * n * 2.5);
      const edges: [number, number][] = [];
      for (let k = 0; k < m; k++) edges.push([Math.floor(rnd() * n), Math.floor(rnd() * n)]);
      edges.sort((a, b) => a[0] - b[0]);
      const off = new Int32Array(n + 1);
      for (const [a] of edges) off[a + 1]!++;
      for (let v = 0; v < n; v++) off[v + 1]! += off[v]!;
      const { comp, count } = tarjan(n, off, Int32Array.from(edges.map((e) => e[1])));
      const reach = Array.from({ length: n }, (_, v) => Array.from({ length: n }, (_, w) => v === w));
      for (const [a, b] of edges) reach[a]![b] = true;
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (reach[i]![k] && reach[k]![j]) reach[i]![j] = true;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(comp[i] === comp[j]).toBe(reach[i]![j]! && reach[j]![i]!);
      expect(count).toBe(new Set(comp).size);
      // Reverse topological numbering: an edge never goes to a component completed later.
      for (const [a, b] of edges) expect(comp[b]! <= comp[a]!).toBe(true);
    }
    const n = 300_000;
    const off = Int32Array.from({ length: n + 1 }, (_, v) => v);
    const dst = Int32Array.from({ length: n }, (_, v) => (v + 1) % n);
    expect(tarjan(n, off, dst).count).toBe(1);
  });
});

import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InvariantProperty, Model, TransitionProperty } from '../../src/explorer/model.js';
import { checkLiveness } from '../../src/explorer/liveness.js';
import { loadModelAsync } from '../../src/registry.js';
import { exploreAll, sts } from '../helpers.js';
import { expectSameCounts, pairedSuccessors } from './crossCheck.js';
import { analyse, buildGraph, findViolation, LIVENESS_NAMES, type LivenessName } from './independentLiveness.js';
import {
  atMostOne,
  exploreIndependent,
  initialStates,
  key,
  labelledSuccessors,
  orderedCreation,
  orderedTermination,
  orderedUpdate,
  reverseOrderUpdate,
  shortestViolations,
  type IndependentParams,
  type IState,
  type SafetyName,
} from './independentModel.js';
import { A_COMMON, B_COMMON, GRID_A, GRID_B } from './independentRolloutsGrid.js';
import { recoversAfterRevert } from './independentRolloutsLiveness.js';

// Cross-check of extensions/rollouts-and-stale-reads.md (A: bad revisions and rollback; B: the
// controller's stale reads; not B7): the project's model against the independent, naive rendering of
// test/spec/independentModel.ts, written from the text alone (the readings chosen where the text
// leaves room are the `AMBIGUITY (rollouts)` comments there). Any difference in distinct states,
// generated states or depth is a divergence from the text on one side.

describe('rollouts A (rollback): independent rendering = project model (distinct, generated, depth)', () => {
  it.each(GRID_A)('%s', (_name, params) => expectSameCounts(params));
});

describe('rollouts B (staleReads): independent rendering = project model (distinct, generated, depth)', () => {
  it.each(GRID_B)('%s', (_name, params) => expectSameCounts(params));
});

/** Every parameter of the extension at its default, given explicitly. */
const OFF: IndependentParams = { rollback: false, badRevs: [], badMode: 'unready', manualFix: false, muBudget: 'legacy', staleReads: false, readOwnWrites: false };

describe('rollouts: the extension off (given explicitly) changes nothing', () => {
  it.each<[string, number | undefined, IndependentParams]>([
    ['defaults', 50, {}],
    ['all faults, all user ops, budget 1', 3627, { faults: 'all', userOps: 'all', budget: 1 }],
    ['running, updateTemplate + deletePod + scale, R 2', undefined, { start: 'running', userOps: ['updateTemplate', 'deletePod', 'scale'], R: 2 }],
    ['running, all faults + all user ops, R 2, budget 1, Parallel', undefined, { start: 'running', faults: 'all', userOps: 'all', R: 2, budget: 1, policy: 'Parallel' }],
  ])('%s', async (_name, distinct, params) => {
    const today = exploreIndependent(params);
    const off = exploreIndependent({ ...params, ...OFF });
    expect(off).toEqual(today);
    if (distinct !== undefined) expect(off.distinct).toBe(distinct);
    let sawKey = false;
    exploreIndependent({ ...params, ...OFF }, (s) => {
      if ('hiRev' in s || 'seen' in s || 'dirty' in s) sawKey = true;
    });
    expect(sawKey).toBe(false);
    const r = await exploreAll(sts({ ...params, ...OFF } as Record<string, unknown>));
    expect({ distinct: r.distinct, generated: r.generated, depth: r.depth }).toEqual(today);
  });
});

// ---- The verdict tables, on the independent rendering alone ----

/** Replays `labels` from some initial state of the independent rendering; the final state, or null. */
function replay(params: IndependentParams, labels: readonly string[]): IState | null {
  outer: for (const s0 of initialStates(params)) {
    let s = s0;
    for (const l of labels) {
      const next = labelledSuccessors(params, s).find((x) => x.label === l);
      if (next === undefined) continue outer;
      s = next.next;
    }
    return s;
  }
  return null;
}

/** The project's model for `params` (with the PR #100289 variant when `stuckFix` is set). */
async function projectModel(params: IndependentParams): Promise<Model<Uint8Array>> {
  const { stuckFix, ...rest } = params;
  if ((stuckFix ?? 'none') === 'none') return sts(rest as Record<string, unknown>);
  const variant = stuckFixVariant();
  if (variant === undefined) throw new Error('no PR #100289 variant in specs/variants');
  return (await loadModelAsync({ model: 'statefulset', params: rest as Record<string, unknown>, controller: variant })) as Model<Uint8Array>;
}

/** The project checker's verdicts of the named liveness properties. */
async function projectLiveness(params: IndependentParams, names: readonly string[]): Promise<Record<string, string>> {
  const model = await projectModel(params);
  const r = await exploreAll(model);
  expect(r.complete).toBe(true);
  const v = checkLiveness(model, r, names);
  return Object.fromEntries(names.map((n) => [n, v.get(n)?.verdict ?? 'absent']));
}

const A1_TRACE = ['UpdateTemplate', 'CtlUpdate(2)', 'KubeletTerminate(2)', 'CtlCreate(2)', 'RevertTemplate(0)', 'Schedule(2,1)', 'KubeletRun(2)'];

describe('rollouts: the independent rendering against the A verdict table', () => {
  // [row, params, RecoversAfterRevert, EventuallyConverged, RolloutCompletes]
  // RolloutCompletes and EventuallyConverged are violated in every row with a bad revision, A1
  // included, although the table says "RolloutCompletes holds" for A1: a behaviour that makes the
  // UpdateTemplate and never the (unfair) RevertTemplate stutters forever at
  // `UpdateTemplate, CtlUpdate(2), KubeletTerminate(2), CtlCreate(2), Schedule(2,1), KubeletRun(2)`
  // with updRev = 1 != curRev = 0 (the pod of revision 1 never becomes Ready, so CtlAdvance never
  // fires). The rules, not the hand derivation, decide: the text's A1 row is wrong on that point.
  const V = 'violated' as const;
  const H = 'holds' as const;
  const rows: [string, IndependentParams, 'holds' | 'violated', 'holds' | 'violated', 'holds' | 'violated'][] = [
    ['A1: stuck after revert', A_COMMON, V, V, V],
    ['A2: manual fix', { ...A_COMMON, manualFix: true }, H, V, V],
    ['A3: Parallel', { ...A_COMMON, policy: 'Parallel' }, H, V, V],
    ['A4: Parallel, v1.35.0', { ...A_COMMON, policy: 'Parallel', muBudget: 'v1.35.0' }, V, V, V],
    ['A5: PR #100289, pending', { ...A_COMMON, stuckFix: 'pr100289', badMode: 'pending' }, H, V, V],
    ['A6: PR #100289, unready', { ...A_COMMON, stuckFix: 'pr100289' }, V, V, V],
    ['A7: PR #100289, update order', { ...A_COMMON, stuckFix: 'pr100289', badRevs: [], userOps: ['updateTemplate', 'deletePod'] }, H, H, H],
  ];
  it.each(rows)('%s', async (name, params, rar, ec, rc) => {
    const g = buildGraph(params);
    const c = { graph: g, scc: analyse(g) };
    const live = (n: LivenessName) => (findViolation(c, n) === null ? 'holds' : 'violated');
    const mine = { RecoversAfterRevert: recoversAfterRevert(params, g), EventuallyConverged: live('EventuallyConverged'), RolloutCompletes: live('RolloutCompletes') };
    expect(mine).toEqual({ RecoversAfterRevert: rar, EventuallyConverged: ec, RolloutCompletes: rc });
    // The project's checker agrees.
    expect(await projectLiveness(params, Object.keys(mine))).toEqual(mine);
    const v = shortestViolations(params);
    const violated = Object.entries(v).filter(([, t]) => t !== null);
    if (name.startsWith('A7')) {
      // "ReverseOrderUpdate violated in 5 steps ... All data and identity properties hold."
      expect(violated).toEqual([['ReverseOrderUpdate', ['DeletePod(0)', 'KubeletTerminate(0)', 'CtlCreate(0)', 'UpdateTemplate', 'CtlDeleteStuck(0)']]]);
    } else {
      expect(violated).toEqual([]);
    }
  });

  it('A1, A4, A6: the 7-step trace ends in a terminal state (pod 2 at the bad revision 1, Running, never Ready)', () => {
    for (const params of [A_COMMON, { ...A_COMMON, policy: 'Parallel' as const, muBudget: 'v1.35.0' as const }, { ...A_COMMON, stuckFix: 'pr100289' as const }]) {
      const s = replay(params, A1_TRACE)!;
      expect(s).not.toBeNull();
      expect(s.pod[2]).toMatchObject({ rev: 1, phase: 'Running', ready: false, deleting: false });
      expect(s.updRev).toBe(0);
      expect(labelledSuccessors(params, s).map((x) => x.label)).toEqual([]);
    }
  });

  it('A2: the operator deletes the stuck pod and it comes back at revision 0; A3: CtlUpdate(2) deletes it', () => {
    const a2 = { ...A_COMMON, manualFix: true };
    const s = replay(a2, [...A1_TRACE, 'OperatorDelete(2)', 'KubeletTerminate(2)', 'CtlCreate(2)'])!;
    expect(s.pod[2]).toMatchObject({ rev: 0, phase: 'Pending' });
    const a3 = { ...A_COMMON, policy: 'Parallel' as const };
    expect(labelledSuccessors(a3, replay(a3, A1_TRACE)!).map((x) => x.label)).toEqual(['CtlUpdate(2)']);
  });

  it('A5: with badMode pending the pod never runs and CtlDeleteStuck(2) deletes it after the revert', () => {
    const a5 = { ...A_COMMON, stuckFix: 'pr100289' as const, badMode: 'pending' as const };
    const s = replay(a5, A1_TRACE.slice(0, 6))!;
    expect(s.pod[2]).toMatchObject({ rev: 1, phase: 'Pending', node: 1 });
    expect(labelledSuccessors(a5, s).map((x) => x.label)).toEqual(['CtlDeleteStuck(2)']);
  });
});

describe('rollouts: the independent rendering against the B verdict table (shortest safety violations)', () => {
  // Every violated safety property with its shortest trace (null: holds). The table names one
  // violation per row; the others found are recorded here as the rules give them:
  //  - with readOwnWrites off, the controller does not see its own creations and deletions, so
  //    B1 and B4 also break OrderedTermination (`Scale(2), CtlCreate(1), Scale(0), CtlScaleDown(0)`:
  //    pod 1 is not yet in the view), and B2 also breaks OrderedCreation (the #51224 pattern);
  //  - B3's stale datum comes from the kubelet: OrderedCreation and ReverseOrderUpdate break too,
  //    with readOwnWrites on or off (B5: "B1 to B3 stay violated");
  //  - B6: OrderedCreation breaks too (`ForceDeletePod(0)` is not yet observed when
  //    `CtlCreate(1)` reads RR(0) from the view).
  const rows: [string, IndependentParams, Partial<Record<SafetyName, string[]>>][] = [
    ['B1: #41889', { ...B_COMMON, initReplicas: 1, faults: ['podBreak'], userOps: ['scale'] }, {
      OrderedCreation: ['PodBreak(0)', 'Scale(2)', 'CtlCreate(1)'],
      OrderedTermination: ['Scale(2)', 'CtlCreate(1)', 'Scale(0)', 'CtlScaleDown(0)'],
    }],
    ['B1, readOwnWrites', { ...B_COMMON, initReplicas: 1, faults: ['podBreak'], userOps: ['scale'], readOwnWrites: true }, {
      OrderedCreation: ['PodBreak(0)', 'Scale(2)', 'CtlCreate(1)'],
    }],
    ['B2: mirror', { ...B_COMMON, initReplicas: 2, faults: ['podBreak'], userOps: ['scale'] }, {
      OrderedCreation: ['Scale(0)', 'CtlScaleDown(1)', 'KubeletTerminate(1)', 'ControllerObserve', 'CtlScaleDown(0)', 'Scale(2)', 'CtlCreate(1)'],
      OrderedTermination: ['PodBreak(0)', 'Scale(1)', 'CtlScaleDown(1)'],
    }],
    ['B2, readOwnWrites', { ...B_COMMON, initReplicas: 2, faults: ['podBreak'], userOps: ['scale'], readOwnWrites: true }, {
      OrderedTermination: ['PodBreak(0)', 'Scale(1)', 'CtlScaleDown(1)'],
    }],
    ...[false, true].map((readOwnWrites): [string, IndependentParams, Partial<Record<SafetyName, string[]>>] => [
      `B3: stale update${readOwnWrites ? ', readOwnWrites' : ''}`,
      { ...B_COMMON, initReplicas: 2, faults: ['podBreak'], userOps: ['updateTemplate'], readOwnWrites },
      {
        OrderedCreation: ['UpdateTemplate', 'CtlUpdate(1)', 'KubeletTerminate(1)', 'ControllerObserve', 'PodBreak(0)', 'CtlCreate(1)'],
        ReverseOrderUpdate: ['UpdateTemplate', 'CtlUpdate(1)', 'KubeletTerminate(1)', 'ControllerObserve', 'CtlCreate(1)', 'Schedule(1,1)', 'KubeletRun(1)', 'KubeletReady(1)', 'ControllerObserve', 'PodBreak(1)', 'CtlUpdate(0)'],
        OrderedUpdate: ['PodBreak(0)', 'UpdateTemplate', 'CtlUpdate(1)'],
      },
    ]),
    ['B4: #51224', { ...B_COMMON, initReplicas: 1, userOps: ['scale'] }, {
      OrderedCreation: ['Scale(0)', 'CtlScaleDown(0)', 'Scale(2)', 'CtlCreate(1)'],
      OrderedTermination: ['Scale(2)', 'CtlCreate(1)', 'Scale(0)', 'CtlScaleDown(0)'],
    }],
    ['B5: B4 + readOwnWrites', { ...B_COMMON, initReplicas: 1, userOps: ['scale'], readOwnWrites: true }, {}],
    ['B6: base force-delete row', { staleReads: true, userOps: ['forceDeletePod'], budget: 2 }, {
      AtMostOne: ['CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)', 'ForceDeletePod(0)', 'CtlCreate(0)', 'Schedule(0,2)', 'KubeletRun(0)'],
      OrderedCreation: ['CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)', 'KubeletReady(0)', 'ControllerObserve', 'ForceDeletePod(0)', 'CtlCreate(1)'],
    }],
    ['B6, readOwnWrites', { staleReads: true, userOps: ['forceDeletePod'], budget: 2, readOwnWrites: true }, {
      AtMostOne: ['CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)', 'ForceDeletePod(0)', 'ControllerObserve', 'CtlCreate(0)', 'Schedule(0,2)', 'KubeletRun(0)'],
      OrderedCreation: ['CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)', 'KubeletReady(0)', 'ControllerObserve', 'ForceDeletePod(0)', 'CtlCreate(1)'],
    }],
  ];
  it.each(rows)('%s', (_name, params, expected) => {
    const v = shortestViolations(params);
    expect(Object.fromEntries(Object.entries(v).filter(([, t]) => t !== null))).toEqual(expected);
  });
});

describe('rollouts B: liveness verdicts unchanged by stale reads ("ControllerObserve is fair"), independent rendering and project checker', () => {
  it.each<[string, IndependentParams]>([
    ['B1', { ...B_COMMON, initReplicas: 1, faults: ['podBreak'], userOps: ['scale'] }],
    ['B2, permanent', { ...B_COMMON, initReplicas: 2, faults: ['podBreak'], userOps: ['scale'], recovery: 'permanent' }],
    ['B3, permanent', { ...B_COMMON, initReplicas: 2, faults: ['podBreak'], userOps: ['updateTemplate'], recovery: 'permanent' }],
    ['B4', { ...B_COMMON, initReplicas: 1, userOps: ['scale'] }],
    ['scale + nodePartition, running, permanent, R 2', { ...B_COMMON, userOps: ['scale'], faults: ['nodePartition'], recovery: 'permanent' }],
    ['updateTemplate + setPartition, running, R 2', { ...B_COMMON, userOps: ['updateTemplate', 'setPartition'] }],
  ])('%s', async (_name, params) => {
    const verdicts = (p: IndependentParams) => {
      const g = buildGraph(p);
      const c = { graph: g, scc: analyse(g) };
      return Object.fromEntries(LIVENESS_NAMES.map((n) => [n, findViolation(c, n) === null ? 'holds' : 'violated']));
    };
    const base = verdicts({ ...params, staleReads: false });
    for (const readOwnWrites of [false, true]) {
      const p = { ...params, readOwnWrites };
      expect(verdicts(p)).toEqual(base);
      expect(await projectLiveness(p, LIVENESS_NAMES)).toEqual(base);
    }
  });
});

// ---- Property verdicts: the naive checkers against the project's properties, step by step ----

/**
 * Walks both models together, breadth first, from their single initial states, following the labels
 * both have enabled; `visit` sees every pair once, `step` every common labelled step. Returns the
 * number of states visited, in BFS order (shortest first) the states whose labelled successors
 * differ (the labels only one side has enabled), and the steps that break the correspondence of
 * states (the same label leads one side to a state it has already paired with another state of the
 * other side: the two graphs are not the same even where the labels agree).
 */
function jointWalk(
  params: IndependentParams,
  model: Model<Uint8Array>,
  visit: (mine: IState, theirs: Uint8Array) => void,
  step: (mine: IState, label: string, mineNext: IState, theirsPre: Uint8Array, theirsPost: Uint8Array, action: number) => void,
): { visited: number; diffs: { state: string; onlyMine: string[]; onlyProject: string[] }[]; conflicts: string[] } {
  const inits = initialStates(params);
  const theirInits = model.initialStates();
  expect(inits.length).toBe(1);
  expect(theirInits.length).toBe(1);
  const words = new Uint32Array(model.stateWords);
  const packed = (t: Uint8Array) => {
    model.encode(t, words, 0);
    return words.join(',');
  };
  const pairOfMine = new Map<string, string>([[key(inits[0]!), packed(theirInits[0]!)]]);
  const pairOfTheirs = new Map<string, string>([[packed(theirInits[0]!), key(inits[0]!)]]);
  const queue: [IState, Uint8Array][] = [[inits[0]!, theirInits[0]!]];
  const diffs: { state: string; onlyMine: string[]; onlyProject: string[] }[] = [];
  const conflicts: string[] = [];
  for (let q = 0; q < queue.length; q++) {
    const [m, t] = queue[q]!;
    visit(m, t);
    const { theirs, mine, diff } = pairedSuccessors(params, model, m, t);
    if (diff !== null) diffs.push(diff);
    for (const { label, next } of mine) {
      const their = theirs.get(label);
      if (their === undefined) continue;
      const [k, tn] = their;
      step(m, label, next, t, tn, k);
      const kn = key(next);
      const pn = packed(tn);
      const pm = pairOfMine.get(kn);
      const pt = pairOfTheirs.get(pn);
      if (pm === undefined && pt === undefined) {
        pairOfMine.set(kn, pn);
        pairOfTheirs.set(pn, kn);
        queue.push([next, tn]);
      } else if (pm !== pn || pt !== kn) {
        conflicts.push(`${key(m)} --${label}-> ${kn}`);
      }
    }
  }
  return { visited: pairOfMine.size, diffs, conflicts };
}

type Checked = 'AtMostOne' | 'OrderedCreation' | 'OrderedTermination' | 'ReverseOrderUpdate' | 'OrderedUpdate';
const CHECKED: readonly Checked[] = ['AtMostOne', 'OrderedCreation', 'OrderedTermination', 'ReverseOrderUpdate', 'OrderedUpdate'];

/**
 * The five properties on every reachable state and step of both models. A property the project's
 * model does not offer for the configuration is compared only by its verdict: the independent
 * rendering must find it never violated there (else the model leaves a breakable property
 * unchecked, reported as a failure).
 */
function compareProperties(params: IndependentParams, model: Model<Uint8Array>): void {
  const violations: Record<Checked, number> = { AtMostOne: 0, OrderedCreation: 0, OrderedTermination: 0, ReverseOrderUpdate: 0, OrderedUpdate: 0 };
  const theirs = new Map(model.properties.map((p) => [p.name, p]));
  const { visited, diffs, conflicts } = jointWalk(
    params,
    model,
    (m, t) => {
      const p = theirs.get('AtMostOne') as InvariantProperty<Uint8Array>;
      expect(p.holds(t), key(m)).toBe(atMostOne(m));
      if (!atMostOne(m)) violations.AtMostOne++;
    },
    (m, label, mNext, pre, post, k) => {
      const mine: Record<Exclude<Checked, 'AtMostOne'>, boolean> = {
        OrderedCreation: orderedCreation(m, mNext),
        OrderedTermination: orderedTermination(m, label),
        ReverseOrderUpdate: reverseOrderUpdate(m, label),
        OrderedUpdate: orderedUpdate(params, m, label),
      };
      for (const [name, holds] of Object.entries(mine) as [Exclude<Checked, 'AtMostOne'>, boolean][]) {
        if (!holds) violations[name]++;
        const p = theirs.get(name) as TransitionProperty<Uint8Array> | undefined;
        if (p !== undefined) expect(p.holds(pre, post, k), `${name}: ${key(m)} --${label}->`).toBe(holds);
      }
    },
  );
  // The checks are not vacuous: each configuration violates at least one property somewhere.
  expect(CHECKED.reduce((a, n) => a + violations[n], 0)).toBeGreaterThan(0);
  // The two graphs are the same (the first differing state, if any, is shown).
  expect(diffs.slice(0, 1), `${diffs.length} states with different labelled successors`).toEqual([]);
  expect(conflicts.slice(0, 1), `${conflicts.length} steps where the states stop corresponding`).toEqual([]);
  expect(visited).toBe(exploreIndependent(params).distinct);
  // A property violated here must be one the model checks.
  expect(CHECKED.filter((n) => violations[n] > 0 && !theirs.has(n)), 'violated (independent rendering) but not a property of the project model').toEqual([]);
}

const PROPERTY_CONFIGS: [string, IndependentParams][] = [
  ['B3 + rollback, nodes 1 (stale update)', { ...B_COMMON, rollback: true, nodes: 1, initReplicas: 2, faults: ['podBreak'], userOps: ['updateTemplate'] }],
  ['B4, nodes 1 (#51224)', { ...B_COMMON, nodes: 1, initReplicas: 1, userOps: ['scale'] }],
  ['B6, R 2, readOwnWrites (force delete)', { staleReads: true, readOwnWrites: true, R: 2, userOps: ['forceDeletePod'] }],
  ['A2 + stale reads + podBreak, nodes 1, R 2', { ...A_COMMON, R: 2, nodes: 1, manualFix: true, staleReads: true, faults: ['podBreak'], budget: 3 }],
  // ReverseOrderUpdate breaks through stale reads alone, without rollback: `UpdateTemplate,
  // CtlUpdate(1), KubeletTerminate(1), ControllerObserve, CtlCreate(1), Schedule(1,1), KubeletRun(1),
  // KubeletReady(1), ControllerObserve, PodBreak(1), CtlUpdate(0)` (the view still shows pod 1 Ready).
  ['B3, nodes 1 (stale update, no rollback)', { ...B_COMMON, nodes: 1, initReplicas: 2, faults: ['podBreak'], userOps: ['updateTemplate'] }],
];

describe('rollouts: the naive property checkers agree with the project properties on every reachable state and step', () => {
  it.each(PROPERTY_CONFIGS)('%s', (_name, params) => compareProperties(params, sts(params as Record<string, unknown>)));
  it('each of the five properties is violated in one of these configurations (on the independent rendering)', () => {
    const violated = new Set<SafetyName>();
    for (const [, params] of PROPERTY_CONFIGS) {
      const v = shortestViolations(params);
      for (const n of CHECKED) if (v[n] !== null) violated.add(n);
    }
    expect(CHECKED.filter((n) => !violated.has(n))).toEqual([]);
  });
});

// ---- stuckFix = pr100289: the project delivers it as a controller variant ----

/** The project's PR #100289 variant module, once it exists (specs/variants/, a name mentioning 100289 or stuck). */
function stuckFixVariant(): string | undefined {
  const dir = resolve('specs/variants');
  if (!existsSync(dir)) return undefined;
  const f = readdirSync(dir).find((x) => /100289|stuck/i.test(x) && x.endsWith('.ts'));
  return f === undefined ? undefined : join(dir, f);
}

const STUCK_GRID: [string, IndependentParams][] = [
  ['A5: PR #100289, pending', { ...A_COMMON, stuckFix: 'pr100289', badMode: 'pending' }],
  ['A6: PR #100289, unready', { ...A_COMMON, stuckFix: 'pr100289' }],
  ['A7: PR #100289, update order', { ...A_COMMON, stuckFix: 'pr100289', badRevs: [], userOps: ['updateTemplate', 'deletePod'] }],
  ['PR #100289, Parallel, pending, manualFix, R 2', { ...A_COMMON, R: 2, stuckFix: 'pr100289', badMode: 'pending', policy: 'Parallel', manualFix: true }],
  ['PR #100289, pending, maxRevision 2, badRevs {1}, R 2, budget 3', { ...A_COMMON, R: 2, maxRevision: 2, stuckFix: 'pr100289', badMode: 'pending', budget: 3 }],
  ['PR #100289, initPartition 1, update + deletePod, R 2, running', { ...A_COMMON, R: 2, initPartition: 1, stuckFix: 'pr100289', badRevs: [], userOps: ['updateTemplate', 'deletePod', 'setPartition'] }],
  ['PR #100289 without rollback, updateTemplate + deletePod, R 2, empty', { R: 2, stuckFix: 'pr100289', userOps: ['updateTemplate', 'deletePod'] }],
  ['PR #100289 + stale reads, pending, R 2', { ...A_COMMON, R: 2, stuckFix: 'pr100289', badMode: 'pending', staleReads: true }],
];

describe.skipIf(stuckFixVariant() === undefined)('rollouts A, stuckFix: independent rendering = project model with the PR #100289 variant', () => {
  it.each(STUCK_GRID)('%s', async (_name, params) => {
    const mine = exploreIndependent(params);
    const { stuckFix: _s, ...rest } = params;
    const model = await loadModelAsync({ model: 'statefulset', params: rest as Record<string, unknown>, controller: stuckFixVariant()! });
    const r = await exploreAll(model);
    expect(r.complete).toBe(true);
    expect({ distinct: r.distinct, generated: r.generated, depth: r.depth }).toEqual(mine);
  });
  it.each<[string, IndependentParams]>([
    ['A7, nodes 1: properties', { ...A_COMMON, nodes: 1, stuckFix: 'pr100289', badRevs: [], userOps: ['updateTemplate', 'deletePod'] }],
    // A7's trace at R 2. The variant is meant to run with rollback, where the model offers
    // ReverseOrderUpdate (it does with rollback or staleReads: the base model cannot break it).
    ['A7, R 2, nodes 1: properties', { rollback: true, start: 'running', R: 2, nodes: 1, stuckFix: 'pr100289', userOps: ['updateTemplate', 'deletePod'] }],
  ])('%s', async (_name, params) => {
    const { stuckFix: _s, ...rest } = params;
    const model = (await loadModelAsync({ model: 'statefulset', params: rest as Record<string, unknown>, controller: stuckFixVariant()! })) as Model<Uint8Array>;
    compareProperties(params, model);
  });
});

// B7, the kubelet's stale relist (fault kubeletRestart, staleKubelet): its rules are the project's
// own (docs/model.md, 5.12b), rendered naively here from that text.
const GRID_B7: [string, IndependentParams][] = [
  ['B7 stale relist, running, R 1, deletePod', { staleKubelet: true, faults: ['kubeletRestart'], userOps: ['deletePod'], start: 'running', R: 1, budget: 2 }],
  ['B7 consistent relist, running, R 1, deletePod', { faults: ['kubeletRestart'], userOps: ['deletePod'], start: 'running', R: 1, budget: 2 }],
  ['B7 stale relist, R 2, podEvict', { staleKubelet: true, faults: ['kubeletRestart', 'podEvict'], R: 2, budget: 2 }],
  ['B7 stale relist, R 2, nodes 3, scale + updateTemplate', { staleKubelet: true, faults: ['kubeletRestart'], userOps: ['scale', 'updateTemplate'], R: 2, nodes: 3, budget: 2, start: 'running' }],
  ['B7 stale relist, all faults and ops, R 2, budget 1', { staleKubelet: true, faults: ['nodePartition', 'nodeCrash', 'podBreak', 'podEvict', 'kubeletRestart'], userOps: 'all', R: 2, budget: 1 }],
  ['B7 stale relist + stale reads, R 2, deletePod', { staleKubelet: true, staleReads: true, faults: ['kubeletRestart'], userOps: ['deletePod'], start: 'running', R: 2, budget: 2 }],
  ['B7 stale relist, permanent, Parallel, R 2, budget 3', { staleKubelet: true, faults: ['kubeletRestart', 'nodePartition'], userOps: ['deletePod'], recovery: 'permanent', policy: 'Parallel', R: 2, budget: 3 }],
];

describe('rollouts B7 (staleKubelet): independent rendering = project model (distinct, generated, depth)', () => {
  it.each(GRID_B7)('%s', (_name, params) => expectSameCounts(params));
  it('AtMostOne on every reachable state of the stale relist agrees, and is violated', () => {
    // One initial state (the joint walk starts from one): from empty.
    const params: IndependentParams = { staleKubelet: true, faults: ['kubeletRestart'], userOps: ['deletePod'], R: 1, budget: 2 };
    compareProperties(params, sts(params as Record<string, unknown>));
  });
});

/** Shared test helpers: build models, explore them, walk them at random. */
import fc from 'fast-check';
import { explore, type Exploration, type ExploreOptions } from '../src/explorer/bfs.js';
import type { Model } from '../src/explorer/model.js';
import { rebuildTrace } from '../src/explorer/trace.js';
import { expect } from 'vitest';
import type { GraphSpec } from './explorer/randomGraph.mjs';
import { loadModel } from '../src/registry.js';
import { EXTRA_FAULTS, EXTRA_USER_OPS, FAULT_KINDS, USER_OPS } from '../src/spec/config.js';

export function sts(params: Record<string, unknown> = {}): Model<Uint8Array> {
  return loadModel({ model: 'statefulset', params }) as Model<Uint8Array>;
}

export function exploreAll<S>(model: Model<S>, options: Partial<ExploreOptions> = {}): Promise<Exploration> {
  return explore(model, { check: [], ...options });
}

/** States reached by a random walk of `steps` steps, driven by `choices` (values in [0, 1)). */
export function walk<S>(model: Model<S>, choices: readonly number[]): S[] {
  const inits = model.initialStates();
  let s = inits[Math.floor((choices[0] ?? 0) * inits.length)]!;
  const seen = [s];
  for (const c of choices.slice(1)) {
    const next: S[] = [];
    model.successors(s, (_k, t) => {
      next.push(copy(t));
    });
    if (next.length === 0) break;
    s = next[Math.floor(c * next.length)]!;
    seen.push(s);
  }
  return seen;
}

/** The index of the action instance labelled `label` (e.g. `CtlCreate(0)`). */
export function actionIndex<S>(m: Model<S>, label: string): number {
  const k = m.actions.findIndex((a) => a.label === label);
  if (k < 0) throw new Error(`no action ${label} (actions: ${m.actions.map((a) => a.label).join(', ')})`);
  return k;
}

/** Applies the labelled actions in order from `s`; each must be enabled. */
export function runLabels<S>(m: Model<S>, s: S, ...labels: string[]): S {
  for (const label of labels) {
    const t = m.apply(s, actionIndex(m, label));
    if (t === null) throw new Error(`${label} is disabled: ${m.explain(s, actionIndex(m, label)).join(', ')}`);
    s = t;
  }
  return s;
}

function copy<S>(t: S): S {
  return (t as unknown as Uint8Array).slice() as unknown as S;
}

/** Random small configurations of the reference profile of the StatefulSet model. */
export const referenceConfigs = fc.record({
  R: fc.integer({ min: 1, max: 3 }),
  nodes: fc.integer({ min: 1, max: 3 }),
  policy: fc.constantFrom('OrderedReady', 'Parallel'),
  strategy: fc.constantFrom('RollingUpdate', 'OnDelete'),
  maxRevision: fc.integer({ min: 0, max: 2 }),
  whenScaled: fc.constantFrom('Retain', 'Delete'),
  reclaim: fc.constantFrom('Delete', 'Retain'),
  budget: fc.integer({ min: 0, max: 4 }),
  faults: fc.subarray([...FAULT_KINDS]),
  userOps: fc.subarray([...USER_OPS]),
  recovery: fc.constantFrom('transient', 'permanent'),
  start: fc.constantFrom('empty', 'running'),
});

/** The same with the features outside the reference profile too. */
export const featureConfigs = fc
  .tuple(
    referenceConfigs,
    fc.record({
      userOps: fc.subarray([...USER_OPS, ...EXTRA_USER_OPS]),
      maxUnavailable: fc.integer({ min: 1, max: 3 }),
      whenDeleted: fc.constantFrom('Retain', 'Delete'),
      minReadySeconds: fc.integer({ min: 0, max: 1 }),
      attach: fc.constantFrom('none', 'rwo', 'rwop'),
      forceDetach: fc.constantFrom('onTimeout', 'disabled'),
      rollback: fc.boolean(),
      badRevs: fc.subarray([1, 2]),
      badMode: fc.constantFrom('unready', 'pending'),
      manualFix: fc.boolean(),
      muBudget: fc.constantFrom('legacy', 'v1.35.0'),
      staleReads: fc.boolean(),
      readOwnWrites: fc.boolean(),
      onDeleteCompletes: fc.boolean(),
      faults: fc.subarray([...FAULT_KINDS, ...EXTRA_FAULTS]),
      staleKubelet: fc.boolean(),
      storage: fc.constantFrom('network', 'local'),
      cloudNodeDelete: fc.boolean(),
      provisioning: fc.constantFrom('dynamic', 'static'),
    }),
  )
  .map(([c, f]) => ({
    ...c,
    ...f,
    maxUnavailable: Math.min(f.maxUnavailable, c.R),
    // Each extension's own parameters and operations exist only with the extension on.
    forceDetach: f.attach === 'none' ? 'onTimeout' : f.forceDetach,
    userOps: f.userOps.filter((op) => (op !== 'taintOutOfService' || f.attach !== 'none') && (op !== 'revertTemplate' || f.rollback)),
    badRevs: f.rollback ? f.badRevs.filter((r) => r <= c.maxRevision) : [],
    badMode: f.rollback ? f.badMode : 'unready',
    manualFix: f.rollback && f.manualFix,
    readOwnWrites: f.staleReads && f.readOwnWrites,
    staleKubelet: f.staleKubelet && f.attach === 'none' && f.faults.includes('kubeletRestart'),
    storage: f.attach === 'none' ? f.storage : 'network',
    cloudNodeDelete: f.cloudNodeDelete && f.faults.includes('nodeCrash') && c.recovery === 'permanent',
  }));

/** The StatefulSet model's safety properties (invariants and step properties of the reference profile). */
export const SAFETY = ['AtMostOne', 'OrderedCreation', 'OrderedTermination', 'NoDataLoss', 'StableStorage', 'PartitionRespected'];

/** What an exploration reports that must not depend on the number of threads. */
export function threadIndependent(r: Exploration) {
  return {
    complete: r.complete,
    stopReason: r.stopReason,
    distinct: r.distinct,
    generated: r.generated,
    depth: r.depth,
    levelStarts: r.levelStarts,
    // Which instances fired how often is a property of the explored states, not of who expanded them.
    fired: Array.from(r.fired),
    violations: [...r.violations.values()].map((v) => [v.property, v.traceLength] as const).sort(),
  };
}

/** Random small graphs: states, initial states, a few partial functions, bad states and steps. */
export const randomGraphs: fc.Arbitrary<GraphSpec> = fc.integer({ min: 1, max: 60 }).chain((states) => {
  const state = fc.integer({ min: 0, max: states - 1 });
  const action = fc.uniqueArray(fc.tuple(state, state), { selector: ([from]) => from, maxLength: states });
  return fc.record({
    states: fc.constant(states),
    initial: fc.array(state, { minLength: 1, maxLength: 3 }),
    actions: fc.array(action, { minLength: 1, maxLength: 5 }),
    bad: fc.array(state, { maxLength: 2 }),
    forbidden: fc.array(fc.tuple(state, state), { maxLength: 3 }),
  });
});

/** Every violation of `r` has a replayable trace of its reported length, ending in the violation. */
export function checkTraces<S>(model: Model<S>, r: Exploration): void {
  for (const v of r.violations.values()) {
    expect(v.stateId).toBeLessThan(r.distinct);
    const steps = rebuildTrace(model, r.store, v.stateId, v.action);
    expect(steps).toHaveLength(v.traceLength + 1);
    const p = model.properties.find((q) => q.name === v.property)!;
    const last = steps[steps.length - 1]!;
    if (p.kind === 'invariant') expect(p.holds(last.state)).toBe(false);
    if (p.kind === 'transition') expect(p.holds(steps[steps.length - 2]!.state, last.state, v.action)).toBe(false);
  }
}

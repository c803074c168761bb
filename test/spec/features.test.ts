/**
 * The features outside the reference profile (maxUnavailable, whenDeleted with deleteStatefulSet,
 * minReadySeconds): off, they leave the reference model exactly as it is; on, they behave as
 * specified, shown on small hand-checked traces.
 */
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/explorer/model.js';
import { resolveParams } from '../../src/input/params.js';
import { PARAMETERS, toConfig } from '../../src/spec/config.js';
import { AVAILABLE, makeLayout } from '../../src/spec/state.js';
import { malformed } from '../../src/spec/variant.js';
import { actionIndex, exploreAll, runLabels, sts } from '../helpers.js';

type S = Uint8Array;

const index = actionIndex;
const run = runLabels;
const enabled = (m: Model<S>, s: S, label: string) => m.apply(s, index(m, label)) !== null;
const why = (m: Model<S>, s: S, label: string) => m.explain(s, index(m, label));
/** The pods as ITF records (absent pods are left out). */
const pods = (m: Model<S>, s: S) => m.itf(s).pod as Map<number, Record<string, unknown>>;
const pvcs = (m: Model<S>, s: S) => m.itf(s).pvc as Map<number, string>;
const liveness = (m: Model<S>, name: string) => {
  const p = m.properties.find((x) => x.name === name)!;
  if (p.kind !== 'liveness') throw new Error(name);
  return p.p;
};
const step = (m: Model<S>, name: string) => {
  const p = m.properties.find((x) => x.name === name)!;
  if (p.kind !== 'transition') throw new Error(name);
  return p.holds;
};

/** Every reachable state (small configurations only). */
function reachable(m: Model<S>): S[] {
  const seen = new Set<string>();
  const out: S[] = [];
  const queue = m.initialStates().map((s) => s.slice());
  for (const s of queue) seen.add(s.join());
  while (queue.length) {
    const s = queue.shift()!;
    out.push(s);
    m.successors(s, (_k, t) => {
      const key = t.join();
      if (seen.has(key)) return;
      seen.add(key);
      queue.push(t.slice());
    });
  }
  return out;
}

/** The byte layout of a configuration (the model keeps its own internal). */
const layout = (params: Record<string, unknown>) => makeLayout(toConfig(resolveParams('statefulset', PARAMETERS, params)));

const OFF = { maxUnavailable: 1, whenDeleted: 'Delete', minReadySeconds: 0 };

describe('features off: exactly the reference model', () => {
  it('each feature off (and all three together) gives the reference counts', async () => {
    for (const off of [{ maxUnavailable: 1 }, { whenDeleted: 'Delete' }, { minReadySeconds: 0 }, OFF]) {
      expect((await exploreAll(sts(off))).distinct).toBe(50);
      expect((await exploreAll(sts({ ...off, faults: 'all', userOps: 'all', budget: 1 }))).distinct).toBe(3627);
      expect((await exploreAll(sts({ ...off, faults: ['nodeCrash'], userOps: ['deleteNode'], budget: 2 }))).distinct).toBe(9880);
    }
  });

  it('userOps: all means the seven reference operations; deleteStatefulSet must be named', () => {
    const all = sts({ faults: 'all', userOps: 'all', budget: 1 });
    expect(all.params.userOps).toEqual(['scale', 'updateTemplate', 'setPartition', 'deletePod', 'forceDeletePod', 'deletePVC', 'deleteNode']);
    expect(all.actions.some((a) => a.family === 'DeleteStatefulSet')).toBe(false);
    // Same actions, same state size as the reference model with every feature explicitly off.
    const off = sts({ faults: 'all', userOps: 'all', budget: 1, ...OFF });
    expect(off.actions).toEqual(all.actions);
    expect(off.stateWords).toBe(all.stateWords);
    expect(sts({ userOps: 'all,deleteStatefulSet' }).params.userOps).toContain('deleteStatefulSet');
    expect(sts({ userOps: ['deleteStatefulSet', 'scale'] }).params.userOps).toEqual(['scale', 'deleteStatefulSet']);
    expect(() => sts({ userOps: ['deleteSts'] })).toThrow(/unknown value 'deleteSts' \(allowed: .*deleteStatefulSet, taintOutOfService, revertTemplate, all, none\)/);
  });

  it('features off add nothing to views and ITF states', () => {
    const m = sts({ start: 'running' });
    const s = m.initialStates()[0]!;
    expect('stsDeleted' in m.itf(s)).toBe(false);
    expect(Object.keys(pods(m, s).get(0)!)).toEqual(['rev', 'node', 'phase', 'ready', 'deleting']);
    expect([...m.view(s).get('StatefulSet web')!.keys()]).toEqual(['replicas', 'partition', 'updateRevision', 'currentRevision']);
    expect(() => m.fromItf({ ...m.itf(s), stsDeleted: true })).toThrow(/deleteStatefulSet is not enabled/);
  });
});

describe('maxUnavailable', () => {
  const update = (maxUnavailable: number) => {
    const m = sts({ start: 'running', userOps: ['updateTemplate'], maxUnavailable });
    return { m, s: run(m, m.initialStates()[0]!, 'UpdateTemplate') };
  };

  it('must be within 1..R', () => {
    expect(() => sts({ R: 2, maxUnavailable: 3 })).toThrow(/'maxUnavailable' must be in 1\.\.R \(R = 2\), got 3/);
    expect(() => sts({ maxUnavailable: 0 })).toThrow(/maxUnavailable/);
  });

  it('1: one pod at a time, the reference rule', () => {
    const { m, s } = update(1);
    const t = run(m, s, 'CtlUpdate(2)');
    expect(enabled(m, t, 'CtlUpdate(1)')).toBe(false);
    expect(why(m, t, 'CtlUpdate(1)')).toEqual(['successorsUpdatedAndReady', 'replicasReady']);
  });

  it('2: two pods can be Terminating at once, never three', () => {
    const { m, s } = update(2);
    // The highest first: pod 1 waits while pod 2 is outdated.
    expect(why(m, s, 'CtlUpdate(1)')).toEqual(['higherOrdinalsUpdatedOrTerminating']);
    const t = run(m, s, 'CtlUpdate(2)', 'CtlUpdate(1)');
    expect([...pods(m, t).values()].map((p) => p.deleting)).toEqual([false, true, true]);
    // A third would make three pods unavailable.
    expect(why(m, t, 'CtlUpdate(0)')).toEqual(['withinMaxUnavailable']);
    // Absent pods count as unavailable; OrderedReady still recreates them in order.
    const u = run(m, t, 'KubeletTerminate(2)', 'KubeletTerminate(1)');
    expect(why(m, u, 'CtlUpdate(0)')).toEqual(['withinMaxUnavailable']);
    expect(why(m, u, 'CtlCreate(2)')).toEqual(['predecessorsReady']);
    const v = run(m, u, 'CtlCreate(1)', 'Schedule(1,1)', 'KubeletRun(1)', 'KubeletReady(1)');
    expect(pods(m, v).get(1)).toMatchObject({ rev: 1, ready: true });
    // Pod 1 is back (updated): pod 0 may go while pod 2 is still missing, two unavailable again.
    const w = run(m, v, 'CtlUpdate(0)');
    expect(pods(m, w).get(0)!.deleting).toBe(true);
    expect(pods(m, w).has(2)).toBe(false);
  });

  it('3 (= R): every pod may go down at once', () => {
    const { m, s } = update(3);
    const t = run(m, s, 'CtlUpdate(2)', 'CtlUpdate(1)', 'CtlUpdate(0)');
    expect([...pods(m, t).values()].every((p) => p.deleting)).toBe(true);
  });

  it('an unavailable pod counts whether it is the one taken down or another', () => {
    const m = sts({ start: 'running', userOps: ['updateTemplate'], faults: ['podBreak'], maxUnavailable: 2, budget: 2 });
    const s = run(m, m.initialStates()[0]!, 'PodBreak(0)', 'UpdateTemplate');
    // Pod 0 is not Ready: taking pod 2 down makes two unavailable, which is allowed; then no more.
    const t = run(m, s, 'CtlUpdate(2)');
    expect(why(m, t, 'CtlUpdate(1)')).toEqual(['withinMaxUnavailable']);
  });
});

describe('deleteStatefulSet and whenDeleted', () => {
  const make = (whenDeleted: string) => sts({ start: 'running', userOps: ['deleteStatefulSet', 'scale'], whenDeleted, budget: 2 });

  it('the controller stops and the garbage collector deletes the pods; Retain keeps the claims', () => {
    const m = make('Retain');
    expect(m.actions.some((a) => a.family === 'GCSetClaim')).toBe(false);
    const s0 = m.initialStates()[0]!;
    expect(why(m, s0, 'GCOrphanPod(0)')).toEqual(['setDeleted']);
    const s = run(m, s0, 'DeleteStatefulSet');
    expect(m.itf(s).stsDeleted).toBe(true);
    expect(m.view(s).get('StatefulSet web')!.get('deleted')).toBe(true);
    expect(why(m, s, 'DeleteStatefulSet')).toEqual(['setExists']);
    expect(why(m, s, 'Scale(1)')).toEqual(['setExists']);
    expect(liveness(m, 'EventuallyConverged')(s)).toBe(false);
    const t = run(m, s, 'GCOrphanPod(0)', 'KubeletTerminate(0)');
    expect(pods(m, t).has(0)).toBe(false);
    // Pod 0 is in range and absent, but no controller action runs for a deleted set.
    expect(why(m, t, 'CtlCreate(0)')).toEqual(['setExists']);
    const u = run(m, t, 'GCOrphanPod(1)', 'KubeletTerminate(1)', 'GCOrphanPod(2)', 'KubeletTerminate(2)');
    expect(pods(m, u).size).toBe(0);
    expect([...pvcs(m, u).values()]).toEqual(['bound', 'bound', 'bound']);
    expect(liveness(m, 'EventuallyConverged')(u)).toBe(true);
    expect(liveness(m, 'ScaleDownCompletes')(u)).toBe(true);
    expect(Array.from(m.fromItf(m.itf(u)))).toEqual(Array.from(u));
  });

  it('Delete: claims go too, under PVC protection, and NoDataLoss accepts it as the chosen policy', () => {
    const m = make('Delete');
    const s = run(m, m.initialStates()[0]!, 'DeleteStatefulSet', 'GCSetClaim(0)');
    expect(pvcs(m, s).get(0)).toBe('deleting'); // pod 0 still uses it
    const t = run(m, s, 'GCOrphanPod(0)', 'KubeletTerminate(0)');
    const u = run(m, t, 'PVCFinalize(0)');
    expect([pvcs(m, u).get(0), (m.itf(u).vol as Map<number, string>).get(0)]).toEqual(['none', 'none']);
    expect(step(m, 'NoDataLoss')(t, u, index(m, 'PVCFinalize(0)'))).toBe(true);
    // A claim whose pod is gone is removed at once, and the identity starts afresh.
    const v = run(m, m.initialStates()[0]!, 'DeleteStatefulSet', 'GCOrphanPod(1)', 'KubeletTerminate(1)', 'GCSetClaim(1)');
    expect([pvcs(m, v).get(1), (m.itf(v).written as Map<number, boolean>).get(1)]).toEqual(['none', false]);
  });

  it('without the set deleted, the same destruction is still data loss', () => {
    const m = sts({ start: 'running', userOps: ['deleteStatefulSet', 'deletePVC', 'deletePod'], whenDeleted: 'Delete', budget: 2 });
    const s = run(m, m.initialStates()[0]!, 'DeletePVC(0)', 'DeletePod(0)', 'KubeletTerminate(0)');
    const t = run(m, s, 'PVCFinalize(0)');
    expect(step(m, 'NoDataLoss')(s, t, index(m, 'PVCFinalize(0)'))).toBe(false);
  });
});

describe('minReadySeconds', () => {
  /** Runs the update of pod 2 up to its Ready step. */
  const updated2 = (minReadySeconds: number) => {
    const m = sts({ start: 'running', userOps: ['updateTemplate'], minReadySeconds });
    const s = run(m, m.initialStates()[0]!, 'UpdateTemplate', 'CtlUpdate(2)', 'KubeletTerminate(2)', 'CtlCreate(2)', 'Schedule(2,1)', 'KubeletRun(2)', 'KubeletReady(2)');
    return { m, s };
  };

  it('off: the update goes on as soon as the updated pod is Ready', () => {
    const { m, s } = updated2(0);
    expect(m.actions.some((a) => a.family === 'PodAvailable')).toBe(false);
    expect(enabled(m, s, 'CtlUpdate(1)')).toBe(true);
  });

  it('on: the update waits for PodAvailable, and so does currentRevision', () => {
    const { m, s } = updated2(1);
    expect(pods(m, s).get(2)).toMatchObject({ ready: true, available: false });
    expect(pods(m, s).get(1)).toMatchObject({ ready: true, available: true }); // running from the start
    expect(why(m, s, 'CtlUpdate(1)')).toEqual(['successorsUpdatedAndAvailable']);
    let t = run(m, s, 'PodAvailable(2)', 'CtlUpdate(1)', 'KubeletTerminate(1)', 'CtlCreate(1)', 'Schedule(1,1)', 'KubeletRun(1)', 'KubeletReady(1)');
    expect(why(m, t, 'CtlUpdate(0)')).toEqual(['successorsUpdatedAndAvailable']);
    t = run(m, t, 'PodAvailable(1)', 'CtlUpdate(0)', 'KubeletTerminate(0)');
    // Ordered creation still needs Running and Ready only.
    t = run(m, t, 'CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)', 'KubeletReady(0)');
    expect(why(m, t, 'CtlAdvance')).toEqual(['allUpdatedAndAvailable']);
    t = run(m, t, 'PodAvailable(0)', 'CtlAdvance');
    expect(m.itf(t).curRev).toBe(1);
    expect(Array.from(m.fromItf(m.itf(t)))).toEqual(Array.from(t));
  });

  it('a pod that stops being Ready is no longer Available', () => {
    const m = sts({ start: 'running', faults: ['podBreak', 'nodePartition', 'podEvict'], minReadySeconds: 1, budget: 1 });
    const s = m.initialStates()[0]!;
    expect(pods(m, run(m, s, 'PodBreak(0)')).get(0)).toMatchObject({ ready: false, available: false });
    expect(pods(m, run(m, s, 'PodEvict(0)')).get(0)).toMatchObject({ ready: false, available: false });
    expect(pods(m, run(m, s, 'NodePartition(1)', 'NodeNotReady(1)')).get(0)).toMatchObject({ ready: false, available: false });
    expect(why(m, run(m, s, 'PodBreak(0)'), 'PodAvailable(0)')).toEqual(['ready']);
  });
});

describe('every feature on', () => {
  it('reachable states are well formed: Available only when Running and Ready, absent pods all zeros; successors = enabled actions', () => {
    const params = { faults: 'all', userOps: 'all,deleteStatefulSet', budget: 1, whenDeleted: 'Delete', minReadySeconds: 1, maxUnavailable: 2, start: 'running', R: 2 };
    const m = sts(params);
    const L = layout(params);
    const states = reachable(m);
    expect(states.length).toBeGreaterThan(500);
    let available = 0;
    for (const s of states) {
      expect(malformed(L, s)).toBeNull();
      for (const p of pods(m, s).values()) {
        if (p.available) {
          available++;
          expect([p.phase, p.ready]).toEqual(['Running', true]);
        }
      }
      // The generated successors (with prefilters) are exactly the enabled actions.
      const got = new Map<number, string>();
      m.successors(s, (k, t) => got.set(k, t.join()));
      for (let k = 0; k < m.actions.length; k++) {
        const t = m.apply(s, k);
        expect(t === null ? undefined : t.join()).toBe(got.get(k));
        // Every failing condition has a phrase for explanations.
        if (t === null) for (const c of m.explain(s, k)) expect([c, m.conditions?.[c]]).toEqual([c, expect.any(String)]);
      }
      expect(Array.from(m.fromItf(m.itf(s)))).toEqual(Array.from(s));
    }
    expect(available).toBeGreaterThan(0);
  });

  it('the feature variables take bits only when their feature is on', () => {
    const off = layout({ faults: 'all', userOps: 'all', budget: 3, whenDeleted: 'Delete' });
    const on = layout({ faults: 'all', userOps: 'all,deleteStatefulSet', budget: 3, minReadySeconds: 1 });
    expect([off.maxValues[off.stsDeleted], off.maxValues[off.pod + AVAILABLE]]).toEqual([0, 0]);
    expect([on.maxValues[on.stsDeleted], on.maxValues[on.pod + AVAILABLE]]).toEqual([1, 1]);
  });
});

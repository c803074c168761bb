/**
 * Volume attachment (`attach: rwo | rwop`, `forceDetach`, `taintOutOfService`): off, it leaves the
 * model exactly as revision 2; on, each rule behaves as specified on small hand-checked traces; and
 * bad combinations are refused with a message that says why.
 */
import { describe, expect, it } from 'vitest';
import type { InvariantProperty, Model, TransitionProperty } from '../../src/explorer/model.js';
import { resolveParams } from '../../src/input/params.js';
import { loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';
import { PARAMETERS, toConfig } from '../../src/spec/config.js';
import { makeLayout } from '../../src/spec/state.js';
import { actionIndex, exploreAll, runLabels, sts } from '../helpers.js';

type S = Uint8Array;

const index = actionIndex;
const run = runLabels;
const why = (m: Model<S>, s: S, label: string) => m.explain(s, index(m, label));
const itf = (m: Model<S>, s: S, name: string) => m.itf(s)[name] as Map<number, unknown>;
const ctr = (m: Model<S>, s: S, node: number, i: number) => (itf(m, s, 'ctr').get(node) as Map<number, string>).get(i);
const invariant = (m: Model<S>, name: string) => m.properties.find((p) => p.name === name) as InvariantProperty<S>;
const transition = (m: Model<S>, name: string) => m.properties.find((p) => p.name === name) as TransitionProperty<S>;

describe('attach: none is revision 2 exactly', () => {
  it('same counts, same layout, no attachment variables or properties', async () => {
    for (const params of [{ faults: 'all', userOps: 'all', budget: 1 }, {}]) {
      const none = await exploreAll(sts({ ...params, attach: 'none' }));
      const implicit = await exploreAll(sts(params));
      expect([none.distinct, none.generated, none.depth]).toEqual([implicit.distinct, implicit.generated, implicit.depth]);
    }
    expect((await exploreAll(sts({ faults: 'all', userOps: 'all', budget: 1, attach: 'none' }))).distinct).toBe(3627);
    const L = makeLayout(toConfig(resolveParams('statefulset', PARAMETERS, {})));
    expect(L.hasAttach).toBe(false);
    expect(L.size).toBe(makeLayout(toConfig(resolveParams('statefulset', PARAMETERS, { attach: 'none' }))).size);
    const m = sts();
    expect(m.properties.map((p) => p.name)).not.toContain('AtMostOneWriter');
    expect(m.actions.some((a) => a.family.startsWith('ADC'))).toBe(false);
    const s = m.initialStates()[0]!;
    expect(['att', 'inUse', 'oos'].some((k) => k in m.itf(s))).toBe(false);
    expect([...m.view(s).get('Node node-1')!.keys()]).not.toContain('outOfService');
    expect(() => m.fromItf({ ...m.itf(s), att: new Map() })).toThrow(/attach is none/);
    expect(() => m.fromItf({ ...m.itf(s), ctr: new Map([[1, new Map([[0, 'both'], [1, 'none'], [2, 'none']])], [2, new Map([[0, 'none'], [1, 'none'], [2, 'none']])]]) })).toThrow(/ctr/);
  });
});

describe('attach: bad combinations are refused', () => {
  it('forceDetach and taintOutOfService need attachment; values out of domain', () => {
    expect(() => sts({ forceDetach: 'disabled' })).toThrow(/'forceDetach' needs volume attachment \(attach: rwo or rwop\), but attach is none/);
    expect(() => sts({ userOps: ['taintOutOfService'] })).toThrow(/'taintOutOfService' needs volume attachment/);
    expect(() => sts({ attach: 'rwx' })).toThrow(/'attach' must be one of none, rwo, rwop, got 'rwx'/);
    expect(() => sts({ attach: 'rwo', forceDetach: 'sometimes' })).toThrow(/'forceDetach' must be one of onTimeout, disabled/);
    // `all` keeps meaning the seven reference operations, so it stays valid without attachment.
    expect(sts({ userOps: 'all' }).params.userOps).not.toContain('taintOutOfService');
    expect(sts({ attach: 'rwo', userOps: 'all,taintOutOfService' }).params.userOps).toContain('taintOutOfService');
  });

  it('a scenario naming an attachment property without attachment says it does not apply', () => {
    const file = { name: 'x', model: 'statefulset', params: {}, check: ['AtMostOneWriter'], expect: {} };
    expect(() => resolvePlan(file as never)).toThrow(/property 'AtMostOneWriter' does not apply to this configuration \(with volume attachment/);
    const plan = resolvePlan({ ...file, params: { attach: 'rwop' }, check: 'all' } as never);
    expect(plan.check.map((p) => p.name)).toEqual(expect.arrayContaining(['AtMostOneWriter', 'NoUnsafeDetach']));
    expect(resolvePlan({ ...file, check: 'all' } as never).check.map((p) => p.name)).not.toContain('NoUnsafeDetach');
  });

  it('every attachment scenario in specs/attach has attachment on', () => {
    const plan = resolvePlan(loadScenarioFile('specs/attach/force-delete-healthy-rwo.yaml'));
    expect(plan.params.attach).toBe('rwo');
  });
});

describe('attach: the rules on hand-checked traces', () => {
  const create0 = ['CtlCreate(0)', 'Schedule(0,1)'];

  it('the kubelet waits for the attach; the attach marks the volume in use once running', () => {
    const m = sts({ attach: 'rwo', R: 1 });
    const s = run(m, m.initialStates()[0]!, ...create0);
    expect(why(m, s, 'KubeletRun(0)')).toEqual(['volumeAttached']);
    // ADCAttach is for the pod's own node only.
    expect(why(m, s, 'ADCAttach(0,2)')).toEqual(['wantedOnNode']);
    const t = run(m, s, 'ADCAttach(0,1)', 'KubeletRun(0)');
    expect(itf(m, t, 'att').get(0)).toBe(1);
    expect(itf(m, t, 'inUse').get(0)).toBe(true);
  });

  it('Multi-Attach: a pod on another node waits until the first node unmounts and the volume is detached', () => {
    const m = sts({ attach: 'rwo', R: 1, userOps: ['deletePod'] });
    const s = run(m, m.initialStates()[0]!, ...create0, 'ADCAttach(0,1)', 'KubeletRun(0)', 'DeletePod(0)', 'KubeletTerminate(0)', 'CtlCreate(0)', 'Schedule(0,2)');
    expect(why(m, s, 'ADCAttach(0,2)')).toEqual(['attachedNowhere']);
    expect(why(m, s, 'ADCDetach(0)')).toEqual(['unmountedOrOutOfService']);
    // The timeout does not force-detach from a healthy node (1.25+).
    expect(why(m, s, 'ADCForceDetach(0)')).toEqual(['nodeUnhealthy']);
    const t = run(m, s, 'KubeletUnmount(0)', 'ADCDetach(0)', 'ADCAttach(0,2)', 'KubeletRun(0)');
    expect([itf(m, t, 'att').get(0), ctr(m, t, 1, 0), ctr(m, t, 2, 0)]).toEqual([2, 'none', 'live']);
  });

  it('rwo: a replacement on the same node mounts beside the dying container; rwop refuses; the stale one is killed', () => {
    const path = [...create0, 'ADCAttach(0,1)', 'KubeletRun(0)', 'ForceDeletePod(0)', 'CtlCreate(0)', 'Schedule(0,1)'];
    const rwo = sts({ attach: 'rwo', R: 1, userOps: ['forceDeletePod'] });
    const s = run(rwo, rwo.initialStates()[0]!, ...path, 'KubeletRun(0)');
    expect(ctr(rwo, s, 1, 0)).toBe('both');
    expect(invariant(rwo, 'AtMostOne').holds(s)).toBe(false);
    expect(invariant(rwo, 'AtMostOneWriter').holds(s)).toBe(false);
    // The pod's own container runs: it can become Ready beside the stale one.
    const ready = run(rwo, s, 'KubeletReady(0)', 'KubeletKillStale(1,0)');
    expect(ctr(rwo, ready, 1, 0)).toBe('live');
    expect(invariant(rwo, 'AtMostOneWriter').holds(ready)).toBe(true);

    const rwop = sts({ attach: 'rwop', R: 1, userOps: ['forceDeletePod'] });
    const p = run(rwop, rwop.initialStates()[0]!, ...path);
    expect(why(rwop, p, 'KubeletRun(0)')).toEqual(['noContainer']);
    expect(ctr(rwop, run(rwop, p, 'KubeletKillStale(1,0)', 'KubeletRun(0)'), 1, 0)).toBe('live');
  });

  it('terminating a pod whose node also runs a stale copy leaves the stale copy; eviction likewise', () => {
    const m = sts({ attach: 'rwo', R: 1, userOps: ['forceDeletePod', 'deletePod'], faults: ['podEvict'], budget: 3 });
    const s = run(m, m.initialStates()[0]!, ...create0, 'ADCAttach(0,1)', 'KubeletRun(0)', 'ForceDeletePod(0)', 'CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)');
    expect(ctr(m, run(m, s, 'DeletePod(0)', 'KubeletTerminate(0)'), 1, 0)).toBe('stale');
    expect(ctr(m, run(m, s, 'PodEvict(0)'), 1, 0)).toBe('stale');
  });

  it('force detach after the timeout happens from an unreachable node under a live container: NoUnsafeDetach', () => {
    const m = sts({ attach: 'rwo', R: 1, faults: ['nodePartition'], userOps: ['forceDeletePod'] });
    const s = run(m, m.initialStates()[0]!, ...create0, 'ADCAttach(0,1)', 'KubeletRun(0)', 'NodePartition(1)', 'ForceDeletePod(0)');
    const k = index(m, 'ADCForceDetach(0)');
    const t = m.apply(s, k)!;
    expect(transition(m, 'NoUnsafeDetach').holds(s, t, k)).toBe(false);
    // Disabled by --disable-force-detach-on-timeout: the family does not exist.
    const off = sts({ attach: 'rwo', R: 1, forceDetach: 'disabled', faults: ['nodePartition'], userOps: ['forceDeletePod'] });
    expect(off.actions.some((a) => a.family === 'ADCForceDetach')).toBe(false);
  });

  it('out-of-service: the pod GC force-deletes Terminating pods, the detach does not wait; the taint is cleared when the node returns', () => {
    const m = sts({ attach: 'rwop', R: 1, forceDetach: 'disabled', faults: ['nodePartition'], userOps: ['taintOutOfService'] });
    const s = run(m, m.initialStates()[0]!, ...create0, 'ADCAttach(0,1)', 'KubeletRun(0)', 'KubeletReady(0)', 'NodePartition(1)', 'NodeNotReady(1)', 'TaintEvict(1)');
    expect(why(m, s, 'PodGCTerminating(0)')).toEqual(['outOfService']);
    const t = run(m, s, 'TaintOutOfService(1)');
    // NoExecute: nothing is scheduled onto the tainted node.
    const u = run(m, t, 'PodGCTerminating(0)', 'CtlCreate(0)');
    expect(why(m, u, 'Schedule(0,1)')).toEqual(['nodeUp', 'notOutOfService']);
    const k = index(m, 'ADCDetach(0)');
    expect(transition(m, 'NoUnsafeDetach').holds(u, m.apply(u, k)!, k)).toBe(false);
    expect(itf(m, run(m, u, 'NodeRecover(1)'), 'oos').get(1)).toBe(false);
  });

  it('start = running: the volumes are attached and in use where the pods run', () => {
    const m = sts({ attach: 'rwo', start: 'running', R: 2, nodes: 2 });
    const inits = m.initialStates();
    expect(inits).toHaveLength(4);
    const last = inits[3]!; // web-0 and web-1 on node-2
    expect([...(itf(m, last, 'att') as Map<number, number>).values()]).toEqual([2, 2]);
    expect([...(itf(m, last, 'inUse') as Map<number, boolean>).values()]).toEqual([true, true]);
  });

  it('ITF round-trips attachment states', () => {
    const m = sts({ attach: 'rwo', R: 1, userOps: ['forceDeletePod'] });
    const s = run(m, m.initialStates()[0]!, ...create0, 'ADCAttach(0,1)', 'KubeletRun(0)', 'ForceDeletePod(0)', 'CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)');
    expect(Array.from(m.fromItf(m.itf(s)))).toEqual(Array.from(s));
    expect(() => m.fromItf({ ...m.itf(s), att: new Map([[0, 7]]) })).toThrow(/'att' must be an integer in 0\.\.2/);
  });
});

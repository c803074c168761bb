import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/input/errors.js';
import { factory } from '../../src/registry.js';
import { availability, isBlocked, replay, Replayer, UNNAMED_CONDITION } from '../../src/replay/engine.js';
import { replayJson } from '../../src/report/replay.js';
import { ActionIndex, initialState, splitSteps } from '../../src/scenario/labels.js';
import { sts, walk } from '../helpers.js';

const stsFactory = factory('statefulset');
const indexOf = (params: Record<string, unknown> = {}) => {
  const model = sts(params);
  return { model, index: new ActionIndex(model, stsFactory) };
};

describe('step labels', () => {
  it('split on commas and newlines outside parentheses, without blanks, spaces or comments', () => {
    expect(splitSteps('CtlCreate(0), Schedule(0, 1),KubeletRun(0)')).toEqual(['CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)']);
    expect(splitSteps('CtlCreate(0)\n\n# a comment, with a comma\nCtlAdvance  # trailing\n,,KubeletKillStale(1,0)\n')).toEqual([
      'CtlCreate(0)',
      'CtlAdvance',
      'KubeletKillStale(1,0)',
    ]);
    expect(splitSteps('  ')).toEqual([]);
  });

  it('resolve to the model action with that label', () => {
    const { model, index } = indexOf();
    for (const a of model.actions) expect(index.resolve(a.label)).toBe(a.index);
    expect(model.actions[index.resolve('Schedule( 0 , 1 )')]!.label).toBe('Schedule(0,1)');
  });

  it('unknown labels are input errors that say what exists instead', () => {
    const { index } = indexOf();
    expect(() => index.resolve('CtlCreat(0)', 'step 3')).toThrow(InputError);
    expect(() => index.resolve('CtlCreat(0)', 'step 3')).toThrow(/^step 3: unknown action 'CtlCreat\(0\)' \(did you mean CtlCreate\?\)/);
    expect(() => index.resolve('CtlCreate(7)')).toThrow(/CtlCreate has no such instance in this configuration \(instances: CtlCreate\(0\), CtlCreate\(1\), CtlCreate\(2\)\)/);
    expect(() => index.resolve('Scale(1)')).toThrow(/Scale is not part of this configuration; it exists when userOps includes scale \(e\.g\. --set userOps=scale\)/);
    expect(() => index.resolve('NodeCrash(1)')).toThrow(/it exists when faults includes nodeCrash/);
    expect(() => index.resolve('Frobnicate')).toThrow(/action families of model 'statefulset': CtlCreate, /);
  });
});

describe('replay', () => {
  it('takes the steps, shows each change and stops at a step that cannot fire, naming its failing conditions', () => {
    const { model, index } = indexOf({ nodes: 1 });
    const labels = splitSteps('CtlCreate(0), Schedule(0,1), KubeletRun(0), CtlCreate(1), KubeletReady(0)');
    const out = replay(model, 0, labels.map((l) => index.resolve(l)));
    expect(out.steps.map((s) => s.label)).toEqual(['CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)']);
    expect(out.blocked).toEqual({ step: 4, label: 'CtlCreate(1)', action: index.resolve('CtlCreate(1)'), failing: ['predecessorsReady'] });
    expect(out.steps[0]!.changed.map((c) => [c.object, c.kind])).toEqual([
      ['Pod web-0', 'created'],
      ['PVC data-web-0', 'created'],
    ]);
    expect(out.steps[1]!.changed).toEqual([{ object: 'Pod web-0', kind: 'changed', fields: [['node', '-', 'node-1']] }]);
    // The final state is the one before the blocked step, and what can happen there is listed.
    expect(out.finalView.get('Pod web-0')!.get('phase')).toBe('Running');
    expect(out.availability.enabled).toEqual(['KubeletReady(0)']);
    expect(out.availability.disabled['CtlCreate(1)']).toEqual(['predecessorsReady']);
    expect(out.availability.disabled['CtlCreate(0)']).toEqual(['podAbsent']);
  });

  it('reports the properties each step violates', () => {
    const { model, index } = indexOf({ nodes: 2, userOps: ['forceDeletePod'] });
    const labels = splitSteps('CtlCreate(0),Schedule(0,1),KubeletRun(0),ForceDeletePod(0),CtlCreate(0),Schedule(0,2),KubeletRun(0)');
    const out = replay(model, 0, labels.map((l) => index.resolve(l)));
    expect(out.blocked).toBeNull();
    expect(out.steps.map((s) => s.violations)).toEqual([[], [], [], [], [], [], ['AtMostOne']]);
    // Only the properties asked for are evaluated.
    const some = replay(model, 0, labels.map((l) => index.resolve(l)), ['OrderedCreation']);
    expect(some.steps.flatMap((s) => s.violations)).toEqual([]);
    expect(() => replay(model, 0, [], ['Sanity'])).toThrow(/unknown property 'Sanity'/);
  });

  it('starts from the chosen initial state, and says how many there are', () => {
    const model = sts({ start: 'running', nodes: 2, R: 2 });
    expect(model.initialStates()).toHaveLength(4);
    const out = replay(model, 3, []);
    expect(out.finalView.get('Pod web-0')!.get('node')).toBe('node-2');
    expect(out.finalView.get('Pod web-1')!.get('node')).toBe('node-2');
    expect(() => replay(model, 4, [])).toThrow(/--init 4 is out of range: this configuration has 4 initial states \(0\.\.3\)/);
    expect(() => initialState(sts(), 1)).toThrow(/has 1 initial state \(only 0\)/);
  });

  it('a blocked step changes nothing and can be followed by other steps', () => {
    const { model, index } = indexOf({ nodes: 1 });
    const r = new Replayer(model, initialState(model, 0));
    const blocked = r.step(index.resolve('Schedule(0,1)'));
    expect(isBlocked(blocked) && blocked.failing).toEqual(['exists', 'claimUsable']);
    expect(r.steps).toHaveLength(0);
    const ok = r.step(index.resolve('CtlCreate(0)'));
    expect(isBlocked(ok)).toBe(false);
    expect(r.steps).toHaveLength(1);
  });

  it('JSON has steps (label, changed, violations), final, enabled and disabled', () => {
    const { model, index } = indexOf({ nodes: 1 });
    const out = replay(model, 0, [index.resolve('CtlCreate(0)'), index.resolve('Schedule(0,1)')]);
    const doc = JSON.parse(JSON.stringify(replayJson(model, out)));
    expect(doc.steps).toEqual([
      {
        label: 'CtlCreate(0)',
        changed: [
          { object: 'Pod web-0', kind: 'created', fields: { revision: 0, node: '-', phase: 'Pending', ready: false, terminating: false } },
          { object: 'PVC data-web-0', kind: 'created', fields: { status: 'bound', volume: 'empty' } },
        ],
        violations: [],
      },
      { label: 'Schedule(0,1)', changed: [{ object: 'Pod web-0', kind: 'changed', fields: { node: { from: '-', to: 'node-1' } } }], violations: [] },
    ]);
    expect(doc.final['Pod web-0']).toEqual({ revision: 0, node: 'node-1', phase: 'Pending', ready: false, terminating: false });
    expect(doc.final['Pod web-1']).toBeNull();
    expect(doc.enabled).toEqual(['KubeletRun(0)']);
    expect(doc.disabled['CtlCreate(1)']).toEqual(['predecessorsReady']);
    expect(doc.stopped).toBeNull();
    expect(Object.keys(doc.disabled)).toHaveLength(model.actions.length - 1);
  });
});

describe('explanations come from the guards themselves', () => {
  // For every reachable state and every action instance: not enabled exactly when some named
  // condition fails. A guard that refuses without naming a condition would show up here.
  const configs: Record<string, unknown>[] = [
    { faults: 'all', userOps: 'all', budget: 3 },
    { policy: 'Parallel', userOps: 'all', whenScaled: 'Delete', budget: 3 },
    { start: 'running', strategy: 'OnDelete', userOps: 'scale,updateTemplate,deletePod', faults: 'podBreak,podEvict', recovery: 'permanent', budget: 4 },
    { start: 'running', initPartition: 1, userOps: 'setPartition,updateTemplate,scale', whenScaled: 'Delete', maxRevision: 2, budget: 4 },
  ];
  for (const params of configs) {
    it(JSON.stringify(params), () => {
      const model = sts(params);
      fc.assert(
        fc.property(fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 1, maxLength: 60 }), (choices) => {
          for (const s of walk(model, choices)) {
            const { enabled, disabled } = availability(model, s);
            expect(enabled.length + Object.keys(disabled).length).toBe(model.actions.length);
            for (const why of Object.values(disabled)) expect(why).not.toContain(UNNAMED_CONDITION);
            for (const label of enabled) expect(model.explain(s, model.actions.find((a) => a.label === label)!.index)).toEqual([]);
          }
        }),
        { numRuns: 30 },
      );
    });
  }
});

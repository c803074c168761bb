/** Every step of the StatefulSet model also reads in Kubernetes terms, with the workload's names. */
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/explorer/model.js';
import { loadModel } from '../../src/registry.js';
import { argumentKinds, displayLabel, operatorWords } from '../../src/report/operatorWords.js';

describe('operator words', () => {
  // Every feature on, with more nodes than ordinals: a node argument (1..3) and an ordinal (0..1) cannot be told apart by chance.
  const configs = [
    { R: 2, nodes: 3, faults: 'all', userOps: 'all,revertTemplate,taintOutOfService', attach: 'rwo', rollback: true, badRevs: [1], maxRevision: 1, staleReads: true, manualFix: true, whenDeleted: 'Delete' },
    { R: 2, nodes: 3, faults: 'all,kubeletRestart', staleKubelet: true },
  ];

  it('has words for every action of the model, with every feature on', () => {
    for (const params of configs) {
      const m = loadModel({ model: 'statefulset', params }) as Model<unknown>;
      const missing = m.actions.filter((a) => operatorWords(a.label, params) === undefined).map((a) => a.label);
      expect(missing).toEqual([]);
    }
  });

  it('uses the workload\'s pod, claim and node names, and its first ordinal', () => {
    const params = { name: 'zk', claim: 'datadir', startOrdinal: 1 };
    expect(operatorWords('ForceDeletePod(0)', params)).toBe('kubectl delete pod zk-1 --force --grace-period=0');
    expect(operatorWords('Schedule(0,2)', params)).toBe('the scheduler binds zk-1 to node-2');
    expect(operatorWords('KubeletKillStale(1,0)', params)).toBe('the kubelet on node-1 kills the leftover container of zk-1');
    expect(operatorWords('DeletePVC(2)', params)).toBe('kubectl delete pvc datadir-zk-3');
    expect(operatorWords('Scale(5)', params)).toBe('kubectl scale statefulset zk --replicas=5');
    // A variant's own action, or a label that is not one: no words rather than wrong ones.
    expect(operatorWords('MyFence(0)', params)).toBeUndefined();
    expect(operatorWords('Schedule(x,1)', params)).toBeUndefined();
  });

  it("knows which label arguments are ordinals and which nodes, as the model's action instances use them", () => {
    for (const params of configs) {
      const m = loadModel({ model: 'statefulset', params }) as Model<unknown>;
      const nodeValues = new Map<string, Set<number>>();
      for (const a of m.actions) {
        const kinds = argumentKinds(a.family)!;
        expect(kinds, a.label).toHaveLength(a.params.length);
        a.params.forEach((v, k) => {
          if (kinds[k] === 'ordinal') expect(v, `${a.label}: argument ${k} is an ordinal`).toBeLessThan(params.R);
          if (kinds[k] === 'node') {
            expect(v, `${a.label}: argument ${k} is a node`).toBeGreaterThanOrEqual(1);
            const seen = nodeValues.get(`${a.family}/${k}`) ?? new Set();
            nodeValues.set(`${a.family}/${k}`, seen.add(v));
          }
        });
      }
      // Each node argument ranges over every node (so it is not an ordinal, which stops at R - 1).
      for (const [arg, values] of nodeValues) expect([...values].sort(), arg).toEqual([1, 2, 3]);
    }
  });

  it('shows labels with the pods\' own ordinals under ordinals.start, nodes and values as they are', () => {
    const params = { name: 'web', claim: 'data', startOrdinal: 3 };
    expect(displayLabel('CtlCreate(0)', params)).toBe('CtlCreate(3)');
    expect(displayLabel('Schedule(1,2)', params)).toBe('Schedule(4,2)');
    expect(displayLabel('KubeletKillStale(1,0)', params)).toBe('KubeletKillStale(1,3)');
    expect(displayLabel('NodePartition(1)', params)).toBe('NodePartition(1)');
    // A replica count, a partition and a revision are what the user types, not ordinals.
    expect(displayLabel('Scale(1)', params)).toBe('Scale(1)');
    expect(displayLabel('SetPartition(2)', params)).toBe('SetPartition(2)');
    expect(displayLabel('RevertTemplate(0)', params)).toBe('RevertTemplate(0)');
    expect(displayLabel('UpdateTemplate', params)).toBe('UpdateTemplate');
    // The words of a label name the same pod as the label shown.
    expect(operatorWords('CtlCreate(0)', params)).toBe('the StatefulSet controller creates pod web-3 (and claim data-web-3 if it is missing)');
    // A variant's own action keeps its model label: which argument is an ordinal is not known here.
    expect(displayLabel('MyFence(0)', params)).toBe('MyFence(0)');
    // ordinals.start 0 (the default): labels as they are.
    expect(displayLabel('CtlCreate(0)', { startOrdinal: 0 })).toBe('CtlCreate(0)');
    expect(displayLabel('CtlCreate(0)', {})).toBe('CtlCreate(0)');
  });
});

/** Every step of the StatefulSet model also reads in Kubernetes terms, with the workload's names. */
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/explorer/model.js';
import { loadModel } from '../../src/registry.js';
import { operatorWords } from '../../src/report/operatorWords.js';

describe('operator words', () => {
  it('has words for every action of the model, with every feature on', () => {
    const configs = [
      { faults: 'all', userOps: 'all,revertTemplate,taintOutOfService', attach: 'rwo', rollback: true, badRevs: [1], maxRevision: 1, staleReads: true, manualFix: true, whenDeleted: 'Delete' },
      { faults: 'all,kubeletRestart', staleKubelet: true },
    ];
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
});

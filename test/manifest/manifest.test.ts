import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import { InputError } from '../../src/explorer/params.js';
import { hazardPlans, riskReport } from '../../src/manifest/hazards.js';
import { parseManifests, readManifests, workloadFromManifests } from '../../src/manifest/manifest.js';
import { loadModel } from '../../src/registry.js';

const sts = (spec: string, extra = '') => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n${spec}\n${extra}`;
const claims = '  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec: { storageClassName: fast }';
/** Builds the model from a workload's parameters (it must accept them). */
const buildModel = (params: Record<string, unknown>) => () => loadModel({ model: 'statefulset', params });

describe('manifests to a model of the workload', () => {
  it('reads the tutorial StatefulSet and its StorageClass, listing what it ignores', () => {
    const w = workloadFromManifests(readManifests(['examples/manifests/web.yaml']));
    expect(w).toMatchObject({ name: 'web', claim: 'www', params: { R: 2, initReplicas: 2, reclaim: 'Delete' } });
    expect(w.ignored).toEqual(expect.arrayContaining(['spec.template', 'spec.serviceName', 'Service nginx (not modelled)']));
  });

  it('maps policy, strategy, partition, retention and start ordinal; bounds many replicas with a note', () => {
    const text = sts(
      '  replicas: 10000\n  podManagementPolicy: Parallel\n  updateStrategy: { type: RollingUpdate, rollingUpdate: { partition: 2 } }\n' +
        '  persistentVolumeClaimRetentionPolicy: { whenScaled: Delete }\n  ordinals: { start: 5 }\n' +
        claims,
      '---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nreclaimPolicy: Retain\n',
    );
    const w = workloadFromManifests(parseManifests(text, 'x.yaml'));
    expect(w.params).toMatchObject({ R: 3, initReplicas: 3, policy: 'Parallel', strategy: 'RollingUpdate', initPartition: 2, whenScaled: 'Delete', reclaim: 'Retain', startOrdinal: 5 });
    expect(w.notes.join('\n')).toMatch(/spec\.replicas = 10000 is modelled with 3 ordinals/);
  });

  it('maps maxUnavailable (an integer or a percentage of replicas, bounded to R), whenDeleted and minReadySeconds', () => {
    const read = (spec: string) => workloadFromManifests(parseManifests(sts(spec + claims), 'x.yaml'));
    const w = read(
      '  replicas: 3\n  updateStrategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 2 } }\n' +
        '  persistentVolumeClaimRetentionPolicy: { whenScaled: Retain, whenDeleted: Delete }\n  minReadySeconds: 10\n',
    );
    expect(w.params).toMatchObject({ maxUnavailable: 2, whenDeleted: 'Delete', minReadySeconds: 1 });
    expect(w.ignored).toEqual([]);
    expect(w.provenance.join('\n')).toMatch(/maxUnavailable = 2: spec\.updateStrategy\.rollingUpdate\.maxUnavailable = 2/);
    expect(w.provenance.join('\n')).toMatch(/minReadySeconds = 1: spec\.minReadySeconds = 10/);
    expect(w.notes.join('\n')).toMatch(/MaxUnavailableStatefulSet feature gate/);
    expect(w.notes.join('\n')).not.toMatch(/not modelled/);
    // A percentage of spec.replicas, rounded up as upstream does; then bounded to the modelled ordinals.
    expect(read('  replicas: 4\n  updateStrategy: { rollingUpdate: { maxUnavailable: 50% } }\n').params.maxUnavailable).toBe(2);
    expect(read('  replicas: 3\n  updateStrategy: { rollingUpdate: { maxUnavailable: 10% } }\n').params.maxUnavailable).toBe(1);
    const many = read('  replicas: 100\n  updateStrategy: { rollingUpdate: { maxUnavailable: 25% } }\n');
    expect(many.params.maxUnavailable).toBe(3);
    expect(many.provenance.join('\n')).toMatch(/maxUnavailable = 3: .* = "25%" \(25 of 100 replicas\)/);
    expect(many.notes.join('\n')).toMatch(/maxUnavailable 25 is bounded to 3/);
    expect(read('  replicas: 2\n  minReadySeconds: 0\n').params.minReadySeconds).toBe(0);
    // The parameters are accepted by the model.
    for (const x of [w, many]) expect(buildModel(x.params)).not.toThrow();
  });

  it('rejects invalid manifests with a clear error', () => {
    const bad = (text: string, msg: RegExp) => expect(() => workloadFromManifests(parseManifests(text, 'x.yaml'))).toThrow(msg);
    bad('kind: [unclosed', /x\.yaml: malformed YAML/);
    bad('apiVersion: v1\nkind: Deployment\nmetadata: { name: d }\n', /no StatefulSet in the manifests \(kinds found: Deployment\)/);
    bad(sts('  replicas: three\n' + claims), /spec\.replicas must be an integer/);
    bad(sts('  replicas: 1000000000\n' + claims), /not a plausible value/);
    bad(sts('  replicas: 1\n'), /no volumeClaimTemplates/);
    bad(sts('  replicas: 1\n  podManagementPolicy: Random\n' + claims), /podManagementPolicy must be one of OrderedReady, Parallel/);
    bad(sts('  updateStrategy: { rollingUpdate: { maxUnavailable: 0 } }\n' + claims), /maxUnavailable must be an integer >= 1/);
    bad(sts('  updateStrategy: { rollingUpdate: { maxUnavailable: 0% } }\n' + claims), /maxUnavailable must be a percentage in 1%\.\.100%/);
    bad(sts('  updateStrategy: { rollingUpdate: { maxUnavailable: half } }\n' + claims), /maxUnavailable must be an integer >= 1 or a percentage/);
    bad(sts('  persistentVolumeClaimRetentionPolicy: { whenDeleted: Orphan }\n' + claims), /whenDeleted must be one of Retain, Delete/);
    bad(sts('  minReadySeconds: -5\n' + claims), /minReadySeconds must be an integer >= 0/);
    expect(() => parseManifests('kind: !!js/function "alert(1)"\n', 'x.yaml')).toThrow(InputError);
  });
});

describe('the risk report', () => {
  it('names the force-delete, node-deletion and PVC-deletion hazards with the workload\'s pod and claim names', async () => {
    const w = workloadFromManifests(readManifests(['examples/manifests/web.yaml']));
    const runs = [];
    for (const { hazard, plan } of hazardPlans(w, {})) runs.push({ hazard, result: await runScenario(plan, { outDir: null, workers: 1 }) });
    const report = riskReport(w, runs);
    expect(report).toMatch(/HAZARD {2}Force-deleting a pod\n\s+AtMostOne fails in 7 steps: kubectl delete pod web-0 --force/);
    expect(report).toMatch(/HAZARD {2}Deleting the Node object of an unreachable node/);
    expect(report).toMatch(/HAZARD {2}Deleting a PersistentVolumeClaim\n\s+NoDataLoss fails in 6 steps: deleting www-web-0 destroys its volume/);
    expect(report).toMatch(/safe {4}Scaling up and down/);
    const trace = runs[0]!.result.properties[0]!.counterexample!;
    expect([...trace.steps[1]!.view.keys()]).toEqual(expect.arrayContaining(['Pod web-0', 'PVC www-web-0', 'StatefulSet web']));
  });
});

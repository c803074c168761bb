import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import { InputError } from '../../src/explorer/params.js';
import { hazardPlans, riskReport } from '../../src/manifest/hazards.js';
import { parseManifests, readManifests, workloadFromManifests } from '../../src/manifest/manifest.js';

const sts = (spec: string, extra = '') => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n${spec}\n${extra}`;
const claims = '  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec: { storageClassName: fast }';

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

  it('rejects invalid manifests with a clear error', () => {
    const bad = (text: string, msg: RegExp) => expect(() => workloadFromManifests(parseManifests(text, 'x.yaml'))).toThrow(msg);
    bad('kind: [unclosed', /x\.yaml: malformed YAML/);
    bad('apiVersion: v1\nkind: Deployment\nmetadata: { name: d }\n', /no StatefulSet in the manifests \(kinds found: Deployment\)/);
    bad(sts('  replicas: three\n' + claims), /spec\.replicas must be an integer/);
    bad(sts('  replicas: 1000000000\n' + claims), /not a plausible value/);
    bad(sts('  replicas: 1\n'), /no volumeClaimTemplates/);
    bad(sts('  replicas: 1\n  podManagementPolicy: Random\n' + claims), /podManagementPolicy must be one of OrderedReady, Parallel/);
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

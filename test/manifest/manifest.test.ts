import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import { InputError } from '../../src/input/errors.js';
import { manifestExitCode } from '../../src/cli/check.js';
import { hazardPlans, riskOf, riskReport, runAtWorkloadSize, type HazardRun, type RiskReport } from '../../src/manifest/hazards.js';
import { parseManifests, readManifests, workloadFromManifests } from '../../src/manifest/manifest.js';
import { loadModel } from '../../src/registry.js';
import type { Plan } from '../../src/scenario/scenario.js';

const sts = (spec: string, extra = '') => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n${spec}\n${extra}`;
const claims = '  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec: { storageClassName: fast }';
/**
 * How the hazards run here: one worker, no files, and a small memory budget (ample for these
 * state spaces): the default reserves most of the free memory, and a test process holding that
 * may fail to spawn the CLI (ENOMEM).
 */
const RUN = { workers: 1, memoryBytes: 256 * 2 ** 20 } as const;
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
    expect(w.params).toMatchObject({ R: 5, initReplicas: 5, nodes: 3, policy: 'Parallel', strategy: 'RollingUpdate', initPartition: 2, whenScaled: 'Delete', reclaim: 'Retain', startOrdinal: 5 });
    expect(w.notes.join('\n')).toMatch(/spec\.replicas = 10000 is modelled with 5 ordinals/);
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
    expect(many.params.maxUnavailable).toBe(5);
    expect(many.provenance.join('\n')).toMatch(/maxUnavailable = 5: .* = "25%" \(25 of 100 replicas\)/);
    expect(many.notes.join('\n')).toMatch(/maxUnavailable 25 is bounded to 5/);
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
    // The tutorial's web.yaml as shipped: its StorageClass is rancher.io/local-path, node-local.
    const w = workloadFromManifests(readManifests(['examples/manifests/web.yaml']));
    const runs = [];
    for (const { hazard, plan } of hazardPlans(w, {})) runs.push({ hazard, result: await runScenario(plan, RUN) });
    const report = riskReport(w, runs);
    expect(report).toMatch(
      /HAZARD {2}Force-deleting a pod\n {8}applies because StorageClass standard provisioner: rancher\.io\/local-path \(examples\/manifests\/web\.yaml:56\)\n\s+AtMostOne fails in 8 steps: kubectl delete pod web-0 --force --grace-period=0 frees the name before the old container on node-1 stops; the replacement web-0 can only be scheduled to node-1 again, where its node-local volume www-web-0 is/,
    );
    expect(report).toMatch(/HAZARD {2}Deleting the Node object of an unreachable node/);
    expect(report).toMatch(/HAZARD {2}Deleting a PersistentVolumeClaim\n {8}applies because spec\.volumeClaimTemplates: www .*\n\s+NoDataLoss fails in 6 steps: deleting www-web-0 destroys its volume/);
    expect(report).toMatch(/HAZARD {2}Losing a node with node-local storage\n {8}applies because StorageClass standard provisioner: rancher\.io\/local-path \(examples\/manifests\/web\.yaml:56\)\n\s+EventuallyConverged fails in 6 steps: when node-1 is gone for good .*web-0 is recreated but stays Pending: .*"node\(s\) didn't match PersistentVolume's node affinity"/);
    expect(report).toMatch(/what to do: once node-1 is known to be gone, delete the claim and then the pod \(kubectl delete pvc www-web-0; kubectl delete pod web-0\)/);
    expect(report).toMatch(/safe {4}Scaling up and down/);
    // Every hazard says what its verdict covers: the workload's own size, on the one node a local
    // volume pins a pod to for the second-copy hazards, on three nodes otherwise.
    expect(report).toMatch(/HAZARD {2}Force-deleting a pod\n(?: {8}.*\n)* {8}checked: 2 ordinals \(web-0\.\.web-1\) on 1 node, the node a pod's node-local volume pins it to, as a disk never detached, at most 2 events \(forceDeletePod\): [\d,]+ distinct states, depth \d+, [\d.]+ s, node symmetry/);
    expect(report).toMatch(/HAZARD {2}Deleting a PersistentVolumeClaim\n(?: {8}.*\n)* {8}checked: 2 ordinals \(web-0\.\.web-1\) on 3 nodes, at most 2 events \(deletePod, deletePVC\): [\d,]+ distinct states, depth \d+, [\d.]+ s, node symmetry/);
    expect(report.match(/^ {8}checked: /gm)).toHaveLength(runs.length);
    const trace = runs[0]!.result.properties[0]!.counterexample!;
    expect([...trace.steps[1]!.view.keys()]).toEqual(expect.arrayContaining(['Pod web-0', 'PVC www-web-0', 'StatefulSet web']));
  });
});

/** The report of a workload: every hazard checked (one worker, no files). */
async function reportOf(text: string, only?: string) {
  const w = workloadFromManifests(parseManifests(text, 'x.yaml'));
  const runs = [];
  for (const { hazard, plan } of hazardPlans(w, {})) if (only === undefined || hazard.id === only) runs.push({ hazard, result: await runScenario(plan, RUN) });
  return { w, report: riskReport(w, runs), runs };
}

/** Per hazard, per property: the shortest trace's length, or the verdict when there is none. */
const verdictsOf = (runs: Awaited<ReturnType<typeof reportOf>>['runs']) =>
  Object.fromEntries(runs.map(({ hazard, result }) => [hazard.id, Object.fromEntries(result.properties.map((p) => [p.name, p.traceLength ?? p.verdict]))]));

/**
 * The tutorial's web.yaml on a cloud disk (GKE's Persistent Disk CSI driver, attachable), with
 * other access modes for its www claims: the example's own class is node-local (rancher.io/local-path).
 */
const web = fs.readFileSync('examples/manifests/web.yaml', 'utf8').replace('provisioner: rancher.io/local-path', 'provisioner: pd.csi.storage.gke.io');
const withModes = (modes: string) => web.replace('accessModes: ["ReadWriteOnce"]', modes);
/** The lines of one hazard: its heading and the indented lines under it. */
const section = (report: string, title: string) => {
  const lines = report.split('\n');
  const k = lines.findIndex((l) => l.endsWith(` ${title}`) || l.includes(` ${title}: `));
  expect(k, `no hazard '${title}' in\n${report}`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(k + 1);
  const end = rest.findIndex((l) => !l.startsWith('        '));
  return [lines[k]!, ...rest.slice(0, end < 0 ? rest.length : end)].join('\n');
};

describe('the stuck-rollout hazard', () => {
  it('OrderedReady + RollingUpdate: a revert does not unstick the rollout, and the report says what to delete', async () => {
    const { report, runs } = await reportOf(web, 'stuck-rollout');
    expect(verdictsOf(runs)['stuck-rollout']).toEqual({ RecoversAfterRevert: 7 });
    expect(section(report, 'Rolling out a bad template, then reverting it')).toMatch(
      /^CAUTION Rolling out a bad template, then reverting it\n +applies because spec\.template \(x\.yaml:\d+\)\n +RecoversAfterRevert fails in 7 steps: a template update whose pods never become Ready \(a crash loop\) replaces web-1 and it stays unready; .*#67250\)\.\n +what to do: after reverting the template, delete web-1 by hand \(kubectl delete pod web-1\)/,
    );
  });

  it('Parallel: the rolling update replaces the stuck pod after a revert; OnDelete: the controller replaces nothing', async () => {
    const parallel = await reportOf(web.replace('  serviceName: "nginx"', '  serviceName: "nginx"\n  podManagementPolicy: Parallel'), 'stuck-rollout');
    expect(verdictsOf(parallel.runs)['stuck-rollout']).toEqual({ RecoversAfterRevert: 'holds' });
    expect(parallel.report).toMatch(/^safe {4}Rolling out a bad template, then reverting it: with podManagementPolicy Parallel the controller does not wait for the unready pod/m);
    const onDelete = await reportOf(web.replace('  serviceName: "nginx"', '  serviceName: "nginx"\n  updateStrategy: { type: OnDelete }'), 'stuck-rollout');
    expect(onDelete.report).toMatch(/^safe {4}Rolling out a bad template, then reverting it: with updateStrategy OnDelete the controller replaces no pod/m);
  });
});

describe('access modes of the claim templates', () => {
  const read = (spec: string) => workloadFromManifests(parseManifests(sts('  replicas: 2\n' + spec), 'x.yaml'));
  const template = (name: string, modes?: string) => `    - metadata: { name: ${name} }\n      spec: { storageClassName: fast${modes === undefined ? '' : `, accessModes: ${modes}`} }\n`;

  it('maps ReadWriteOnce to rwo, ReadWriteOncePod to rwop, and any ReadWriteMany or ReadOnlyMany to none', () => {
    const attach = (modes: string) => read('  volumeClaimTemplates:\n' + template('data', modes)).params.attach;
    expect(attach('[ReadWriteOnce]')).toBe('rwo');
    expect(attach('[ReadWriteOncePod]')).toBe('rwop');
    expect(attach('[ReadWriteMany]')).toBe('none');
    expect(attach('[ReadOnlyMany]')).toBe('none');
    // Several modes: a volume that may be multi-attached is multi-attachable (IsMultiAttachAllowed).
    expect(attach('[ReadWriteOnce, ReadWriteMany]')).toBe('none');
    expect(attach('[ReadOnlyMany, ReadWriteOnce]')).toBe('none');
    const w = read('  volumeClaimTemplates:\n' + template('data', '[ReadWriteOncePod]'));
    expect(w.provenance.join('\n')).toMatch(/attach = rwop: volumeClaimTemplates\[0\] \(data\) accessModes = \[ReadWriteOncePod\]: .*mounted by one pod only/);
    expect(w.provenance.join('\n')).toMatch(/forceDetach = onTimeout: not in the manifests; the kube-controller-manager default/);
    expect(read('  volumeClaimTemplates:\n' + template('data', '[ReadWriteMany]')).provenance.join('\n')).not.toMatch(/forceDetach/);
    expect(buildModel(w.params)).not.toThrow();
  });

  it('reads a template without accessModes as ReadWriteOnce, and says why', () => {
    const w = read('  volumeClaimTemplates:\n' + template('data'));
    expect(w.params.attach).toBe('rwo');
    expect(w.accessModes).toEqual([]);
    expect(w.provenance.join('\n')).toMatch(/attach = rwo: volumeClaimTemplates\[0\] \(data\) lists no accessModes, which Kubernetes requires .*modelled as ReadWriteOnce/);
  });

  it('the examples: web.yaml (ReadWriteOnce on node-local volumes: storage local, no attachment) and web-rwop.yaml (ReadWriteOncePod, a cloud disk)', () => {
    const local = workloadFromManifests(readManifests(['examples/manifests/web.yaml']));
    expect(local.params).toMatchObject({ storage: 'local', attach: 'none' });
    expect(local.storageClass).toEqual({ name: 'standard', provisioner: 'rancher.io/local-path', location: { file: 'examples/manifests/web.yaml', line: 56, column: 1 } });
    expect(local.provenance.join('\n')).toMatch(/storage = local: StorageClass standard provisioner rancher\.io\/local-path provisions node-local volumes/);
    expect(local.provenance.join('\n')).not.toMatch(/forceDetach/);
    expect(buildModel(local.params)).not.toThrow();
    const rwop = workloadFromManifests(readManifests(['examples/manifests/web-rwop.yaml']));
    expect(rwop).toMatchObject({ name: 'web', claim: 'www', accessModes: ['ReadWriteOncePod'], params: { R: 2, attach: 'rwop', reclaim: 'Delete' } });
    expect(rwop.notes).toEqual([]);
  });

  it('follows the most exclusive of several claim templates', () => {
    const w = read('  volumeClaimTemplates:\n' + template('shared', '[ReadWriteMany]') + template('data', '[ReadWriteOnce]'));
    expect(w).toMatchObject({ claim: 'data', accessModes: ['ReadWriteOnce'], params: { attach: 'rwo' } });
    expect(w.notes.join('\n')).toMatch(/2 claim templates: the model follows 'data', the most exclusive access mode \(ReadWriteOnce\)/);
    const same = read('  volumeClaimTemplates:\n' + template('a', '[ReadWriteOnce]') + template('b', '[ReadWriteOnce]'));
    expect(same.claim).toBe('a');
  });

  it('refuses an unknown access mode, ReadWriteOncePod with another mode, and a non-list, with one clear InputError', () => {
    const bad = (modes: string, msg: RegExp) => {
      const run = () => read('  volumeClaimTemplates:\n' + template('data', modes));
      expect(run).toThrow(InputError);
      expect(run).toThrow(msg);
    };
    bad('[ReadWriteTwice]', /^StatefulSet db: volumeClaimTemplates\[0\]\.spec\.accessModes: unknown access mode "ReadWriteTwice" \(one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod\)$/);
    bad('[ReadWriteOnce, 7]', /unknown access mode 7/);
    bad('[ReadWriteOncePod, ReadWriteOnce]', /ReadWriteOncePod may not be combined with other access modes/);
    bad('ReadWriteOnce', /accessModes must be a list such as \[ReadWriteOnce\], got "ReadWriteOnce"/);
  });

  it('the CLI: an unknown access mode is one line on stderr and exit code 2', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-manifest-')), 'twice.yaml');
    fs.writeFileSync(file, withModes('accessModes: ["ReadWriteTwice"]'));
    const r = spawnSync(process.execPath, [path.resolve('bin/stsmc.js'), 'check', '--manifest', file, '--quiet'], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: r.status, signal: r.signal, error: r.error?.message }).toEqual({ status: 2, signal: null, error: undefined });
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'stsmc: error: StatefulSet web: volumeClaimTemplates[0].spec.accessModes: unknown access mode "ReadWriteTwice" (one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod)',
    ]);
  });
});

describe('the risk report for each access mode', () => {
  it('ReadWriteOnce: a force-deleted pod is run twice on the same node; node loss and the out-of-service taint detach under a running container', async () => {
    const { report, runs } = await reportOf(withModes('accessModes: ["ReadWriteOnce"]'));
    expect(verdictsOf(runs)).toMatchObject({
      'force-delete': { AtMostOne: 8, AtMostOneWriter: 8, NoUnsafeDetach: 'holds' },
      'force-delete-partitioned': { AtMostOne: 8, AtMostOneWriter: 8, NoUnsafeDetach: 7 },
      'node-deleted-while-partitioned': { AtMostOne: 11, AtMostOneWriter: 11, NoUnsafeDetach: 8 },
      'out-of-service-partitioned': { AtMostOne: 12, AtMostOneWriter: 12, NoUnsafeDetach: 9 },
      'rolling-update': { PartitionRespected: 'holds', AtMostOne: 'holds', AtMostOneWriter: 'holds', NoUnsafeDetach: 'holds' },
    });
    expect(report).toMatch(/^ {2}attach = rwo: volumeClaimTemplates\[0\] \(www\) accessModes = \[ReadWriteOnce\]/m);
    expect(section(report, 'Force-deleting a pod')).toMatch(
      new RegExp(
        '^HAZARD  Force-deleting a pod\n' +
          ' +applies because spec\\.volumeClaimTemplates: www with accessModes \\[ReadWriteOnce\\] \\(x\\.yaml:\\d+\\)\n' +
          ' +AtMostOne, AtMostOneWriter fail in 8 steps: kubectl delete pod web-0 --force --grace-period=0 frees the name before the old container on node-1 stops; ' +
          'the replacement web-0 is scheduled to node-1 again, where www-web-0 is still attached, and ReadWriteOnce lets it mount the disk while the old container is still running there .*: two web-0 writing www-web-0 at once\\.\n' +
          ' +what to do: use accessModes \\[ReadWriteOncePod\\] for www \\(the kubelet then refuses the second mount\\), or never force-delete a pod whose node is reachable',
      ),
    );
    const partitioned = section(report, 'Force-deleting a pod on an unreachable node');
    expect(partitioned).toMatch(/AtMostOne, AtMostOneWriter fail in 8 steps: .*scheduled to node-1 again/);
    expect(partitioned).toMatch(/NoUnsafeDetach fails in 7 steps: kubectl delete pod web-0 --force --grace-period=0 while node-1 is only cut off from the network .*after the 6-minute unmount timeout the attach\/detach controller force-detaches www-web-0 from node-1/);
    const node = section(report, 'Deleting the Node object of an unreachable node');
    expect(node).toMatch(/AtMostOne, AtMostOneWriter fail in 11 steps: deleting the Node object of node-1 .*scheduled to node-1 again once it is back/);
    expect(node).toMatch(/NoUnsafeDetach fails in 8 steps: /);
    const taint = section(report, 'Tainting an unreachable node out-of-service');
    expect(taint).toMatch(/AtMostOne, AtMostOneWriter fail in 12 steps: kubectl taint node node-1 node\.kubernetes\.io\/out-of-service=nodeshutdown:NoExecute while node-1 is only cut off/);
    expect(taint).toMatch(/NoUnsafeDetach fails in 9 steps: .*the out-of-service taint makes the attach\/detach controller detach www-web-0 from node-1 at once/);
    expect(taint).toMatch(/what to do: taint out-of-service only a node you have verified is shut down/);
    expect(report).toMatch(/NoDataLoss fails in 7 steps: deleting www-web-0/);
    expect(report).toMatch(/^safe {4}Updating the pod template/m);
  });

  it('ReadWriteOncePod: force deletion on a reachable node is safe; an unreachable node gets its disk force-detached and a second copy elsewhere', async () => {
    const { report, runs } = await reportOf(withModes('accessModes: ["ReadWriteOncePod"]'));
    expect(report).toMatch(/^ {2}attach = rwop: volumeClaimTemplates\[0\] \(www\) accessModes = \[ReadWriteOncePod\]/m);
    expect(report).toMatch(/^safe {4}Force-deleting a pod: with ReadWriteOncePod the kubelet refuses to mount www-web-0 for a replacement on node-1 while the old container still has it/m);
    const partitioned = section(report, 'Force-deleting a pod on an unreachable node');
    expect(partitioned).toMatch(/^ +NoUnsafeDetach fails in 7 steps: .*force-detaches www-web-0 from node-1 \(unreachable, not down\), while the old web-0 container may still be writing to it there/m);
    expect(partitioned).toMatch(/^ +AtMostOne fails in 11 steps: .*the replacement web-0 attaches it on node-2 and starts while the old container may still run on node-1: two web-0 at once/m);
    expect(partitioned).not.toMatch(/AtMostOneWriter/);
    expect(partitioned).toMatch(/what to do: run kube-controller-manager with --disable-force-detach-on-timeout \(--set forceDetach=disabled\): www-web-0 then stays attached to node-1 and the replacement waits/);
    const node = section(report, 'Deleting the Node object of an unreachable node');
    expect(node).toMatch(/AtMostOne fails in 12 steps: .*attaches it on node-2/);
    expect(node).toMatch(/NoUnsafeDetach fails in 8 steps: /);
    expect(node).not.toMatch(/AtMostOneWriter/);
    const taint = section(report, 'Tainting an unreachable node out-of-service');
    expect(taint).toMatch(/AtMostOne fails in 13 steps: .*detach www-web-0 from node-1 at once; the replacement web-0 attaches it on node-2/);
    expect(taint).toMatch(/NoUnsafeDetach fails in 9 steps: /);
    expect(taint).toMatch(/what to do: taint out-of-service only a node you have verified is shut down/);
    // The verdicts behind the words.
    expect(verdictsOf(runs)).toMatchObject({
      'force-delete': { AtMostOne: 'holds', AtMostOneWriter: 'holds', NoUnsafeDetach: 'holds' },
      'force-delete-partitioned': { AtMostOne: 11, AtMostOneWriter: 'holds', NoUnsafeDetach: 7 },
      'node-deleted-while-partitioned': { AtMostOne: 12, AtMostOneWriter: 'holds', NoUnsafeDetach: 8 },
      'out-of-service-partitioned': { AtMostOne: 13, AtMostOneWriter: 'holds', NoUnsafeDetach: 9 },
    });
  });

  it('ReadWriteOncePod with force detach disabled: only the out-of-service taint on an unreachable node remains', async () => {
    const w = workloadFromManifests(parseManifests(withModes('accessModes: ["ReadWriteOncePod"]'), 'x.yaml'));
    const runs = [];
    for (const { hazard, plan } of hazardPlans(w, { forceDetach: 'disabled' })) {
      if (hazard.id.includes('partitioned')) runs.push({ hazard, result: await runScenario(plan, RUN) });
    }
    const report = riskReport(w, runs);
    expect(report).toMatch(/^ {2}forceDetach = disabled: --set \(instead of forceDetach = onTimeout: not in the manifests; the kube-controller-manager default .*\)$/m);
    expect(report).toMatch(/^safe {4}Force-deleting a pod on an unreachable node: web-0 never runs twice and www-web-0 is never detached under a running container here: without the forced detach/m);
    expect(report).toMatch(/^safe {4}Deleting the Node object of an unreachable node: /m);
    expect(report).toMatch(/^HAZARD {2}Tainting an unreachable node out-of-service$/m);
  });

  it('ReadWriteMany: no attachment hazards, the existing ones unchanged', async () => {
    const { w, report, runs } = await reportOf(withModes('accessModes: ["ReadWriteMany"]'));
    expect(w.params.attach).toBe('none');
    expect(runs.map((r) => r.hazard.id)).toEqual(['force-delete', 'node-deleted-while-partitioned', 'pvc-deleted', 'ordering', 'scale-down-blocked', 'rolling-update', 'rollout-completes', 'stuck-rollout']);
    for (const r of runs) expect(r.result.properties.map((p) => p.name)).not.toEqual(expect.arrayContaining(['AtMostOneWriter']));
    expect(report).not.toMatch(/AtMostOneWriter|NoUnsafeDetach|out-of-service|forceDetach|detach/);
    expect(report).toMatch(/^ {2}attach = none: volumeClaimTemplates\[0\] \(www\) accessModes = \[ReadWriteMany\]: a ReadWriteMany volume may be attached to several nodes at once/m);
    expect(report).toMatch(/AtMostOne fails in 7 steps: kubectl delete pod web-0 --force --grace-period=0 frees the name before the old container on node-1 stops; the replacement web-0 starts on node-2 while the old one still runs on node-1: two web-0 at once, both writing www-web-0 \(ReadWriteMany: both nodes may attach it\)/);
    expect(report).toMatch(/HAZARD {2}Deleting the Node object of an unreachable node\n {8}applies because .*\n +AtMostOne fails in 9 steps: /);
    expect(report).toMatch(/NoDataLoss fails in 6 steps: deleting www-web-0/);
  });
});

describe('the report in a pipeline', () => {
  /** `kubectl get sts -o yaml`: a List of two StatefulSets (a multi-attachable volume: fewer hazards to run). */
  const list = ['web', 'db']
    .map(
      (n) =>
        `  - apiVersion: apps/v1\n    kind: StatefulSet\n    metadata: { name: ${n} }\n    spec:\n      replicas: ${n === 'db' ? 3 : 1}\n` +
        `      podManagementPolicy: ${n === 'db' ? 'Parallel' : 'OrderedReady'}\n` +
        `      volumeClaimTemplates:\n        - metadata: { name: data }\n          spec: { accessModes: [ReadWriteMany], storageClassName: nfs }\n`,
    )
    .join('');
  const input = `apiVersion: v1\nkind: List\nitems:\n${list}`;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stsmc-pipeline-'));
  const stsmc = (args: string[], stdin?: string) => {
    const r = spawnSync(process.execPath, [path.resolve('bin/stsmc.js'), 'check', '--quiet', '--workers', '1', '--memory', '256M', '--out', out, ...args], { encoding: 'utf8', input: stdin ?? '', timeout: 120_000 });
    expect(r.error?.message).toBeUndefined();
    return r;
  };

  it('reads standard input (--manifest -) and reports on every StatefulSet in it; a failing property is a finding, not UNEXPECTED', () => {
    const r = stsmc(['--manifest', '-', '--set', 'budget=1'], input);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout.match(/^Risk report for StatefulSet (\w+)/gm)).toEqual(['Risk report for StatefulSet web', 'Risk report for StatefulSet db']);
    // Parallel is the workload's choice (etcd bootstraps so): information, not a hazard.
    expect(r.stdout).toMatch(/^INFO {4}Scaling up and down\n {8}applies because spec\.podManagementPolicy: Parallel \(standard input:\d+\)\n/m);
    expect(r.stdout).not.toMatch(/UNEXPECTED|expected/);
    expect(r.stdout).toMatch(/^hazard run +property +found +trace\n/m);
    // The values actually used: the --set budget replaces the hazards' own, replicas as in each manifest.
    expect(r.stdout).toMatch(/^ {2}budget = 1: --set$/m);
    expect(r.stdout).toMatch(/^ {2}R = 3, initReplicas = 3: spec\.replicas = 3$/m);
  }, 120_000);

  it('--statefulset picks one, --json carries the risk report, --fail-on never exits 0', () => {
    const r = stsmc(['--manifest', '-', '--statefulset', 'db', '--json', '--fail-on', 'never', '--set', 'budget=1', '--set', 'R=2'], input);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const doc = JSON.parse(r.stdout) as { riskReports: { statefulSet: string; modelledAs: string[]; hazards: { id: string; status: string; findings: { properties: string[]; traceLength: number }[]; advice: string; checked: string }[] }[]; results: unknown[] };
    expect(doc.riskReports.map((x) => x.statefulSet)).toEqual(['db']);
    const [db] = doc.riskReports;
    expect(db!.modelledAs).toContain('R = 2, initReplicas = 2: --set (instead of R = 3, initReplicas = 3: spec.replicas = 3)');
    const ordering = db!.hazards.find((h) => h.id === 'ordering')!;
    expect(ordering).toMatchObject({ status: 'hazard', findings: expect.arrayContaining([expect.objectContaining({ properties: ['OrderedCreation'] })]) });
    expect(ordering.checked).toMatch(/^2 ordinals \(db-0\.\.db-1\) on 3 nodes, at most 1 event \(scale\): /);
    expect(doc.results).toHaveLength(db!.hazards.length);
  }, 120_000);

  it('--sarif writes SARIF 2.1.0: one rule per hazard, each finding at the manifest line of the field that makes it apply', () => {
    const file = path.join(out, 'two.yaml');
    fs.writeFileSync(file, input);
    const sarif = path.join(out, 'findings.sarif');
    const r = stsmc(['--manifest', file, '--set', 'budget=1', '--sarif', sarif]);
    expect([r.status, r.stderr]).toEqual([1, '']);
    type Log = {
      $schema: string;
      version: string;
      runs: { tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[]; properties: { statefulSet: string; field: string } }[] }[];
    };
    const log = JSON.parse(fs.readFileSync(sarif, 'utf8')) as Log;
    expect([log.version, log.$schema, log.runs.length]).toEqual(['2.1.0', 'https://json.schemastore.org/sarif-2.1.0.json', 1]);
    const [{ tool, results }] = log.runs as [Log['runs'][number]];
    expect(tool.driver.name).toBe('stsmc');
    expect(new Set(tool.driver.rules.map((x) => x.id)).size).toBe(tool.driver.rules.length);
    const lines = input.split('\n');
    for (const res of results) {
      expect(tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
      expect(['error', 'warning', 'note']).toContain(res.level);
      expect(res.message.text).toMatch(new RegExp(`^StatefulSet ${res.properties.statefulSet}: `));
      const { artifactLocation, region } = res.locations[0]!.physicalLocation;
      expect(artifactLocation.uri).toBe(`file://${file.split(path.sep).map(encodeURIComponent).join('/')}`);
      // The line holds the field's key, at its column, inside this StatefulSet's part of the List.
      const key = res.properties.field.split('.').at(-1)!;
      expect(lines[region.startLine - 1]!.slice(region.startColumn - 1)).toMatch(new RegExp(`^${key}:`));
      const owner = lines.slice(0, region.startLine).reverse().find((l) => /metadata: \{ name: /.test(l));
      expect(owner).toContain(`name: ${res.properties.statefulSet} `);
    }
    // Scaling a Parallel set is found on db's podManagementPolicy line, information (the set chose
    // Parallel); no "safe" hazard is a result.
    expect(results.find((x) => x.ruleId === 'ordering')).toMatchObject({ level: 'note', properties: { statefulSet: 'db', field: 'spec.podManagementPolicy' } });
    expect(results.some((x) => x.ruleId === 'ordering' && x.properties.statefulSet === 'web')).toBe(false);
  }, 120_000);

  it('refuses an unknown --statefulset, a bad --fail-on, and standard input twice, with one line', () => {
    const cases: [string[], RegExp][] = [
      [['--manifest', '-', '--statefulset', 'nope'], /^stsmc: error: --statefulset nope: no StatefulSet of that name in the manifests \(there are: web, db\)\n$/],
      [['--manifest', '-', '--fail-on', 'sometimes'], /^stsmc: error: --fail-on must be hazard, caution or never, got 'sometimes'\n$/],
      [['--manifest', '-', '--manifest', '-'], /^stsmc: error: --manifest - \(standard input\) can be given once\n$/],
    ];
    for (const [args, message] of cases) {
      const r = stsmc(args, input);
      expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(message)]);
    }
  }, 60_000);
});

describe('the workload at its own size', () => {
  it('runs a hazard with the real replicas when it fits, else with fewer ordinals down to 3, and says so', async () => {
    const w = workloadFromManifests(parseManifests(sts('  replicas: 5\n  podManagementPolicy: Parallel\n' + claims.replace('storageClassName: fast', 'storageClassName: fast, accessModes: [ReadWriteMany]')), 'x.yaml'));
    expect(w.params).toMatchObject({ R: 5, initReplicas: 5, nodes: 3 });
    const said: string[] = [];
    const run = (p: Plan, maxStates?: number) => runScenario(p, { ...RUN, ...(maxStates !== undefined ? { maxStates } : {}) });
    const runs: HazardRun[] = [];
    for (const { hazard, plan } of hazardPlans(w, {}).filter((h) => ['ordering', 'pvc-deleted', 'rolling-update'].includes(h.hazard.id))) {
      runs.push({ hazard, ...(await runAtWorkloadSize(w, hazard, {}, plan, run, { cap: 20_000, say: (l) => said.push(l) })) });
    }
    const byId = (id: string) => runs.find((r) => r.hazard.id === id)!;
    // Scaling a Parallel set passes the cap with 5 and 4 ordinals: checked in full with 3. Deleting
    // a claim passes it with 5; with 4, both storage properties fail within it. A template update
    // of this set fits: the workload's own 5.
    expect([byId('ordering').reducedFrom, byId('ordering').result.params.R, byId('ordering').result.complete]).toEqual([5, 3, true]);
    expect([byId('pvc-deleted').reducedFrom, byId('pvc-deleted').result.params.R, byId('pvc-deleted').result.stopReason]).toEqual([5, 4, 'allViolated']);
    expect([byId('rolling-update').reducedFrom, byId('rolling-update').result.params.R, byId('rolling-update').result.complete]).toEqual([undefined, 5, true]);
    expect(said).toEqual([
      'db-pvc-deleted: more than 20,000 states with 5 ordinals; checking 4',
      'db-ordering: more than 20,000 states with 5 ordinals; checking 4',
      'db-ordering: more than 20,000 states with 4 ordinals; checking 3',
    ]);
    const report = riskOf(w, runs);
    expect(report.hazards.map((h) => h.checked.split(' on ')[0])).toEqual([
      "4 ordinals (db-0..db-3: the workload's 5 are too many states for a quick report; --set R=5 checks them all)",
      "3 ordinals (db-0..db-2: the workload's 5 are too many states for a quick report; --set R=5 checks them all)",
      '5 ordinals (db-0..db-4)',
    ]);
    // The workload's own size stays in "Modelled as"; the smaller runs say so on their own line.
    expect(report.modelledAs[0]).toBe('R = 5, initReplicas = 5: spec.replicas = 5');
  }, 60_000);
});

describe('the exit code of a report', () => {
  const report = (...hazards: { status: 'hazard' | 'safe' | 'unknown'; severity?: 'hazard' | 'caution' | 'info' }[]) =>
    ({ statefulSet: 'db', claims: 'data-db-N', modelledAs: [], notes: [], ignored: [], hazards: hazards.map((h, k) => ({ id: `h${k}`, title: 't', findings: [], advice: '', checked: '', field: { path: 'spec' }, ...h })) }) as RiskReport;
  it('is 1 for a finding of the --fail-on severity or above, 3 for an open verdict or an interruption, else 0', () => {
    const info = report({ status: 'hazard', severity: 'info' }, { status: 'safe' });
    const caution = report({ status: 'hazard', severity: 'caution' });
    const hazard = report({ status: 'hazard', severity: 'hazard' });
    expect([info, caution, hazard].map((r) => manifestExitCode([r], 'hazard'))).toEqual([0, 0, 1]);
    expect([info, caution, hazard].map((r) => manifestExitCode([r], 'caution'))).toEqual([0, 1, 1]);
    expect([info, caution, hazard].map((r) => manifestExitCode([r], 'never'))).toEqual([0, 0, 0]);
    expect(manifestExitCode([info, report({ status: 'unknown' })], 'hazard')).toBe(3);
    expect(manifestExitCode([hazard], 'hazard', true)).toBe(3);
  });
});

describe('whether a template update reaches every pod', () => {
  it('a partition stops it on purpose (information, the pods below named); OnDelete too; without either it completes', async () => {
    const zk = await reportOf(web.replace('  serviceName: "nginx"', '  serviceName: "nginx"\n  updateStrategy: { type: RollingUpdate, rollingUpdate: { partition: 1 } }'), 'rollout-completes');
    expect(verdictsOf(zk.runs)['rollout-completes']).toEqual({ RolloutCompletes: 7 });
    expect(section(zk.report, 'Whether a template update reaches every pod')).toMatch(
      /^INFO {4}Whether a template update reaches every pod\n +applies because spec\.updateStrategy\.rollingUpdate\.partition: 1 \(x\.yaml:\d+\)\n +RolloutCompletes fails in 7 steps: the rolling update stops at the partition: web-0 keep/,
    );
    const onDelete = await reportOf(web.replace('  serviceName: "nginx"', '  serviceName: "nginx"\n  updateStrategy: { type: OnDelete }'), 'rollout-completes');
    expect(onDelete.report).toMatch(/^INFO {4}Whether a template update reaches every pod\n +applies because spec\.updateStrategy\.type: OnDelete/m);
    const plain = await reportOf(web, 'rollout-completes');
    expect(plain.report).toMatch(/^safe {4}Whether a template update reaches every pod: a template update reaches every pod/m);
  });
});

describe('storage classes: static PVs, node-local and network-share provisioners', () => {
  const withClass = (className: string, sc = '', modes = '[ReadWriteOnce]') =>
    workloadFromManifests(
      parseManifests(sts(`  replicas: 2\n  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec: { storageClassName: ${className}, accessModes: ${modes} }\n`, sc), 'x.yaml'),
    );
  const cls = (provisioner: string, reclaim = 'Delete') => `---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nprovisioner: ${provisioner}\nreclaimPolicy: ${reclaim}\n`;

  it('storageClassName "" is a pre-provisioned PV: reclaim Retain (the PV default) and provisioning static (a new claim waits for an administrator)', () => {
    // A default class in the manifests must not be used for "": that asks for a PV with no class.
    const w = withClass('""', cls('ebs.csi.aws.com').replace('metadata: { name: fast }', "metadata: { name: fast, annotations: { storageclass.kubernetes.io/is-default-class: 'true' } }"));
    expect(w.params).toMatchObject({ reclaim: 'Retain', provisioning: 'static', attach: 'rwo' });
    expect(w.staticPVs).toBe(true);
    expect(w.provenance.join('\n')).toMatch(/reclaim = Retain: volumeClaimTemplates\[0\] \(data\) storageClassName: "" binds only pre-provisioned PVs with no class, and a PV created by hand has persistentVolumeReclaimPolicy Retain/);
    expect(w.provenance.join('\n')).toMatch(/provisioning = static: storageClassName "" is served by no provisioner: .* so the replacement claim stays Pending, and its pod with it, until an administrator provides a PV/);
    // Without the empty name, the same manifests use the default class.
    expect(withClass('fast', cls('ebs.csi.aws.com')).params).toMatchObject({ reclaim: 'Delete' });
    expect(buildModel(w.params)).not.toThrow();
  });

  it('with static PVs, deleting a claim strands its member (EventuallyConverged) instead of bringing it back empty', async () => {
    const w = withClass('""', '', '[ReadWriteMany]');
    const runs: HazardRun[] = [];
    for (const { hazard, plan } of hazardPlans(w, {}).filter((p) => p.hazard.id === 'pvc-deleted')) runs.push({ hazard, result: await runScenario(plan, RUN) });
    expect(runs[0]!.result.properties.map((p) => [p.name, p.verdict])).toEqual([['NoDataLoss', 'holds'], ['StableStorage', 'holds'], ['EventuallyConverged', 'violated']]);
    const [h] = riskOf(w, runs).hazards;
    expect(h!.findings.map((f) => f.text)).toEqual([expect.stringMatching(/^after data-db-0 is deleted, its PV is Released and keeps its claimRef, so the PV controller never binds it to the new claim, and with storageClassName "" nothing provisions another: db-0 stays Pending until an administrator provides a PV/)]);
    expect(h!.advice).toMatch(/point its spec\.claimRef at the new, pending data-db-0/);
  });

  it('node-local provisioners map to storage local without attachment; network shares to no attachment; a cloud disk keeps its access mode', () => {
    for (const p of ['rancher.io/local-path', 'kubernetes.io/no-provisioner', 'openebs.io/local', 'local.csi.openebs.io']) {
      const w = withClass('fast', cls(p));
      expect([p, w.params.storage, w.params.attach]).toEqual([p, 'local', 'none']);
      expect(buildModel(w.params)).not.toThrow();
    }
    const nfs = withClass('fast', cls('nfs.csi.k8s.io', 'Retain'));
    expect(nfs.params).toMatchObject({ attach: 'none', reclaim: 'Retain' });
    expect(nfs.params.storage).toBeUndefined();
    expect(nfs.provenance.join('\n')).toMatch(/attach = none: StorageClass fast provisioner nfs\.csi\.k8s\.io mounts a network file share, which is never attached to a node/);
    const disk = withClass('fast', cls('pd.csi.storage.gke.io'));
    expect(disk.params).toMatchObject({ attach: 'rwo' });
    expect(disk.params.storage).toBeUndefined();
  });

  it('a network file share with ReadWriteOncePod has no attachment either: force deletion runs the pod twice', async () => {
    // The model's rwop is an attached disk, whose detach fences the old node; a file share is never
    // attached, and the scheduler's ReadWriteOncePod check only counts pod objects.
    const w = withClass('fast', cls('nfs.csi.k8s.io'), '[ReadWriteOncePod]');
    expect(w.params.attach).toBe('none');
    expect(w.provenance.join('\n')).toMatch(/attach = none: .* accessModes = \[ReadWriteOncePod\] only keeps the scheduler from placing a second pod object using the claim while the first exists/);
    const runs: HazardRun[] = [];
    for (const { hazard, plan } of hazardPlans(w, {}).filter((p) => p.hazard.id === 'force-delete')) runs.push({ hazard, result: await runScenario(plan, RUN) });
    const [h] = riskOf(w, runs).hazards;
    expect(h).toMatchObject({ status: 'hazard', severity: 'hazard' });
    expect(h!.findings[0]!.text).toMatch(/two db-0 at once, both writing data-db-0 \(a network file share: .*ReadWriteOncePod only keeps a second pod object from being scheduled while the first exists/);
    // The same claim on a cloud disk stays rwop: an attached disk, whose detach fences the old node.
    const disk = withClass('fast', cls('pd.csi.storage.gke.io'), '[ReadWriteOncePod]');
    expect(disk.params.attach).toBe('rwop');
  });

  it('with local storage the second-copy hazards run on the one node the volume pins a pod to, and the node-loss hazard applies', async () => {
    const w = withClass('fast', cls('kubernetes.io/no-provisioner'));
    const plans = hazardPlans(w, {});
    expect(plans.map((p) => p.hazard.id)).toEqual(['force-delete', 'node-deleted-while-partitioned', 'pvc-deleted', 'node-lost-local', 'ordering', 'scale-down-blocked', 'rolling-update', 'rollout-completes', 'stuck-rollout']);
    const byId = (id: string) => plans.find((p) => p.hazard.id === id)!.plan;
    expect(byId('force-delete').params).toMatchObject({ storage: 'network', attach: 'rwo', nodes: 1, forceDetach: 'disabled' });
    expect(byId('force-delete').check.map((c) => c.name)).toEqual(['AtMostOne']);
    expect(byId('node-lost-local').params).toMatchObject({ storage: 'local', attach: 'none', faults: ['nodeCrash'], recovery: 'permanent', cloudNodeDelete: true });
    // --set storage=network checks the same workload as if its volumes could move: no node-loss hazard.
    expect(hazardPlans(w, { storage: 'network' }).map((p) => p.hazard.id)).not.toContain('node-lost-local');
    const runs: HazardRun[] = [];
    for (const { hazard, plan } of plans.filter((p) => p.hazard.id === 'node-lost-local')) runs.push({ hazard, result: await runScenario(plan, RUN) });
    const [lost] = riskOf(w, runs).hazards;
    // Located at the StorageClass's provisioner line, not at the StatefulSet.
    const text = sts(`  replicas: 2\n  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec: { storageClassName: fast, accessModes: [ReadWriteOnce] }\n`, cls('kubernetes.io/no-provisioner'));
    const line = text.split('\n').findIndex((l) => l.startsWith('provisioner: ')) + 1;
    expect(lost).toMatchObject({ status: 'hazard', severity: 'hazard', field: { path: 'StorageClass fast provisioner', value: 'kubernetes.io/no-provisioner', file: 'x.yaml', line } });
    expect(lost!.findings[0]).toMatchObject({ properties: ['EventuallyConverged'], traceLength: 6 });
  });
});

describe('scaling down with whenScaled: Delete', () => {
  const read = (policy: string, reclaim: string) =>
    workloadFromManifests(
      parseManifests(
        sts(`  replicas: 3\n  persistentVolumeClaimRetentionPolicy: { whenScaled: ${policy} }\n` + claims.replace('storageClassName: fast', 'storageClassName: fast, accessModes: [ReadWriteMany]'), `---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nprovisioner: ebs.csi.aws.com\nreclaimPolicy: ${reclaim}\n`),
        'x.yaml',
      ),
    );
  const runIt = async (w: ReturnType<typeof read>) => {
    const runs: HazardRun[] = [];
    for (const { hazard, plan } of hazardPlans(w, {}).filter((p) => p.hazard.id === 'scale-down-data')) runs.push({ hazard, result: await runScenario(plan, RUN) });
    return riskOf(w, runs);
  };

  it('with reclaim Delete: a HAZARD at the whenScaled line, the claim and its data deleted with the scaled-away pod', async () => {
    const r = await runIt(read('Delete', 'Delete'));
    expect(r.hazards).toHaveLength(1);
    const [h] = r.hazards;
    // Located at the line that writes the policy.
    const line = sts('  replicas: 3\n  persistentVolumeClaimRetentionPolicy: { whenScaled: Delete }\n').split('\n').findIndex((l) => l.includes('whenScaled: Delete')) + 1;
    expect(h).toMatchObject({ status: 'hazard', severity: 'hazard', field: { path: 'spec.persistentVolumeClaimRetentionPolicy.whenScaled', value: 'Delete', file: 'x.yaml', line } });
    expect(h!.findings).toHaveLength(1);
    expect(h!.findings[0]!.properties).toEqual(['ScaleDownKeepsData']);
    expect(h!.findings[0]!.text).toMatch(/^kubectl scale statefulset db --replicas=0 removes db-0; with whenScaled Delete the controller makes db-0 the owner of data-db-0 and the garbage collector deletes the claim once the pod is gone, and with it the volume and db-0's data \(StorageClass reclaimPolicy Delete\)\. Scaled back up, db-0 starts on a new, empty volume/);
    expect(h!.advice).toMatch(/^set spec\.persistentVolumeClaimRetentionPolicy\.whenScaled: Retain \(the default\) and delete the claim of a member removed for good by hand \(kubectl delete pvc data-db-0\) once its data has moved/);
  });

  it('with reclaim Retain: a CAUTION, the data kept on a Released PV that the ordinal does not get back', async () => {
    const [h] = (await runIt(read('Delete', 'Retain'))).hazards;
    expect(h).toMatchObject({ status: 'hazard', severity: 'caution' });
    expect(h!.findings[0]!.text).toMatch(/leaving its PV Released with db-0's data on it, bound to no claim\. Scaled back up, db-0 starts on a new, empty volume/);
    expect(h!.advice).toMatch(/The Released PV still holds the data and can be bound again by hand/);
  });

  it('with whenScaled Retain (or --set whenScaled=Retain) the hazard is not run: ScaleDownKeepsData holds there without exploring', () => {
    expect(hazardPlans(read('Retain', 'Delete'), {}).map((p) => p.hazard.id)).not.toContain('scale-down-data');
    expect(hazardPlans(read('Delete', 'Delete'), { whenScaled: 'Retain' }).map((p) => p.hazard.id)).not.toContain('scale-down-data');
    expect(hazardPlans(read('Retain', 'Delete'), { whenScaled: 'Delete' }).map((p) => p.hazard.id)).toContain('scale-down-data');
  });
});

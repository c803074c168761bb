/**
 * The standard hazard set: the seed notes' hazards, each a check of one real workload under the
 * events that trigger it. A plan per hazard, with the workload's parameters and names, and the
 * risk explained in plain words with the workload's own pod and claim names.
 */
import type { PropertyResult, ScenarioResult } from '../check/runScenario.js';
import { InputError, resolveParams } from '../explorer/params.js';
import { factory } from '../registry.js';
import { resolvePlan, type Plan } from '../scenario/scenario.js';
import type { Workload } from './manifest.js';

interface Hazard {
  readonly id: string;
  readonly title: string;
  readonly events: Record<string, unknown>;
  readonly check: readonly string[];
  /** Plain words for a violated property, given the workload's names. */
  risk(w: Workload, property: string): string;
  safe(w: Workload): string;
}

const pod = (w: Workload, i: number) => `${w.name}-${ordinal(w, i)}`;
const pvc = (w: Workload, i: number) => `${w.claim}-${w.name}-${ordinal(w, i)}`;
const ordinal = (w: Workload, i: number) => Number(w.params.startOrdinal ?? 0) + i;

export const HAZARDS: readonly Hazard[] = [
  {
    id: 'force-delete',
    title: 'Force-deleting a pod',
    events: { userOps: ['forceDeletePod'], budget: 2 },
    check: ['AtMostOne'],
    risk: (w) =>
      `kubectl delete pod ${pod(w, 0)} --force --grace-period=0 frees the name before the old container stops; the controller starts a replacement on another node while the old one still runs: two ${pod(w, 0)} at once, both writing.`,
    safe: () => 'force deletion never leads to two copies of one pod here.',
  },
  {
    id: 'node-deleted-while-partitioned',
    title: 'Deleting the Node object of an unreachable node',
    events: { faults: ['nodePartition'], userOps: ['deleteNode'], budget: 2 },
    check: ['AtMostOne'],
    risk: (w) =>
      `if the node is only cut off from the network, deleting its Node object lets ${pod(w, 0)} be recreated elsewhere while the original keeps running: delete a Node object only once the machine is known to be down.`,
    safe: () => 'deleting the Node object of a partitioned node never runs a pod twice here.',
  },
  {
    id: 'pvc-deleted',
    title: 'Deleting a PersistentVolumeClaim',
    events: { userOps: ['deletePVC', 'deletePod'], budget: 2 },
    check: ['NoDataLoss', 'StableStorage'],
    risk: (w, p) =>
      p === 'NoDataLoss'
        ? `deleting ${pvc(w, 0)} destroys its volume and data once ${pod(w, 0)} is gone (StorageClass reclaimPolicy Delete); the pod comes back on an empty volume.`
        : `after ${pvc(w, 0)} is deleted, ${pod(w, 0)} starts again on a new, empty volume: the member loses its data${w.params.reclaim === 'Retain' ? ' (the old PV is kept, Released, and must be recovered by hand)' : ''}.`,
    safe: () => 'claims are never deleted under a running member here.',
  },
  {
    id: 'ordering',
    title: 'Scaling up and down',
    events: { userOps: ['scale'], budget: 2 },
    check: ['OrderedCreation', 'OrderedTermination', 'NoDataLoss'],
    risk: (w, p) =>
      p === 'OrderedCreation'
        ? `pods are created without waiting for lower ordinals to be Running and Ready (podManagementPolicy Parallel): ${pod(w, 1)} may start before ${pod(w, 0)} is ready.`
        : p === 'OrderedTermination'
          ? `scale-down deletes pods out of order or while others are unhealthy (podManagementPolicy Parallel).`
          : `scaling down destroys data of ordinals that are still wanted.`,
    safe: (w) => `pods are created in order ${pod(w, 0)}, ${pod(w, 1)}, ... and removed in reverse order, each only when the others are healthy.`,
  },
  {
    id: 'rolling-update',
    title: 'Updating the pod template',
    events: { start: 'running', userOps: ['updateTemplate'], budget: 2 },
    check: ['PartitionRespected', 'AtMostOne'],
    risk: (w, p) => (p === 'PartitionRespected' ? `pods below the partition are recreated at the new revision.` : `an update runs two copies of ${pod(w, 0)}.`),
    safe: () => 'template updates respect the partition and never run a pod twice.',
  },
];

export function hazardPlans(w: Workload, set: Readonly<Record<string, string>>): { hazard: Hazard; plan: Plan }[] {
  const f = factory('statefulset');
  return HAZARDS.map((hazard) => {
    const params = { ...w.params, name: w.name, claim: w.claim, ...hazard.events, ...set };
    try {
      resolveParams(f.name, f.parameters, params);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`--manifest: ${e.message}`);
      throw e;
    }
    const plan = resolvePlan(
      { name: `${w.name}-${hazard.id}`, description: `${hazard.title}: ${w.name}`, model: 'statefulset', params, check: [...hazard.check], expect: {} },
      {},
      `--manifest (${hazard.id})`,
    );
    return { hazard, plan };
  });
}

/** The risk report: what the manifests say, what was ignored, and each hazard in plain words. */
export function riskReport(w: Workload, runs: readonly { hazard: Hazard; result: ScenarioResult }[]): string {
  const out: string[] = [`Risk report for StatefulSet ${w.name} (claims ${w.claim}-${w.name}-N)`, '', 'Modelled as:'];
  for (const p of w.provenance) out.push(`  ${p}`);
  for (const n of w.notes) out.push(`  note: ${n}`);
  if (w.ignored.length) out.push(`  ignored (not modelled): ${w.ignored.join(', ')}`);
  out.push('');
  for (const { hazard, result } of runs) {
    const violated = result.properties.filter((p) => p.verdict === 'violated');
    const unknown = result.properties.filter((p) => p.verdict === 'unknown');
    if (violated.length) {
      out.push(`HAZARD  ${hazard.title}`);
      for (const p of violated) out.push(`        ${p.name} fails in ${p.traceLength} steps: ${hazard.risk(w, p.name)}${files(p)}`);
    } else if (unknown.length) {
      out.push(`UNKNOWN ${hazard.title}: ${unknown.map((p) => `${p.name} (${p.note ?? 'no verdict'})`).join(', ')}`);
    } else {
      out.push(`safe    ${hazard.title}: ${hazard.safe(w)}`);
    }
  }
  return out.join('\n');
}

function files(p: PropertyResult): string {
  return p.files.length ? ` Trace: ${p.files[0]}` : '';
}

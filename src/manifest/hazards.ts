/**
 * The standard hazard set: the seed notes' hazards, each a check of one real workload under the
 * events that trigger it. A plan per hazard, with the workload's parameters and names, and the
 * risk explained in plain words with the workload's own pod, claim and node names, for the
 * workload's access mode (volume attachment: attach none, rwo or rwop). A new hazard is one entry
 * of HAZARDS.
 */
import type { Counterexample } from '../check/counterexample.js';
import type { ScenarioResult } from '../check/runScenario.js';
import { InputError } from '../input/errors.js';
import { resolveParams } from '../input/params.js';
import { factory } from '../registry.js';
import { resolvePlan, type Plan } from '../scenario/scenario.js';
import type { AttachMode } from '../spec/config.js';
import { describeModes, isFileShare, type Workload } from './manifest.js';

/**
 * What a hazard's words are about: the workload and its effective access mode, and what the
 * shortest trace shows (which pod, the node it ran on, where its replacement ran, how the volume
 * was detached). Without a trace (a hazard that does not apply): ordinal 0 on node-1.
 */
export interface Facts {
  readonly w: Workload;
  readonly attach: AttachMode;
  readonly forceDetach: 'onTimeout' | 'disabled';
  readonly pod: string;
  readonly pvc: string;
  /** The node the pod first ran on, as the model shows it (`node-1`). */
  readonly from: string;
  /** The node its replacement was scheduled to, if the trace has one. */
  readonly to?: string;
  /** The trace cuts the first node off the network (`NodePartition`). */
  readonly partitioned: boolean;
  /** The trace brings the first node back (`NodeRecover`) before the violation. */
  readonly recovered: boolean;
  /** How the volume was detached from `from` in the trace, if it was. */
  readonly detach?: 'timeout' | 'outOfService' | 'normal';
}

/** How much a hazard that applies matters. */
export type Severity = 'hazard' | 'caution' | 'info';

interface Hazard {
  readonly id: string;
  readonly title: string;
  /** Only with an exclusive attachment (attach rwo or rwop): the events need it or mean nothing without it. */
  readonly attachOnly?: boolean;
  /**
   * Whether the hazard is run for these parameters (the manifests' with `--set` over them): a
   * hazard whose property holds trivially otherwise is not explored for nothing.
   */
  readonly appliesTo?: (params: Readonly<Record<string, unknown>>) => boolean;
  /**
   * What makes the hazard apply when it is not a field of the StatefulSet (the StorageClass's
   * provisioner): shown and located instead of `fields`.
   */
  readonly because?: (w: Workload) => HazardReport['field'] | undefined;
  readonly events: Record<string, unknown>;
  /**
   * Parameters the hazard's run uses instead of the workload's, given the workload's (after
   * `--set`): how a hazard is modelled for a kind of storage the plain parameters do not show.
   */
  readonly modelWith?: (params: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  /**
   * The manifest fields that make the hazard apply, most specific first: a finding is located at
   * the first one the manifest writes (else at `metadata.name`).
   */
  readonly fields: readonly string[];
  /** Properties to check; those of the attachment extension are dropped when attach is none. */
  readonly check: readonly string[];
  /** Properties checked as well for these parameters (the workload's, after `--set`). */
  readonly checkWith?: (params: Readonly<Record<string, unknown>>) => readonly string[];
  /**
   * How much a failure matters (default `hazard`): `caution` when it also needs a bad release,
   * `info` when it follows from a policy the workload chose on purpose (etcd bootstraps with
   * `podManagementPolicy: Parallel`).
   */
  readonly severity?: (f: Facts) => Severity;
  /** Plain words for a violated property. */
  risk(f: Facts, property: string): string;
  /** What to do instead, printed once under the violations. */
  advice(f: Facts): string;
  safe(f: Facts): string;
}

/** How a Released PV (reclaim Retain) that still holds a member's data is given back to its claim. */
const rebindByHand = (pvc: string) => `the Released PV still holds the data and can be bound again by hand (clear its spec.claimRef and recreate ${pvc} with spec.volumeName naming it)`;

const capitalized = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/** Properties that exist only with volume attachment. */
const ATTACH_PROPERTIES = new Set(['AtMostOneWriter', 'NoUnsafeDetach']);

const ordinal = (w: Workload, i: number) => Number(w.params.startOrdinal ?? 0) + i;
const podName = (w: Workload, i: number) => `${w.name}-${ordinal(w, i)}`;
const pvcName = (w: Workload, i: number) => `${w.claim}-${w.name}-${ordinal(w, i)}`;
/** The model ordinal of the pod a finding is about: also the spec.replicas that scales it away. */
const indexOf = (f: Facts) => Number(f.pod.slice(f.w.name.length + 1)) - Number(f.w.params.startOrdinal ?? 0);

/** What stops a rollout on purpose: `OnDelete`, a partition above 0, or nothing. */
function rolloutStop(f: Facts): 'OnDelete' | 'partition' | undefined {
  return f.w.params.strategy === 'OnDelete' ? 'OnDelete' : Number(f.w.params.initPartition ?? 0) > 0 ? 'partition' : undefined;
}

/** The pods below the partition, by name (`zk-0 and zk-1`, `web-0..web-3`). */
function partitioned(f: Facts): string {
  const p = Math.min(Number(f.w.params.initPartition ?? 0), Number(f.w.params.R));
  return p === 1 ? podName(f.w, 0) : p === 2 ? `${podName(f.w, 0)} and ${podName(f.w, 1)}` : `${podName(f.w, 0)}..${podName(f.w, p - 1)}`;
}

/**
 * The canary advice after a stuck rollout: a partition of replicas - 1 tries a template on the
 * highest pod first. Nothing to add for one replica (no other pod to spare), and only a reminder
 * when the workload already holds a partition.
 */
function canary(f: Facts): string {
  const R = Number(f.w.params.R);
  const p = Number(f.w.params.initPartition ?? 0);
  if (R <= 1) return '';
  if (p > 0) return `; the partition (${p}) kept the bad template to the pods from ${podName(f.w, Math.min(p, R - 1))} up, as a canary should: lower it only once they are Ready`;
  return '; to try a new template on one pod first, set rollingUpdate.partition to replicas - 1 and lower it once that pod is Ready';
}

/** The exclusive access mode in words. */
const modeName = (f: Facts) => (f.attach === 'rwop' ? 'ReadWriteOncePod' : 'ReadWriteOnce');

const FLAG = '--disable-force-detach-on-timeout (--set forceDetach=disabled)';
const RWOP = (f: Facts) => `accessModes [ReadWriteOncePod] for ${f.w.claim}`;

/** Why both copies can mount a volume without exclusive attachment. */
function multiNode(f: Facts): string {
  const multi = f.w.accessModes.some((m) => m === 'ReadWriteMany' || m === 'ReadOnlyMany');
  if (multi) return ` (${describeModes(f.w.accessModes)}: both nodes may attach it)`;
  if (!fileShare(f.w)) return '';
  if (!f.w.accessModes.includes('ReadWriteOncePod')) return ` (a network file share: ${describeModes(f.w.accessModes)} does not stop a second node mounting it)`;
  // The scheduler's ReadWriteOncePod check counts pod objects; the old container's mount outlives its object.
  return f.to === f.from
    ? ` (a network file share: on one node, only a CSI driver that refuses to publish the volume twice stops this, and on another node nothing does, since ReadWriteOncePod only keeps a second pod object from being scheduled while the first exists)`
    : ` (a network file share: ReadWriteOncePod only keeps a second pod object from being scheduled while the first exists, and nothing detaches the share from ${f.from})`;
}

/** How the trace detached the volume from the first node. */
function detached(f: Facts): string {
  switch (f.detach) {
    case 'timeout':
      return `after the 6-minute unmount timeout the attach/detach controller force-detaches ${f.pvc} from ${f.from} (unreachable, not down)`;
    case 'outOfService':
      return `the out-of-service taint makes the attach/detach controller detach ${f.pvc} from ${f.from} at once`;
    default:
      return `${f.pvc} is detached from ${f.from}`;
  }
}

/** The second copy of the pod, once its pod object is gone while the old container still runs. */
function secondCopy(f: Facts): string {
  if (f.attach === 'none') return `the replacement ${f.pod} starts on ${f.to ?? 'another node'} while the old one still runs on ${f.from}: two ${f.pod} at once, both writing ${f.pvc}${multiNode(f)}`;
  if (pinned(f)) {
    return `the replacement ${f.pod} can only be scheduled to ${f.from} again${f.recovered ? ' once it is back' : ''}, where its node-local volume ${f.pvc} is, and starts on it while the old container is still running there (the kubelet has not killed it yet): two ${f.pod} writing ${f.pvc} at once`;
  }
  if (f.to === f.from) {
    return `the replacement ${f.pod} is scheduled to ${f.from} again${f.recovered ? ' once it is back' : ''}, where ${f.pvc} is still attached, and ${modeName(f)} lets it mount the disk while the old container is still running there (the kubelet has not killed it yet): two ${f.pod} writing ${f.pvc} at once`;
  }
  return `${detached(f)}; the replacement ${f.pod} attaches it on ${f.to ?? 'another node'} and starts while the old container may still run on ${f.from}: two ${f.pod} at once (only the new one can still write ${f.pvc}, but everything else the pod does, serving clients, holding a lease, talking to peers, happens twice)`;
}

/** A violated property: the second copy, or the detach under a running container. */
function consequence(f: Facts, property: string): string {
  return property === 'NoUnsafeDetach' ? `${detached(f)}, while the old ${f.pod} container may still be writing to it there: writes in flight are lost and the filesystem may be corrupted` : secondCopy(f);
}

/** The force deletion, on a reachable node or one that is only cut off from the network. */
const forceDelete = (f: Facts) =>
  f.partitioned
    ? `kubectl delete pod ${f.pod} --force --grace-period=0 while ${f.from} is only cut off from the network frees the name, not the container there`
    : `kubectl delete pod ${f.pod} --force --grace-period=0 frees the name before the old container on ${f.from} stops`;

/** `safe` for an attachment hazard: what holds, and why when force detach is off. */
const attachSafe = (f: Facts) =>
  `${f.pod} never runs twice and ${f.pvc} is never detached under a running container here${f.forceDetach === 'disabled' ? `: without the forced detach, ${f.pvc} stays attached to the unreachable node and the replacement waits for it` : ''}.`;

/**
 * How a node-local volume is modelled for the hazards of a second copy of a pod: the storage
 * parameter (storage: local) has no attachment, so it cannot show two containers of one pod on
 * one node; yet that is what a local volume allows, since the replacement can only go back to the
 * node its volume is on, where the old container may still run (the kubelet runs pods by UID, and
 * the old one's is not yet killed). One node with a ReadWriteOnce disk that is never
 * force-detached (a local volume is never detached) has exactly those placements: every
 * replacement goes back to the one node, and a second container there may mount the volume.
 */
const LOCAL_PIN = { storage: 'network', attach: 'rwo', nodes: 1, forceDetach: 'disabled' } as const;
const pinnedIfLocal = (p: Readonly<Record<string, unknown>>) => (p.storage === 'local' ? LOCAL_PIN : {});
/** The StorageClass's provisioner as what makes a hazard apply (a node-local one). */
const provisionerField = (w: Workload): HazardReport['field'] | undefined =>
  w.storageClass && { path: `StorageClass ${w.storageClass.name} provisioner`, value: w.storageClass.provisioner, ...(w.storageClass.location ?? {}) };
/** A network file share (never attached: the access modes fence nothing). */
const fileShare = (w: Workload) => w.storageClass !== undefined && isFileShare(w.storageClass.provisioner) && w.params.attach === 'none';
/** For the second-copy hazards: a node-local volume or a file share, not the access modes, decides. */
const localBecause = (w: Workload) => (w.params.storage === 'local' || fileShare(w) ? provisionerField(w) : undefined);
/** The hazard runs a node-local volume as `LOCAL_PIN` (the words then say the volume pins the pod). */
const pinned = (f: Facts) => f.w.params.storage === 'local' && f.attach === 'rwo';

export const HAZARDS: readonly Hazard[] = [
  {
    id: 'force-delete',
    because: localBecause,
    title: 'Force-deleting a pod',
    fields: ['spec.volumeClaimTemplates'],
    events: { userOps: ['forceDeletePod'], budget: 2 },
    modelWith: pinnedIfLocal,
    check: ['AtMostOne', 'AtMostOneWriter', 'NoUnsafeDetach'],
    risk: (f, p) => `${forceDelete(f)}; ${consequence(f, p)}.`,
    advice: (f) =>
      pinned(f)
        ? `never force-delete a pod whose node is reachable: kubectl delete pod ${f.pod} without --force waits for the container to stop (ReadWriteOncePod would not help: it is enforced only for CSI volumes).`
        : f.attach === 'rwo'
        ? `use ${RWOP(f)} (the kubelet then refuses the second mount), or never force-delete a pod whose node is reachable: kubectl delete pod ${f.pod} without --force waits for the container to stop.`
        : `never force-delete a pod whose node is reachable: kubectl delete pod ${f.pod} without --force waits for the container to stop; force-delete only when the node is known to be shut down.`,
    safe: (f) =>
      f.attach === 'rwop'
        ? `with ReadWriteOncePod the kubelet refuses to mount ${f.pvc} for a replacement on ${f.from} while the old container still has it, and the disk stays attached to ${f.from} until it is unmounted, so a replacement elsewhere waits: force-deleting a pod on a reachable node never runs it twice here.`
        : 'force deletion never leads to two copies of one pod here.',
  },
  {
    id: 'force-delete-partitioned',
    title: 'Force-deleting a pod on an unreachable node',
    attachOnly: true,
    fields: ['spec.volumeClaimTemplates'],
    events: { faults: ['nodePartition'], userOps: ['forceDeletePod'], budget: 2 },
    check: ['AtMostOne', 'AtMostOneWriter', 'NoUnsafeDetach'],
    risk: (f, p) => `${forceDelete(f)}; ${consequence(f, p)}.`,
    advice: (f) =>
      f.attach === 'rwo'
        ? `force-delete ${f.pod} only once ${f.from} is known to be shut down (powered off or fenced); otherwise wait for it to come back. ${RWOP(f)} rules out the second mount on the same node, and ${FLAG} the forced detach.`
        : f.forceDetach === 'onTimeout'
          ? `run kube-controller-manager with ${FLAG}: ${f.pvc} then stays attached to ${f.from} and the replacement waits; to move ${f.pod} off an unreachable node, fence it (power it off) first.`
          : `force-delete ${f.pod} only once ${f.from} is known to be shut down (powered off or fenced).`,
    safe: (f) => attachSafe(f),
  },
  {
    id: 'node-deleted-while-partitioned',
    because: localBecause,
    title: 'Deleting the Node object of an unreachable node',
    fields: ['spec.volumeClaimTemplates'],
    events: { faults: ['nodePartition'], userOps: ['deleteNode'], budget: 2 },
    modelWith: pinnedIfLocal,
    check: ['AtMostOne', 'AtMostOneWriter', 'NoUnsafeDetach'],
    risk: (f, p) =>
      f.attach === 'none'
        ? `if ${f.from} is only cut off from the network, deleting its Node object lets ${f.pod} be recreated on ${f.to ?? 'another node'} while the original keeps running on ${f.from}: two ${f.pod} at once, both writing ${f.pvc}${multiNode(f)}.`
        : `deleting the Node object of ${f.from} while it is only cut off from the network makes the pod GC delete ${f.pod}, not its container; ${consequence(f, p)}.`,
    advice: (f) =>
      f.attach === 'none'
        ? `delete a Node object only once the machine is known to be down.`
        : pinned(f)
          ? `delete the Node object of ${f.from} only once the machine is shut down; while it is only unreachable, wait: ${f.pod} can only come back on ${f.from}, where its volume is.`
          : f.attach === 'rwo'
          ? `delete the Node object of ${f.from} only once the machine is shut down; while it is only unreachable, wait. ${RWOP(f)} rules out the second mount when ${f.from} comes back, and ${FLAG} the forced detach.`
          : f.forceDetach === 'onTimeout'
            ? `run kube-controller-manager with ${FLAG}: ${f.pvc} then stays attached to ${f.from} and the replacement waits; and delete a Node object only once the machine is shut down.`
            : `delete a Node object only once the machine is shut down.`,
    safe: (f) => (f.attach === 'none' ? 'deleting the Node object of a partitioned node never runs a pod twice here.' : attachSafe(f)),
  },
  {
    id: 'out-of-service-partitioned',
    title: 'Tainting an unreachable node out-of-service',
    attachOnly: true,
    fields: ['spec.volumeClaimTemplates'],
    events: { faults: ['nodePartition'], userOps: ['taintOutOfService'], budget: 2 },
    check: ['AtMostOne', 'AtMostOneWriter', 'NoUnsafeDetach'],
    risk: (f, p) =>
      `kubectl taint node ${f.from} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute while ${f.from} is only cut off from the network, not shut down, makes the pod GC force-delete ${f.pod}, not its container; ${consequence(f, p)}.`,
    advice: (f) =>
      `taint out-of-service only a node you have verified is shut down (powered off), as the Kubernetes documentation requires: an unreachable node may still be running ${f.pod}. ${FLAG} does not help here: the taint detaches at once.`,
    safe: (f) => attachSafe(f),
  },
  {
    id: 'pvc-deleted',
    title: 'Deleting a PersistentVolumeClaim',
    // A user's kubectl delete pvc: the claim templates make it apply, whatever the retention policy
    // (which decides only the controller's own deletions).
    fields: ['spec.volumeClaimTemplates'],
    events: { userOps: ['deletePVC', 'deletePod'], budget: 2 },
    check: ['NoDataLoss', 'StableStorage'],
    // With pre-provisioned PVs the deletion costs no data but the member: its new claim never binds.
    checkWith: (p) => (p.provisioning === 'static' ? ['EventuallyConverged'] : []),
    risk: (f, p) =>
      p === 'EventuallyConverged'
        ? `after ${f.pvc} is deleted, its PV is Released and keeps its claimRef, so the PV controller never binds it to the new claim, and with storageClassName "" nothing provisions another: ${f.pod} stays Pending until an administrator provides a PV, and the set never has all its members again by itself.`
        : p === 'NoDataLoss'
        ? `deleting ${f.pvc} destroys its volume and data once ${f.pod} is gone (StorageClass reclaimPolicy Delete); the pod comes back on an empty volume.`
        : `after ${f.pvc} is deleted, ${f.pod} starts again on a new, empty volume: the member loses its data${f.w.params.reclaim === 'Retain' ? ' (the old PV is kept, Released, and must be recovered by hand)' : ''}.`,
    advice: (f) =>
      `delete ${f.pvc} only once ${f.pod} is scaled away for good${
        f.w.params.provisioning === 'static'
          ? `; after a mistaken deletion the Released PV still holds the data: point its spec.claimRef at the new, pending ${f.pvc} (name and namespace, no uid) and the PV controller binds it again, data and all`
          : f.w.params.reclaim === 'Retain'
          ? `; after a mistaken deletion ${rebindByHand(f.pvc)}`
          : '; a StorageClass with reclaimPolicy Retain keeps the volume after a mistaken deletion (to be re-bound by hand)'
      }.`,
    safe: () => 'claims are never deleted under a running member here.',
  },
  {
    id: 'scale-down-data',
    title: 'Scaling down with persistentVolumeClaimRetentionPolicy whenScaled: Delete',
    // Only under whenScaled Delete: with Retain no claim is ever handed to a condemned pod, and
    // ScaleDownKeepsData holds without exploring anything.
    appliesTo: (p) => p.whenScaled === 'Delete',
    // Reclaim Retain keeps the data on a Released PV, recoverable by hand: worse than nothing lost,
    // better than a destroyed volume.
    severity: (f) => (f.w.params.reclaim === 'Retain' ? 'caution' : 'hazard'),
    fields: ['spec.persistentVolumeClaimRetentionPolicy.whenScaled', 'spec.persistentVolumeClaimRetentionPolicy'],
    events: { userOps: ['scale'], budget: 2 },
    check: ['ScaleDownKeepsData'],
    risk: (f) =>
      `kubectl scale statefulset ${f.w.name} --replicas=${indexOf(f)} removes ${f.pod}; with whenScaled Delete the controller makes ${f.pod} the owner of ${f.pvc} and the garbage collector deletes the claim once the pod is gone, ${
        f.w.params.reclaim === 'Retain'
          ? `leaving its PV Released with ${f.pod}'s data on it, bound to no claim`
          : `and with it the volume and ${f.pod}'s data (StorageClass reclaimPolicy Delete)`
      }. ${
        f.w.params.provisioning === 'static'
          ? `Scaled back up, ${f.pod}'s new claim finds no PV (storageClassName "": nothing provisions one, and the Released PV is never bound again by itself), so ${f.pod} stays Pending until an administrator provides a PV, empty unless it is the old one given back by hand.`
          : `Scaled back up, ${f.pod} starts on a new, empty volume: the member's data must be copied again from the others, and is gone if the scale-down removed more members than the replication tolerates.`
      }`,
    advice: (f) =>
      `set spec.persistentVolumeClaimRetentionPolicy.whenScaled: Retain (the default) and delete the claim of a member removed for good by hand (kubectl delete pvc ${f.pvc}) once its data has moved to the other members; scale down one member at a time, each once the others hold its data${
        f.w.params.reclaim === 'Retain' ? `. ${capitalized(rebindByHand(f.pvc))}` : ''
      }.`,
    safe: (f) => `a scale-down never deletes a claim whose volume holds data here: ${f.pvc} is deleted only while empty.`,
  },
  {
    id: 'node-lost-local',
    title: 'Losing a node with node-local storage',
    // Only with a node-local PV: on network storage the replacement mounts the claim elsewhere.
    appliesTo: (p) => p.storage === 'local',
    fields: ['spec.volumeClaimTemplates'],
    because: (w) => provisionerField(w),
    // The machine is gone for good (its VM deleted): the cloud node lifecycle controller deletes
    // the Node, pod garbage collection frees the name, and the controller recreates the pod.
    events: { faults: ['nodeCrash'], recovery: 'permanent', cloudNodeDelete: true, budget: 1 },
    check: ['EventuallyConverged'],
    risk: (f) =>
      `when ${f.from} is gone for good (its machine deleted, or its disk lost), ${f.pod} is recreated but stays Pending: its volume ${f.pvc} exists only on ${f.from}, and the scheduler rejects every other node ("node(s) didn't match PersistentVolume's node affinity"), so the set never has all its members again by itself.`,
    advice: (f) =>
      `once ${f.from} is known to be gone, delete the claim and then the pod (kubectl delete pvc ${f.pvc}; kubectl delete pod ${f.pod}): the controller creates a new claim, provisioned on the node the new ${f.pod} is scheduled to, and ${f.pod} starts there on an empty volume, so the application must copy its data again from the other members (the local volume documentation: a pod whose node is unavailable cannot run, and an application on local volumes must tolerate losing a node's data). Keep enough replicas that losing one node's data loses nothing.`,
    safe: (f) => `a node that is gone for good never leaves ${f.pod} unable to start here.`,
  },
  {
    id: 'ordering',
    severity: (f) => (f.w.params.policy === 'Parallel' ? 'info' : 'hazard'),
    title: 'Scaling up and down',
    fields: ['spec.podManagementPolicy', 'spec.replicas'],
    events: { userOps: ['scale'], budget: 2 },
    check: ['OrderedCreation', 'OrderedTermination', 'NoDataLoss'],
    risk: (f, p) =>
      p === 'OrderedCreation'
        ? `pods are created without waiting for lower ordinals to be Running and Ready (podManagementPolicy Parallel): ${podName(f.w, 1)} may start before ${podName(f.w, 0)} is ready.`
        : p === 'OrderedTermination'
          ? `scale-down deletes pods out of order or while others are unhealthy (podManagementPolicy Parallel).`
          : `scaling down destroys data of ordinals that are still wanted.`,
    advice: () => `use podManagementPolicy OrderedReady if the members must start and stop in order.`,
    safe: (f) =>
      Number(f.w.params.R) === 1
        ? `one replica (${podName(f.w, 0)}): there is no order to keep; scaling up from it creates pods in order, each once the one before is Running and Ready.`
        : `pods are created in order ${podName(f.w, 0)}, ${podName(f.w, 1)}, ... and removed in reverse order, each only when the others are healthy.`,
  },
  {
    id: 'scale-down-blocked',
    // The seed's third question. processCondemned (stateful_set_control.go), under OrderedReady
    // (monotonic), deletes a condemned pod only while every pod is Running and Ready, the first
    // unhealthy one excepted: one pod that stays unready holds the scale-down for good. It also
    // needs a pod that never heals (a crash loop, a broken data directory): caution.
    severity: () => 'caution',
    title: 'Scaling down while a pod stays unhealthy',
    fields: ['spec.podManagementPolicy', 'spec.replicas'],
    events: { start: 'running', faults: ['podBreak'], userOps: ['scale'], recovery: 'permanent', budget: 2 },
    check: ['ScaleDownCompletes'],
    risk: (f) => {
      const top = podName(f.w, Number(f.w.params.R) - 1);
      return `${f.pod} stops being Ready for good (a crash loop, a failing readiness probe), and a scale-down then never completes: under podManagementPolicy OrderedReady the controller deletes a condemned pod (${top} first) only while the other pods are Running and Ready, so ${top} keeps running and the set stays above spec.replicas until ${f.pod} is healthy again.`;
    },
    advice: (f) =>
      `find out why ${f.pod} is not Ready (kubectl describe pod ${f.pod}) and fix it: the scale-down goes on once it is Running and Ready (deleting ${f.pod} helps only if its replacement becomes Ready). Under podManagementPolicy Parallel a scale-down does not wait for unhealthy pods, if the application allows members to stop out of order.`,
    safe: (f) =>
      f.w.params.policy === 'Parallel'
        ? 'with podManagementPolicy Parallel a scale-down deletes the condemned pods without waiting for unhealthy ones.'
        : Number(f.w.params.R) === 1
          ? `one replica (${podName(f.w, 0)}): no other pod can hold a scale-down, and an unhealthy pod that is itself condemned is deleted.`
          : 'a pod that stays unhealthy never blocks a scale-down here.',
  },
  {
    id: 'rolling-update',
    title: 'Updating the pod template',
    fields: ['spec.updateStrategy', 'spec.template'],
    events: { start: 'running', userOps: ['updateTemplate'], budget: 2 },
    check: ['PartitionRespected', 'AtMostOne', 'AtMostOneWriter', 'NoUnsafeDetach'],
    risk: (f, p) => (p === 'PartitionRespected' ? `pods below the partition are recreated at the new revision.` : `an update runs two copies of ${f.pod}.`),
    advice: () => `this is a StatefulSet controller bug: a template update alone never does this upstream.`,
    safe: (f) =>
      rolloutStop(f) === 'OnDelete'
        ? 'with updateStrategy OnDelete the controller replaces no pod by itself, and a template update never runs a pod twice.'
        : rolloutStop(f) === 'partition'
          ? `template updates leave the pods below the partition (${partitioned(f)}) alone and never run a pod twice.`
          : 'template updates never run a pod twice.',
  },
  {
    id: 'rollout-completes',
    title: 'Whether a template update reaches every pod',
    // A partition or OnDelete stops a rollout on purpose: information. Without either, a rollout
    // that never completes would be a controller bug.
    severity: (f) => (rolloutStop(f) !== undefined ? 'info' : 'hazard'),
    fields: ['spec.updateStrategy.rollingUpdate.partition', 'spec.updateStrategy.type', 'spec.updateStrategy', 'spec.template'],
    events: { start: 'running', userOps: ['updateTemplate'], budget: 1 },
    check: ['RolloutCompletes'],
    risk: (f) =>
      rolloutStop(f) === 'OnDelete'
        ? `with updateStrategy OnDelete the controller replaces no pod when the template changes: every pod keeps the old template until it is deleted, so the rollout never completes by itself.`
        : rolloutStop(f) === 'partition'
          ? `the rolling update stops at the partition: ${partitioned(f)} ${Math.min(Number(f.w.params.initPartition ?? 0), Number(f.w.params.R)) === 1 ? 'keeps' : 'keep'} the old template until spec.updateStrategy.rollingUpdate.partition is lowered, so the rollout never completes by itself.`
          : `a template update never reaches every pod.`,
    advice: (f) =>
      rolloutStop(f) === 'OnDelete'
        ? `after a template change, delete the pods one at a time, each once the last replacement is Ready (kubectl delete pod ${podName(f.w, Number(f.w.params.R) - 1)}, ...), or use updateStrategy RollingUpdate.`
        : rolloutStop(f) === 'partition'
          ? `once the updated pods are healthy, lower the partition: kubectl patch statefulset ${f.w.name} -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}'.`
          : `this is a StatefulSet controller bug: upstream, a rolling update without a partition replaces every pod.`,
    safe: () => 'a template update reaches every pod: the rolling update replaces them all, from the highest ordinal down.',
  },
  {
    id: 'stuck-rollout',
    severity: () => 'caution',
    title: 'Rolling out a bad template, then reverting it',
    // A template whose pods never become Ready (revision 1, a crash loop), updated and then reverted.
    fields: ['spec.podManagementPolicy', 'spec.updateStrategy', 'spec.template'],
    events: { start: 'running', rollback: true, maxRevision: 1, badRevs: [1], userOps: ['updateTemplate', 'revertTemplate'], budget: 2 },
    check: ['RecoversAfterRevert'],
    risk: (f) =>
      `a template update whose pods never become Ready (a crash loop) replaces ${f.pod} and it stays unready; reverting the template does not replace it: under podManagementPolicy OrderedReady the controller waits for ${f.pod} to become Running and Ready before it does anything else, so the rollout is stuck for good (kubernetes/kubernetes #67250).`,
    advice: (f) =>
      `after reverting the template, delete ${f.pod} by hand (kubectl delete pod ${f.pod}), as the documentation's "Forced rollback" says${canary(f)}.`,
    safe: (f) =>
      rolloutStop(f) === 'OnDelete'
        ? `with updateStrategy OnDelete the controller replaces no pod when the template changes: a bad template reaches a pod only when someone deletes it, and a revert applies to the next pod deleted.`
        : f.w.params.policy === 'Parallel'
          ? `with podManagementPolicy Parallel the controller does not wait for the unready pod: once the template is reverted, the rolling update itself deletes the pod stuck on the bad revision and recreates it (as reported on kubernetes/kubernetes #67250).`
          : 'a reverted template always replaces a pod stuck on a bad revision here.',
  },
];

/** The `attach` a plan runs with: `--set attach=...` over the manifests. */
function effectiveAttach(w: Workload, set: Readonly<Record<string, unknown>>): AttachMode {
  return String(set.attach ?? w.params.attach ?? 'none') as AttachMode;
}

export function hazardPlans(w: Workload, set: Readonly<Record<string, string>>): { hazard: Hazard; plan: Plan }[] {
  const attach = effectiveAttach(w, set);
  const effective = effectiveParams(w, set);
  return HAZARDS.filter((hazard) => (attach !== 'none' || !hazard.attachOnly) && (hazard.appliesTo?.(effective) ?? true)).map((hazard) => ({ hazard, plan: hazardPlan(w, hazard, set) }));
}

/** The workload's parameters as the report uses them: the manifests', with `--set` over them. */
const effectiveParams = (w: Workload, set: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => ({ ...w.params, ...set });

/** A hazard's own parameters for a workload: its events, and how it models the workload's storage. */
function runParams(w: Workload, hazard: Hazard, set: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...hazard.events, ...(hazard.modelWith?.(effectiveParams(w, set)) ?? {}) };
}

/** Counts bounded by `R`: they shrink with it when `R` is set below the manifest's replicas. */
const BOUNDED_BY_R = { initReplicas: 0, initPartition: 0, maxUnavailable: 1 } as const;

/**
 * One hazard's run on a workload, with the `--set` overrides; `ordinals` models fewer ordinals than
 * the manifest's (the report falls back to it when the workload's own size is too large to explore).
 */
export function hazardPlan(w: Workload, hazard: Hazard, set: Readonly<Record<string, string>>, ordinals?: number): Plan {
  const f = factory('statefulset');
  const attach = effectiveAttach(w, set);
  const params: Record<string, unknown> = { ...w.params, name: w.name, claim: w.claim, ...runParams(w, hazard, set), ...set };
  // A node-local volume modelled as a pinned disk (LOCAL_PIN) is never attached or detached: only
  // the second copy of a pod is a finding, not the attachment's properties.
  const effective = effectiveParams(w, set);
  const local = effective.storage === 'local';
  if (ordinals !== undefined) params.R = ordinals;
  const R = Number(params.R);
  if ((set.R !== undefined || ordinals !== undefined) && Number.isInteger(R)) {
    for (const [k, min] of Object.entries(BOUNDED_BY_R)) if (set[k] === undefined && typeof w.params[k] === 'number') params[k] = Math.min(w.params[k], Math.max(min, R));
  }
  try {
    resolveParams(f.name, f.parameters, params);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`--manifest: ${e.message}`);
    throw e;
  }
  const check = [...hazard.check, ...(hazard.checkWith?.(effective) ?? [])].filter((p) => (attach !== 'none' && !local) || !ATTACH_PROPERTIES.has(p));
  return resolvePlan(
    { name: `${w.name}-${hazard.id}`, description: `${hazard.title}: ${w.name}`, model: 'statefulset', params, check, expect: {} },
    {},
    `--manifest (${hazard.id})`,
  );
}

/**
 * Runs a hazard at the workload's own size when that can be explored within `cap` states, else
 * with one ordinal fewer at a time, down to `MIN_FALLBACK_ORDINALS` (run in full): a manifest's
 * report stays quick, and says which hazards were checked with fewer ordinals than the workload has.
 */
export async function runAtWorkloadSize(
  w: Workload,
  hazard: Hazard,
  set: Readonly<Record<string, string>>,
  plan: Plan,
  run: (plan: Plan, maxStates?: number) => Promise<ScenarioResult>,
  options: { readonly cap?: number; readonly signal?: AbortSignal; readonly say?: (line: string) => void } = {},
): Promise<{ result: ScenarioResult; reducedFrom?: number }> {
  const cap = options.cap ?? MANIFEST_STATE_CAP;
  const ordinals = (p: Plan) => Number(p.params.R);
  const capFor = (p: Plan) => (ordinals(p) > MIN_FALLBACK_ORDINALS ? cap : undefined);
  let current = plan;
  let result = await run(current, capFor(current));
  while (capFor(current) !== undefined && !result.complete && result.stopReason === 'maxStates' && !options.signal?.aborted) {
    const fewer = ordinals(current) - 1;
    options.say?.(`${plan.name}: more than ${count(cap)} states with ${ordinals(current)} ordinals; checking ${fewer}`);
    current = hazardPlan(w, hazard, set, fewer);
    result = await run(current, capFor(current));
  }
  return current === plan ? { result } : { result, reducedFrom: ordinals(plan) };
}

/** Actions whose first parameter is not an ordinal (a replica count, a partition, a revision). */
const NOT_ORDINALS = new Set(['Scale', 'SetPartition', 'RevertTemplate']);

/** The facts a hazard's words use, from the run's parameters and (if any) its shortest trace. */
export function factsOf(w: Workload, params: Readonly<Record<string, unknown>>, cx?: Counterexample): Facts {
  const attach = effectiveAttach(w, params);
  const forceDetach = params.forceDetach === 'disabled' ? 'disabled' : 'onTimeout';
  const actions = (cx?.steps ?? []).flatMap((s) => {
    const m = s.action === null ? null : /^(\w+)\(([^)]*)\)$/.exec(s.action);
    return m ? [{ name: m[1]!, args: m[2]!.split(',').map(Number) }] : [];
  });
  // The violating step acts on the identity at stake: KubeletRun(i), ADCDetach(i), ... (the last
  // step with an ordinal: a liveness trace may end with a user's RevertTemplate(revision)).
  const i = actions.filter((a) => !NOT_ORDINALS.has(a.name)).at(-1)?.args[0] ?? 0;
  const nodes = actions.filter((a) => a.name === 'Schedule' && a.args[0] === i).map((a) => a.args[1]!);
  const node = (n: number) => `node-${n}`;
  const from = nodes[0] ?? 1;
  const detaches = actions.filter((a) => (a.name === 'ADCForceDetach' || a.name === 'ADCDetach') && a.args[0] === i);
  const detach =
    detaches.length === 0
      ? undefined
      : detaches[0]!.name === 'ADCForceDetach'
        ? 'timeout'
        : actions.some((a) => a.name === 'TaintOutOfService' && a.args[0] === from)
          ? 'outOfService'
          : 'normal';
  return {
    w,
    attach,
    forceDetach,
    pod: podName(w, i),
    pvc: pvcName(w, i),
    from: node(from),
    ...(nodes.length > 1 ? { to: node(nodes.at(-1)!) } : {}),
    partitioned: actions.some((a) => a.name === 'NodePartition' && a.args[0] === from),
    recovered: actions.some((a) => a.name === 'NodeRecover' && a.args[0] === from),
    ...(detach ? { detach } : {}),
  } as Facts;
}

/** One hazard of a workload's risk report, as data (`--json`) and the source of its text. */
export interface HazardReport {
  readonly id: string;
  readonly title: string;
  /** `hazard`: some property fails; `safe`: all hold; `unknown`: a limit left one open. */
  readonly status: 'hazard' | 'safe' | 'unknown';
  /** For a hazard that applies: how much it matters. */
  readonly severity?: Severity;
  /** For a hazard: each failure in plain words (properties broken by the same trace share one). */
  readonly findings: readonly { readonly properties: readonly string[]; readonly traceLength?: number; readonly text: string; readonly trace?: string }[];
  /** What to do instead (a hazard), why nothing happens (safe), or what is open (unknown). */
  readonly advice: string;
  /** What the verdict covers: ordinals, nodes, events and the exploration's statistics. */
  readonly checked: string;
  /** The manifest field that makes the hazard apply, and where it is written. */
  readonly field: { readonly path: string; readonly value?: string; readonly file?: string; readonly line?: number; readonly column?: number };
}

/** A workload's risk report, as data. */
export interface RiskReport {
  readonly statefulSet: string;
  readonly claims: string;
  readonly modelledAs: readonly string[];
  readonly notes: readonly string[];
  readonly ignored: readonly string[];
  readonly hazards: readonly HazardReport[];
}

/** The risk report of a workload from its hazard runs. */
/** A hazard's run; `reducedFrom`: the workload's own number of ordinals, when the run modelled fewer. */
export interface HazardRun {
  readonly hazard: Hazard;
  readonly result: ScenarioResult;
  readonly reducedFrom?: number;
}

export function riskOf(w: Workload, runs: readonly HazardRun[]): RiskReport {
  const hazards = runs.map(({ hazard, result, reducedFrom }): HazardReport => {
    const violated = result.properties.filter((p) => p.verdict === 'violated');
    const unknown = result.properties.filter((p) => p.verdict === 'unknown');
    const path = [...hazard.fields, 'metadata.name'].find((f) => w.locate(f) !== undefined) ?? hazard.fields[0]!;
    const written = w.value(path);
    const shown =
      path === 'spec.volumeClaimTemplates'
        ? { value: `${w.claim} with accessModes [${w.accessModes.join(', ')}]` }
        : typeof written === 'string' || typeof written === 'number' || typeof written === 'boolean'
          ? { value: String(written) }
          : {};
    const field = hazard.because?.(w) ?? { path, ...shown, ...w.locate(path) };
    const base = { id: hazard.id, title: hazard.title, checked: checkedWhat(w, result, reducedFrom), field };
    if (violated.length) {
      const findings: { properties: string[]; traceLength?: number; text: string; trace?: string }[] = [];
      for (const p of violated) {
        const text = hazard.risk(factsOf(w, result.params, p.counterexample), p.name);
        const same = findings.find((l) => l.text === text && l.traceLength === p.traceLength);
        if (same) same.properties.push(p.name);
        else findings.push({ properties: [p.name], ...(p.traceLength !== undefined ? { traceLength: p.traceLength } : {}), text, ...(p.files.length ? { trace: p.files[0]! } : {}) });
      }
      const facts = factsOf(w, result.params, violated[0]!.counterexample);
      return { ...base, status: 'hazard', severity: hazard.severity?.(facts) ?? 'hazard', findings, advice: hazard.advice(facts) };
    }
    if (unknown.length) return { ...base, status: 'unknown', findings: [], advice: unknown.map((p) => `${p.name} (${p.note ?? 'no verdict'})`).join(', ') };
    return { ...base, status: 'safe', findings: [], advice: hazard.safe(factsOf(w, result.params)) };
  });
  return { statefulSet: w.name, claims: `${w.claim}-${w.name}-N`, modelledAs: modelledAs(w, runs), notes: w.notes, ignored: w.ignored, hazards };
}

/** One finding in words: which properties fail, in how many steps, why, and where the trace is. */
export function findingText(f: HazardReport['findings'][number]): string {
  return `${f.properties.join(', ')} ${f.properties.length > 1 ? 'fail' : 'fails'} in ${f.traceLength} step${f.traceLength === 1 ? '' : 's'}: ${f.text}${f.trace !== undefined ? ` Trace: ${f.trace}` : ''}`;
}

/** The risk report in plain words: what the manifests say, what was ignored, and each hazard. */
export function riskText(r: RiskReport): string {
  const out: string[] = [`Risk report for StatefulSet ${r.statefulSet} (claims ${r.claims})`, '', 'Modelled as:'];
  for (const p of r.modelledAs) out.push(`  ${p}`);
  for (const n of r.notes) out.push(`  note: ${n}`);
  if (r.ignored.length) out.push(`  ignored (not modelled): ${r.ignored.join(', ')}`);
  out.push('');
  for (const h of r.hazards) {
    if (h.status === 'hazard') {
      out.push(`${h.severity!.toUpperCase().padEnd(7)} ${h.title}`);
      out.push(`        applies because ${h.field.path}${h.field.value !== undefined ? `: ${h.field.value}` : ''}${h.field.line !== undefined ? ` (${h.field.file}:${h.field.line})` : ''}`);
      for (const f of h.findings) out.push(`        ${findingText(f)}`);
      out.push(`        what to do: ${h.advice}`);
    } else if (h.status === 'unknown') {
      out.push(`UNKNOWN ${h.title}: ${h.advice}`);
    } else {
      out.push(`safe    ${h.title}: ${h.advice}`);
    }
    out.push(`        checked: ${h.checked}`);
  }
  return out.join('\n');
}

/** The risk report as text (see `riskOf` and `riskText`). */
export function riskReport(w: Workload, runs: readonly HazardRun[]): string {
  return riskText(riskOf(w, runs));
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * How many distinct states a hazard run of a manifest may explore at the workload's own size
 * before the report models fewer ordinals (down to 3): a few seconds on two cores, so that a
 * report stays quick enough for a pipeline. (`podManagementPolicy: Parallel` with 5 replicas and a
 * ReadWriteOnce disk: scaling is 178 million states and more with 5 ordinals, 156 thousand with 3.)
 */
export const MANIFEST_STATE_CAP = 2_000_000;
/** The fewest ordinals the report falls back to: three show every hazard the seed notes describe. */
export const MIN_FALLBACK_ORDINALS = 3;

/**
 * What a hazard's verdict covers: the ordinals and nodes modelled, the events allowed and how many,
 * and the statistics of the exploration (a "safe" line is only as wide as this).
 */
export function checkedWhat(w: Workload, r: ScenarioResult, reducedFrom?: number): string {
  const p = r.params;
  const R = Number(p.R);
  const fewer =
    reducedFrom !== undefined
      ? `: the workload's ${reducedFrom} are too many states for a quick report; --set R=${reducedFrom} checks them all`
      : '';
  const ordinals = R === 1 ? podName(w, 0) : `${podName(w, 0)}..${podName(w, R - 1)}`;
  const events = [...(p.faults as string[]), ...(p.userOps as string[])];
  const stats = `${count(r.distinctStates)} distinct states, depth ${r.depth}, ${r.seconds.toFixed(1)} s${r.symmetry.used ? ', node symmetry' : ''}${r.complete ? '' : r.stopReason === 'allViolated' ? ' (stopped once every checked property was violated)' : ` (stopped: ${r.stopReason})`}`;
  // LOCAL_PIN: one node stands for the node each pod's local volume pins it to.
  const pin = w.params.storage === 'local' && p.storage !== 'local' && p.nodes === 1 ? ", the node a pod's node-local volume pins it to, as a disk never detached" : '';
  return `${R} ordinal${R === 1 ? '' : 's'} (${ordinals}${fewer}) on ${String(p.nodes)} node${p.nodes === 1 ? '' : 's'}${pin}, at most ${String(p.budget)} event${p.budget === 1 ? '' : 's'} (${events.length ? events.join(', ') : 'none possible'}): ${stats}`;
}

/**
 * The "Modelled as" lines: where each parameter came from, with the values actually used. A
 * parameter a `--set` changed (those of the first run that differ from the manifests' and its
 * hazard's events) replaces the manifest's line for it, which is quoted.
 */
function modelledAs(w: Workload, runs: readonly HazardRun[]): string[] {
  // A run that modelled fewer ordinals than the workload's says so itself (see `checkedWhat`).
  const run = runs.find((r) => r.reducedFrom === undefined);
  if (!run) return [...w.provenance];
  const f = factory('statefulset');
  const base = resolveParams(f.name, f.parameters, { ...w.params, name: w.name, claim: w.claim, ...runParams(w, run.hazard, {}) });
  const changed = Object.entries(run.result.params).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(base[k]));
  const keysOf = (line: string) => [...line.slice(0, line.indexOf(':')).matchAll(/(\w+) = /g)].map((m) => m[1]!);
  const out: string[] = [];
  for (const line of w.provenance) {
    const over = changed.filter(([k]) => keysOf(line).includes(k));
    if (over.length === 0) out.push(line);
    else out.push(`${over.map(([k, v]) => `${k} = ${show(v)}`).join(', ')}: --set (instead of ${line})`);
  }
  const placed = new Set(w.provenance.flatMap(keysOf));
  for (const [k, v] of changed) if (!placed.has(k)) out.push(`${k} = ${show(v)}: --set`);
  return out;
}

const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));


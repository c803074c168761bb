import type { ParameterSpec } from '../explorer/model.js';
import { InputError } from '../input/errors.js';
import type { ResolvedParams } from '../input/params.js';

const DNS_NAME = /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/;

export const FAULT_KINDS = ['nodePartition', 'nodeCrash', 'podBreak', 'podEvict'] as const;
/** Faults outside the reference profile: accepted by name, never included by `all`. */
export const EXTRA_FAULTS = ['kubeletRestart'] as const;
export const USER_OPS = ['scale', 'updateTemplate', 'setPartition', 'deletePod', 'forceDeletePod', 'deletePVC', 'deleteNode'] as const;
/** User operations outside the reference profile: accepted by name, never included by `all`. */
export const EXTRA_USER_OPS = ['deleteStatefulSet', 'taintOutOfService', 'revertTemplate'] as const;
export const ATTACH_MODES = ['none', 'rwo', 'rwop'] as const;
export const STORAGE_KINDS = ['network', 'local'] as const;
export type AttachMode = (typeof ATTACH_MODES)[number];
export type FaultKind = (typeof FAULT_KINDS)[number] | (typeof EXTRA_FAULTS)[number];
export type UserOp = (typeof USER_OPS)[number] | (typeof EXTRA_USER_OPS)[number];

/** The parameters of the reference model (`reference-model.md`, "Parameters"). */
export const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'R', kind: 'int', min: 1, max: 8, default: 3, description: 'ordinals 0..R-1 that can ever exist (max replicas)' },
  { name: 'nodes', kind: 'int', min: 1, max: 6, default: 2, description: 'number of worker nodes, named 1..nodes' },
  { name: 'policy', kind: 'enum', values: ['OrderedReady', 'Parallel'], default: 'OrderedReady', description: 'podManagementPolicy' },
  { name: 'strategy', kind: 'enum', values: ['RollingUpdate', 'OnDelete'], default: 'RollingUpdate', description: 'updateStrategy.type' },
  { name: 'maxRevision', kind: 'int', min: 0, max: 7, default: 1, description: 'how many template updates the user may make' },
  { name: 'whenScaled', kind: 'enum', values: ['Retain', 'Delete'], default: 'Retain', description: 'persistentVolumeClaimRetentionPolicy.whenScaled' },
  { name: 'reclaim', kind: 'enum', values: ['Delete', 'Retain'], default: 'Delete', description: 'StorageClass reclaimPolicy of provisioned PVs' },
  { name: 'budget', kind: 'int', min: 0, max: 30, default: 2, description: 'environment events (faults + user operations) one behaviour may contain' },
  { name: 'faults', kind: 'set', values: FAULT_KINDS, extra: EXTRA_FAULTS, default: [], description: 'enabled fault kinds' },
  { name: 'userOps', kind: 'set', values: USER_OPS, extra: EXTRA_USER_OPS, default: [], description: 'enabled user operations' },
  { name: 'recovery', kind: 'enum', values: ['transient', 'permanent'], default: 'transient', description: 'whether nodes come back and broken pods heal' },
  { name: 'initReplicas', kind: 'int', min: 0, max: 8, default: 3, defaultFrom: 'R', description: 'spec.replicas at the start (default: R)' },
  { name: 'initPartition', kind: 'int', min: 0, max: 8, default: 0, description: 'rollingUpdate.partition at the start' },
  { name: 'start', kind: 'enum', values: ['empty', 'running'], default: 'empty', description: 'empty: nothing exists; running: pods 0..initReplicas-1 run and are ready' },
  // Features outside the reference profile: their defaults leave the reference state space as it is.
  { name: 'maxUnavailable', kind: 'int', min: 1, max: 8, default: 1, description: 'rollingUpdate.maxUnavailable (KEP-961): pods below replicas that a rolling update may have unavailable, 1..R' },
  { name: 'whenDeleted', kind: 'enum', values: ['Retain', 'Delete'], default: 'Retain', description: 'persistentVolumeClaimRetentionPolicy.whenDeleted (with userOps deleteStatefulSet)' },
  { name: 'minReadySeconds', kind: 'int', min: 0, max: 1, default: 0, description: '1: some positive minReadySeconds, a pod becomes Available some time after it is Ready' },
  { name: 'attach', kind: 'enum', values: ATTACH_MODES, default: 'none', description: 'volume attachment: none; rwo: an attachable ReadWriteOnce disk (detach fences the old node); rwop: the same disk, ReadWriteOncePod' },
  { name: 'forceDetach', kind: 'enum', values: ['onTimeout', 'disabled'], default: 'onTimeout', description: 'attach/detach controller force detach after the 6-minute unmount timeout (disabled: --disable-force-detach-on-timeout); needs attach' },
  { name: 'storage', kind: 'enum', values: STORAGE_KINDS, default: 'network', description: "network: a PV any node can mount; local: a node-local PV (local-path, no-provisioner; WaitForFirstConsumer) provisioned on the node its pod is first scheduled to, and pinned there by node affinity" },
  { name: 'provisioning', kind: 'enum', values: ['dynamic', 'static'], default: 'dynamic', description: 'dynamic: a StorageClass provisions a new PV for every new claim; static: storageClassName "", one pre-provisioned PV per ordinal, and a deleted claim\'s replacement stays Pending (its PV is Released, and nothing provisions another)' },
  { name: 'cloudNodeDelete', kind: 'bool', default: false, description: 'the cloud node lifecycle controller deletes the Node object of a crashed node whose VM is gone (fair); needs faults nodeCrash and recovery permanent' },
  // Bad revisions and rollback: a template revision whose pods never become Ready, and reverting to an older one.
  { name: 'rollback', kind: 'bool', default: false, description: 'revisions as template identities: a revert (userOps revertTemplate) returns to an older one, and badRevs never become Ready' },
  { name: 'badRevs', kind: 'set', values: ['1', '2', '3', '4', '5', '6', '7'], default: [], description: 'with rollback: revisions whose pods never become Ready (a subset of 1..maxRevision)' },
  { name: 'badMode', kind: 'enum', values: ['unready', 'pending'], default: 'unready', description: 'with rollback: how a bad revision fails: unready (runs, never Ready: CrashLoopBackOff) or pending (never starts: ErrImagePull)' },
  { name: 'manualFix', kind: 'bool', default: false, description: 'with rollback: an operator (fair) deletes pods of a bad revision that is not the update revision, as the "Forced rollback" docs say' },
  { name: 'muBudget', kind: 'enum', values: ['legacy', 'v1.35.0'], default: 'legacy', description: 'with Parallel: v1.35.0 is MaxUnavailableStatefulSet as released in 1.35.0 (the rolling update waits for every pod to be Running and Ready, #137409)' },
  { name: 'onDeleteCompletes', kind: 'bool', default: false, description: 'Kubernetes 1.36 (#136833): with OnDelete too, status.currentRevision becomes updateRevision once every pod is updated (up to 1.35 only RollingUpdate does this)' },
  // Stale reads: the controller decides from its informer cache.
  { name: 'staleReads', kind: 'bool', default: false, description: "the controller reads pods from a cache that lags (ControllerObserve catches it up); creates fail on an existing name, deletes go by name" },
  { name: 'staleKubelet', kind: 'bool', default: false, description: 'a restarted kubelet relists its pods from a lagging API server cache (resourceVersion=0, #59848) and may start a pod it already terminated; off: the relist is consistent (WatchListClient, on by default in 1.35); needs faults kubeletRestart' },
  { name: 'readOwnWrites', kind: 'bool', default: false, description: 'with staleReads: the controller waits until its cache has seen its own pod and claim writes (StaleControllerConsistencyStatefulSet, 1.36)' },
  // Display only: names shown in traces and reports (they never change the state space).
  { name: 'name', kind: 'name', pattern: DNS_NAME, default: 'web', description: 'the StatefulSet name: pods are <name>-<ordinal>' },
  { name: 'claim', kind: 'name', pattern: DNS_NAME, default: 'data', description: 'the claim template name: PVCs are <claim>-<name>-<ordinal>' },
  { name: 'startOrdinal', kind: 'int', min: 0, max: 1_000_000, default: 0, description: 'spec.ordinals.start: model ordinal i is shown as pod <name>-<start + i>' },
];

/** Resolved, validated, typed configuration; everything in `src/spec` reads this. */
export interface StsConfig {
  readonly R: number;
  readonly nodes: number;
  readonly parallel: boolean;
  readonly rolling: boolean;
  readonly maxRevision: number;
  readonly whenScaledDelete: boolean;
  readonly reclaimDelete: boolean;
  readonly budget: number;
  readonly faults: ReadonlySet<FaultKind>;
  readonly userOps: ReadonlySet<UserOp>;
  readonly transient: boolean;
  readonly initReplicas: number;
  readonly initPartition: number;
  readonly startRunning: boolean;
  /** `maxUnavailable`: 1 is the reference rolling update. */
  readonly maxUnavailable: number;
  /** `userOps` includes `deleteStatefulSet`: the `stsDeleted` variable exists. */
  readonly stsDeletion: boolean;
  readonly whenDeletedDelete: boolean;
  /** `minReadySeconds > 0`: pods have an `available` bit and the rolling update waits for it. */
  readonly minReady: boolean;
  /** Volume attachment (`attach` is not `none`): the `att`, `inUse` and `oos` variables exist. */
  readonly attach: AttachMode;
  /** The attach/detach controller force-detaches from an unhealthy node after its timeout. */
  readonly forceDetachOnTimeout: boolean;
  /**
   * `storage: local`: a claim's PV is provisioned on the node its pod is first scheduled to and
   * pinned there (the `pvNode` variable exists); the scheduler places the pod nowhere else.
   */
  readonly localStorage: boolean;
  /**
   * `provisioning: static`: one pre-provisioned PV per ordinal (the `spent` variable exists); once
   * a claim is gone, its replacement stays Pending.
   */
  readonly staticPVs: boolean;
  /** The cloud node lifecycle controller deletes the Node object of a crashed (gone) node. */
  readonly cloudNodeDelete: boolean;
  /** Revisions are template identities (`hiRev` exists; `revertTemplate` may return to an older one). */
  readonly rollback: boolean;
  /** `badRevs`: bad[r] is 1 when revision r never becomes Ready (indexed 0..maxRevision). */
  readonly bad: readonly number[];
  /** A bad revision never starts (ErrImagePull) rather than running unready. */
  readonly badPending: boolean;
  readonly manualFix: boolean;
  /** MaxUnavailableStatefulSet as in 1.35.0: under Parallel the rolling update waits for all replicas Running and Ready. */
  readonly muBudget135: boolean;
  /** The controller reads pods from a lagging cache (`seen`, `dirty` exist). */
  readonly staleReads: boolean;
  readonly readOwnWrites: boolean;
  /** A restarted kubelet's first list of its pods may come from a lagging cache (`ranOn` exists). */
  readonly staleKubelet: boolean;
  /** #136833 (1.36): completeRollingUpdate runs whatever the update strategy. */
  readonly onDeleteCompletes: boolean;
  readonly names: Names;
}

/** How model ordinals are shown: `pod(1)` is `web-1`, `claim(1)` is `data-web-1`. */
export interface Names {
  readonly sts: string;
  pod(i: number): string;
  claim(i: number): string;
}

export function makeNames(sts: string, claim: string, start: number): Names {
  return { sts, pod: (i) => `${sts}-${start + i}`, claim: (i) => `${claim}-${sts}-${start + i}` };
}

export function toConfig(p: ResolvedParams): StsConfig {
  const R = p.R as number;
  const initReplicas = p.initReplicas as number;
  if (initReplicas > R) throw new InputError(`parameter 'initReplicas' must be in 0..R (R = ${R}), got ${initReplicas}`);
  const initPartition = p.initPartition as number;
  if (initPartition > R) throw new InputError(`parameter 'initPartition' must be in 0..R (R = ${R}), got ${initPartition}`);
  const maxUnavailable = p.maxUnavailable as number;
  if (maxUnavailable > R) throw new InputError(`parameter 'maxUnavailable' must be in 1..R (R = ${R}), got ${maxUnavailable}`);
  const nodes = p.nodes as number;
  const attach = p.attach as AttachMode;
  if (attach === 'none') {
    // These belong to the attachment extension; without it they would silently mean nothing.
    if (p.forceDetach !== 'onTimeout') throw new InputError(`parameter 'forceDetach' needs volume attachment (attach: rwo or rwop), but attach is none`);
    if ((p.userOps as string[]).includes('taintOutOfService')) throw new InputError(`user operation 'taintOutOfService' needs volume attachment (attach: rwo or rwop), but attach is none`);
  }
  if (p.storage === 'local' && attach !== 'none') {
    // A local volume is a directory or disk of one node: nothing attaches or detaches it.
    throw new InputError(`parameter 'storage: local' is a node-local volume, which is never attached or detached: it needs attach: none, but attach is ${attach}`);
  }
  if (p.cloudNodeDelete && (!(p.faults as string[]).includes('nodeCrash') || p.recovery !== 'permanent')) {
    // Under transient recovery a crash is a reboot: the VM still exists and the controller keeps the Node.
    throw new InputError(`parameter 'cloudNodeDelete' needs the fault nodeCrash and recovery: permanent (a VM that is gone)`);
  }
  const maxRevision = p.maxRevision as number;
  const badRevs = (p.badRevs as string[]).map(Number);
  if (!p.rollback) {
    // These belong to the rollback extension; without it they would silently mean nothing.
    if (badRevs.length > 0) throw new InputError(`parameter 'badRevs' needs rollback: true`);
    if (p.badMode !== 'unready') throw new InputError(`parameter 'badMode' needs rollback: true`);
    if (p.manualFix) throw new InputError(`parameter 'manualFix' needs rollback: true`);
    if ((p.userOps as string[]).includes('revertTemplate')) throw new InputError(`user operation 'revertTemplate' needs rollback: true`);
  }
  for (const r of badRevs) {
    if (r > maxRevision) throw new InputError(`parameter 'badRevs' names revision ${r}, above maxRevision (${maxRevision})`);
  }
  if (p.readOwnWrites && !p.staleReads) throw new InputError(`parameter 'readOwnWrites' needs staleReads: true`);
  if (p.staleKubelet && attach !== 'none') throw new InputError(`parameter 'staleKubelet' is modelled without volume attachment (attach: none)`);
  if (p.staleKubelet && !(p.faults as string[]).includes('kubeletRestart')) throw new InputError(`parameter 'staleKubelet' needs the fault kubeletRestart (faults: [..., kubeletRestart])`);
  if (p.start === 'running' && nodes ** initReplicas > 100_000) {
    throw new InputError(`start: running with nodes^initReplicas = ${nodes ** initReplicas} initial states is too many`);
  }
  return Object.freeze({
    R,
    nodes,
    parallel: p.policy === 'Parallel',
    rolling: p.strategy === 'RollingUpdate',
    maxRevision,
    whenScaledDelete: p.whenScaled === 'Delete',
    reclaimDelete: p.reclaim === 'Delete',
    budget: p.budget as number,
    faults: new Set(p.faults as FaultKind[]),
    userOps: new Set(p.userOps as UserOp[]),
    transient: p.recovery === 'transient',
    initReplicas,
    initPartition,
    startRunning: p.start === 'running',
    maxUnavailable,
    stsDeletion: (p.userOps as string[]).includes('deleteStatefulSet'),
    whenDeletedDelete: p.whenDeleted === 'Delete',
    minReady: (p.minReadySeconds as number) > 0,
    attach,
    forceDetachOnTimeout: p.forceDetach === 'onTimeout',
    localStorage: p.storage === 'local',
    cloudNodeDelete: p.cloudNodeDelete === true,
    staticPVs: p.provisioning === 'static',
    rollback: p.rollback === true,
    bad: Array.from({ length: maxRevision + 1 }, (_, r) => (badRevs.includes(r) ? 1 : 0)),
    badPending: p.badMode === 'pending',
    manualFix: p.manualFix === true,
    muBudget135: p.muBudget === 'v1.35.0',
    staleReads: p.staleReads === true,
    readOwnWrites: p.readOwnWrites === true,
    onDeleteCompletes: p.onDeleteCompletes === true,
    staleKubelet: p.staleKubelet === true,
    names: makeNames(p.name as string, p.claim as string, p.startOrdinal as number),
  });
}

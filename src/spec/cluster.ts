/**
 * The cluster as a controller sees it and changes it, in Kubernetes terms: `c.set.replicas`,
 * `c.pod(i).ready`, `c.claim(i).status`, `c.node(n).registered`, and the upstream helpers
 * (`isRunningAndReady`, `isFailed`, `firstUnhealthyPod`...); and the writes a controller makes:
 * `createPod`, `deletePod`, `markClaim`... The built-in controller and every variant are written in
 * these terms only (`action.ts` turns them into the explorer's action families).
 *
 * Speed: a state is a byte array, and exploration asks millions of guards a second. `Cluster` is a
 * *flyweight*: one reader per model, pointed at the state being asked about by every entry point
 * (each guard, prefilter and effect of `action.ts` points it first; nothing a condition can reach
 * evaluates another guard, so no evaluation is ever interrupted by another), with one accessor
 * object per pod, claim and node whose getters read fixed offsets. V8 inlines such getters, so `c.pod(i).ready` costs about what `s[o + READY] === 1` does.
 * Immutable.js records would read as well and cost forty times more per successor (measured: about
 * 4 µs against 0.1 µs); they serve the decoded views instead (`view.ts`).
 */
import type { StsConfig } from './config.js';
import { createClaim, forceRemove, reqDelete, requestClaimDeletion } from './actions/effects.js';
import { AVAILABLE, CTR_NAMES, DELETING, EXISTS, NODE, NODE_ST_NAMES, PHASE, PHASE_NAMES, POD_SIZE, Phase, Pvc, PVC_NAMES, READY, REV, VOL_NAMES, type Layout, type StsState } from './state.js';

export type PodPhase = (typeof PHASE_NAMES)[number];
export type ClaimStatus = (typeof PVC_NAMES)[number];
export type VolumeContent = (typeof VOL_NAMES)[number];
export type NodeStatus = (typeof NODE_ST_NAMES)[number];
export type Container = (typeof CTR_NAMES)[number];

/** The StatefulSet object: its spec and status. */
export interface SetRead {
  readonly replicas: number;
  readonly partition: number;
  /** `status.updateRevision`: the template's revision (revisions count up from 0). */
  readonly updateRevision: number;
  /** `status.currentRevision`. */
  readonly currentRevision: number;
  /** The StatefulSet object was deleted (only with `userOps: deleteStatefulSet`). */
  readonly deleted: boolean;
}

/**
 * Pod `<set>-<i>`; every field of an absent pod reads as its zero value. With `staleReads` this is
 * the controller's informer cache of the pod (the true pod may have moved on); writes always go to
 * the API server, that is to the true pod.
 */
export interface PodRead {
  readonly exists: boolean;
  /** The controller-revision label. */
  readonly revision: number;
  /** `spec.nodeName` as a node number (1 is `node-1`), 0 when unscheduled. */
  readonly node: number;
  readonly scheduled: boolean;
  readonly phase: PodPhase;
  readonly ready: boolean;
  /** Ready for `minReadySeconds` (only with `minReadySeconds`; else always false). */
  readonly available: boolean;
  /** `deletionTimestamp` is set. */
  readonly terminating: boolean;
}

/** PVC `<claim>-<set>-<i>` and the PV bound to it. */
export interface ClaimRead {
  /** `none` (no claim), `bound`, `owned` (owned by its condemned pod: whenScaled Delete), `deleting`, and with `provisioning: static` `pending` (no PV can be bound to it). */
  readonly status: ClaimStatus;
  readonly exists: boolean;
  readonly volume: VolumeContent;
  /** With volume attachment: the node number its PV is attached to (a VolumeAttachment), 0 when none. */
  readonly attachedTo: number;
  /** With volume attachment: that node reports the volume mounted (`status.volumesInUse`). */
  readonly inUse: boolean;
}

/** Node `node-<n>`: what the API says of it and what it really runs. */
export interface NodeRead {
  readonly status: NodeStatus;
  /** The Node object exists. */
  readonly registered: boolean;
  /** The `node.kubernetes.io/out-of-service` taint (only with volume attachment). */
  readonly outOfService: boolean;
  /** What the node really runs for identity `i`. */
  container(i: number): Container;
}

export interface Cluster {
  readonly cfg: StsConfig;
  readonly set: SetRead;
  /** Ordinals `0..R-1`. */
  pod(i: number): PodRead;
  claim(i: number): ClaimRead;
  /** Nodes `1..nodes`, by name. */
  node(n: number): NodeRead;
  /** Upstream `isRunningAndReady` (and not Terminating: the model's `RR`). */
  isRunningAndReady(i: number): boolean;
  /** Upstream `isRunningAndAvailable`: Running and Ready, and Available with `minReadySeconds`. */
  isRunningAndAvailable(i: number): boolean;
  isFailed(i: number): boolean;
  isTerminating(i: number): boolean;
  /** Pods `0..k-1` are all Running and Ready. */
  allRunningAndReadyBelow(k: number): boolean;
  /** Pods `0..k-1` all exist. */
  allExistBelow(k: number): boolean;
  /** Some pod at or above `spec.replicas` exists (a condemned pod). */
  someCondemned(): boolean;
  /** Some pod with an ordinal above `i` exists. */
  someAbove(i: number): boolean;
  /**
   * Upstream `firstUnhealthyPod`: the lowest ordinal below `spec.replicas` that exists and is not
   * Running and Ready, else the lowest such condemned one; -1 if every existing pod is healthy.
   */
  firstUnhealthyPod(): number;
  /** How many pod objects exist. */
  podCount(): number;
  /** Upstream `newVersionedStatefulSetPod`: below the partition the current revision, else the update revision. */
  newRevision(i: number): number;
  /**
   * With `readOwnWrites`: the controller made a pod or claim write its cache has not shown it
   * yet (KEP-5647's consistency check then holds the sync back). Always false otherwise.
   */
  readonly writesUnobserved: boolean;
}

/** The writes a controller makes; each is one API request's effect. */
export interface ClusterWrite {
  /** Creates pod `i`, Pending and unscheduled, at `revision`, and its claim if it has none (`createMissingPersistentVolumeClaims`). */
  createPod(i: number, revision: number): void;
  /** Deletes pod `i` gracefully (`ReqDelete`: an unscheduled or Failed pod goes at once, any other becomes Terminating). */
  deletePod(i: number): void;
  /** Force-deletes pod `i` (`--grace-period=0 --force`): the name is free at once, containers go stale. */
  forceDeletePod(i: number): void;
  /** Creates pod `i`'s missing claim (bound to a fresh, empty PV). */
  createClaim(i: number): void;
  /** Makes the condemned pod the claim's owner (`whenScaled: Delete`, upstream `UpdatePodClaimForRetentionPolicy`). */
  markClaimOwned(i: number): void;
  /** Removes that ownership again (the pod is back in range after a scale-up). */
  fixClaim(i: number): void;
  /** Deletes pod `i`'s claim, as a user would: held by PVC protection while a scheduled pod uses it. */
  deleteClaim(i: number): void;
  /** `completeRollingUpdate`: `status.currentRevision := status.updateRevision`. */
  completeRollingUpdate(): void;
}

/** The reader, re-pointable: `at` is the state its accessors read. */
export interface ClusterReader extends Cluster {
  at: StsState;
}

/** The writer, re-pointable: `at` is the successor state its writes change. */
export interface ClusterWriter extends ClusterWrite {
  at: StsState;
}

class PodAt implements PodRead {
  constructor(
    private readonly k: ClusterView,
    private readonly o: number,
  ) {}
  get exists(): boolean {
    return this.k.at[this.o + EXISTS] === 1;
  }
  get revision(): number {
    return this.k.at[this.o + REV]!;
  }
  get node(): number {
    return this.k.at[this.o + NODE]!;
  }
  get scheduled(): boolean {
    return this.k.at[this.o + NODE] !== 0;
  }
  get phase(): PodPhase {
    return PHASE_NAMES[this.k.at[this.o + PHASE]!]!;
  }
  get ready(): boolean {
    return this.k.at[this.o + READY] === 1;
  }
  get available(): boolean {
    return this.k.at[this.o + AVAILABLE] === 1;
  }
  get terminating(): boolean {
    return this.k.at[this.o + DELETING] === 1;
  }
}

class ClaimAt implements ClaimRead {
  private readonly attAt: number;
  private readonly inUseAt: number;
  constructor(
    private readonly k: ClusterView,
    private readonly pvc: number,
    private readonly vol: number,
    L: Layout,
    i: number,
  ) {
    this.attAt = L.hasAttach ? L.att + i : -1;
    this.inUseAt = L.hasAttach ? L.inUse + i : -1;
  }
  get attachedTo(): number {
    return this.attAt < 0 ? 0 : this.k.at[this.attAt]!;
  }
  get inUse(): boolean {
    return this.inUseAt >= 0 && this.k.at[this.inUseAt] === 1;
  }
  get status(): ClaimStatus {
    return PVC_NAMES[this.k.at[this.pvc]!]!;
  }
  get exists(): boolean {
    return this.k.at[this.pvc] !== Pvc.none;
  }
  get volume(): VolumeContent {
    return VOL_NAMES[this.k.at[this.vol]!]!;
  }
}

class NodeAt implements NodeRead {
  private readonly statusAt: number;
  private readonly registeredAt: number;
  private readonly taintAt: number;
  private readonly containersAt: number;
  constructor(
    private readonly k: ClusterView,
    L: Layout,
    n: number,
  ) {
    this.statusAt = L.nodeSt + n;
    this.registeredAt = L.nodeObj + n;
    this.taintAt = L.hasAttach ? L.oos + n : -1;
    this.containersAt = L.ctr + n * L.R;
  }
  get status(): NodeStatus {
    return NODE_ST_NAMES[this.k.at[this.statusAt]!]!;
  }
  get registered(): boolean {
    return this.k.at[this.registeredAt] === 1;
  }
  get outOfService(): boolean {
    return this.taintAt >= 0 && this.k.at[this.taintAt] === 1;
  }
  container(i: number): Container {
    return CTR_NAMES[this.k.at[this.containersAt + i]!]!;
  }
}

class SetAt implements SetRead {
  private readonly replicasAt: number;
  private readonly partitionAt: number;
  private readonly updateRevisionAt: number;
  private readonly currentRevisionAt: number;
  private readonly deletedAt: number;
  constructor(
    private readonly k: ClusterView,
    L: Layout,
  ) {
    this.replicasAt = L.replicas;
    this.partitionAt = L.partition;
    this.updateRevisionAt = L.updRev;
    this.currentRevisionAt = L.curRev;
    this.deletedAt = L.stsDeleted;
  }
  get replicas(): number {
    return this.k.at[this.replicasAt]!;
  }
  get partition(): number {
    return this.k.at[this.partitionAt]!;
  }
  get updateRevision(): number {
    return this.k.at[this.updateRevisionAt]!;
  }
  get currentRevision(): number {
    return this.k.at[this.currentRevisionAt]!;
  }
  get deleted(): boolean {
    return this.k.at[this.deletedAt] === 1;
  }
}

/** One class, so that every read is a monomorphic property access V8 can inline. */
class ClusterView implements ClusterReader {
  at: StsState;
  readonly set: SetRead;
  private readonly pods: PodAt[];
  private readonly claims: ClaimAt[];
  private readonly nodes: NodeAt[];
  private readonly R: number;
  private readonly podAt: number;
  private readonly dirtyAt: number;
  private readonly replicasAt: number;
  private readonly rolling: boolean;
  private readonly minReady: boolean;

  constructor(
    readonly cfg: StsConfig,
    private readonly L: Layout,
  ) {
    this.at = new Uint8Array(L.size);
    this.R = L.R;
    // The controller's pod reads come from its cache when reads may be stale (`getPodsForStatefulSet` lists the informer's).
    this.podAt = cfg.staleReads ? L.seen : L.pod;
    this.dirtyAt = cfg.readOwnWrites ? L.dirty : -1;
    this.replicasAt = L.replicas;
    this.rolling = cfg.rolling;
    this.minReady = cfg.minReady;
    this.set = new SetAt(this, L);
    this.pods = Array.from({ length: L.R }, (_, i) => new PodAt(this, this.podAt + i * POD_SIZE));
    this.claims = Array.from({ length: L.R }, (_, i) => new ClaimAt(this, L.pvc + i, L.vol + i, L, i));
    this.nodes = Array.from({ length: L.nodes }, (_, n) => new NodeAt(this, L, n));
  }

  pod(i: number): PodRead {
    return this.pods[i]!;
  }
  claim(i: number): ClaimRead {
    return this.claims[i]!;
  }
  node(n: number): NodeRead {
    const node = this.nodes[n - 1];
    if (node === undefined) throw new RangeError(`no node ${n}: nodes are 1..${this.L.nodes}`);
    return node;
  }
  isRunningAndReady(i: number): boolean {
    const s = this.at;
    const o = this.podAt + i * POD_SIZE;
    return s[o + EXISTS] === 1 && s[o + PHASE] === Phase.Running && s[o + READY] === 1 && s[o + DELETING] === 0;
  }
  isRunningAndAvailable(i: number): boolean {
    return this.isRunningAndReady(i) && (!this.minReady || this.at[this.podAt + i * POD_SIZE + AVAILABLE] === 1);
  }
  isFailed(i: number): boolean {
    const o = this.podAt + i * POD_SIZE;
    return this.at[o + EXISTS] === 1 && this.at[o + PHASE] === Phase.Failed;
  }
  isTerminating(i: number): boolean {
    return this.at[this.podAt + i * POD_SIZE + DELETING] === 1;
  }
  allRunningAndReadyBelow(k: number): boolean {
    for (let j = 0; j < k; j++) if (!this.isRunningAndReady(j)) return false;
    return true;
  }
  allExistBelow(k: number): boolean {
    for (let j = 0; j < k; j++) if (this.at[this.podAt + j * POD_SIZE + EXISTS] !== 1) return false;
    return true;
  }
  someCondemned(): boolean {
    for (let j = this.at[this.replicasAt]!; j < this.R; j++) if (this.at[this.podAt + j * POD_SIZE + EXISTS] === 1) return true;
    return false;
  }
  someAbove(i: number): boolean {
    for (let j = i + 1; j < this.R; j++) if (this.at[this.podAt + j * POD_SIZE + EXISTS] === 1) return true;
    return false;
  }
  firstUnhealthyPod(): number {
    const replicas = this.at[this.replicasAt]!;
    for (let j = 0; j < replicas; j++) if (this.at[this.podAt + j * POD_SIZE + EXISTS] === 1 && !this.isRunningAndReady(j)) return j;
    for (let j = replicas; j < this.R; j++) if (this.at[this.podAt + j * POD_SIZE + EXISTS] === 1 && !this.isRunningAndReady(j)) return j;
    return -1;
  }
  podCount(): number {
    let c = 0;
    for (let j = 0; j < this.R; j++) c += this.at[this.podAt + j * POD_SIZE + EXISTS]!;
    return c;
  }
  newRevision(i: number): number {
    return this.rolling && i < this.set.partition ? this.set.currentRevision : this.set.updateRevision;
  }
  get writesUnobserved(): boolean {
    return this.dirtyAt >= 0 && this.at[this.dirtyAt] === 1;
  }
}

export function clusterReader(cfg: StsConfig, L: Layout): ClusterReader {
  return new ClusterView(cfg, L);
}

/**
 * The writes, as one class over a re-pointable target (see `ClusterView`). With `staleReads` a
 * write may meet a pod other than the one the controller saw: a create of an existing name fails
 * (AlreadyExists, `CreateStatefulPod` sinks it) and a delete of an absent one too (NotFound);
 * deletes go by name, with no UID precondition (`DeletePod`). With `readOwnWrites` every write that
 * succeeds is remembered (`dirty`) until the controller's cache has observed it.
 */
class ClusterEdit implements ClusterWriter {
  at: StsState;
  private readonly dirtyAt: number;
  constructor(
    private readonly L: Layout,
    cfg: StsConfig,
  ) {
    this.at = new Uint8Array(L.size);
    this.dirtyAt = cfg.readOwnWrites ? L.dirty : -1;
  }
  private wrote(): void {
    if (this.dirtyAt >= 0) this.at[this.dirtyAt] = 1;
  }
  createPod(i: number, revision: number): void {
    const t = this.at;
    const o = this.L.pod + i * POD_SIZE;
    if (t[o + EXISTS] === 1) return; // AlreadyExists: only a stale view asks for this
    t.fill(0, o, o + POD_SIZE);
    t[o + EXISTS] = 1;
    t[o + REV] = revision;
    t[o + PHASE] = Phase.Pending;
    if (t[this.L.pvc + i] === Pvc.none) this.createClaim(i);
    this.wrote();
  }
  deletePod(i: number): void {
    if (this.at[this.L.pod + i * POD_SIZE + EXISTS] !== 1) return; // NotFound
    reqDelete(this.L, this.at, i);
    this.wrote();
  }
  forceDeletePod(i: number): void {
    if (this.at[this.L.pod + i * POD_SIZE + EXISTS] !== 1) return; // NotFound
    forceRemove(this.L, this.at, i);
    this.wrote();
  }
  createClaim(i: number): void {
    createClaim(this.L, this.at, i);
    this.wrote();
  }
  markClaimOwned(i: number): void {
    this.at[this.L.pvc + i] = Pvc.owned;
    this.wrote();
  }
  fixClaim(i: number): void {
    this.at[this.L.pvc + i] = Pvc.bound;
    this.wrote();
  }
  deleteClaim(i: number): void {
    const pvc = this.at[this.L.pvc + i];
    if (pvc !== Pvc.bound && pvc !== Pvc.owned) return; // NotFound, or already being deleted
    requestClaimDeletion(this.L, this.at, i);
    this.wrote();
  }
  completeRollingUpdate(): void {
    this.at[this.L.curRev] = this.at[this.L.updRev]!;
  }
}

export function clusterWriter(cfg: StsConfig, L: Layout): ClusterWriter {
  return new ClusterEdit(L, cfg);
}

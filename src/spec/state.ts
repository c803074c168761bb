/**
 * The working form of a StatefulSet model state: one byte per variable of `reference-model.md`
 * ("State"), at offsets fixed by `R` and `nodes`. Transition functions copy it and change a few
 * bytes; `packing.ts` turns it into the canonical 32-bit words the explorer stores.
 *
 * Node *indices* here are 0-based (`n = 0` is node `1`); labels and displays use node names.
 */
import type { StsConfig } from './config.js';

export type StsState = Uint8Array;

// Pod record fields (offsets inside a pod's 7 bytes). An absent pod is all zeros.
export const EXISTS = 0;
export const REV = 1;
/** 0 = not scheduled, else node name (index + 1). */
export const NODE = 2;
export const PHASE = 3;
export const READY = 4;
export const DELETING = 5;
/** Available (minReadySeconds after Ready); always 0, taking no bits, unless `minReadySeconds` is on. */
export const AVAILABLE = 6;
export const POD_SIZE = 7;

export const Phase = { Pending: 0, Running: 1, Failed: 2 } as const;
export const PHASE_NAMES = ['Pending', 'Running', 'Failed'] as const;
/**
 * What node n runs for identity i. `both` (a stale and a live container at once) exists only with
 * volume attachment: a ReadWriteOnce disk mounts for a new pod on the node where the old
 * container is still being killed.
 */
export const Ctr = { none: 0, live: 1, stale: 2, both: 3 } as const;
export const CTR_NAMES = ['none', 'live', 'stale', 'both'] as const;
/** How many containers of the identity a `ctr` value stands for. */
export const CTR_COUNT = [0, 1, 1, 2] as const;
export const NodeSt = { Up: 0, Partitioned: 1, Crashed: 2 } as const;
export const NODE_ST_NAMES = ['Up', 'Partitioned', 'Crashed'] as const;
/** `pending` (a claim no PV can be bound to) exists only with `provisioning: static`. */
export const Pvc = { none: 0, bound: 1, owned: 2, deleting: 3, pending: 4 } as const;
export const PVC_NAMES = ['none', 'bound', 'owned', 'deleting', 'pending'] as const;
export const Vol = { none: 0, empty: 1, data: 2 } as const;
export const VOL_NAMES = ['none', 'empty', 'data'] as const;

/** Byte offsets of every variable for one `(R, nodes)`. */
export interface Layout {
  readonly R: number;
  readonly nodes: number;
  readonly replicas: number;
  readonly partition: number;
  readonly updRev: number;
  readonly curRev: number;
  readonly budget: number;
  /** Offset of pod `i`'s record is `pod + i * POD_SIZE`. */
  readonly pod: number;
  /** `ctr[n][i]` is at `ctr + n * R + i`. */
  readonly ctr: number;
  readonly nodeSt: number;
  readonly nodeObj: number;
  readonly pvc: number;
  readonly vol: number;
  readonly broken: number;
  readonly written: number;
  /** The StatefulSet object was deleted; always 0 (no bits) unless `deleteStatefulSet` is enabled. */
  readonly stsDeleted: number;
  /**
   * Volume attachment, only when `attach` is on (otherwise these take no bytes and must not be
   * read): `att + i` is the node name (index + 1) holding identity i's volume, or 0;
   * `inUse + i` whether that node reports it in `volumesInUse`; `oos + n` node n's
   * out-of-service taint.
   */
  readonly hasAttach: boolean;
  readonly att: number;
  readonly inUse: number;
  readonly oos: number;
  /**
   * Rollback, only with `rollback` (otherwise no bytes; never read): `hiRev`, the newest revision
   * created. Stale reads, only with `staleReads`: `seen + i * POD_SIZE` is the controller's cached
   * copy of pod i's record, and `dirty` whether the controller wrote something it has not observed yet.
   */
  readonly hiRev: number;
  readonly hasStaleReads: boolean;
  readonly seen: number;
  readonly dirty: number;
  /**
   * Only with `staleKubelet` (otherwise no bytes; never read): `ranOn + i` is the node name where
   * the last terminated incarnation of pod i ran (a stale relist may still show it bound there), or 0.
   */
  readonly hasStaleKubelet: boolean;
  readonly ranOn: number;
  /**
   * Only with `storage: local` (otherwise no bytes; never read): `pvNode + i` is the node name
   * (index + 1) identity i's PV was provisioned on and is pinned to, or 0 before its first pod is
   * scheduled (WaitForFirstConsumer) and once its claim is gone.
   */
  readonly hasLocalStorage: boolean;
  readonly pvNode: number;
  /**
   * Only with `provisioning: static` (otherwise no bytes; never read): `spent + i` is 1 once
   * identity i's pre-provisioned PV was released (its claim deleted): no PV is left for a new claim.
   */
  readonly hasStaticPVs: boolean;
  readonly spent: number;
  readonly size: number;
  /** Largest value of each byte, for bit-packing. */
  readonly maxValues: readonly number[];
}

export function makeLayout(cfg: StsConfig): Layout {
  const { R, nodes } = cfg;
  let at = 0;
  const take = (n: number) => {
    const o = at;
    at += n;
    return o;
  };
  const replicas = take(1);
  const partition = take(1);
  const updRev = take(1);
  const curRev = take(1);
  const budget = take(1);
  const pod = take(R * POD_SIZE);
  const ctr = take(nodes * R);
  const nodeSt = take(nodes);
  const nodeObj = take(nodes);
  const pvc = take(R);
  const vol = take(R);
  const broken = take(R);
  const written = take(R);
  const stsDeleted = take(1);
  const hasAttach = cfg.attach !== 'none';
  const att = take(hasAttach ? R : 0);
  const inUse = take(hasAttach ? R : 0);
  const oos = take(hasAttach ? nodes : 0);
  const hiRev = take(cfg.rollback ? 1 : 0);
  const seen = take(cfg.staleReads ? R * POD_SIZE : 0);
  const dirty = take(cfg.staleReads ? 1 : 0);
  const ranOn = take(cfg.staleKubelet ? R : 0);
  const pvNode = take(cfg.localStorage ? R : 0);
  const spent = take(cfg.staticPVs ? R : 0);
  const size = at;

  const max = new Array<number>(size).fill(1);
  max[replicas] = R;
  max[partition] = R;
  max[updRev] = cfg.maxRevision;
  max[curRev] = cfg.maxRevision;
  max[budget] = cfg.budget;
  for (let i = 0; i < R; i++) {
    for (const p of cfg.staleReads ? [pod + i * POD_SIZE, seen + i * POD_SIZE] : [pod + i * POD_SIZE]) {
      max[p + REV] = cfg.maxRevision;
      max[p + NODE] = nodes;
      max[p + PHASE] = 2;
      max[p + AVAILABLE] = cfg.minReady ? 1 : 0;
    }
    max[pvc + i] = cfg.staticPVs ? Pvc.pending : Pvc.deleting;
    max[vol + i] = 2;
  }
  for (let k = 0; k < nodes * R; k++) max[ctr + k] = hasAttach ? Ctr.both : Ctr.stale;
  if (hasAttach) for (let i = 0; i < R; i++) max[att + i] = nodes;
  for (let n = 0; n < nodes; n++) max[nodeSt + n] = 2;
  max[stsDeleted] = cfg.stsDeletion ? 1 : 0;
  if (cfg.rollback) max[hiRev] = cfg.maxRevision;
  if (cfg.staleReads) max[dirty] = cfg.readOwnWrites ? 1 : 0;
  if (cfg.staleKubelet) for (let i = 0; i < R; i++) max[ranOn + i] = nodes;
  if (cfg.localStorage) for (let i = 0; i < R; i++) max[pvNode + i] = nodes;
  return { R, nodes, replicas, partition, updRev, curRev, budget, pod, ctr, nodeSt, nodeObj, pvc, vol, broken, written, stsDeleted, hasAttach, att, inUse, oos, hiRev, hasStaleReads: cfg.staleReads, seen, dirty, hasStaleKubelet: cfg.staleKubelet, ranOn, hasLocalStorage: cfg.localStorage, pvNode, hasStaticPVs: cfg.staticPVs, spent, size, maxValues: max };
}

/**
 * Read helpers shared by actions, properties and views. Each is a closure over one layout so the
 * hot path reads fixed offsets without passing the layout around.
 */
export interface Reads {
  readonly L: Layout;
  /** Offset of pod `i`'s record. */
  p(i: number): number;
  exists(s: StsState, i: number): boolean;
  /** `RR(i)`: exists, Running, Ready, not Terminating. */
  rr(s: StsState, i: number): boolean;
  /** `RR(j)` for every `j < k`. */
  allRRBelow(s: StsState, k: number): boolean;
  /** Number of pod objects that exist. */
  podCount(s: StsState): number;
  /** Node index (0-based) of pod `i`, or -1 when it is absent or unscheduled. */
  nodeOf(s: StsState, i: number): number;
}

export function makeReads(L: Layout): Reads {
  const { pod, R } = L;
  const p = (i: number) => pod + i * POD_SIZE;
  const rr = (s: StsState, i: number) => {
    const o = pod + i * POD_SIZE;
    return s[o + EXISTS] === 1 && s[o + PHASE] === Phase.Running && s[o + READY] === 1 && s[o + DELETING] === 0;
  };
  return {
    L,
    p,
    exists: (s, i) => s[pod + i * POD_SIZE + EXISTS] === 1,
    rr,
    allRRBelow(s, k) {
      for (let j = 0; j < k; j++) if (!rr(s, j)) return false;
      return true;
    },
    podCount(s) {
      let c = 0;
      for (let i = 0; i < R; i++) c += s[pod + i * POD_SIZE + EXISTS]!;
      return c;
    },
    nodeOf(s, i) {
      const o = pod + i * POD_SIZE;
      return s[o + EXISTS] === 1 ? s[o + NODE]! - 1 : -1;
    },
  };
}

/**
 * An independent, deliberately naive rendering of `reference-model.md` (the reference profile of
 * the StatefulSet model), written from the text alone, to cross-check the project's model.
 *
 * Plain objects, one canonical JSON string per state as the key of a `Set`, a queue-based BFS.
 * Nothing here is shared with `src/spec/`: if both find the same counts, both probably read the
 * text the same way.
 *
 * Also renders the volume-attachment extension (`extensions/attach.md`, parameters `attach` and
 * `forceDetach`, user operation `taintOutOfService`), from that text alone. With `attach = none`
 * (the default) the state has exactly the reference shape and nothing of the extension exists.
 *
 * And the rollouts-and-stale-reads extension (`extensions/rollouts-and-stale-reads.md`, sections A
 * and B, not B7), from that text alone: parameters `rollback`, `badRevs`, `badMode`, `stuckFix`
 * (a parameter here; the project delivers it as a controller variant), `manualFix`, `muBudget`,
 * `staleReads`, `readOwnWrites`, user operation `revertTemplate`. With every one of them at its
 * default the state has exactly the reference shape (no `hiRev`, `seen`, `dirty`) and every count
 * is unchanged. The readings chosen where the text leaves room are marked `AMBIGUITY (rollouts)`.
 */

export type Fault = 'nodePartition' | 'nodeCrash' | 'podBreak' | 'podEvict' | 'kubeletRestart';
export type UserOp =
  | 'scale'
  | 'updateTemplate'
  | 'setPartition'
  | 'deletePod'
  | 'forceDeletePod'
  | 'deletePVC'
  | 'deleteNode'
  /** attach.md; accepted by name, not part of `'all'` (so `'all'` keeps the reference meaning). */
  | 'taintOutOfService'
  /** rollouts-and-stale-reads.md A; only with `rollback`, not part of `'all'`. */
  | 'revertTemplate';

export const ALL_FAULTS: readonly Fault[] = ['nodePartition', 'nodeCrash', 'podBreak', 'podEvict'];
export const ALL_USER_OPS: readonly UserOp[] = ['scale', 'updateTemplate', 'setPartition', 'deletePod', 'forceDeletePod', 'deletePVC', 'deleteNode'];

export interface IndependentParams {
  R?: number;
  nodes?: number;
  policy?: 'OrderedReady' | 'Parallel';
  strategy?: 'RollingUpdate' | 'OnDelete';
  maxRevision?: number;
  whenScaled?: 'Retain' | 'Delete';
  reclaim?: 'Delete' | 'Retain';
  budget?: number;
  faults?: 'all' | 'none' | readonly Fault[];
  userOps?: 'all' | 'none' | readonly UserOp[];
  recovery?: 'transient' | 'permanent';
  initReplicas?: number;
  initPartition?: number;
  start?: 'empty' | 'running';
  /** attach.md: how the PV of identity `i` reaches a node. */
  attach?: 'none' | 'rwo' | 'rwop';
  /** attach.md: kube-controller-manager `--disable-force-detach-on-timeout` (`onTimeout` = flag false). */
  forceDetach?: 'onTimeout' | 'disabled';
  /** rollouts A: revisions are template identities; `hiRev` (the newest created) joins the state. */
  rollback?: boolean;
  /** rollouts A: revisions whose pods never become Ready (subset of 1..maxRevision). */
  badRevs?: readonly number[];
  /** rollouts A: `unready` (runs, never Ready: CrashLoop) or `pending` (never starts: ErrImagePull). */
  badMode?: 'unready' | 'pending';
  /** rollouts A: PR #100289 (the controller deletes outdated Pending pods: `CtlDeleteStuck`). */
  stuckFix?: 'none' | 'pr100289';
  /** rollouts A: a fair operator applies the docs' workaround (`OperatorDelete`). */
  manualFix?: boolean;
  /** rollouts A: `v1.35.0`: MaxUnavailableStatefulSet on, with the 1.35.0 accounting (#137409). */
  muBudget?: 'legacy' | 'v1.35.0';
  /** rollouts B: the controller's guards read pods from a stale cache (`seen`). */
  staleReads?: boolean;
  /** rollouts B: the controller waits to observe its own pod and PVC writes (`dirty`); only with staleReads. */
  readOwnWrites?: boolean;
  /**
   * rollouts B7 (rules written by the project, docs/model.md 5.12b): a restarted kubelet relists
   * from a lagging cache; needs the fault `kubeletRestart` (never in 'all') and attach none.
   */
  staleKubelet?: boolean;
  /**
   * Node-local storage (docs/model.md, "Node-local volumes"): a claim's PV is provisioned on the
   * node its pod is first scheduled to, and the pod can be scheduled nowhere else while the claim lives.
   */
  storage?: 'network' | 'local';
  /** The cloud node lifecycle controller (fair) deletes the Node object of a crashed node; needs permanent recovery. */
  cloudNodeDelete?: boolean;
  /**
   * Static provisioning (docs/model.md 5.15): one pre-provisioned PV per ordinal; once its claim is
   * gone the PV is released for good, and a new claim of that ordinal is 'pending' (no volume).
   */
  provisioning?: 'dynamic' | 'static';
}

interface Resolved {
  R: number;
  nodes: number;
  policy: 'OrderedReady' | 'Parallel';
  strategy: 'RollingUpdate' | 'OnDelete';
  maxRevision: number;
  whenScaled: 'Retain' | 'Delete';
  reclaim: 'Delete' | 'Retain';
  budget: number;
  faults: Set<Fault>;
  userOps: Set<UserOp>;
  recovery: 'transient' | 'permanent';
  initReplicas: number;
  initPartition: number;
  start: 'empty' | 'running';
  attach: 'none' | 'rwo' | 'rwop';
  forceDetach: 'onTimeout' | 'disabled';
  rollback: boolean;
  badRevs: Set<number>;
  badMode: 'unready' | 'pending';
  stuckFix: boolean;
  manualFix: boolean;
  muBudget135: boolean;
  staleReads: boolean;
  readOwnWrites: boolean;
  staleKubelet: boolean;
  local: boolean;
  cloudNodeDelete: boolean;
  static: boolean;
}

export interface Pod {
  rev: number;
  /** 0 = none, else 1..nodes */
  node: number;
  phase: 'Pending' | 'Running' | 'Failed';
  ready: boolean;
  deleting: boolean;
}

export interface IState {
  replicas: number;
  partition: number;
  updRev: number;
  curRev: number;
  pod: (Pod | null)[];
  /** ctr[n-1][i] for node n; `both` (a stale and a live container) only with attach != none */
  ctr: Ctr[][];
  nodeSt: ('Up' | 'Partitioned' | 'Crashed')[];
  nodeObj: boolean[];
  pvc: ('none' | 'bound' | 'owned' | 'deleting' | 'pending')[];
  vol: ('none' | 'empty' | 'data')[];
  broken: boolean[];
  written: boolean[];
  budget: number;
  // attach.md, present only when attach != none (absent keys: the reference shape is unchanged).
  /** att[i]: 0 = none, else the node 1..nodes holding the attachment of i's PV */
  att?: number[];
  /** inUse[i]: node att[i] lists the volume in status.volumesInUse */
  inUse?: boolean[];
  /** oos[n-1]: taint node.kubernetes.io/out-of-service on node n */
  oos?: boolean[];
  // rollouts-and-stale-reads.md, present only when the extension is on.
  /** A (rollback): the newest revision created, 0..maxRevision. */
  hiRev?: number;
  /** B (staleReads): the controller's cached copy of pod[i]. */
  seen?: (Pod | null)[];
  /** B (readOwnWrites): an unobserved controller write to a pod or PVC. */
  dirty?: boolean;
  /** B7 (staleKubelet): the node (1..nodes) where identity i's last terminated incarnation ran, or 0. */
  ranOn?: number[];
  /** storage local: the node (1..nodes) identity i's PV lives on, or 0 while it is not provisioned. */
  pvNode?: number[];
  /** provisioning static: identity i's pre-provisioned PV was released (its claim deleted). */
  spent?: boolean[];
}

export type Ctr = 'none' | 'live' | 'stale' | 'both';

/** attach.md: cnt(none) = 0, cnt(live) = cnt(stale) = 1, cnt(both) = 2. */
export const cnt = (c: Ctr): number => (c === 'none' ? 0 : c === 'both' ? 2 : 1);

function resolve(p: IndependentParams): Resolved {
  const R = p.R ?? 3;
  const set = <T>(v: 'all' | 'none' | readonly T[] | undefined, all: readonly T[]): Set<T> =>
    v === 'all' ? new Set(all) : v === undefined || v === 'none' ? new Set() : new Set(v);
  return {
    R,
    nodes: p.nodes ?? 2,
    policy: p.policy ?? 'OrderedReady',
    strategy: p.strategy ?? 'RollingUpdate',
    maxRevision: p.maxRevision ?? 1,
    whenScaled: p.whenScaled ?? 'Retain',
    reclaim: p.reclaim ?? 'Delete',
    budget: p.budget ?? 2,
    faults: set(p.faults, ALL_FAULTS),
    userOps: set(p.userOps, ALL_USER_OPS),
    recovery: p.recovery ?? 'transient',
    initReplicas: p.initReplicas ?? R,
    initPartition: p.initPartition ?? 0,
    start: p.start ?? 'empty',
    attach: p.attach ?? 'none',
    forceDetach: p.forceDetach ?? 'onTimeout',
    rollback: p.rollback ?? false,
    badRevs: new Set(p.badRevs ?? []),
    badMode: p.badMode ?? 'unready',
    stuckFix: (p.stuckFix ?? 'none') === 'pr100289',
    manualFix: p.manualFix ?? false,
    muBudget135: (p.muBudget ?? 'legacy') === 'v1.35.0',
    staleReads: p.staleReads ?? false,
    readOwnWrites: p.readOwnWrites ?? false,
    staleKubelet: p.staleKubelet ?? false,
    local: (p.storage ?? 'network') === 'local',
    cloudNodeDelete: p.cloudNodeDelete ?? false,
    static: (p.provisioning ?? 'dynamic') === 'static',
  };
}

/**
 * Parameter combinations the text does not define are refused (as the project refuses them).
 * AMBIGUITY (rollouts): `badRevs`, `badMode`, `manualFix`, `muBudget` and `stuckFix` are listed
 * under A but their rules do not mention `hiRev`: here they apply with or without `rollback`
 * (without it, UpdateTemplate is the reference one and no revert exists). The tests give them only
 * with `rollback`, except `stuckFix`, which the project delivers as a controller variant usable
 * without it.
 */
function validate(P: Resolved): void {
  if (P.readOwnWrites && !P.staleReads) throw new Error('readOwnWrites needs staleReads');
  if (P.staleKubelet && (!P.faults.has('kubeletRestart') || P.attach !== 'none')) throw new Error('staleKubelet needs kubeletRestart and attach none');
  if (P.userOps.has('revertTemplate') && !P.rollback) throw new Error('revertTemplate needs rollback');
  if (P.local && P.attach !== 'none') throw new Error('storage local needs attach none');
  if (P.cloudNodeDelete && (!P.faults.has('nodeCrash') || P.recovery !== 'permanent')) throw new Error('cloudNodeDelete needs nodeCrash and permanent recovery');
  for (const r of P.badRevs) if (!(Number.isInteger(r) && r >= 1 && r <= P.maxRevision)) throw new Error(`badRevs: ${r} not in 1..maxRevision`);
}

const clone = (s: IState): IState => JSON.parse(JSON.stringify(s)) as IState;
export const key = (s: IState): string => JSON.stringify(s);

export function initialStates(params: IndependentParams): IState[] {
  const P = resolve(params);
  validate(P);
  const base = (): IState => {
    const s: IState = {
      replicas: P.initReplicas,
      partition: P.initPartition,
      updRev: 0,
      curRev: 0,
      pod: Array.from({ length: P.R }, () => null),
      ctr: Array.from({ length: P.nodes }, () => Array.from({ length: P.R }, () => 'none' as const)),
      nodeSt: Array.from({ length: P.nodes }, () => 'Up' as const),
      nodeObj: Array.from({ length: P.nodes }, () => true),
      pvc: Array.from({ length: P.R }, () => 'none' as const),
      vol: Array.from({ length: P.R }, () => 'none' as const),
      broken: Array.from({ length: P.R }, () => false),
      written: Array.from({ length: P.R }, () => false),
      budget: P.budget,
    };
    if (P.attach !== 'none') {
      // attach.md initial: att none, inUse false, oos false.
      s.att = Array.from({ length: P.R }, () => 0);
      s.inUse = Array.from({ length: P.R }, () => false);
      s.oos = Array.from({ length: P.nodes }, () => false);
    }
    // rollouts A: revision 0 (the initial template) exists; no other yet.
    if (P.rollback) s.hiRev = 0;
    // B7: no incarnation has terminated anywhere yet.
    if (P.staleKubelet) s.ranOn = Array.from({ length: P.R }, () => 0);
    // No PV is provisioned before its first consumer is scheduled.
    if (P.local) s.pvNode = Array.from({ length: P.R }, () => 0);
    // Every ordinal's pre-provisioned PV is available.
    if (P.static) s.spent = Array.from({ length: P.R }, () => false);
    return s;
  };
  // rollouts B: the cache starts equal to the API (seen = pod), nothing unobserved (dirty = false).
  // AMBIGUITY (rollouts): `dirty` is kept in the state only with readOwnWrites (without it nothing
  // reads it and it would stay false: the counts are the same either way).
  const withView = (s: IState): IState => {
    if (P.staleReads) s.seen = JSON.parse(JSON.stringify(s.pod)) as (Pod | null)[];
    if (P.readOwnWrites) s.dirty = false;
    return s;
  };
  if (P.start === 'empty') return [withView(base())];
  // One initial state per placement (n_0, ..., n_{initReplicas-1}).
  let placements: number[][] = [[]];
  for (let i = 0; i < P.initReplicas; i++) {
    const next: number[][] = [];
    for (const pl of placements) for (let n = 1; n <= P.nodes; n++) next.push([...pl, n]);
    placements = next;
  }
  return placements.map((pl) => {
    const s = base();
    pl.forEach((n, i) => {
      s.pod[i] = { rev: 0, node: n, phase: 'Running', ready: true, deleting: false };
      s.ctr[n - 1]![i] = 'live';
      s.pvc[i] = 'bound';
      s.vol[i] = 'data';
      s.written[i] = true;
      // A running pod's local PV is on its node.
      if (P.local) s.pvNode![i] = n;
      if (P.attach !== 'none') {
        // attach.md: with start = running, att[i] = n_i, inUse[i] = true.
        s.att![i] = n;
        s.inUse![i] = true;
      }
    });
    return withView(s);
  });
}

/** Every enabled action instance of `s` with its successor (a fresh object). */
export function labelledSuccessors(params: IndependentParams, s: IState): { label: string; next: IState }[] {
  const P = resolve(params);
  const R = P.R;
  const out: { label: string; next: IState }[] = [];
  const emit = (label: string, f: (t: IState) => void) => {
    const t = clone(s);
    f(t);
    out.push({ label, next: t });
  };
  const ords = Array.from({ length: R }, (_, i) => i);
  const nodeIds = Array.from({ length: P.nodes }, (_, k) => k + 1);

  // Helpers (evaluated on s; effects written on t).
  const parallel = P.policy === 'Parallel';
  const newRev = (i: number) => (P.strategy === 'RollingUpdate' && i < s.partition ? s.curRev : s.updRev);
  /** rollouts A: Bad(i) = pod[i].rev in badRevs (the revision's, never cleared by PodHeal). */
  const bad = (i: number) => s.pod[i] !== null && P.badRevs.has(s.pod[i]!.rev);
  const reqDelete = (t: IState, i: number) => {
    // Revision 2: an unscheduled or already terminated (Failed) pod goes at once.
    if (t.pod[i]!.node === 0 || t.pod[i]!.phase === 'Failed') t.pod[i] = null;
    else t.pod[i]!.deleting = true;
  };
  const attach = P.attach !== 'none';
  const forceRemove = (t: IState, i: number) => {
    t.pod[i] = null;
    // attach.md: also `both` becomes `stale` (unreachable with attach = none).
    for (const row of t.ctr) if (row[i] === 'live' || row[i] === 'both') row[i] = 'stale';
  };
  const removePVC = (t: IState, i: number) => {
    t.pvc[i] = 'none';
    t.vol[i] = 'none';
    if (attach) {
      // attach.md: the replacement claim binds a new, unattached PV.
      t.att![i] = 0;
      t.inUse![i] = false;
    }
    // The next claim of i gets a PV that is not provisioned yet.
    if (P.local) t.pvNode![i] = 0;
    // Static: the pre-provisioned PV is released, never to be bound again.
    if (P.static) t.spent![i] = true;
  };
  /** A new claim of i: bound to a new empty PV, or (static, PV released) pending with no volume. */
  const newClaim = (t: IState, i: number) => {
    if (P.static && t.spent![i]) {
      t.pvc[i] = 'pending';
      t.vol[i] = 'none';
    } else {
      t.pvc[i] = 'bound';
      t.vol[i] = 'empty';
    }
  };
  /**
   * attach.md, KubeletTerminate and PodEvict: `ctr[n][i]`: live→none, both→stale.
   * AMBIGUITY: the table gives the map only for live and both. The reference effect was
   * `ctr[n][i] := none` (which also killed a stale container of an older pod object on the same
   * node). Reading: the values not listed are unchanged (none→none, stale→stale): terminating the
   * current pod kills its own container, the stale one is KubeletKillStale's business, exactly as
   * both→stale keeps it. Only with attach != none; with attach = none the reference `:= none` stays.
   */
  const killLive = (t: IState, n: number, i: number) => {
    // B7: a stale relist of node n may bring this incarnation back.
    if (P.staleKubelet) t.ranOn![i] = n;
    const row = t.ctr[n - 1]!;
    if (!attach) row[i] = 'none';
    else if (row[i] === 'live') row[i] = 'none';
    else if (row[i] === 'both') row[i] = 'stale';
  };
  /** attach.md `Wanted(i, n)`: pod[i] exists, on n, phase != Failed (Terminating stays wanted). */
  const wanted = (i: number, n: number) => {
    const p = s.pod[i];
    return p !== null && p.node === n && p.phase !== 'Failed';
  };
  /** attach.md `Healthy(n)`: the Node object exists and the node is Up. */
  const healthy = (n: number) => s.nodeObj[n - 1]! && s.nodeSt[n - 1] === 'Up';
  const podsOn = (n: number) => ords.filter((i) => s.pod[i] !== null && s.pod[i]!.node === n);

  // ---- StatefulSet controller ----
  // rollouts B, rules 1 and 2: every Ctl* guard reads its pod terms through `V` (the cache `seen`
  // with staleReads, else the API's `pod`); replicas, partition, updRev, curRev and the PVCs are
  // read fresh from `s`. Rule 4: with readOwnWrites every Ctl* guard also requires `not dirty`.
  // Rule 3: effects apply to the true `pod` (see ctlCreate / ctlDelete).
  const V = P.staleReads ? s.seen! : s.pod;
  const RRv = (i: number) => {
    const p = V[i];
    return p !== null && p !== undefined && p.phase === 'Running' && p.ready && !p.deleting;
  };
  const allRRvBelow = (k: number) => ords.filter((j) => j < k).every(RRv);
  const ctlFresh = !(P.readOwnWrites && s.dirty === true);
  /** rollouts B rule 4: a successful controller write to a pod or PVC leaves `dirty` set. */
  const wrote = (t: IState) => {
    if (P.readOwnWrites) t.dirty = true;
  };
  /**
   * rollouts B rule 3: `CtlCreate(i)` is a no-op if `pod[i]` exists (AlreadyExists).
   * AMBIGUITY (rollouts): "no-op" is read as "the step is enabled (its guard holds on the view) and
   * leaves the whole state unchanged": a stutter step that counts as a generated successor. It is
   * also read as covering the claim half of CtlCreate (`pvc[i] := bound` when none): nothing is
   * written at all, although upstream `CreateStatefulPod` creates missing PVCs before it tries the
   * pod. A failed write does not set `dirty` (rule 4 says "successful").
   */
  const ctlCreate = (t: IState, i: number) => {
    if (t.pod[i] !== null) return;
    t.pod[i] = { rev: newRev(i), node: 0, phase: 'Pending', ready: false, deleting: false };
    if (t.pvc[i] === 'none') newClaim(t, i);
    wrote(t);
  };
  /**
   * rollouts B rule 3: controller deletes go by name, are a no-op if `pod[i]` is absent (NotFound),
   * and otherwise are `ReqDelete(i)` on the true pod (its true node and phase decide between
   * removal at once and `deleting`).
   * AMBIGUITY (rollouts): as for CtlCreate, the no-op is an enabled stutter step. A graceful delete
   * of a pod that is already `deleting` (the view is older than a user's delete) leaves the pod as
   * it is but succeeds at the API server (no NotFound): it is read as a successful write and sets
   * `dirty`.
   */
  const ctlDelete = (t: IState, i: number) => {
    if (t.pod[i] === null) return;
    reqDelete(t, i);
    wrote(t);
  };
  /** A controller write to a PVC (always successful: its guard reads the PVCs fresh). */
  const ctlPVC = (t: IState, f: (t: IState) => void) => {
    f(t);
    wrote(t);
  };
  if (ctlFresh) {
    for (const i of ords) {
      const p = V[i];
      if (i < s.replicas && p === null && s.pvc[i] !== 'deleting' && s.pvc[i] !== 'owned' && (parallel || allRRvBelow(i))) {
        emit(`CtlCreate(${i})`, (t) => ctlCreate(t, i));
      }
    }
    for (const i of ords) {
      const p = V[i];
      if (i < s.replicas && p !== null && p.phase === 'Failed' && !p.deleting && (parallel || allRRvBelow(i))) {
        emit(`CtlDeleteFailed(${i})`, (t) => ctlDelete(t, i));
      }
    }
    for (const i of ords) {
      const p = V[i];
      if (!(i >= s.replicas && p !== null && !p.deleting)) continue;
      // "no existing pod j >= replicas has pvc[j] = bound": the pod term on the view, the PVC fresh.
      if (P.whenScaled === 'Delete' && ords.some((j) => j >= s.replicas && V[j] !== null && s.pvc[j] === 'bound')) continue;
      const ordered =
        ords.every((j) => !(j > i && V[j] !== null)) &&
        allRRvBelow(s.replicas) &&
        (RRv(i) || ords.every((j) => !(s.replicas <= j && j < i && V[j] !== null) || RRv(j)));
      if (parallel || ordered) emit(`CtlScaleDown(${i})`, (t) => ctlDelete(t, i));
    }
    if (P.strategy === 'RollingUpdate') {
      for (const i of ords) {
        const p = V[i];
        if (!(s.partition <= i && i < s.replicas && p !== null && p.rev !== s.updRev && !p.deleting)) continue;
        if (!ords.every((j) => !(i < j && j < s.replicas) || (RRv(j) && V[j]!.rev === s.updRev))) continue;
        const ordered = allRRvBelow(s.replicas) && ords.every((j) => !(j >= s.replicas && V[j] !== null));
        // rollouts A: under Parallel with muBudget = v1.35.0, also RR(j) for every j < replicas
        // (j = i included: the stuck pod itself uses the whole budget).
        const budget135 = !(parallel && P.muBudget135) || allRRvBelow(s.replicas);
        if ((parallel || ordered) && budget135) emit(`CtlUpdate(${i})`, (t) => ctlDelete(t, i));
      }
      const existing = ords.filter((i) => V[i] !== null);
      if (s.curRev !== s.updRev && existing.length === s.replicas && existing.every((i) => V[i]!.rev === s.updRev && RRv(i))) {
        // Writes the set's status, not a pod or a PVC: `dirty` is left as it is.
        emit('CtlAdvance', (t) => {
          t.curRev = t.updRev;
        });
      }
      if (P.stuckFix) {
        // rollouts A, CtlDeleteStuck(i) (PR #100289): strategy RollingUpdate, i < replicas,
        // Outdated(i) (exists, not deleting, rev != NewRev(i)), phase Pending, and (Parallel or
        // RR(j) for every j < i): ReqDelete(i). Pod terms on the view, like every Ctl* guard.
        for (const i of ords) {
          const p = V[i];
          if (i < s.replicas && p !== null && !p.deleting && p.rev !== newRev(i) && p.phase === 'Pending' && (parallel || allRRvBelow(i))) {
            emit(`CtlDeleteStuck(${i})`, (t) => ctlDelete(t, i));
          }
        }
      }
    }
    for (const i of ords) {
      const p = V[i];
      if (i < s.replicas && p !== null && p.phase === 'Pending' && s.pvc[i] === 'none' && (parallel || allRRvBelow(i))) {
        emit(`CtlRecreatePVC(${i})`, (t) => ctlPVC(t, (u) => newClaim(u, i)));
      }
    }
    if (P.whenScaled === 'Delete') {
      for (const i of ords) {
        if (i >= s.replicas && V[i] !== null && s.pvc[i] === 'bound' && (parallel || allRRvBelow(s.replicas))) {
          emit(`CtlMarkClaim(${i})`, (t) => ctlPVC(t, (u) => void (u.pvc[i] = 'owned')));
        }
      }
    }
    for (const i of ords) {
      if (i < s.replicas && V[i] !== null && s.pvc[i] === 'owned' && (parallel || allRRvBelow(i + 1))) {
        emit(`CtlFixClaim(${i})`, (t) => ctlPVC(t, (u) => void (u.pvc[i] = 'bound')));
      }
    }
  }
  if (P.staleReads) {
    // rollouts B, ControllerObserve (system, fair): the informer catches up.
    // AMBIGUITY (rollouts): `seen` is a copy of the whole Pod record (rev, node, phase, ready,
    // deleting), so `seen != pod` holds after any change of any field (a Schedule, a KubeletReady...),
    // not only after a creation or a removal. ControllerObserve is not a Ctl* action: `dirty` does
    // not block it (it clears it).
    const seenKey = JSON.stringify(s.seen);
    if (seenKey !== JSON.stringify(s.pod) || s.dirty === true) {
      emit('ControllerObserve', (t) => {
        t.seen = JSON.parse(JSON.stringify(t.pod)) as (Pod | null)[];
        if (P.readOwnWrites) t.dirty = false;
      });
    }
  }
  if (P.manualFix) {
    // rollouts A, OperatorDelete(i) (system, fair): pod[i] exists, not deleting, Bad(i),
    // rev != updRev: ReqDelete(i). AMBIGUITY (rollouts): the operator is not the controller: it
    // reads the API (true `pod`), ignores `dirty`, and its delete does not set `dirty`.
    for (const i of ords) {
      const p = s.pod[i];
      if (p !== null && !p.deleting && bad(i) && p.rev !== s.updRev) emit(`OperatorDelete(${i})`, (t) => reqDelete(t, i));
    }
  }

  // ---- Volume controllers ----
  for (const i of ords) {
    if (s.pvc[i] === 'deleting' && s.pod[i] === null) emit(`PVCFinalize(${i})`, (t) => removePVC(t, i));
  }
  for (const i of ords) {
    if (s.pvc[i] === 'owned' && s.pod[i] === null) {
      emit(`GCClaim(${i})`, (t) => {
        removePVC(t, i);
        t.written[i] = false;
      });
    }
  }

  // ---- Scheduler ----
  for (const i of ords) {
    const p = s.pod[i];
    if (!(p !== null && p.node === 0 && !p.deleting && (s.pvc[i] === 'bound' || s.pvc[i] === 'owned'))) continue;
    for (const n of nodeIds) {
      // attach.md: adds `not oos[n]`.
      // Local storage: only the PV's node, once there is a PV.
      const fits = !P.local || s.pvNode![i] === 0 || s.pvNode![i] === n;
      if (s.nodeSt[n - 1] === 'Up' && s.nodeObj[n - 1] && !(attach && s.oos![n - 1]) && fits) {
        emit(`Schedule(${i},${n})`, (t) => {
          t.pod[i]!.node = n;
          if (P.local && t.pvNode![i] === 0) t.pvNode![i] = n;
        });
      }
    }
  }

  // ---- Kubelet ----
  for (const i of ords) {
    const p = s.pod[i];
    if (p === null || p.node === 0) continue;
    const n = p.node;
    if (s.nodeSt[n - 1] !== 'Up') continue;
    const c = s.ctr[n - 1]![i]!;
    // attach.md: adds att[i] = n; ctr none, or (rwo only) stale: the RWO mount check does not see
    // a container of a deleted pod object on the same node (C11), the RWOP check does (C10).
    const ctrOk = c === 'none' || (P.attach === 'rwo' && c === 'stale');
    const attOk = !attach || s.att![i] === n;
    // rollouts A: adds `badMode = unready or not Bad(i)` (a bad image never pulls).
    const pullOk = P.badMode === 'unready' || !bad(i);
    if ((p.phase === 'Pending' || p.phase === 'Running') && !p.deleting && ctrOk && attOk && s.pvc[i] !== 'none' && pullOk) {
      emit(`KubeletRun(${i})`, (t) => {
        t.ctr[n - 1]![i] = c === 'stale' ? 'both' : 'live';
        if (attach) t.inUse![i] = true;
        t.pod[i]!.phase = 'Running';
        t.pod[i]!.ready = false;
        t.vol[i] = 'data';
        t.written[i] = true;
      });
    }
  }
  for (const i of ords) {
    const p = s.pod[i];
    if (p === null || p.node === 0) continue;
    const n = p.node;
    // AMBIGUITY (attach.md): KubeletReady is not among the changed actions and its guard says
    // `ctr[n][i] = live`. `both` is "a stale and a live container": the live container of the
    // current pod object runs, and its readiness probe passes regardless of the stale one. Reading:
    // the guard means "the current pod's container runs", i.e. ctr in {live, both}.
    // rollouts A: adds `not Bad(i)` (the probe of a bad revision never passes).
    const c = s.ctr[n - 1]![i];
    if (s.nodeSt[n - 1] === 'Up' && p.phase === 'Running' && !p.ready && !p.deleting && (c === 'live' || c === 'both') && !s.broken[i] && !bad(i)) {
      emit(`KubeletReady(${i})`, (t) => {
        t.pod[i]!.ready = true;
      });
    }
  }
  for (const i of ords) {
    const p = s.pod[i];
    if (p === null || p.node === 0) continue;
    const n = p.node;
    if (p.deleting && s.nodeSt[n - 1] === 'Up') {
      emit(`KubeletTerminate(${i})`, (t) => {
        killLive(t, n, i);
        t.pod[i] = null;
      });
    }
  }
  for (const n of nodeIds) {
    for (const i of ords) {
      // attach.md: guard `ctr[n][i] in {stale, both}`; stale→none, both→live. AMBIGUITY: the
      // changed-actions table omits `nodeSt[n] = Up`; reading: it is kept (kubelet actions run only
      // on an Up node, and the table lists only what changes, like "adds" for Schedule).
      const c = s.ctr[n - 1]![i];
      if (s.nodeSt[n - 1] === 'Up' && (c === 'stale' || c === 'both')) {
        emit(`KubeletKillStale(${n},${i})`, (t) => {
          t.ctr[n - 1]![i] = c === 'both' ? 'live' : 'none';
        });
      }
    }
  }

  // ---- Node lifecycle controller and pod GC ----
  for (const n of nodeIds) {
    const on = podsOn(n);
    if (s.nodeSt[n - 1] !== 'Up' && s.nodeObj[n - 1] && on.some((i) => s.pod[i]!.ready)) {
      emit(`NodeNotReady(${n})`, (t) => {
        for (const i of on) t.pod[i]!.ready = false;
      });
    }
  }
  for (const n of nodeIds) {
    const on = podsOn(n);
    if (s.nodeSt[n - 1] !== 'Up' && s.nodeObj[n - 1] && on.every((i) => !s.pod[i]!.ready) && on.some((i) => !s.pod[i]!.deleting)) {
      emit(`TaintEvict(${n})`, (t) => {
        for (const i of on) t.pod[i]!.deleting = true;
      });
    }
  }
  for (const i of ords) {
    const p = s.pod[i];
    if (p !== null && p.node !== 0 && !s.nodeObj[p.node - 1]) emit(`PodGC(${i})`, (t) => forceRemove(t, i));
  }
  // The cloud node lifecycle controller: a crashed node's Node object goes.
  if (P.cloudNodeDelete) {
    for (const n of nodeIds) {
      if (s.nodeSt[n - 1] === 'Crashed' && s.nodeObj[n - 1]) emit(`CloudNodeDelete(${n})`, (t) => (t.nodeObj[n - 1] = false));
    }
  }

  // ---- attach.md: attach/detach controller, kubelet unmount, pod GC of terminating pods ----
  if (attach) {
    const att = s.att!;
    const inUse = s.inUse!;
    const oos = s.oos!;
    const detach = (t: IState, i: number) => {
      t.att![i] = 0;
      t.inUse![i] = false;
    };
    for (const i of ords) {
      // ADCAttach(i, n): Wanted(i, n), pvc[i] != none, att[i] none. No guard on the node's state
      // (the ADC runs in the controller manager).
      if (att[i] !== 0 || s.pvc[i] === 'none') continue;
      for (const n of nodeIds) {
        if (wanted(i, n)) emit(`ADCAttach(${i},${n})`, (t) => void (t.att![i] = n));
      }
    }
    for (const i of ords) {
      const n = att[i]!;
      if (n === 0 || wanted(i, n)) continue;
      // ADCDetach(i) and ADCForceDetach(i) may both be enabled (inUse, oos[n], unhealthy): two
      // instances with the same successor, both generated.
      if (!inUse[i] || oos[n - 1]) emit(`ADCDetach(${i})`, (t) => detach(t, i));
      if (inUse[i] && !healthy(n) && P.forceDetach === 'onTimeout') emit(`ADCForceDetach(${i})`, (t) => detach(t, i));
    }
    for (const i of ords) {
      const n = att[i]!;
      if (n !== 0 && s.nodeSt[n - 1] === 'Up' && inUse[i] && s.ctr[n - 1]![i] === 'none' && !wanted(i, n)) {
        emit(`KubeletUnmount(${i})`, (t) => void (t.inUse![i] = false));
      }
    }
    for (const i of ords) {
      const p = s.pod[i];
      if (p === null || p.node === 0) continue;
      const n = p.node;
      if (p.deleting && s.nodeObj[n - 1] && s.nodeSt[n - 1] !== 'Up' && oos[n - 1]) {
        emit(`PodGCTerminating(${i})`, (t) => forceRemove(t, i));
      }
    }
  }

  // ---- Recovery ----
  if (P.recovery === 'transient') {
    for (const n of nodeIds) {
      if (s.nodeSt[n - 1] !== 'Up') {
        emit(`NodeRecover(${n})`, (t) => {
          t.nodeSt[n - 1] = 'Up';
          t.nodeObj[n - 1] = true;
          // attach.md: the user removes the out-of-service taint once the node is back.
          if (attach) t.oos![n - 1] = false;
        });
      }
    }
    for (const i of ords) {
      if (s.broken[i]) {
        emit(`PodHeal(${i})`, (t) => {
          t.broken[i] = false;
        });
      }
    }
  }

  // ---- Environment: faults and user operations, each costs one unit of budget ----
  if (s.budget > 0) {
    const env = (label: string, f: (t: IState) => void) =>
      emit(label, (t) => {
        f(t);
        t.budget -= 1;
      });
    if (P.faults.has('nodePartition')) {
      for (const n of nodeIds) {
        if (s.nodeSt[n - 1] === 'Up') env(`NodePartition(${n})`, (t) => void (t.nodeSt[n - 1] = 'Partitioned'));
      }
    }
    if (P.faults.has('nodeCrash')) {
      for (const n of nodeIds) {
        if (s.nodeSt[n - 1] === 'Up' || s.nodeSt[n - 1] === 'Partitioned') {
          env(`NodeCrash(${n})`, (t) => {
            t.nodeSt[n - 1] = 'Crashed';
            for (const i of ords) t.ctr[n - 1]![i] = 'none';
          });
        }
      }
    }
    if (P.faults.has('podBreak')) {
      for (const i of ords) {
        if (!s.broken[i]) {
          env(`PodBreak(${i})`, (t) => {
            t.broken[i] = true;
            if (t.pod[i] !== null) t.pod[i]!.ready = false;
          });
        }
      }
    }
    if (P.faults.has('podEvict')) {
      for (const i of ords) {
        const p = s.pod[i];
        if (p !== null && p.phase === 'Running' && !p.deleting && p.node !== 0 && s.nodeSt[p.node - 1] === 'Up') {
          const n = p.node;
          env(`PodEvict(${i})`, (t) => {
            t.pod[i]!.phase = 'Failed';
            t.pod[i]!.ready = false;
            killLive(t, n, i);
          });
        }
      }
    }
    if (P.faults.has('kubeletRestart')) {
      // B7: on an Up node; a stale relist starts again every identity whose last terminated
      // incarnation ran here and that has no container here (as a container of no pod object).
      for (const n of nodeIds) {
        if (s.nodeSt[n - 1] !== 'Up') continue;
        env(`KubeletRestart(${n})`, (t) => {
          if (!P.staleKubelet) return;
          for (const i of ords) if (t.ranOn![i] === n && t.ctr[n - 1]![i] === 'none') t.ctr[n - 1]![i] = 'stale';
        });
      }
    }
    if (P.userOps.has('scale')) {
      for (let r = 0; r <= R; r++) if (r !== s.replicas) env(`Scale(${r})`, (t) => void (t.replicas = r));
    }
    if (P.userOps.has('updateTemplate')) {
      if (!P.rollback) {
        if (s.updRev < P.maxRevision) env('UpdateTemplate', (t) => void (t.updRev += 1));
      } else if (s.hiRev! < P.maxRevision) {
        // rollouts A: a new template is a new revision: hiRev := hiRev+1, updRev := hiRev+1 (the
        // new hiRev), whatever updRev was (after a revert updRev < hiRev).
        env('UpdateTemplate', (t) => {
          t.hiRev = t.hiRev! + 1;
          t.updRev = t.hiRev;
        });
      }
    }
    if (P.rollback && P.userOps.has('revertTemplate')) {
      // rollouts A, RevertTemplate(r) (user, cost 1): r <= hiRev, r != updRev: updRev := r.
      // AMBIGUITY (rollouts): "plus whatever the reference model requires of all user ops" is read
      // as the reference's only requirement on environment actions: budget > 0 and the kind
      // enabled in userOps; r ranges over 0..hiRev (curRev included: reverting to the current
      // revision is allowed, and makes the rollout trivially complete).
      for (let r = 0; r <= s.hiRev!; r++) {
        if (r !== s.updRev) env(`RevertTemplate(${r})`, (t) => void (t.updRev = r));
      }
    }
    if (P.userOps.has('setPartition')) {
      for (let q = 0; q <= R; q++) if (q !== s.partition) env(`SetPartition(${q})`, (t) => void (t.partition = q));
    }
    if (P.userOps.has('deletePod')) {
      for (const i of ords) {
        const p = s.pod[i];
        if (p !== null && !p.deleting) env(`DeletePod(${i})`, (t) => reqDelete(t, i));
      }
    }
    if (P.userOps.has('forceDeletePod')) {
      for (const i of ords) if (s.pod[i] !== null) env(`ForceDeletePod(${i})`, (t) => forceRemove(t, i));
    }
    if (P.userOps.has('deletePVC')) {
      for (const i of ords) {
        if (s.pvc[i] === 'bound' || s.pvc[i] === 'owned') {
          env(`DeletePVC(${i})`, (t) => {
            if (t.pod[i] !== null && t.pod[i]!.node !== 0) t.pvc[i] = 'deleting';
            else removePVC(t, i);
          });
        }
      }
    }
    if (P.userOps.has('deleteNode')) {
      for (const n of nodeIds) {
        // NOTE (attach.md): DeleteNode is unchanged, so oos[n] survives the Node object's deletion
        // ("unmentioned variables are unchanged") and still opens ADCDetach's `oos[n]` disjunct,
        // although upstream the taint lives on the deleted object (the ADC's lister then says no
        // taint). Taken literally here.
        if (s.nodeObj[n - 1] && s.nodeSt[n - 1] !== 'Up') env(`DeleteNode(${n})`, (t) => void (t.nodeObj[n - 1] = false));
      }
    }
    if (attach && P.userOps.has('taintOutOfService')) {
      for (const n of nodeIds) {
        if (s.nodeObj[n - 1] && s.nodeSt[n - 1] !== 'Up' && !s.oos![n - 1]) {
          env(`TaintOutOfService(${n})`, (t) => void (t.oos![n - 1] = true));
        }
      }
    }
  }
  return out;
}

// ---- attach.md properties, naive ----

/** AtMostOne (restated): for every i, the sum over nodes of cnt(ctr[n][i]) is at most 1. */
export function atMostOne(s: IState): boolean {
  return s.pod.every((_p, i) => s.ctr.reduce((sum, row) => sum + cnt(row[i]!), 0) <= 1);
}

/** AtMostOneWriter: for every i, if att[i] = n then cnt(ctr[n][i]) <= 1 (vacuous with attach = none). */
export function atMostOneWriter(s: IState): boolean {
  if (s.att === undefined) return true;
  return s.att.every((n, i) => n === 0 || cnt(s.ctr[n - 1]![i]!) <= 1);
}

/**
 * NoUnsafeDetach (action property): an ADCDetach(i) or ADCForceDetach(i) step from n = att[i]
 * (in the pre-state) happens only when ctr[n][i] = none.
 */
export function noUnsafeDetach(pre: IState, label: string): boolean {
  const m = /^ADC(?:Force)?Detach\((\d+)\)$/.exec(label);
  if (m === null || pre.att === undefined) return true;
  const i = Number(m[1]);
  const n = pre.att[i]!;
  return n === 0 || pre.ctr[n - 1]![i] === 'none';
}

// ---- rollouts-and-stale-reads.md and reference properties, naive; all judged on the true state ----

/** RR(i) on the true state (API objects), never on the controller's view. */
export function rr(s: IState, i: number): boolean {
  const p = s.pod[i];
  return p !== null && p !== undefined && p.phase === 'Running' && p.ready && !p.deleting;
}

const ordinalOf = (label: string, ...families: string[]): number | null => {
  const m = /^(\w+)\((\d+)\)$/.exec(label);
  return m !== null && families.includes(m[1]!) ? Number(m[2]) : null;
};

/** OrderedCreation: if pod[i] is absent in s and exists in s', then RR(j) in s for every j < i. */
export function orderedCreation(pre: IState, post: IState): boolean {
  return pre.pod.every((p, i) => !(p === null && post.pod[i] !== null) || pre.pod.every((_q, j) => j >= i || rr(pre, j)));
}

/**
 * OrderedTermination: a CtlScaleDown(i) step happens only when no pod j > i exists and RR(j) for
 * every j < replicas (in the pre-state). AMBIGUITY (rollouts): with staleReads a CtlScaleDown(i)
 * step may be a no-op (pod[i] already absent); it is still a CtlScaleDown(i) step and is judged.
 */
export function orderedTermination(pre: IState, label: string): boolean {
  const i = ordinalOf(label, 'CtlScaleDown');
  if (i === null) return true;
  return pre.pod.every((p, j) => !(j > i && p !== null)) && pre.pod.every((_p, j) => j >= pre.replicas || rr(pre, j));
}

/**
 * ReverseOrderUpdate: a CtlUpdate(i) or CtlDeleteStuck(i) step happens only when every existing pod
 * j with i < j < replicas has rev = updRev and is RR (pre-state). An absent pod j is exempt; a pod
 * that is `deleting` exists (and is not RR). AMBIGUITY (rollouts): the text lists it under A, but
 * nothing in its statement depends on `rollback`: it is judged in every configuration here, and
 * stale reads break it without rollback (B3's parameters, 11 steps), as does `stuckFix` (A7's trace
 * without rollback).
 */
export function reverseOrderUpdate(pre: IState, label: string): boolean {
  const i = ordinalOf(label, 'CtlUpdate', 'CtlDeleteStuck');
  if (i === null) return true;
  return pre.pod.every((p, j) => !(i < j && j < pre.replicas && p !== null) || (p!.rev === pre.updRev && rr(pre, j)));
}

/** OrderedUpdate (OrderedReady only; vacuous under Parallel): a CtlUpdate(i) step happens only when RR(j) for every j < replicas. */
export function orderedUpdate(params: IndependentParams, pre: IState, label: string): boolean {
  if ((params.policy ?? 'OrderedReady') === 'Parallel') return true;
  if (ordinalOf(label, 'CtlUpdate') === null) return true;
  return pre.pod.every((_p, j) => j >= pre.replicas || rr(pre, j));
}

/** NoDataLoss (reclaim = Delete): vol[i] data -> none only if i >= replicas or pvc[i] = owned (in s). */
export function noDataLoss(params: IndependentParams, pre: IState, post: IState): boolean {
  if ((params.reclaim ?? 'Delete') !== 'Delete') return true;
  return pre.vol.every((v, i) => !(v === 'data' && post.vol[i] === 'none') || i >= pre.replicas || pre.pvc[i] === 'owned');
}

/** StableStorage: ctr[n][i] none -> live with written[i] in s implies vol[i] = data in s. */
export function stableStorage(pre: IState, post: IState): boolean {
  return pre.ctr.every((row, n) => row.every((c, i) => !(c === 'none' && post.ctr[n]![i] === 'live' && pre.written[i]) || pre.vol[i] === 'data'));
}

/**
 * ScaleDownKeepsData (action property): a GCClaim(i) step (the garbage collector deleting the claim
 * a condemned pod owned, whenScaled Delete) happens only when vol[i] is not data in s. Whatever the
 * reclaim policy: with Retain the data stays on a Released PV, but not with ordinal i.
 */
export function scaleDownKeepsData(pre: IState, label: string): boolean {
  const i = ordinalOf(label, 'GCClaim');
  return i === null || pre.vol[i] !== 'data';
}

/** PartitionRespected (RollingUpdate): a pod i < partition that is created gets rev = curRev. */
export function partitionRespected(params: IndependentParams, pre: IState, post: IState): boolean {
  if ((params.strategy ?? 'RollingUpdate') !== 'RollingUpdate') return true;
  return pre.pod.every((p, i) => !(p === null && post.pod[i] !== null && i < pre.partition) || post.pod[i]!.rev === pre.curRev);
}

/** Converged (reference liveness): every i < replicas RR (and updated when RollingUpdate, i >= partition); no pod i >= replicas. */
export function converged(params: IndependentParams, s: IState): boolean {
  const rolling = (params.strategy ?? 'RollingUpdate') === 'RollingUpdate';
  return s.pod.every((p, i) => (i < s.replicas ? rr(s, i) && (!rolling || i < s.partition || p!.rev === s.updRev) : p === null));
}

/** The premise of RecoversAfterRevert, `[](updRev not in badRevs => <>Converged)`. */
export function goodTemplate(params: IndependentParams, s: IState): boolean {
  return !(params.badRevs ?? []).includes(s.updRev);
}

export type SafetyName = 'AtMostOne' | 'OrderedCreation' | 'OrderedTermination' | 'ReverseOrderUpdate' | 'OrderedUpdate' | 'NoDataLoss' | 'StableStorage' | 'ScaleDownKeepsData' | 'PartitionRespected';
export const SAFETY_NAMES: readonly SafetyName[] = ['AtMostOne', 'OrderedCreation', 'OrderedTermination', 'ReverseOrderUpdate', 'OrderedUpdate', 'NoDataLoss', 'StableStorage', 'ScaleDownKeepsData', 'PartitionRespected'];

/** Every safety property judged on one step pre --label-> post (AtMostOne on post). */
export function safetyOnStep(params: IndependentParams, pre: IState, label: string, post: IState): Record<SafetyName, boolean> {
  return {
    AtMostOne: atMostOne(post),
    OrderedCreation: orderedCreation(pre, post),
    OrderedTermination: orderedTermination(pre, label),
    ReverseOrderUpdate: reverseOrderUpdate(pre, label),
    OrderedUpdate: orderedUpdate(params, pre, label),
    NoDataLoss: noDataLoss(params, pre, post),
    StableStorage: stableStorage(pre, post),
    ScaleDownKeepsData: scaleDownKeepsData(pre, label),
    PartitionRespected: partitionRespected(params, pre, post),
  };
}

/**
 * The shortest trace (labels from an initial state) to a violation of each safety property, by
 * breadth-first search (null: the property holds on every reachable state and step).
 */
export function shortestViolations(params: IndependentParams): Record<SafetyName, string[] | null> {
  const out = Object.fromEntries(SAFETY_NAMES.map((n) => [n, null])) as Record<SafetyName, string[] | null>;
  const parent = new Map<string, [string, string] | null>();
  let level: IState[] = [];
  const trace = (k: string): string[] => {
    const labels: string[] = [];
    for (let e = parent.get(k)!; e !== null; e = parent.get(e[0])!) labels.push(e[1]);
    return labels.reverse();
  };
  for (const s of initialStates(params)) {
    const k = key(s);
    if (parent.has(k)) continue;
    parent.set(k, null);
    level.push(s);
    if (!atMostOne(s) && out.AtMostOne === null) out.AtMostOne = [];
  }
  while (level.length > 0 && SAFETY_NAMES.some((n) => out[n] === null)) {
    const next: IState[] = [];
    const found: Partial<Record<SafetyName, string[]>> = {};
    for (const s of level) {
      const k = key(s);
      for (const { label, next: t } of labelledSuccessors(params, s)) {
        const v = safetyOnStep(params, s, label, t);
        for (const n of SAFETY_NAMES) if (!v[n] && out[n] === null && found[n] === undefined) found[n] = [...trace(k), label];
        const kt = key(t);
        if (parent.has(kt)) continue;
        parent.set(kt, [k, label]);
        next.push(t);
      }
    }
    Object.assign(out, found);
    level = next;
  }
  return out;
}

export interface IndependentResult {
  distinct: number;
  generated: number;
  depth: number;
}

/** Breadth-first exploration of every reachable state. */
export function exploreIndependent(params: IndependentParams, onState?: (s: IState, k: string) => void): IndependentResult {
  const inits = initialStates(params);
  const seen = new Set<string>();
  let generated = 0;
  let level: IState[] = [];
  for (const s of inits) {
    generated++;
    const k = key(s);
    if (seen.has(k)) continue;
    seen.add(k);
    onState?.(s, k);
    level.push(s);
  }
  let depth = level.length > 0 ? 1 : 0;
  while (level.length > 0) {
    const next: IState[] = [];
    for (const s of level) {
      for (const { next: t } of labelledSuccessors(params, s)) {
        generated++;
        const k = key(t);
        if (seen.has(k)) continue;
        seen.add(k);
        onState?.(t, k);
        next.push(t);
      }
    }
    if (next.length > 0) depth++;
    level = next;
  }
  return { distinct: seen.size, generated, depth };
}

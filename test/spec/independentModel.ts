/**
 * An independent, deliberately naive rendering of `reference-model.md` (the reference profile of
 * the StatefulSet model), written from the text alone, to cross-check the project's model.
 *
 * Plain objects, one canonical JSON string per state as the key of a `Set`, a queue-based BFS.
 * Nothing here is shared with `src/spec/`: if both find the same counts, both probably read the
 * text the same way.
 */

export type Fault = 'nodePartition' | 'nodeCrash' | 'podBreak' | 'podEvict';
export type UserOp = 'scale' | 'updateTemplate' | 'setPartition' | 'deletePod' | 'forceDeletePod' | 'deletePVC' | 'deleteNode';

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
  /** ctr[n-1][i] for node n */
  ctr: ('none' | 'live' | 'stale')[][];
  nodeSt: ('Up' | 'Partitioned' | 'Crashed')[];
  nodeObj: boolean[];
  pvc: ('none' | 'bound' | 'owned' | 'deleting')[];
  vol: ('none' | 'empty' | 'data')[];
  broken: boolean[];
  written: boolean[];
  budget: number;
}

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
  };
}

const clone = (s: IState): IState => JSON.parse(JSON.stringify(s)) as IState;
export const key = (s: IState): string => JSON.stringify(s);

export function initialStates(params: IndependentParams): IState[] {
  const P = resolve(params);
  const base = (): IState => ({
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
  });
  if (P.start === 'empty') return [base()];
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
    });
    return s;
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
  const RR = (i: number) => {
    const p = s.pod[i];
    return p !== null && p !== undefined && p.phase === 'Running' && p.ready && !p.deleting;
  };
  const allRRBelow = (k: number) => ords.filter((j) => j < k).every(RR);
  const parallel = P.policy === 'Parallel';
  const newRev = (i: number) => (P.strategy === 'RollingUpdate' && i < s.partition ? s.curRev : s.updRev);
  const reqDelete = (t: IState, i: number) => {
    // Revision 2: an unscheduled or already terminated (Failed) pod goes at once.
    if (t.pod[i]!.node === 0 || t.pod[i]!.phase === 'Failed') t.pod[i] = null;
    else t.pod[i]!.deleting = true;
  };
  const forceRemove = (t: IState, i: number) => {
    t.pod[i] = null;
    for (const row of t.ctr) if (row[i] === 'live') row[i] = 'stale';
  };
  const removePVC = (t: IState, i: number) => {
    t.pvc[i] = 'none';
    t.vol[i] = 'none';
  };
  const podsOn = (n: number) => ords.filter((i) => s.pod[i] !== null && s.pod[i]!.node === n);

  // ---- StatefulSet controller ----
  for (const i of ords) {
    const p = s.pod[i];
    if (i < s.replicas && p === null && s.pvc[i] !== 'deleting' && s.pvc[i] !== 'owned' && (parallel || allRRBelow(i))) {
      emit(`CtlCreate(${i})`, (t) => {
        t.pod[i] = { rev: newRev(i), node: 0, phase: 'Pending', ready: false, deleting: false };
        if (t.pvc[i] === 'none') {
          t.pvc[i] = 'bound';
          t.vol[i] = 'empty';
        }
      });
    }
  }
  for (const i of ords) {
    const p = s.pod[i];
    if (i < s.replicas && p !== null && p.phase === 'Failed' && !p.deleting && (parallel || allRRBelow(i))) {
      emit(`CtlDeleteFailed(${i})`, (t) => reqDelete(t, i));
    }
  }
  for (const i of ords) {
    const p = s.pod[i];
    if (!(i >= s.replicas && p !== null && !p.deleting)) continue;
    if (P.whenScaled === 'Delete' && ords.some((j) => j >= s.replicas && s.pod[j] !== null && s.pvc[j] === 'bound')) continue;
    const ordered =
      ords.every((j) => !(j > i && s.pod[j] !== null)) &&
      allRRBelow(s.replicas) &&
      (RR(i) || ords.every((j) => !(s.replicas <= j && j < i && s.pod[j] !== null) || RR(j)));
    if (parallel || ordered) emit(`CtlScaleDown(${i})`, (t) => reqDelete(t, i));
  }
  if (P.strategy === 'RollingUpdate') {
    for (const i of ords) {
      const p = s.pod[i];
      if (!(s.partition <= i && i < s.replicas && p !== null && p.rev !== s.updRev && !p.deleting)) continue;
      if (!ords.every((j) => !(i < j && j < s.replicas) || (RR(j) && s.pod[j]!.rev === s.updRev))) continue;
      const ordered = allRRBelow(s.replicas) && ords.every((j) => !(j >= s.replicas && s.pod[j] !== null));
      if (parallel || ordered) emit(`CtlUpdate(${i})`, (t) => reqDelete(t, i));
    }
    const existing = ords.filter((i) => s.pod[i] !== null);
    if (s.curRev !== s.updRev && existing.length === s.replicas && existing.every((i) => s.pod[i]!.rev === s.updRev && RR(i))) {
      emit('CtlAdvance', (t) => {
        t.curRev = t.updRev;
      });
    }
  }
  for (const i of ords) {
    const p = s.pod[i];
    if (i < s.replicas && p !== null && p.phase === 'Pending' && s.pvc[i] === 'none' && (parallel || allRRBelow(i))) {
      emit(`CtlRecreatePVC(${i})`, (t) => {
        t.pvc[i] = 'bound';
        t.vol[i] = 'empty';
      });
    }
  }
  if (P.whenScaled === 'Delete') {
    for (const i of ords) {
      if (i >= s.replicas && s.pod[i] !== null && s.pvc[i] === 'bound' && (parallel || allRRBelow(s.replicas))) {
        emit(`CtlMarkClaim(${i})`, (t) => {
          t.pvc[i] = 'owned';
        });
      }
    }
  }
  for (const i of ords) {
    if (i < s.replicas && s.pod[i] !== null && s.pvc[i] === 'owned' && (parallel || allRRBelow(i + 1))) {
      emit(`CtlFixClaim(${i})`, (t) => {
        t.pvc[i] = 'bound';
      });
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
      if (s.nodeSt[n - 1] === 'Up' && s.nodeObj[n - 1]) {
        emit(`Schedule(${i},${n})`, (t) => {
          t.pod[i]!.node = n;
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
    if ((p.phase === 'Pending' || p.phase === 'Running') && !p.deleting && s.ctr[n - 1]![i] === 'none' && s.pvc[i] !== 'none') {
      emit(`KubeletRun(${i})`, (t) => {
        t.ctr[n - 1]![i] = 'live';
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
    if (s.nodeSt[n - 1] === 'Up' && p.phase === 'Running' && !p.ready && !p.deleting && s.ctr[n - 1]![i] === 'live' && !s.broken[i]) {
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
        t.ctr[n - 1]![i] = 'none';
        t.pod[i] = null;
      });
    }
  }
  for (const n of nodeIds) {
    for (const i of ords) {
      if (s.nodeSt[n - 1] === 'Up' && s.ctr[n - 1]![i] === 'stale') {
        emit(`KubeletKillStale(${n},${i})`, (t) => {
          t.ctr[n - 1]![i] = 'none';
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

  // ---- Recovery ----
  if (P.recovery === 'transient') {
    for (const n of nodeIds) {
      if (s.nodeSt[n - 1] !== 'Up') {
        emit(`NodeRecover(${n})`, (t) => {
          t.nodeSt[n - 1] = 'Up';
          t.nodeObj[n - 1] = true;
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
            t.ctr[n - 1]![i] = 'none';
          });
        }
      }
    }
    if (P.userOps.has('scale')) {
      for (let r = 0; r <= R; r++) if (r !== s.replicas) env(`Scale(${r})`, (t) => void (t.replicas = r));
    }
    if (P.userOps.has('updateTemplate')) {
      if (s.updRev < P.maxRevision) env('UpdateTemplate', (t) => void (t.updRev += 1));
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
        if (s.nodeObj[n - 1] && s.nodeSt[n - 1] !== 'Up') env(`DeleteNode(${n})`, (t) => void (t.nodeObj[n - 1] = false));
      }
    }
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

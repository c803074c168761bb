/**
 * The kubelet of each node: runs, readies and terminates containers, only while its node is Up
 * (`pkg/kubelet`: `SyncPod`, `SyncTerminatingPod`, the pod workers). With volume attachment it also
 * waits for the volume to be attached before it mounts (`WaitForAttachAndMount`) and reports the
 * volume unmounted once no container of the pod uses it (`volumesInUse`).
 */
import { byOrdinal, cond, fail, ordinalNodePairs, ordinals, range, withPrefilter, type Family, type FamilyContext } from '../family.js';
import { AVAILABLE, Ctr, DELETING, EXISTS, NODE, NodeSt, PHASE, Phase, POD_SIZE, Pvc, READY, Vol, type StsState } from '../state.js';
import { stopContainer, wanted } from './effects.js';

export function kubeletFamilies(ctx: FamilyContext): Family[] {
  const { L, cfg } = ctx;
  const attach = L.hasAttach;
  /**
   * ReadWriteOnce lets a new pod mount the disk on the node where the old pod's container is still
   * being killed (the pod workers allow it, and the attach/detach controller sees the volume
   * attached to that node already); ReadWriteOncePod refuses the mount while another pod uses it
   * (`GenerateMountVolumeFunc`).
   */
  const sharesNode = cfg.attach === 'rwo';
  const common = { actor: 'kubelet', environment: false, instances: ordinals(ctx) };
  const P = (i: number) => L.pod + i * POD_SIZE;
  /** Node index of pod `i` if it exists and is scheduled, else -1. */
  const placed = (s: StsState, i: number) => (s[P(i) + EXISTS] === 1 ? s[P(i) + NODE]! - 1 : -1);
  const ctrAt = (n: number, i: number) => L.ctr + n * L.R + i;

  const [run, ready, terminate, killStale] = [
    {
      ...common,
      name: 'KubeletRun',
      ...byOrdinal('KubeletRun'),
      guard(s, i, _b, why) {
        const o = P(i);
        const n = placed(s, i);
        if (!(n >= 0) && fail(why, 'scheduled')) return false;
        if (!(n >= 0 && s[L.nodeSt + n] === NodeSt.Up) && fail(why, 'nodeUp')) return false;
        if (!(s[o + PHASE] !== Phase.Failed) && fail(why, 'notFailed')) return false;
        if (!(s[o + DELETING] === 0) && fail(why, 'notTerminating')) return false;
        if (sharesNode) {
          if (!(n < 0 || s[ctrAt(n, i)] === Ctr.none || s[ctrAt(n, i)] === Ctr.stale) && fail(why, 'noLiveContainer')) return false;
        } else if (!(n < 0 || s[ctrAt(n, i)] === Ctr.none) && fail(why, 'noContainer')) return false;
        if (!(s[L.pvc + i] !== Pvc.none) && fail(why, 'claimExists')) return false;
        if (attach && !(n >= 0 && s[L.att + i] === n + 1) && fail(why, 'volumeAttached')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, i) {
        const o = P(i);
        const c = ctrAt(t[o + NODE]! - 1, i);
        t[c] = t[c] === Ctr.stale ? Ctr.both : Ctr.live;
        if (attach) t[L.inUse + i] = 1;
        t[o + PHASE] = Phase.Running;
        t[o + READY] = 0;
        t[o + AVAILABLE] = 0;
        t[L.vol + i] = Vol.data;
        t[L.written + i] = 1;
      },
    },
    {
      ...common,
      name: 'KubeletReady',
      ...byOrdinal('KubeletReady'),
      guard(s, i, _b, why) {
        const o = P(i);
        const n = placed(s, i);
        if (!(n >= 0) && fail(why, 'scheduled')) return false;
        if (!(n >= 0 && s[L.nodeSt + n] === NodeSt.Up) && fail(why, 'nodeUp')) return false;
        if (!(s[o + PHASE] === Phase.Running) && fail(why, 'running')) return false;
        if (!(s[o + READY] === 0) && fail(why, 'notReady')) return false;
        if (!(s[o + DELETING] === 0) && fail(why, 'notTerminating')) return false;
        // `both` holds the pod's own live container too: a stale container of a deleted pod object
        // beside it does not stop the new one's readiness probe.
        if (!(n >= 0 && (s[ctrAt(n, i)] === Ctr.live || s[ctrAt(n, i)] === Ctr.both)) && fail(why, 'containerLive')) return false;
        if (!(s[L.broken + i] === 0) && fail(why, 'probePasses')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, i) {
        t[P(i) + READY] = 1;
      },
    },
    {
      ...common,
      name: 'KubeletTerminate',
      ...byOrdinal('KubeletTerminate'),
      guard(s, i, _b, why) {
        const n = placed(s, i);
        if (!(s[P(i) + EXISTS] === 1 && s[P(i) + DELETING] === 1) && fail(why, 'terminating')) return false;
        if (!(n >= 0) && fail(why, 'scheduled')) return false;
        if (!(n >= 0 && s[L.nodeSt + n] === NodeSt.Up) && fail(why, 'nodeUp')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, i) {
        const o = P(i);
        stopContainer(L, t, t[o + NODE]! - 1, i);
        t.fill(0, o, o + POD_SIZE);
      },
    },
    {
      name: 'KubeletKillStale',
      actor: 'kubelet',
      environment: false,
      instances: ordinalNodePairs(ctx).map(([i, n]) => [n!, i!]),
      nodeParam: 0,
      label: (n, i) => `KubeletKillStale(${n + 1},${i})`,
      fairGroup: (n, i) => `KubeletKillStale(${n + 1},${i})`,
      guard(s, n, i, why) {
        if (!(s[L.nodeSt + n] === NodeSt.Up) && fail(why, 'nodeUp')) return false;
        if (!(s[ctrAt(n, i)] === Ctr.stale || s[ctrAt(n, i)] === Ctr.both) && fail(why, 'staleContainer')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, n, i) {
        t[ctrAt(n, i)] = t[ctrAt(n, i)] === Ctr.both ? Ctr.live : Ctr.none;
      },
    },
  ] as const satisfies Family[];

  // Prefilters (speed only): necessary conditions for some instance's guard to hold.
  const ords = range(L.R);
  const pairs = ordinalNodePairs(ctx) as [number, number][];
  const noLive = (n: number, i: number) => (sharesNode ? cond.or(cond.eq(ctrAt(n, i), Ctr.none), cond.eq(ctrAt(n, i), Ctr.stale)) : cond.eq(ctrAt(n, i), Ctr.none));
  const stale = (n: number, i: number) => (attach ? cond.or(cond.eq(ctrAt(n, i), Ctr.stale), cond.eq(ctrAt(n, i), Ctr.both)) : cond.eq(ctrAt(n, i), Ctr.stale));
  const families = [
    // Some pod i sits on an Up node n that runs no container for it.
    withPrefilter(run, cond.some(pairs, ([i, n]) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.eq(P(i) + NODE, n + 1), noLive(n, i), cond.eq(L.nodeSt + n, NodeSt.Up)))),
    withPrefilter(ready, cond.some(ords, (i) => cond.and(cond.eq(P(i) + EXISTS, 1), cond.eq(P(i) + PHASE, Phase.Running), cond.eq(P(i) + READY, 0), cond.eq(P(i) + DELETING, 0), cond.eq(L.broken + i, 0)))),
    // Some Terminating pod sits on an Up node.
    withPrefilter(terminate, cond.some(pairs, ([i, n]) => cond.and(cond.eq(P(i) + DELETING, 1), cond.eq(P(i) + NODE, n + 1), cond.eq(L.nodeSt + n, NodeSt.Up)))),
    withPrefilter(killStale, cond.some(pairs, ([i, n]) => cond.and(stale(n, i), cond.eq(L.nodeSt + n, NodeSt.Up)))),
  ];
  if (attach) {
    // Once no container of the pod runs and the pod no longer wants the volume there, the kubelet
    // unmounts it and drops it from the node's status.volumesInUse; only a node that is Up can.
    const unmount: Family = {
      ...common,
      name: 'KubeletUnmount',
      ...byOrdinal('KubeletUnmount'),
      guard(s, i, _b, why) {
        const n = s[L.att + i]! - 1;
        if (!(n >= 0) && fail(why, 'volumeAttached')) return false;
        if (!(n < 0 || s[L.nodeSt + n] === NodeSt.Up) && fail(why, 'nodeUp')) return false;
        if (!(s[L.inUse + i] === 1) && fail(why, 'volumeInUse')) return false;
        if (!(n < 0 || s[ctrAt(n, i)] === Ctr.none) && fail(why, 'noContainer')) return false;
        if (!(n < 0 || !wanted(L, s, i, n)) && fail(why, 'notWanted')) return false;
        return why === undefined || why.length === 0;
      },
      effect(t, i) {
        t[L.inUse + i] = 0;
      },
    };
    families.push(withPrefilter(unmount, cond.some(ords, (i) => cond.eq(L.inUse + i, 1))));
  }
  if (!ctx.cfg.minReady) return families;

  // minReadySeconds: a pod that stays Ready long enough becomes Available (no node needed: it is
  // the passing of time, which the controller reads from the Ready condition's transition time).
  const podAvailable: Family = {
    ...common,
    name: 'PodAvailable',
    ...byOrdinal('PodAvailable'),
    guard(s, i, _b, why) {
      const o = P(i);
      if (!(s[o + EXISTS] === 1) && fail(why, 'exists')) return false;
      if (!(s[o + PHASE] === Phase.Running) && fail(why, 'running')) return false;
      if (!(s[o + READY] === 1) && fail(why, 'ready')) return false;
      if (!(s[o + DELETING] === 0) && fail(why, 'notTerminating')) return false;
      if (!(s[o + AVAILABLE] === 0) && fail(why, 'notAvailable')) return false;
      return why === undefined || why.length === 0;
    },
    effect(t, i) {
      t[P(i) + AVAILABLE] = 1;
    },
  };
  return [...families, withPrefilter(podAvailable, cond.some(ords, (i) => cond.and(cond.eq(P(i) + READY, 1), cond.eq(P(i) + AVAILABLE, 0))))];
}
